//===- ConstantValues.h - float values of constant attributes ---*- C++ -*-===//
//
// Private to QCTransforms.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_DIALECT_QC_TRANSFORMS_CONSTANTVALUES_H
#define QC_LIB_DIALECT_QC_TRANSFORMS_CONSTANTVALUES_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/Support/LLVM.h"

#include <vector>

namespace mlir::qc {

/// The float values of a constant (dense, or dense_resource of f32),
/// widened to f32 (exactly, for f16, bf16 and f32; wider types are
/// rounded), row-major.
FailureOr<std::vector<float>> readFloatValues(ElementsAttr attr);

} // namespace mlir::qc

#endif // QC_LIB_DIALECT_QC_TRANSFORMS_CONSTANTVALUES_H
