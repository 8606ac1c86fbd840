//===- QuantizedConstant.h - qc.constant from numerics results --*- C++ -*-===//
//
// Building a `qc.constant` from codes and scales computed outside IR (by
// the numerics library, or given by a user through the C API), shared by
// qc-quantize-constants and the C API's weight builders.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_TRANSFORMS_QUANTIZEDCONSTANT_H
#define QC_DIALECT_QC_TRANSFORMS_QUANTIZEDCONSTANT_H

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Numerics/Quantizer.h"

#include "mlir/IR/Builders.h"

namespace mlir::qc {

/// The `qc.constant` of `type` holding `q` (one code per element, as
/// numerics::quantize gives them; scales, zero points and outer scales as
/// f32 values already representable in the type's formats). The codes are
/// packed as the type says (bit planes, tiled rows); every part becomes a
/// dense_resource blob (a dense attribute for sub-byte part types).
ConstantOp createQuantizedConstant(OpBuilder &b, Location loc,
                                   QuantizedTensorType type,
                                   const numerics::QuantizedTensor &q);

} // namespace mlir::qc

#endif // QC_DIALECT_QC_TRANSFORMS_QUANTIZEDCONSTANT_H
