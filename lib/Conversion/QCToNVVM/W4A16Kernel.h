//===- W4A16Kernel.h - the NVIDIA W4A16 tensor-core kernel ------*- C++ -*-===//
//
// Private to QCToNVVM.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTONVVM_W4A16KERNEL_H
#define QC_LIB_CONVERSION_QCTONVVM_W4A16KERNEL_H

#include "mlir/IR/Builders.h"

#include <string>

namespace mlir {
namespace gpu {
class GPUFuncOp;
} // namespace gpu
namespace qc::nvvm {

/// What one W4A16 kernel is specialized for: y (M x N, f32) += a (M x K,
/// f16 or bf16) times the N x K 4-bit weight in #qc_nvvm.mma_fragments order,
/// w[n, k] = s[n, k / 128] * (stored[n, k] - o[n, k / 128]), with scales in
/// the activations' type per 1 x 128 block. The offset o is 8 for signed
/// codes (stored offset-binary) and 0 for unsigned ones, plus the zero
/// point when the weight has them (then an argument in the activations'
/// type: 8 * signed + z, converted on the host).
struct W4A16KernelSpec {
  std::string name;
  int64_t n = 0, k = 0;
  /// bf16 activations and scales (mma.sync ...bf16.bf16.f32) instead of f16.
  bool bf16 = false;
  /// A per-block offset argument instead of the constant `codeOffset`.
  bool zeroPoints = false;
  /// 8 for a signed grid, 0 for an unsigned one.
  int64_t codeOffset = 8;
  static constexpr int64_t group = 128;
  /// Pipeline depth: k tiles in flight in shared memory.
  static constexpr int64_t stages = 4;
  /// Thread blocks along K, each adding its partial sums with atomics.
  int64_t splitK = 1;

  /// Block tile: 16 rows of activations x 64 weight rows (4 warps x 16).
  static constexpr int64_t blockRows = 16, blockCols = 64, kTile = 64;
  static constexpr int64_t threads = 128;

  int64_t kTiles() const { return k / kTile; }
  int64_t kTilesPerBlock() const { return kTiles() / splitK; }
  int64_t numGroups() const { return k / group; }
};

/// The spec for an N x K weight (N % 64 == 0, K % 128 == 0): the split of K
/// that gives at least 512 blocks (4 per SM on a 132-SM H100/H200) while
/// every block keeps at least `stages` k tiles.
W4A16KernelSpec makeW4A16Spec(int64_t n, int64_t k, bool bf16,
                              bool zeroPoints, bool signedCodes);

/// The kernel, a gpu.func appended to `moduleBody` (a gpu.module's body):
/// arguments (a: memref<?xKxT>, w: memref<N*K/8 x i32>, scales:
/// memref<N x K/128 x T>, [offsets: memref<N x K/128 x T>,] y:
/// memref<?xNxf32>) with T f16 or bf16, launched on a grid of (N/64,
/// splitK, ceil(M/16)) blocks of 128 threads; y must hold zeros (or what
/// the product is added to).
gpu::GPUFuncOp buildW4A16Kernel(OpBuilder &builder, Location loc,
                                Block &moduleBody,
                                const W4A16KernelSpec &spec);

} // namespace qc::nvvm
} // namespace mlir

#endif // QC_LIB_CONVERSION_QCTONVVM_W4A16KERNEL_H
