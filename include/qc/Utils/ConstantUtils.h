//===- ConstantUtils.h - reading and writing constant tensors ---*- C++ -*-===//
//
// The one place qc reads the values of constant attributes (dense and
// dense_resource) and creates dense_resource blobs; used by the transforms
// (qc-quantize-constants, the rotation passes) and the CPU back end
// (qc-cpu-repack-weights).
//
//===----------------------------------------------------------------------===//

#ifndef QC_UTILS_CONSTANTUTILS_H
#define QC_UTILS_CONSTANTUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::qc {

/// The float values of a constant (dense of any float type, or
/// dense_resource of f32, f16 or bf16), widened to f32 (exactly, for f16,
/// bf16 and f32; wider types are rounded), row-major. Fails for a
/// dense_resource whose blob is missing (elided) or does not hold exactly
/// the type's bytes.
FailureOr<std::vector<float>> readFloatValues(ElementsAttr attr);

/// The float values of a constant in float64 (exact for every float type):
/// dense of any float type, or dense_resource of f16, bf16, f32 or f64 whose
/// blob holds exactly the type's bytes. Fails otherwise (an elided or not
/// yet loaded blob, a blob of the wrong size, an integer constant).
FailureOr<std::vector<double>> readDoubleValues(ElementsAttr attr);

/// The bytes of an i8 constant (dense, or dense_resource whose blob holds
/// exactly the type's bytes).
FailureOr<std::vector<uint8_t>> readBytes(ElementsAttr attr);

/// A dense_resource attribute of `type` named `name` (uniqued by the
/// context) holding a copy of `data`, aligned to `align` bytes.
ElementsAttr createBlobAttr(ShapedType type, StringRef name,
                            ArrayRef<char> data, size_t align);

/// Whether `v` is a constant float tensor (m_Constant; nothing is read).
bool isFloatConstant(Value v);

/// The values of `v` when it is a float constant tensor, in float64.
std::optional<std::vector<double>> readFloatConstant(Value v);

/// An arith.constant tensor<shape x f32> of `values`.
Value createF32Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                        const std::vector<double> &values);

} // namespace mlir::qc

#endif // QC_UTILS_CONSTANTUTILS_H
