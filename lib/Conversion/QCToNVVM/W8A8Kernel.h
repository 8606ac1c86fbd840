//===- W8A8Kernel.h - the NVIDIA W8A8 tensor-core kernel --------*- C++ -*-===//
//
// Private to QCToNVVM.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTONVVM_W8A8KERNEL_H
#define QC_LIB_CONVERSION_QCTONVVM_W8A8KERNEL_H

#include "mlir/IR/Builders.h"

#include <string>

namespace mlir {
namespace gpu {
class GPUFuncOp;
} // namespace gpu
namespace qc::nvvm {

/// y (M x N, f32) = sa[m] * sw[n] * sum_k qa[m, k] qw[n, k]: int8 codes of
/// the activations (per-row f32 scales) and of an N x K weight (per-row f32
/// scales), exact in i32.
struct W8A8KernelSpec {
  std::string name;
  int64_t n = 0, k = 0;
  static constexpr int64_t stages = 3;
  /// Block tile 64 x 64 (2 x 2 warps of 32 x 32), k tile 64.
  static constexpr int64_t blockRows = 64, blockCols = 64, kTile = 64;
  static constexpr int64_t threads = 128;
  int64_t kTiles() const { return k / kTile; }
};

/// The spec for an N x K weight (N % 64 == 0, K % 64 == 0).
W8A8KernelSpec makeW8A8Spec(int64_t n, int64_t k);

/// The kernel, appended to `moduleBody`: arguments (qa: memref<?xKxi8>,
/// sa: memref<?xf32>, qw: memref<NxKxi8>, sw: memref<Nxf32>, y:
/// memref<?xNxf32>), launched on (N/64, 1, ceil(M/64)) blocks of 128
/// threads; it writes every y[m, n] with m < M.
gpu::GPUFuncOp buildW8A8Kernel(OpBuilder &builder, Location loc,
                               Block &moduleBody, const W8A8KernelSpec &spec);

} // namespace qc::nvvm
} // namespace mlir

#endif // QC_LIB_CONVERSION_QCTONVVM_W8A8KERNEL_H
