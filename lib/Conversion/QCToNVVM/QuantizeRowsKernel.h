//===- QuantizeRowsKernel.h - run-time int8 quantization per row -*- C++ -*-===//
//
// Private to QCToNVVM.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTONVVM_QUANTIZEROWSKERNEL_H
#define QC_LIB_CONVERSION_QCTONVVM_QUANTIZEROWSKERNEL_H

#include "mlir/IR/Builders.h"

#include <string>

namespace mlir {
namespace gpu {
class GPUFuncOp;
} // namespace gpu
namespace qc::nvvm {

/// qc.quantize of an M x K float tensor to #qc.int<s8> codes with f32
/// scales per row computed by absmax: s[m] = max_k |x[m, k]| / 127 and
/// q[m, k] = encode(x / s) (round half to even, saturated; 0 where s = 0
/// or x is NaN), the reference lowering's arithmetic step for step.
struct QuantizeRowsSpec {
  std::string name;
  int64_t k = 0;
  /// f16 input (widened to f32 first, as the reference does) instead of f32.
  bool f16 = false;
  /// One warp per row, four rows per block of 128 threads.
  static constexpr int64_t rowsPerBlock = 4, threads = 128;
};

/// The spec for rows of K elements (K % 4 == 0).
QuantizeRowsSpec makeQuantizeRowsSpec(int64_t k, bool f16);

/// The kernel, appended to `moduleBody`: arguments (x: memref<?xKxT>,
/// q: memref<?xKxi8>, s: memref<?xf32>), launched on (1, 1, ceil(M/4))
/// blocks of 128 threads.
gpu::GPUFuncOp buildQuantizeRowsKernel(OpBuilder &builder, Location loc,
                                       Block &moduleBody,
                                       const QuantizeRowsSpec &spec);

} // namespace qc::nvvm
} // namespace mlir

#endif // QC_LIB_CONVERSION_QCTONVVM_QUANTIZEROWSKERNEL_H
