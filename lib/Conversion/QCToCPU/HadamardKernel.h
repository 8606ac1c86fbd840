//===- HadamardKernel.h - fast Walsh-Hadamard CPU kernel --------*- C++ -*-===//
//
// Private to QCToCPU. Builds the kernel that rotates the rows of an M x n
// f32 matrix by Q = D (H_K (x) H_m) / sqrt(n) (or Q^T).
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_HADAMARDKERNEL_H
#define QC_LIB_CONVERSION_QCTOCPU_HADAMARDKERNEL_H

#include "mlir/IR/Builders.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace qc::cpu {

/// Bases up to this order (QuaRot's 12, 20, 28) are unrolled adds with the
/// base in the code (the K vectors of 8 columns in registers, spilling to
/// L1 above 12); larger ones read a K x K table. Measured in one run
/// (scripts/bench_compare.py, M = 64): unrolled / table = 1.6 at K = 12
/// (3072) and 1.35 at K = 20 (5120); docs/Rationale.md.
constexpr int64_t kMaxUnrolledBaseOrder = 28;

struct HadamardKernelSpec {
  std::string name;
  /// n = k * m, m a power of two.
  int64_t n = 0, k = 1, m = 0;
  /// H_K row-major (+1/-1), empty when k = 1.
  std::vector<int> base;
  /// k > kMaxUnrolledBaseOrder: the kernel reads H_K as its table argument
  /// (baseTable), so kernels of the same k share code, and works on a
  /// scratch row t; else H_K is unrolled into the code.
  bool tableBase = false;
  /// D's diagonal, empty for the identity.
  std::vector<int> signs;
  bool transpose = false;
  /// Also quantize each rotated row to int8 codes with an f32 absmax scale
  /// (qc.quantize to #qc.int<s8> per row): the activation quantization of
  /// the integer-dot matmul kernels, fused.
  bool quantize = false;
  /// The codes' range: [-128, 127], or [-127, 127] for a narrow grid.
  bool narrow = false;
  /// f32 lanes per vector: 8 (AVX2), or 16 on AVX-512 targets when the
  /// power-of-two factor m is a multiple of 16.
  int64_t lanes = 8;
};

/// Why `spec` has no kernel, or empty.
std::string checkHadamardKernel(const HadamardKernelSpec &spec);

/// The kernel's f32 table argument for a base (k > 1): T[c][a] = H[a][c],
/// or H[c][a] with `transpose`, row-major k x k.
std::vector<float> baseTable(const HadamardKernelSpec &spec);

/// A private func.func named `spec.name`, appended to `moduleBody`, with
/// arguments
///   (x: memref<?xNxf32>[, d: memref<Nxf32>][, table: memref<KxKxf32>],
///    y: memref<?xNxf32>[, codes: memref<?xNxi8>, scales: memref<?xf32>]
///    [, t: memref<?xNxf32>])
/// writing y = x Q (x Q^T with `transpose`) row by row (d: the signs; table
/// (baseTable) and the scratch rows t with `tableBase`; codes and scales
/// with `quantize`).
func::FuncOp buildHadamardKernel(OpBuilder &builder, Location loc,
                                 Block &moduleBody,
                                 const HadamardKernelSpec &spec);

} // namespace qc::cpu
} // namespace mlir

#endif // QC_LIB_CONVERSION_QCTOCPU_HADAMARDKERNEL_H
