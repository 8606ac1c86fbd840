//===- Gptq.h - Quantization with second-order error feedback --*- C++ -*-===//
//
// GPTQ (Frantar et al., "GPTQ: Accurate Post-Training Quantization for
// Generative Pre-trained Transformers", ICLR 2023): a Linear layer's weight
// W (N x K, y = x W^T) is quantized one input channel (column) at a time, and
// each column's rounding error is spread over the columns not yet quantized
// so that the layer's output error on the calibration inputs X,
// ||X (W - Q)^T||^2 = sum_n (w_n - q_n)^T H (w_n - q_n) with H = X^T X,
// is (greedily) least. The codes are the same grid's, with the same block
// scales, so the result is an ordinary quantized tensor of the scheme.
//
//   H'  = H + damp * mean(diag H) * I   (a channel never seen, diag 0,
//                                       gets H'[k][k] = 1: no feedback)
//   U   = the upper Cholesky factor of H'^-1 (H'^-1 = U^T U)
//   for each block of columns along K (the scheme's block width G):
//     the block's scales (and zero points) are chosen by the scheme's method
//     from the block's current (updated) values, exactly as quantize() does
//     for a tensor of those values;
//     for each column j of the block, for each row n:
//       q = encodeValue(w[n][j]) with the row's block scale (f32, as
//           quantize);  e = (w[n][j] - decodeValue(q)) / U[j][j];
//       w[n][m] -= e * U[j][m] for every m > j     (float64)
//
// With a diagonal H the feedback is zero and the codes are quantize()'s.
// Cost: N K^2 multiply-adds plus two K x K Cholesky factorizations (LAPACK).
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_GPTQ_H
#define QC_NUMERICS_GPTQ_H

#include "qc/Numerics/Quantizer.h"

#include <string>

namespace mlir::qc::numerics {

/// Empty if quantizeGptq can take a weight of `shape` in `scheme`; else why
/// not (the weight is not 2-D, the scheme does not fit it, the scales are
/// two-level: an outer scale would need blocks not yet quantized).
std::string checkGptq(const std::vector<int64_t> &shape,
                      const QuantScheme &scheme);

/// GPTQ of `weight` (N x K, row-major f32) given `gram` = X^T X (K x K,
/// row-major, symmetric, float64). `damp` is the relative damping. The scheme
/// must pass checkGptq. Fails (empty codes, and `error` set) if the damped
/// Gram matrix is not positive definite (negative or non-finite entries).
QuantizedTensor quantizeGptq(const float *weight,
                             const std::vector<int64_t> &shape,
                             const double *gram, const QuantScheme &scheme,
                             double damp, std::string &error);

/// sum_n (w_n - q_n)^T H (w_n - q_n): the output error energy of quantized
/// weights `dequantized` (N x K) on the calibration inputs of `gram`.
double gramWeightedError(const float *weight, const float *dequantized,
                         int64_t n, int64_t k, const double *gram);

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_GPTQ_H
