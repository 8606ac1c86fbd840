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
#include <string>
#include <vector>

namespace mlir::qc {

/// The most elements qc reads out of one constant at compile time (to
/// quantize it, fold a rotation into it, repack it): 2^28, 1 GiB as f32 and
/// more than any single weight of today's models (Llama-3-70B's largest is
/// 8192 x 28672 = 2^27.8). A larger constant is left to run-time code or
/// handled without being expanded (a splat stays a splat), with a diagnostic.
constexpr int64_t kMaxConstantElements = int64_t(1) << 28;

/// The number of elements of `shape`, or nullopt when it is dynamic or the
/// product does not fit in int64_t.
std::optional<int64_t> checkedElementCount(ArrayRef<int64_t> shape);

/// The bytes a dense_resource blob of `type` must hold (the element width
/// rounded up to whole bytes, times the element count), or nullopt when
/// that is not a meaningful number (dynamic shape, overflow, an element type
/// without a bit width).
std::optional<int64_t> expectedBlobBytes(ShapedType type);

/// When `attr` is a dense_resource whose blob is loaded but does not hold
/// exactly the bytes its type needs, an error through `emitError`
/// ("<what>: the dense_resource blob 'x' holds 4 bytes where
/// tensor<2x64xf32> needs 512"); success otherwise, also for a blob that is
/// elided or not (yet) defined, which a reader reports when it needs it.
LogicalResult verifyBlobSize(ElementsAttr attr,
                             function_ref<InFlightDiagnostic()> emitError,
                             StringRef what);

/// verifyBlobSize for every ElementsAttr attribute of every op under `root`
/// (arith.constant included, which upstream does not check): passes that
/// read constants call it first, so a short blob is an error at its op and
/// never a read past the end of a buffer.
LogicalResult verifyConstantBlobs(Operation *root);

/// Why the values of `attr` cannot be read at compile time, or the empty
/// string when they can: the blob is elided or not defined, its size is not
/// the type's, the constant has more than kMaxConstantElements elements, or
/// the element type is not one the readers below take.
std::string whyUnreadable(ElementsAttr attr);

/// `v` as a person writes it in a message: 0, -0.5, 4.125, nan, inf.
std::string shownNumber(double v);

/// The float values of a constant (dense of any float type, or
/// dense_resource of f32, f16 or bf16), widened to f32 (exactly, for f16,
/// bf16 and f32; wider types are rounded), row-major. Fails for a
/// dense_resource whose blob is missing (elided) or does not hold exactly
/// the type's bytes, and for more than kMaxConstantElements elements
/// (whyUnreadable says which).
FailureOr<std::vector<float>> readFloatValues(ElementsAttr attr);

/// The float values of a constant in float64 (exact for every float type):
/// dense of any float type, or dense_resource of f16, bf16, f32 or f64 whose
/// blob holds exactly the type's bytes. Fails otherwise (an elided or not
/// yet loaded blob, a blob of the wrong size, an integer constant).
FailureOr<std::vector<double>> readDoubleValues(ElementsAttr attr);

/// The bytes of an i8 constant (dense, or dense_resource whose blob holds
/// exactly the type's bytes).
FailureOr<std::vector<uint8_t>> readBytes(ElementsAttr attr);

/// The little-endian bytes of every element of a constant whose elements
/// are 1, 2, 4 or 8 whole bytes wide (any float or integer type), row-major,
/// a splat expanded: dense, or dense_resource whose blob holds exactly the
/// type's bytes. For moving elements without reading their values.
FailureOr<std::vector<char>> readElementBytes(ElementsAttr attr);
/// The values of an integer constant, sign-extended (zero points are signed
/// two's complement): dense of any width up to 64, or dense_resource of a
/// width of whole bytes whose little-endian blob holds exactly the type's
/// bytes.
FailureOr<std::vector<int64_t>> readIntegerValues(ElementsAttr attr);

/// A dense_resource attribute of `type` named `name` (uniqued by the
/// context) holding a copy of `data`, aligned to `align` bytes.
ElementsAttr createBlobAttr(ShapedType type, StringRef name,
                            ArrayRef<char> data, size_t align);

/// Whether `v` is a constant float tensor (m_Constant; nothing is read).
bool isFloatConstant(Value v);

/// The values of `v` when it is a float constant tensor, in float64. When
/// `v` is a constant whose values cannot be read, `*why` (if given) says why
/// (whyUnreadable); it is left alone when `v` is no constant.
std::optional<std::vector<double>> readFloatConstant(Value v,
                                                     std::string *why = nullptr);

/// Why readFloatConstant(v) would give nothing ("it is not a float
/// constant", or whyUnreadable of its attribute), or empty when it would
/// read it; reads no value (a pass checks everything it will read this way
/// before it changes anything).
std::string whyUnreadableFloatConstant(Value v);

/// An arith.constant tensor<shape x f32> of `values`.
Value createF32Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                        const std::vector<double> &values);

} // namespace mlir::qc

#endif // QC_UTILS_CONSTANTUTILS_H
