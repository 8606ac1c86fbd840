//===- QuantizeKernel.h - int8 activation quantization CPU kernel -*- C++ -*-===//
//
// Private to QCToCPU. Builds the kernel of a qc.quantize to #qc.int<s8>
// with absmax f32 scales per row or per 1 x G block: the activation side of
// the integer-dot matmul kernels, which the reference lowering would run as
// a scalar binary search per value.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_QUANTIZEKERNEL_H
#define QC_LIB_CONVERSION_QCTOCPU_QUANTIZEKERNEL_H

#include "mlir/IR/Builders.h"

#include <cstdint>
#include <string>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace qc::cpu {

struct QuantizeRowsKernelSpec {
  std::string name;
  int64_t k = 0;
  /// Values per scale along a row: K for one scale per row.
  int64_t group = 0;
  /// The codes' range: [-128, 127], or [-127, 127] for a narrow grid.
  bool narrow = false;
  /// The scales are a vector of M (#qc.per_axis<0>) rather than an
  /// M x K/G matrix.
  bool perAxis = false;
};

/// Why `spec` has no kernel, or empty.
std::string checkQuantizeRowsKernel(const QuantizeRowsKernelSpec &spec);

/// A private func.func named `spec.name`, appended to `moduleBody`, with
/// arguments (x: memref<?xKxf32>, codes: memref<?xKxi8>,
/// scales: memref<?xf32> per axis | memref<?xK/Gxf32>): rows in parallel,
/// each block by quantizeBlockInt8. `checkQuantizeRowsKernel(spec)` must be
/// empty.
func::FuncOp buildQuantizeRowsKernel(OpBuilder &builder, Location loc,
                                     Block &moduleBody,
                                     const QuantizeRowsKernelSpec &spec);

} // namespace qc::cpu
} // namespace mlir

#endif // QC_LIB_CONVERSION_QCTOCPU_QUANTIZEKERNEL_H
