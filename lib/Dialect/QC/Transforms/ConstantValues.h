//===- ConstantValues.h - float values of constant attributes ---*- C++ -*-===//
//
// Private to QCTransforms.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_DIALECT_QC_TRANSFORMS_CONSTANTVALUES_H
#define QC_LIB_DIALECT_QC_TRANSFORMS_CONSTANTVALUES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <vector>

namespace mlir::qc {

/// The float values of a constant (dense, or dense_resource of f32),
/// widened to f32 (exactly, for f16, bf16 and f32; wider types are
/// rounded), row-major.
FailureOr<std::vector<float>> readFloatValues(ElementsAttr attr);

/// The values of `v` when it is a float constant tensor, in float64.
std::optional<std::vector<double>> readFloatConstant(Value v);

/// An arith.constant tensor<shape x f32> of `values`.
Value createF32Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                        const std::vector<double> &values);

} // namespace mlir::qc

#endif // QC_LIB_DIALECT_QC_TRANSFORMS_CONSTANTVALUES_H
