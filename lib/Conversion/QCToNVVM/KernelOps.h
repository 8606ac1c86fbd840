//===- KernelOps.h - shorthands the NVIDIA kernels are written in -*- C++ -*-===//
//
// Private to QCToNVVM.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTONVVM_KERNELOPS_H
#define QC_LIB_CONVERSION_QCTONVVM_KERNELOPS_H

#include "qc/Conversion/KernelCommon/KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir {
namespace gpu {
class GPUFuncOp;
} // namespace gpu
namespace qc::nvvm {

/// A kernel gpu.func `name` appended to `moduleBody` (a gpu.module's body)
/// with `args` and, as workgroup attributions, `shared` (each 16-byte
/// aligned: cp.async of 16 bytes, ldmatrix rows and 16-byte shared loads
/// need it, and the lowering's default is the element's alignment); its
/// launch bounds are `threads` threads and 4 blocks per SM (so at most 128
/// registers with 128 threads).
gpu::GPUFuncOp createKernel(OpBuilder &builder, Location loc,
                            Block &moduleBody, StringRef name,
                            TypeRange args, TypeRange shared,
                            int64_t threads);

/// A vector constant of zeros of `type`.
Value zeros(OpBuilder &b, Location loc, VectorType type);

/// The index arithmetic the kernels are written in.
struct IndexOps {
  KernelBuilder &b;
  Value c(int64_t v) { return b.index(v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value add(Value x, int64_t y) { return add(x, c(y)); }
  Value mul(Value x, int64_t y) { return arith::MulIOp::create(b, x, c(y)); }
  Value div(Value x, int64_t y) { return arith::DivUIOp::create(b, x, c(y)); }
  Value rem(Value x, int64_t y) { return arith::RemUIOp::create(b, x, c(y)); }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y);
  }
  Value min(Value x, Value y) { return arith::MinUIOp::create(b, x, y); }
  /// max(rows, 1) - 1: the last row a clamped address may use.
  Value lastIndex(Value rows) {
    return arith::SubIOp::create(b, arith::MaxUIOp::create(b, rows, c(1)),
                                 c(1));
  }
};

} // namespace qc::nvvm
} // namespace mlir

#endif // QC_LIB_CONVERSION_QCTONVVM_KERNELOPS_H
