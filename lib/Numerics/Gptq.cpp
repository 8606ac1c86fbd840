//===- Gptq.cpp - Quantization with second-order error feedback -----------===//

#include "qc/Numerics/Gptq.h"

#include <cmath>

// LAPACK (OpenBLAS), Fortran interface.
extern "C" {
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda,
             int *info);
void dpotri_(const char *uplo, const int *n, double *a, const int *lda,
             int *info);
}

using namespace mlir::qc::numerics;

std::string mlir::qc::numerics::checkGptq(const std::vector<int64_t> &shape,
                                          const QuantScheme &scheme) {
  if (shape.size() != 2)
    return "GPTQ takes a 2-D weight (N x K), not rank " +
           std::to_string(shape.size());
  if (scheme.outerBlockShape)
    return "GPTQ does not take two-level scales (an outer scale would depend "
           "on blocks not yet quantized)";
  return scheme.check(shape);
}

/// The upper Cholesky factor U of (H + lambda I)^-1, row-major (U[j][m] at
/// j * k + m), with lambda = damp * mean(diag H) and dead channels (diag 0)
/// given a 1 on the diagonal. Empty on failure.
static std::vector<double> inverseCholesky(const double *gram, int64_t k,
                                           double damp, std::string &error) {
  std::vector<double> h(gram, gram + k * k);
  double meanDiag = 0.0;
  for (int64_t i = 0; i < k; ++i) {
    double d = h[i * k + i];
    if (!std::isfinite(d) || d < 0.0) {
      error = "the Gram matrix's diagonal entry " + std::to_string(i) +
              " is negative or not finite";
      return {};
    }
    meanDiag += d;
  }
  meanDiag /= double(k);
  for (int64_t i = 0; i < k; ++i) {
    if (h[i * k + i] == 0.0)
      h[i * k + i] = 1.0;
    h[i * k + i] += damp * meanDiag;
  }
  // Symmetric, so row-major is column-major: LAPACK's upper triangle
  // (a[i + j k], i <= j) is our lower one, and U[j][m] = a[j + m k].
  int n = int(k), info = 0;
  dpotrf_("U", &n, h.data(), &n, &info);
  if (info == 0)
    dpotri_("U", &n, h.data(), &n, &info);
  if (info == 0)
    dpotrf_("U", &n, h.data(), &n, &info);
  if (info != 0) {
    error = "the damped Gram matrix is not positive definite (LAPACK info " +
            std::to_string(info) + ")";
    return {};
  }
  std::vector<double> u(k * k, 0.0);
  for (int64_t j = 0; j < k; ++j)
    for (int64_t m = j; m < k; ++m)
      u[j * k + m] = h[j + m * k];
  return u;
}

QuantizedTensor mlir::qc::numerics::quantizeGptq(
    const float *weight, const std::vector<int64_t> &shape, const double *gram,
    const QuantScheme &scheme, double damp, std::string &error) {
  int64_t n = shape[0], k = shape[1];
  std::vector<double> u = inverseCholesky(gram, k, damp, error);
  if (u.empty())
    return {};
  int64_t bh = scheme.blockShape[0], g = scheme.blockShape[1];
  int64_t scaleCols = k / g;
  QuantizedTensor out;
  out.shape = shape;
  out.codes.assign(n * k, 0);
  out.scales.assign((n / bh) * scaleCols, 0.0f);
  bool zp = scheme.zeroPoint != ZeroPointKind::None;
  if (zp)
    out.zeroPoints.assign(out.scales.size(), 0.0f);

  std::vector<double> w(weight, weight + n * k);
  std::vector<float> block(n * g);
  std::vector<double> err(n);
  for (int64_t c0 = 0; c0 < k; c0 += g) {
    // The block's scales, by the scheme's own method, from its current
    // values: quantize() of the N x G slice has exactly these blocks.
    for (int64_t r = 0; r < n; ++r)
      for (int64_t j = 0; j < g; ++j)
        block[r * g + j] = float(w[r * k + c0 + j]);
    QuantScheme sliceScheme = scheme;
    sliceScheme.blockShape = {bh, g};
    QuantizedTensor slice = quantize(block.data(), {n, g}, sliceScheme);
    for (int64_t b = 0; b < n / bh; ++b) {
      out.scales[b * scaleCols + c0 / g] = slice.scales[b];
      if (zp)
        out.zeroPoints[b * scaleCols + c0 / g] = slice.zeroPoints[b];
    }
    for (int64_t j = c0; j < c0 + g; ++j) {
      double d = u[j * k + j];
      for (int64_t r = 0; r < n; ++r) {
        float s = slice.scales[r / bh];
        float z = zp ? slice.zeroPoints[r / bh] : 0.0f;
        float x = float(w[r * k + j]);
        uint8_t code = encodeValue(scheme.grid, x, s, z);
        out.codes[r * k + j] = code;
        err[r] = (w[r * k + j] - double(decodeValue(scheme.grid, code, s, z))) / d;
      }
      const double *uj = &u[j * k];
      for (int64_t r = 0; r < n; ++r) {
        double e = err[r];
        if (e == 0.0)
          continue;
        double *wr = &w[r * k];
        for (int64_t m = j + 1; m < k; ++m)
          wr[m] -= e * uj[m];
      }
    }
  }
  return out;
}

double mlir::qc::numerics::gramWeightedError(const float *weight,
                                             const float *dequantized,
                                             int64_t n, int64_t k,
                                             const double *gram) {
  double total = 0.0;
  std::vector<double> d(k), hd(k);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t i = 0; i < k; ++i)
      d[i] = double(weight[r * k + i]) - double(dequantized[r * k + i]);
    for (int64_t i = 0; i < k; ++i) {
      double acc = 0.0;
      const double *row = &gram[i * k];
      for (int64_t m = 0; m < k; ++m)
        acc += row[m] * d[m];
      total += d[i] * acc;
    }
  }
  return total;
}
