//===- QCTypes.h - qc types -------------------------------------*- C++ -*-===//

#ifndef QC_DIALECT_QC_IR_QCTYPES_H
#define QC_DIALECT_QC_IR_QCTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "qc/Dialect/QC/IR/QCAttributes.h"
#include "qc/Numerics/Quantizer.h"

#include <optional>

#define GET_TYPEDEF_CLASSES
#include "qc/Dialect/QC/IR/QCTypes.h.inc"

namespace mlir::qc {
/// The plain-C++ quantization scheme of a statically shaped quantized tensor
/// type, with `method` choosing scales. std::nullopt if the type's scale or
/// zero-point types have no numerics equivalent.
std::optional<::mlir::qc::numerics::QuantScheme>
getNumericsScheme(QuantizedTensorType type, ScaleMethod method);

/// The index map from the element space of a tensor of `shape` to its scale
/// tensor under `granularity` (per_axis: (d_a); per_tensor: (); per_block:
/// (d_i floordiv b_i), with 0 where one block spans a dimension). The one
/// definition every lowering and export of scales, zero points and mins
/// indexes them by.
AffineMap getScaleIndexMap(GranularityAttrInterface granularity,
                           ArrayRef<int64_t> shape, MLIRContext *ctx);
} // namespace mlir::qc

#endif // QC_DIALECT_QC_IR_QCTYPES_H
