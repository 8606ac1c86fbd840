//===- qc-bench.cpp - qc's matmul kernels against OpenBLAS and bandwidth --===//
//
// Runs, side by side in one process: qc's ahead-of-time compiled kernels
// (bench/gen_kernels.py, lowered by the pipeline CMake names), OpenBLAS
// sgemv/sgemm in f32 on the same (dequantized) weights, and a streaming-read
// probe of memory bandwidth. Each case is the median of repeated runs after a
// warm-up, rotating over enough weight copies (three times the last-level
// cache by default) that the caches hold none of
// them. Prints a table, then one grep-able line per case:
//
//   qc-bench case=<kernel> M=<m> K=<k> N=<n> threads=<t> gflops=<x>
//            weight_gbps=<y> vs_openblas=<ratio>
//   qc-bench case=<kernel>_tail128 M=<m> K=<k> N=<n> threads=<t>
//            gflops=<x> whole_ms=<a> split_ms=<b> split_over_whole=<b/a>
//   qc-bench stream_gbps=<z> threads=<t>
//   qc-bench peak_fma_gflops=<f> peak_maddubs_gmacs=<g> threads=<t>
//
// Usage: qc-bench [--m 1,8,32,128] [--n 4096,14336] [--threads 1,2]
//                 [--reps 7] [--cache-mb MB]
//
//===----------------------------------------------------------------------===//

#include "qc/Numerics/Grid.h"
#include "qc/Numerics/Hadamard.h"
#include "qc/Numerics/Nesting.h"
#include "qc/Numerics/Packing.h"

#include <cblas.h>
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <unistd.h>

extern "C" void openblas_set_num_threads(int);
extern "C" char *openblas_get_corename(void);
extern "C" void omp_set_num_threads(int); // qc's kernels run on libomp

namespace {

constexpr int64_t kK = 4096;
constexpr int64_t kGroup = 128;

template <typename T, int N> struct MemRef {
  T *allocated;
  T *aligned;
  int64_t offset;
  int64_t sizes[N];
  int64_t strides[N];
};

template <typename T> MemRef<T, 1> view1(T *p, int64_t n) {
  return {p, p, 0, {n}, {1}};
}
template <typename T> MemRef<T, 2> view2(T *p, int64_t r, int64_t c) {
  return {p, p, 0, {r, c}, {c, 1}};
}

using Kernel = void (*)(MemRef<float, 2> *, MemRef<int8_t, 1> *,
                        MemRef<uint16_t, 2> *, MemRef<float, 2> *);

} // namespace

// The kernels of bench/gen_kernels.py, for N = 4096 and 14336.
#define QC_BENCH_KERNELS(X)                                                  \
  X(w4_g128)                                                                 \
  X(w2_g128)                                                                 \
  X(nf4_g128)                                                                \
  X(w4a8_g128)                                                               \
  X(w4a8row_g128)                                                            \
  X(w2a8row_g128)                                                             \
  X(w3_g128)                                                                 \
  X(w3a8row_g128)                                                            \
  X(w4_g128_tiled)                                                           \
  X(w4a8row_g128_tiled)                                                      \
  X(w2a8row_g128_tiled)                                                      \
  X(w4a8row_g128_tiled_f32s)                                                 \
  X(w4a8_g32_tiled)                                                          \
  X(w8a8_g32_tiled)                                                          \
  X(w8a8row_g128_tiled)                                                      \
  X(w4a8row_g128_rl)                                                         \
  X(w4a8_g32_rl)                                                             \
  X(w2a8row_g128_rl)                                                         \
  X(w8a8_g32_rl)                                                             \
  X(w8a8row_g128_rl)                                                         \
  X(w1a8row_g128_lut)                                                        \
  X(bina8row_g128_lut)                                                       \
  X(w2a8row_g128_lut)                                                        \
  X(w4a8row_g128_lut)                                                        \
  X(w1a8row_g128_lut_c2)                                                     \
  X(bina8row_g128_lut_c2)                                                    \
  X(w8n4a8row_g128_rl)                                                       \
  X(w8p4a8row_g128_rl)
#define QC_DECLARE(name)                                                     \
  void _mlir_ciface_qc_##name##_n4096(MemRef<float, 2> *, MemRef<int8_t, 1> *, \
                                      MemRef<uint16_t, 2> *,                 \
                                      MemRef<float, 2> *);                   \
  void _mlir_ciface_qc_##name##_n14336(                                      \
      MemRef<float, 2> *, MemRef<int8_t, 1> *, MemRef<uint16_t, 2> *,        \
      MemRef<float, 2> *);
extern "C" {
void _mlir_ciface_qc_hadamard_n4096(MemRef<float, 2> *, MemRef<float, 2> *);
void _mlir_ciface_qc_hadamard_n3072(MemRef<float, 2> *, MemRef<float, 2> *);
void _mlir_ciface_qc_hadamard_n5120(MemRef<float, 2> *, MemRef<float, 2> *);
void _mlir_ciface_qc_hadamard_n11008(MemRef<float, 2> *, MemRef<float, 2> *);
void _mlir_ciface_qc_hadamard_n13824(MemRef<float, 2> *, MemRef<float, 2> *);
QC_BENCH_KERNELS(QC_DECLARE)
// The same kernels built for an AVX2 target (CMake's QC_BENCH_AVX2_KERNELS).
#define QC_DECLARE_AVX2(name)                                                \
  void _mlir_ciface_qc_avx2_##name##_n4096(                                  \
      MemRef<float, 2> *, MemRef<int8_t, 1> *, MemRef<uint16_t, 2> *,        \
      MemRef<float, 2> *);                                                   \
  void _mlir_ciface_qc_avx2_##name##_n14336(                                 \
      MemRef<float, 2> *, MemRef<int8_t, 1> *, MemRef<uint16_t, 2> *,        \
      MemRef<float, 2> *);
QC_DECLARE_AVX2(w4a8row_g128_tiled)
QC_DECLARE_AVX2(w2a8row_g128_tiled)
QC_DECLARE_AVX2(w4a8_g32_tiled)
QC_DECLARE_AVX2(w1a8row_g128_lut_c2)
QC_DECLARE_AVX2(bina8row_g128_lut_c2)
// Mixed precision along K: 3968 int4 channels + a 128-channel int8 tail.
#define QC_DECLARE_TAIL(name)                                                \
  void _mlir_ciface_qc_##name##_tail128_n4096(                               \
      MemRef<float, 2> *, MemRef<int8_t, 1> *, MemRef<uint16_t, 2> *,        \
      MemRef<int8_t, 1> *, MemRef<uint16_t, 2> *, MemRef<float, 2> *);       \
  void _mlir_ciface_qc_##name##_tail128_n14336(                              \
      MemRef<float, 2> *, MemRef<int8_t, 1> *, MemRef<uint16_t, 2> *,        \
      MemRef<int8_t, 1> *, MemRef<uint16_t, 2> *, MemRef<float, 2> *);
QC_DECLARE_TAIL(w4a8_g128)
QC_DECLARE_TAIL(w4a8row_g128)
}

namespace {

/// qc's kernels: name, weight grid, the kernel for N = 4096 and 14336, the
/// relative error allowed against OpenBLAS on the dequantized weight (the
/// a8 kernels also quantize the activations to int8), and the
/// #qc.tiled<rows, chunk_bytes> layout of the codes (rows 1: row-major).
struct QCKernel {
  const char *name;
  mlir::qc::numerics::Grid grid;
  Kernel n4096, n14336;
  double tolerance;
  int64_t tileRows = 1, chunkBytes = 1;
  /// The kernel reads the f16 scales widened to f32 (its memref is f32;
  /// not for the row-lane and LUT kernels, which read f16 in lane order).
  bool f32Scales = false;
  /// Weights per scale along K.
  int64_t group = 128;
  /// Built for AVX2 (the int8 roof is vpmaddubsw's).
  bool avx2 = false;
  /// Its layout is the AVX-512 VNNI row-lane tile: timed only on such a
  /// host (elsewhere it would run the reference lowering).
  bool vnniOnly = false;
  /// Its codes are 1-bit planes, each in the tile above (the LUT kernels:
  /// timed only on an AVX-512 VBMI host).
  bool lutPlanes = false;
  /// A nested weight: the grid's codes stored once as
  /// #qc.bit_planes<[bits - topPlane, topPlane], tile = the tile above>
  /// (0: not in planes), read at `readBits` bits from the top plane
  /// (qc.requantize msb_slice; 0: read at full width, both planes).
  int topPlane = 0, readBits = 0;
};
#define QC_KERNEL(name, grid, tolerance, ...)                                \
  QCKernel {                                                                 \
    #name, grid, _mlir_ciface_qc_##name##_n4096,                             \
        _mlir_ciface_qc_##name##_n14336, tolerance, ##__VA_ARGS__            \
  }
/// An AVX2 build of a LUT kernel (its vpshufb form, 2-byte chunks):
/// lane-order f16 scales as the VBMI build's, timed on every host.
#define QC_KERNEL_AVX2_LUT(name, grid, tolerance)                            \
  QCKernel {                                                                 \
    "avx2:" #name, grid, _mlir_ciface_qc_avx2_##name##_n4096,                \
        _mlir_ciface_qc_avx2_##name##_n14336, tolerance, 16, 2, false, 128,  \
        true, false, true                                                    \
  }
#define QC_KERNEL_AVX2(name, grid, tolerance, rows, chunk, group)           \
  QCKernel {                                                                 \
    "avx2:" #name, grid, _mlir_ciface_qc_avx2_##name##_n4096,                \
        _mlir_ciface_qc_avx2_##name##_n14336, tolerance, rows, chunk, false, \
        group, true                                                          \
  }
std::vector<QCKernel> kernels() {
  using mlir::qc::numerics::Grid;
  return {QC_KERNEL(w4_g128, Grid::signedInt(4), 1e-3),
          QC_KERNEL(w2_g128, Grid::signedInt(2), 1e-3),
          QC_KERNEL(nf4_g128, Grid::nf4(), 1e-3),
          QC_KERNEL(w4a8_g128, Grid::signedInt(4), 3e-2),
          QC_KERNEL(w4a8row_g128, Grid::signedInt(4), 5e-2),
          QC_KERNEL(w2a8row_g128, Grid::signedInt(2), 5e-2),
          QC_KERNEL(w3_g128, Grid::signedInt(3), 1e-3),
          QC_KERNEL(w3a8row_g128, Grid::signedInt(3), 5e-2),
          QC_KERNEL(w4_g128_tiled, Grid::signedInt(4), 1e-3, 2, 16),
          QC_KERNEL(w4a8row_g128_tiled, Grid::signedInt(4), 5e-2, 4, 32),
          QC_KERNEL(w2a8row_g128_tiled, Grid::signedInt(2), 5e-2, 4, 32),
          QC_KERNEL(w4a8row_g128_tiled_f32s, Grid::signedInt(4), 5e-2, 4, 32,
                    true),
          // llama.cpp's Q4_0 x Q8_0 and Q8_0 x Q8_0: blocks of 32 on both
          // sides; and W8A8 per row of activations.
          QC_KERNEL(w4a8_g32_tiled, Grid::signedInt(4), 3e-2, 4, 16, false,
                    32),
          QC_KERNEL(w8a8_g32_tiled, Grid::signedInt(8), 3e-2, 4, 32, false,
                    32),
          QC_KERNEL(w8a8row_g128_tiled, Grid::signedInt(8), 5e-2, 4, 32),
          QC_KERNEL(w4a8row_g128_rl, Grid::signedInt(4), 5e-2, 16, 4, false,
                    128, false, true),
          QC_KERNEL(w4a8_g32_rl, Grid::signedInt(4), 3e-2, 16, 4, false, 32,
                    false, true),
          QC_KERNEL(w2a8row_g128_rl, Grid::signedInt(2), 5e-2, 16, 4, false,
                    128, false, true),
          QC_KERNEL(w8a8_g32_rl, Grid::signedInt(8), 3e-2, 16, 4, false, 32,
                    false, true),
          QC_KERNEL(w8a8row_g128_rl, Grid::signedInt(8), 5e-2, 16, 4, false,
                    128, false, true),
          // The LUT kernels: 1-bit planes tiled 16 rows x 4 bytes; the
          // 1-bit ones again in 16 rows x 2 bytes (_c2).
          QC_KERNEL(w1a8row_g128_lut, Grid::signedInt(1), 5e-2, 16, 4, false,
                    128, false, true, true),
          QC_KERNEL(bina8row_g128_lut, Grid::binary(), 5e-2, 16, 4, false,
                    128, false, true, true),
          QC_KERNEL(w2a8row_g128_lut, Grid::signedInt(2), 5e-2, 16, 4, false,
                    128, false, true, true),
          QC_KERNEL(w4a8row_g128_lut, Grid::signedInt(4), 5e-2, 16, 4, false,
                    128, false, true, true),
          QC_KERNEL(w1a8row_g128_lut_c2, Grid::signedInt(1), 5e-2, 16, 2,
                    false, 128, false, true, true),
          QC_KERNEL(bina8row_g128_lut_c2, Grid::binary(), 5e-2, 16, 2, false,
                    128, false, true, true),
          // One s8 weight read at 4 bits from its top plane (the row-lane
          // tile), against w4a8row_g128_rl, a stored s4 weight.
          QC_KERNEL(w8n4a8row_g128_rl, Grid::signedInt(8), 5e-2, 16, 4, false,
                    128, false, true, false, 4, 4),
          // The same planes read at 8 bits (two kernels, one per plane),
          // against w8a8row_g128_rl.
          QC_KERNEL(w8p4a8row_g128_rl, Grid::signedInt(8), 5e-2, 16, 4, false,
                    128, false, true, false, 4, 0),
          QC_KERNEL_AVX2(w4a8row_g128_tiled, Grid::signedInt(4), 5e-2, 4, 32,
                         128),
          QC_KERNEL_AVX2(w2a8row_g128_tiled, Grid::signedInt(2), 5e-2, 4, 32,
                         128),
          QC_KERNEL_AVX2(w4a8_g32_tiled, Grid::signedInt(4), 3e-2, 4, 16,
                         32),
          QC_KERNEL_AVX2_LUT(w1a8row_g128_lut_c2, Grid::signedInt(1), 5e-2),
          QC_KERNEL_AVX2_LUT(bina8row_g128_lut_c2, Grid::binary(), 5e-2)};
}

float halfToFloat(uint16_t h);

/// The f32 weights that `grid`'s codes (packed lsb first; 3-bit codes in
/// #qc.bit_planes<[2, 1]>) and f16 scales stand for, unpacked and decoded
/// by the numerics library.
std::vector<float> dequantize(const std::vector<int8_t> &codes,
                              const std::vector<uint16_t> &scales, int64_t n,
                              int64_t k, const mlir::qc::numerics::Grid &grid,
                              int64_t group = kGroup) {
  std::vector<float> w(size_t(n) * k);
  auto bytes = reinterpret_cast<const uint8_t *>(codes.data());
  unsigned bits = grid.bits();
  std::vector<uint8_t> unpacked =
      bits == 3 ? mlir::qc::numerics::unpackBitPlanes(bytes, n * k, {2, 1})
                : mlir::qc::numerics::unpackCodes(bytes, n * k, bits);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c) {
      int64_t e = r * k + c;
      w[e] = float(grid.decode(unpacked[size_t(e)])) *
             halfToFloat(scales[r * (k / group) + c / group]);
    }
  return w;
}

/// The f32 weights a nested weight stands for when read at `readBits` of
/// its codes (qc.requantize msb_slice, numerics/Nesting.h): with d =
/// bits - readBits, h = q >> d, s' = s 2^d and m' = -s (2^d - 1) / 2, each
/// value s' h - m'.
std::vector<float> dequantizeNested(const std::vector<int8_t> &codes,
                                    const std::vector<uint16_t> &scales,
                                    int64_t n, int64_t k,
                                    const mlir::qc::numerics::Grid &grid,
                                    int readBits, int64_t group = kGroup) {
  namespace num = mlir::qc::numerics;
  unsigned d = grid.bits() - unsigned(readBits);
  std::vector<float> w(size_t(n) * k);
  std::vector<uint8_t> unpacked = num::unpackCodes(
      reinterpret_cast<const uint8_t *>(codes.data()), n * k, grid.bits());
  int64_t lo = grid.isSigned() ? -(int64_t(1) << (readBits - 1)) : 0;
  int64_t hi = grid.isSigned() ? (int64_t(1) << (readBits - 1)) - 1
                               : (int64_t(1) << readBits) - 1;
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c) {
      int64_t e = r * k + c;
      float s = halfToFloat(scales[r * (k / group) + c / group]);
      int64_t h = num::nestedCode(int64_t(grid.decode(unpacked[size_t(e)])), d,
                                  num::NestingMode::MsbSlice, lo, hi);
      w[e] = num::nestedScale(s, d) * float(h) -
             num::nestedMin(s, 0, false, 0, false, d,
                            num::NestingMode::MsbSlice);
    }
  return w;
}

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Median seconds per call of `reps` timed runs after one warm-up; `run(i)`
/// gets the call index (to rotate weight copies). A call shorter than 2 ms
/// is timed in batches of enough calls to last 2 ms, because a single
/// microsecond-long call (a one-row rotation) is dominated by timer and
/// thread wake-up noise.
double medianSeconds(int reps, const std::function<void(int)> &run) {
  double t0 = now();
  run(0);
  double warm = now() - t0;
  int batch = warm >= 2e-3 ? 1 : int(std::min(10000.0, std::ceil(2e-3 / std::max(warm, 1e-7))));
  std::vector<double> t;
  int index = 1;
  for (int i = 1; i <= reps; ++i) {
    t0 = now();
    for (int j = 0; j < batch; ++j)
      run(index++);
    t.push_back((now() - t0) / batch);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

/// The last-level cache's size in bytes (sysconf, then sysfs), or 0.
int64_t lastLevelCacheBytes() {
  long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
  if (l3 > 0)
    return l3;
  for (int index = 3; index >= 2; --index) {
    std::string path = "/sys/devices/system/cpu/cpu0/cache/index" +
                       std::to_string(index) + "/size";
    if (FILE *f = std::fopen(path.c_str(), "r")) {
      long kb = 0;
      char unit = 0;
      int got = std::fscanf(f, "%ld%c", &kb, &unit);
      std::fclose(f);
      if (got >= 1 && kb > 0)
        return int64_t(kb) * (unit == 'M' ? 1 << 20 : 1 << 10);
    }
  }
  return 0;
}

/// How many copies of a weight of `bytes` to rotate through so that
/// together they exceed `cacheMB` (no two calls in a row, and no call
/// within the cache's reach, read the same copy); at most 8 GiB of copies.
int weightCopies(int64_t cacheMB, double bytes) {
  if (cacheMB <= 0)
    return 1;
  double want = double(cacheMB) * double(1 << 20) / bytes + 1;
  double most = 8.0 * double(int64_t(1) << 30) / bytes;
  return int(std::max(2.0, std::min(std::ceil(want), std::max(2.0, most))));
}

float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h >> 15) << 31, exp = (h >> 10) & 0x1F,
           man = h & 0x3FF;
  float v;
  if (exp == 0)
    v = std::ldexp(float(man), -24);
  else if (exp == 31)
    v = man ? NAN : INFINITY;
  else
    v = std::ldexp(float(man | 0x400), int(exp) - 25);
  return sign ? -v : v;
}

/// Peak arithmetic with `threads` threads, data in registers, 8 independent
/// chains per thread: f32 FMA (GFLOP/s) and AVX2 vpmaddubsw+vpaddw (G
/// multiply-adds/s), the ceilings a kernel's compute loop sees on this
/// machine today (shared VMs vary).
/// Seconds for `threads` threads that each run `body` once.
template <typename Body> double timeThreads(int threads, Body body) {
  double t0 = now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back(body);
  for (auto &th : pool)
    th.join();
  return now() - t0;
}

std::pair<double, double> computePeaks(int threads) {
  constexpr long kIters = 20000000;
  auto run = [&](auto body) { return timeThreads(threads, body); };
  double fmaSec = run([] {
    __m256 acc[8], m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
    for (auto &x : acc)
      x = _mm256_set1_ps(1.0f);
    for (long i = 0; i < kIters; ++i)
      for (auto &x : acc)
        x = _mm256_fmadd_ps(x, m, c);
    // Every chain reaches the result: none is dead code.
    __m256 sum = acc[0];
    for (int j = 1; j < 8; ++j)
      sum = _mm256_add_ps(sum, acc[j]);
    volatile float sink = _mm256_cvtss_f32(sum);
    (void)sink;
  });
  double maddSec = run([] {
    // A different signed operand per chain: no common subexpressions.
    __m256i acc[8], s[8], u = _mm256_set1_epi8(3);
    for (int j = 0; j < 8; ++j) {
      acc[j] = _mm256_setzero_si256();
      s[j] = _mm256_set1_epi8(char(j - 5));
    }
    for (long i = 0; i < kIters; ++i) {
      for (int j = 0; j < 8; ++j)
        acc[j] = _mm256_add_epi16(acc[j], _mm256_maddubs_epi16(u, s[j]));
      // Keep the products from being hoisted out of the loop.
      u = _mm256_add_epi8(u, _mm256_set1_epi8(1));
    }
    __m256i sum = acc[0];
    for (int j = 1; j < 8; ++j)
      sum = _mm256_add_epi16(sum, acc[j]);
    volatile int sink = _mm256_extract_epi16(sum, 0);
    (void)sink;
  });
  double n = double(kIters) * 8 * threads;
  return {n * 16 / fmaSec / 1e9, n * 32 / maddSec / 1e9};
}

/// Streaming read of a buffer much larger than the caches with `threads`
/// threads; GB/s.
double streamGBps(int threads, size_t bytes, int reps) {
  size_t n = bytes / sizeof(float);
  std::vector<float> buf(n, 1.0f);
  std::vector<double> sums(threads);
  auto pass = [&](int) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        size_t lo = n * t / threads, hi = n * (t + 1) / threads;
        // 32 independent lanes: four AVX2 add chains hide the add latency.
        float acc[32] = {};
        for (size_t i = lo; i + 32 <= hi; i += 32)
          for (int j = 0; j < 32; ++j)
            acc[j] += buf[i + j];
        double s = 0;
        for (float a : acc)
          s += a;
        sums[t] = s;
      });
    for (auto &th : pool)
      th.join();
  };
  double sec = medianSeconds(reps, pass);
  return double(bytes) / sec / 1e9;
}

std::vector<int64_t> parseList(const char *s) {
  std::vector<int64_t> v;
  for (const char *p = s; *p;) {
    v.push_back(std::strtoll(p, const_cast<char **>(&p), 10));
    if (*p == ',')
      ++p;
  }
  return v;
}

/// Online rotations: qc's fast Walsh-Hadamard kernel against OpenBLAS sgemm
/// by the same matrix Q (dense, n x n), on M x n f32 activations. GB/s
/// counts the activations read and written.
void benchRotations(const std::vector<int64_t> &threadCounts, int reps,
                    std::vector<std::string> &lines) {
  using namespace mlir::qc::numerics;
  struct Case {
    const char *name;
    HadamardSpec spec;
    void (*kernel)(MemRef<float, 2> *, MemRef<float, 2> *);
  };
  // The model widths with the base #qc.hadamard<n> picks (gen_kernels.py
  // writes no base for them).
  auto chosen = [](int64_t n) {
    HadamardBaseChoice c = *smallestCoveringBase(n);
    return HadamardSpec{n, c.base, c.q};
  };
  std::vector<Case> cases = {
      {"hadamard_4096", HadamardSpec{4096}, _mlir_ciface_qc_hadamard_n4096},
      {"hadamard_3072", HadamardSpec{3072, HadamardBase::Paley1, 11},
       _mlir_ciface_qc_hadamard_n3072},
      {"hadamard_5120", chosen(5120), _mlir_ciface_qc_hadamard_n5120},
      {"hadamard_11008", chosen(11008), _mlir_ciface_qc_hadamard_n11008},
      {"hadamard_13824", chosen(13824), _mlir_ciface_qc_hadamard_n13824}};
  std::printf("\n%-14s %5s %6s %-16s %7s %8s %9s %8s %10s\n", "rotation",
              "M", "n", "base", "threads", "qc_ms", "dense_ms", "qc_GBs",
              "vs_dense");
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  for (const Case &c : cases) {
    const int64_t n = c.spec.size;
    // Q from its definition, entry by entry (n^2 floats; 0.76 GB at
    // n = 13824): Q[a m + b][c m + d] = d_(a m + b) H_K[a][c] H_m[b][d] /
    // sqrt(n), H_m[b][d] = (-1)^popcount(b & d).
    const int64_t k = c.spec.baseOrder(), mk = n / k;
    const std::vector<int> hk = c.spec.baseChoice().matrix();
    const float inv = float(1.0 / std::sqrt(double(n)));
    std::vector<float> q(size_t(n * n));
    for (int64_t i = 0; i < n; ++i) {
      float di = c.spec.signs.empty() ? inv : inv * c.spec.signs[size_t(i)];
      for (int64_t j = 0; j < n; ++j) {
        int s = hk[size_t((i / mk) * k + j / mk)] *
                (__builtin_popcountll(uint64_t((i % mk) & (j % mk))) % 2 ? -1
                                                                         : 1);
        q[size_t(i * n + j)] = float(s) * di;
      }
    }
    for (int64_t m : {int64_t(1), int64_t(64)}) {
      std::vector<float> x(size_t(m * n)), y(x.size()), yd(x.size());
      for (float &v : x)
        v = normal(rng);
      for (int64_t t : threadCounts) {
        openblas_set_num_threads(int(t));
        omp_set_num_threads(int(t));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        double dense = medianSeconds(reps, [&](int) {
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m),
                      int(n), int(n), 1.0f, x.data(), int(n), q.data(),
                      int(n), 0.0f, yd.data(), int(n));
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        double qc = medianSeconds(reps, [&](int) {
          auto xm = view2(x.data(), m, n);
          auto ym = view2(y.data(), m, n);
          c.kernel(&xm, &ym);
        });
        double maxErr = 0, maxRef = 0;
        for (size_t i = 0; i < y.size(); ++i) {
          maxErr = std::max(maxErr, double(std::fabs(y[i] - yd[i])));
          maxRef = std::max(maxRef, double(std::fabs(yd[i])));
        }
        if (maxErr > 1e-4 * maxRef) {
          std::printf("qc-bench: WRONG RESULT %s M=%lld: max error %g of %g\n",
                      c.name, (long long)m, maxErr, maxRef);
          std::exit(1);
        }
        double gbps = 2.0 * double(m * n) * 4 / qc / 1e9;
        std::string base = c.spec.base == HadamardBase::None
                               ? "none"
                               : c.spec.baseChoice().name();
        std::printf("%-14s %5lld %6lld %-16s %7lld %8.3f %9.3f %8.2f %10.1f\n",
                    c.name, (long long)m, (long long)n, base.c_str(),
                    (long long)t, qc * 1e3, dense * 1e3, gbps, dense / qc);
        char line[200];
        std::snprintf(line, sizeof(line),
                      "qc-bench case=%s M=%lld n=%lld threads=%lld gbps=%.3f "
                      "vs_dense=%.2f",
                      c.name, (long long)m, (long long)n, (long long)t, gbps,
                      dense / qc);
        lines.push_back(line);
      }
    }
  }
}

/// Mixed precision along K: the w4a8 kernels with the last 128 of the
/// K = 4096 input channels split off into an int8 tail (two kernels, the
/// second accumulating into the first), against the unsplit kernel on
/// weights of the same shape, timed alternately in one run. Both are
/// checked against OpenBLAS on their dequantized weights.
void benchTail(const std::vector<int64_t> &ms, const std::vector<int64_t> &ns,
               const std::vector<int64_t> &threadCounts, int reps,
               int64_t cacheMB, std::vector<std::string> &lines) {
  using TailKernel = void (*)(MemRef<float, 2> *, MemRef<int8_t, 1> *,
                              MemRef<uint16_t, 2> *, MemRef<int8_t, 1> *,
                              MemRef<uint16_t, 2> *, MemRef<float, 2> *);
  struct Case {
    const char *name;
    Kernel whole4096, whole14336;
    TailKernel tail4096, tail14336;
    double tolerance;
  };
  const std::vector<Case> cases = {
      {"w4a8_g128", _mlir_ciface_qc_w4a8_g128_n4096,
       _mlir_ciface_qc_w4a8_g128_n14336,
       _mlir_ciface_qc_w4a8_g128_tail128_n4096,
       _mlir_ciface_qc_w4a8_g128_tail128_n14336, 3e-2},
      {"w4a8row_g128", _mlir_ciface_qc_w4a8row_g128_n4096,
       _mlir_ciface_qc_w4a8row_g128_n14336,
       _mlir_ciface_qc_w4a8row_g128_tail128_n4096,
       _mlir_ciface_qc_w4a8row_g128_tail128_n14336, 5e-2}};
  constexpr int64_t tail = 128, k0 = kK - tail;
  const mlir::qc::numerics::Grid s4 = mlir::qc::numerics::Grid::signedInt(4);
  std::printf("\n%-22s %5s %6s %7s %10s %9s %11s\n", "tail (128 x int8)",
              "M", "N", "threads", "whole_ms", "split_ms", "split/whole");
  std::mt19937 rng(13);
  std::uniform_int_distribution<int> byte(0, 255), code8(-127, 127);
  for (int64_t n : ns) {
    struct Weights {
      std::vector<int8_t> whole, codes0, codes1;
      std::vector<uint16_t> wholeScales, scales0, scales1;
    };
    double bytes = double(n * kK / 2) + 2.0 * double(n * (kK / kGroup));
    int copies = weightCopies(cacheMB, double(bytes));
    std::vector<Weights> ws(static_cast<size_t>(copies));
    auto scale = [&] { return uint16_t(0x2000 + byte(rng)); };
    for (Weights &w : ws) {
      w.whole.resize(size_t(n * kK / 2));
      w.codes0.resize(size_t(n * k0 / 2));
      w.codes1.resize(size_t(n * tail));
      for (auto &b : w.whole)
        b = int8_t(byte(rng));
      for (auto &b : w.codes0)
        b = int8_t(byte(rng));
      for (auto &b : w.codes1)
        b = int8_t(code8(rng));
      w.wholeScales.resize(size_t(n * (kK / kGroup)));
      w.scales0.resize(size_t(n * (k0 / kGroup)));
      w.scales1.resize(size_t(n));
      for (auto *v : {&w.wholeScales, &w.scales0, &w.scales1})
        for (auto &x : *v)
          x = scale();
    }
    // Copy 0's weights in f32: the whole one by the numerics library, the
    // split one from its two parts.
    std::vector<float> wholeF =
        dequantize(ws[0].whole, ws[0].wholeScales, n, kK, s4);
    std::vector<float> part0 =
        dequantize(ws[0].codes0, ws[0].scales0, n, k0, s4);
    std::vector<float> splitF(size_t(n * kK));
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < kK; ++c)
        splitF[size_t(r * kK + c)] =
            c < k0 ? part0[size_t(r * k0 + c)]
                   : float(ws[0].codes1[size_t(r * tail + c - k0)]) *
                         halfToFloat(ws[0].scales1[size_t(r)]);
    for (int64_t m : ms) {
      std::vector<float> a(size_t(m * kK)), y(size_t(m * n)),
          refWhole(y.size()), refSplit(y.size());
      std::normal_distribution<float> normal;
      for (float &v : a)
        v = normal(rng);
      openblas_set_num_threads(1);
      for (auto [w, ref] : {std::pair{&wholeF, &refWhole},
                            std::pair{&splitF, &refSplit}})
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(m), int(n),
                    int(kK), 1.0f, a.data(), int(kK), w->data(), int(kK),
                    0.0f, ref->data(), int(n));
      for (const Case &c : cases) {
        Kernel whole = n == 4096 ? c.whole4096 : c.whole14336;
        TailKernel split = n == 4096 ? c.tail4096 : c.tail14336;
        auto am = view2(a.data(), m, kK);
        auto ym = view2(y.data(), m, n);
        auto callWhole = [&](int i) {
          Weights &w = ws[size_t(i % copies)];
          auto bm = view1(w.whole.data(), n * kK / 2);
          auto sm = view2(w.wholeScales.data(), n, kK / kGroup);
          whole(&am, &bm, &sm, &ym);
        };
        auto callSplit = [&](int i) {
          Weights &w = ws[size_t(i % copies)];
          auto b0 = view1(w.codes0.data(), n * k0 / 2);
          auto s0 = view2(w.scales0.data(), n, k0 / kGroup);
          auto b1 = view1(w.codes1.data(), n * tail);
          auto s1 = view2(w.scales1.data(), n, int64_t(1));
          split(&am, &b0, &s0, &b1, &s1, &ym);
        };
        for (auto [call, ref, what] :
             {std::tuple{std::function<void(int)>(callWhole), &refWhole,
                         "whole"},
              std::tuple{std::function<void(int)>(callSplit), &refSplit,
                         "split"}}) {
          call(0);
          double maxErr = 0, maxRef = 0;
          for (size_t i = 0; i < y.size(); ++i) {
            maxErr = std::max(maxErr, double(std::fabs(y[i] - (*ref)[i])));
            maxRef = std::max(maxRef, double(std::fabs((*ref)[i])));
          }
          if (maxErr > c.tolerance * maxRef) {
            std::printf("qc-bench: WRONG RESULT %s (%s) M=%lld N=%lld: max "
                        "error %g (max |y| %g)\n",
                        c.name, what, (long long)m, (long long)n, maxErr,
                        maxRef);
            std::exit(1);
          }
        }
        for (int64_t t : threadCounts) {
          omp_set_num_threads(int(t));
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
          // Alternate the two so that both see the same machine state.
          std::vector<double> wholeTimes, splitTimes;
          for (int round = 0; round < 3; ++round) {
            wholeTimes.push_back(medianSeconds(reps, callWhole));
            splitTimes.push_back(medianSeconds(reps, callSplit));
          }
          std::sort(wholeTimes.begin(), wholeTimes.end());
          std::sort(splitTimes.begin(), splitTimes.end());
          double tw = wholeTimes[1], ts = splitTimes[1];
          std::printf("%-22s %5lld %6lld %7lld %10.3f %9.3f %11.3f\n",
                      c.name, (long long)m, (long long)n, (long long)t,
                      tw * 1e3, ts * 1e3, ts / tw);
          char line[256];
          std::snprintf(line, sizeof(line),
                        "qc-bench case=%s_tail128 M=%lld K=%lld N=%lld "
                        "threads=%lld gflops=%.3f whole_ms=%.3f "
                        "split_ms=%.3f split_over_whole=%.3f",
                        c.name, (long long)m, (long long)kK, (long long)n,
                        (long long)t, 2.0 * double(m * n * kK) / ts / 1e9,
                        tw * 1e3, ts * 1e3, ts / tw);
          lines.push_back(line);
        }
      }
    }
  }
}

/// What bounds a case: stream bandwidth (GB/s), the f32 FMA peak and the
/// int8 multiply-add peaks (G ops/s, two per multiply-add).
struct Roofs {
  double streamGBps = 0, fmaGflops = 0, maddubsGops = 0, dpbusdGops = 0;
  /// The int8 roof of the best instructions the host has.
  double int8Gops() const { return std::max(maddubsGops, dpbusdGops); }
};

bool hostHasAVX512VNNI() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vnni");
}

bool hostHasAVX512VBMI() {
  __builtin_cpu_init();
  return hostHasAVX512VNNI() && __builtin_cpu_supports("avx512vbmi");
}


/// 12 independent vpdpbusd zmm chains per thread: 64 u8 x s8
/// multiply-adds per instruction.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) double
vpdpbusdPeakGops(int threads) {
  constexpr long kIters = 20000000;
  double sec = timeThreads(threads, [] {
      __m512i acc[12], u = _mm512_set1_epi8(3);
      __m512i s = _mm512_set1_epi8(-5);
      for (auto &x : acc)
        x = _mm512_setzero_si512();
      for (long i = 0; i < kIters; ++i)
        for (auto &x : acc)
          x = _mm512_dpbusd_epi32(x, u, s);
      __m512i sum = acc[0];
      for (int j = 1; j < 12; ++j)
        sum = _mm512_add_epi32(sum, acc[j]);
      alignas(64) int lanes[16];
      _mm512_store_si512(lanes, sum);
      volatile int sink = lanes[0];
      (void)sink;
    });
  return double(kIters) * 12 * threads * 64 * 2 / sec / 1e9;
}

/// The baseline's kernels: OpenBLAS's core (a generic one on a CPU it does
/// not know makes vs_blas too flattering).
void printBaseline() {
  const char *core = openblas_get_corename();
  std::string name = core ? core : "?";
  bool avx512 = __builtin_cpu_supports("avx512f");
  bool generic = name.find("Prescott") != std::string::npos ||
                 name.find("Core2") != std::string::npos ||
                 name.find("Nehalem") != std::string::npos ||
                 name.find("Sandybridge") != std::string::npos ||
                 (avx512 && name.find("Haswell") != std::string::npos);
  std::printf("baseline: OpenBLAS sgemm/sgemv, core %s%s\n", name.c_str(),
              generic ? " (NOTE: not this CPU's best kernels; vs_blas is "
                        "inflated; try OPENBLAS_CORETYPE=SkylakeX)"
                      : "");
}

} // namespace

int main(int argc, char **argv) {
  std::vector<int64_t> ms = {1, 8, 32, 128}, ns = {4096, 14336},
                       threadCounts = {1, 2};
  int reps = 7;
  // Rotate through three times the last-level cache (260 MiB on the
  // Emerald Rapids machines: 16 copies of a 4096 x 4096 int4 weight would
  // stay in it), or 768 MiB when the size is unknown.
  int64_t llc = lastLevelCacheBytes();
  int64_t cacheMB = llc > 0 ? 3 * (llc >> 20) : 768;
  std::string only;
  bool rotations = true, tails = true;
  const char *usage =
      "usage: qc-bench [--m LIST] [--n LIST] [--threads LIST] [--reps R]\n"
      "                [--cache-mb MB] [--kernels NAME,NAME,...]\n"
      "Times qc's CPU kernels against OpenBLAS sgemm/sgemv (K = 4096) and\n"
      "prints a table and one 'qc-bench case=...' line per case.\n"
      "  --m LIST        activation rows (default 1,8,32,128)\n"
      "  --n LIST        weight rows: 4096 and/or 14336 (default both)\n"
      "  --threads LIST  thread counts (default 1,2)\n"
      "  --reps R        timed runs per case, after one warm-up (default 7)\n"
      "  --cache-mb MB   weight copies rotated so that MB of cache cannot\n"
      "                  hold them (default 3 x the last-level cache; 0: one\n"
      "                  copy)\n"
      "  --kernels LIST  only these qc kernels (default all)\n"
      "  --rotations 0|1 also time the online Hadamard rotations against a\n"
      "                  dense matmul by the same matrix (default 1)\n"
      "  --tails 0|1     also time the w4a8 kernels with the last 128 input\n"
      "                  channels in an int8 tail against the unsplit ones\n"
      "                  (mixed precision along K; default 1)\n";
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(usage, stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "missing value for %s\n%s", flag.c_str(), usage);
      return 2;
    }
    if (flag == "--m")
      ms = parseList(argv[i + 1]);
    else if (flag == "--n")
      ns = parseList(argv[i + 1]);
    else if (flag == "--threads")
      threadCounts = parseList(argv[i + 1]);
    else if (flag == "--reps")
      reps = std::atoi(argv[i + 1]);
    else if (flag == "--cache-mb")
      cacheMB = std::atoll(argv[i + 1]);
    else if (flag == "--rotations")
      rotations = std::atoi(argv[i + 1]) != 0;
    else if (flag == "--tails")
      tails = std::atoi(argv[i + 1]) != 0;
    else if (flag == "--kernels")
      only = "," + std::string(argv[i + 1]) + ",";
    else {
      std::fprintf(stderr, "unknown flag %s\n%s", flag.c_str(), usage);
      return 2;
    }
  }
  for (int64_t n : ns)
    if (n != 4096 && n != 14336) {
      std::fprintf(stderr, "--n: the kernels are built for N = 4096 and "
                           "14336, not %lld\n",
                   (long long)n);
      return 2;
    }

  std::printf("qc-bench: K=%lld, int4 (int2) weights in groups of %lld with "
              "f16 scales (packed 4.125 (2.125) bits/weight), f32 "
              "activations (quantized to int8 in the kernels named a8); "
              "median of %d runs\n",
              (long long)kK, (long long)kGroup, reps);
  std::vector<std::string> lines;
  // The roofs, probed in this run: what each case's share is of.
  std::map<int64_t, Roofs> roofs;
  bool vnni = hostHasAVX512VNNI();
  std::printf("probes (G ops/s count a multiply-add as 2):\n");
  for (int64_t t : threadCounts) {
    Roofs &r = roofs[t];
    r.streamGBps = streamGBps(int(t), size_t(512) << 20, reps);
    auto [fma, madd] = computePeaks(int(t));
    r.fmaGflops = fma;
    r.maddubsGops = 2 * madd;
    r.dpbusdGops = vnni ? vpdpbusdPeakGops(int(t)) : 0;
    char line[256];
    std::snprintf(line, sizeof(line),
                  "qc-bench threads=%lld stream_gbps=%.1f peak_fma_gflops=%.1f "
                  "peak_maddubs_gops=%.1f peak_vpdpbusd_zmm_gops=%.1f",
                  (long long)t, r.streamGBps, fma, r.maddubsGops,
                  r.dpbusdGops);
    std::printf("  %s\n", line + 9);
    lines.push_back(line);
  }
  printBaseline();

  std::printf("%-20s %5s %6s %7s %8s %12s %12s %10s %10s %7s\n", "kernel", "M",
              "N", "threads", "qc_ms", "openblas_ms", "qc_gflops",
              "weight_GBs", "vs_blas", "roof");
  std::mt19937 rng(7);
  for (int64_t n : ns) {
    // Random bytes for the 4-bit kernels; the 2- and 3-bit ones read the
    // first half / three quarters of the same buffers.
    // (Scales for the smallest block, 32; a kernel reads the first
    // N x K/G of them.)
    int64_t codeBytes = n * kK / 2, numScales = n * (kK / 32);
    auto packedBytes = [&](int bits, bool f32Scales = false,
                           int64_t group = kGroup) {
      return double(n * kK * bits / 8) +
             (f32Scales ? 4.0 : 2.0) * double(n * (kK / group));
    };
    // Enough copies of the packed weight that they do not fit in cache.
    int copies = weightCopies(cacheMB, packedBytes(2));
    std::printf("rotating %d copies of each N = %lld weight (%.0f MB of "
                "2-bit ones, more of wider ones) past %lld MB of cache\n",
                copies, (long long)n, copies * packedBytes(2) / 1048576.0,
                (long long)cacheMB);
    std::vector<std::vector<int8_t>> codes(copies,
                                           std::vector<int8_t>(codeBytes));
    std::vector<std::vector<float>> scalesF32(copies);
    std::vector<std::vector<uint16_t>> scales(
        copies, std::vector<uint16_t>(numScales));
    std::uniform_int_distribution<int> byte(0, 255);
    for (int c = 0; c < copies; ++c) {
      for (auto &b : codes[c])
        b = int8_t(byte(rng));
      for (auto &s : scales[c]) {
        s = uint16_t(0x2000 + byte(rng)); // small positive f16
        scalesF32[c].push_back(halfToFloat(s));
      }
    }
    // f32 weights of each grid (one copy: 64-235 MB, larger than cache);
    // OpenBLAS runs on those of the int4 codes.
    std::vector<QCKernel> qcKernels;
    for (const QCKernel &qk : kernels())
      if ((only.empty() || only.find("," + std::string(qk.name) + ",") !=
                               std::string::npos) &&
          (!qk.vnniOnly || hostHasAVX512VNNI()) &&
          (!qk.lutPlanes || qk.avx2 || hostHasAVX512VBMI()))
        qcKernels.push_back(qk);
    for (const QCKernel &qk : qcKernels)
      if ((qk.vnniOnly || qk.lutPlanes) && qk.f32Scales) {
        std::printf("qc-bench: %s: lane-order scales are f16 here\n",
                    qk.name);
        return 1;
      }
    // 8-bit codes: their own copies (twice the bytes of the 4-bit ones),
    // enough of them to pass the cache too.
    int copies8 = 0;
    std::vector<std::vector<int8_t>> codes8;
    for (const QCKernel &qk : qcKernels)
      if (qk.grid.bits() == 8 && codes8.empty()) {
        copies8 = weightCopies(cacheMB, packedBytes(8));
        codes8.assign(size_t(copies8), std::vector<int8_t>(size_t(n * kK)));
        for (auto &c : codes8)
          for (auto &b : c)
            b = int8_t(byte(rng));
      }
    auto codesOf = [&](const QCKernel &qk) -> std::vector<std::vector<int8_t>> & {
      return qk.grid.bits() == 8 ? codes8 : codes;
    };
    auto copiesOf = [&](const QCKernel &qk) {
      return qk.grid.bits() == 8 ? copies8 : copies;
    };
    // The f32 weights each (grid, block size) stands for.
    auto weightKey = [](const QCKernel &qk) {
      return qk.grid.name() + "/" + std::to_string(qk.group) +
             (qk.readBits ? "/read" + std::to_string(qk.readBits) : "");
    };
    std::map<std::string, std::vector<float>> wfs;
    for (const QCKernel &qk : qcKernels)
      if (!wfs.count(weightKey(qk)))
        wfs[weightKey(qk)] =
            qk.readBits ? dequantizeNested(codesOf(qk)[0], scales[0], n, kK,
                                           qk.grid, qk.readBits, qk.group)
                        : dequantize(codesOf(qk)[0], scales[0], n, kK,
                                     qk.grid, qk.group);
    std::string s4 = mlir::qc::numerics::Grid::signedInt(4).name() + "/" +
                     std::to_string(kGroup);
    if (!wfs.count(s4))
      wfs[s4] = dequantize(codes[0], scales[0], n, kK,
                           mlir::qc::numerics::Grid::signedInt(4));
    const std::vector<float> &wf = wfs.at(s4);
    // OpenBLAS reads its f32 weights rotated through the same cache
    // footprint as qc's (else its M = 1 figures would be cache figures).
    std::vector<std::vector<float>> wfCopies(
        size_t(weightCopies(cacheMB, double(wf.size()) * sizeof(float))), wf);
    // The copies in each tiled layout a kernel reads.
    std::map<std::string, std::vector<std::vector<int8_t>>> tiledCodes;
    auto layoutKey = [](const QCKernel &qk) {
      return std::string(qk.lutPlanes ? "planes/" : "") +
             (qk.topPlane ? "top" + std::to_string(qk.topPlane) + "/"
                          : "") +
             std::to_string(qk.grid.bits()) + "/" +
             std::to_string(qk.tileRows) + "/" + std::to_string(qk.chunkBytes);
    };
    for (const QCKernel &qk : qcKernels) {
      if (qk.tileRows == 1 || tiledCodes.count(layoutKey(qk)))
        continue;
      int64_t rowBytes = kK * int64_t(qk.grid.bits()) / 8;
      auto &set = tiledCodes[layoutKey(qk)];
      for (int c = 0; c < copiesOf(qk); ++c) {
        auto packed = reinterpret_cast<const uint8_t *>(codesOf(qk)[c].data());
        std::vector<uint8_t> tiled =
            qk.topPlane
                ? mlir::qc::numerics::packBitPlanes(
                      mlir::qc::numerics::unpackCodes(packed, n * kK,
                                                      qk.grid.bits()),
                      {int64_t(qk.grid.bits()) - qk.topPlane, qk.topPlane},
                      {n, qk.tileRows, qk.chunkBytes})
            : qk.lutPlanes
                ? mlir::qc::numerics::packBitPlanes(
                      mlir::qc::numerics::unpackCodes(packed, n * kK,
                                                      qk.grid.bits()),
                      std::vector<int64_t>(qk.grid.bits(), 1),
                      {n, qk.tileRows, qk.chunkBytes})
                : mlir::qc::numerics::tileRows(packed, n, rowBytes,
                                               qk.tileRows, qk.chunkBytes);
        set.emplace_back(tiled.begin(), tiled.end());
      }
    }
    // The row-lane and LUT kernels read their f16 scales in lane order
    // (gen_kernels.py), as qc-cpu-repack-weights keeps them: scale (r, g)
    // at ((r / 16) * K/G + g) * 16 + r % 16.
    std::map<int64_t, std::vector<std::vector<uint16_t>>> laneScales;
    for (const QCKernel &qk : qcKernels) {
      if (!(qk.vnniOnly || qk.lutPlanes) || laneScales.count(qk.group))
        continue;
      int64_t ng = kK / qk.group;
      auto &set = laneScales[qk.group];
      for (int c = 0; c < copies; ++c) {
        std::vector<uint16_t> lane(size_t(n * ng));
        for (int64_t r = 0; r < n; ++r)
          for (int64_t g = 0; g < ng; ++g)
            lane[size_t(((r / 16) * ng + g) * 16 + r % 16)] =
                scales[c][size_t(r * ng + g)];
        set.push_back(std::move(lane));
      }
    }
    for (int64_t m : ms) {
      std::vector<float> a(size_t(m) * kK), y(size_t(m) * n);
      std::normal_distribution<float> normal;
      for (float &v : a)
        v = normal(rng);
      // References: OpenBLAS on each grid's f32 weights.
      openblas_set_num_threads(1);
      std::map<std::string, std::vector<float>> yrefs;
      for (auto &[grid, w] : wfs) {
        std::vector<float> &yr = yrefs[grid];
        yr.resize(size_t(m) * n);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(m), int(n),
                    int(kK), 1.0f, a.data(), int(kK), w.data(), int(kK), 0.0f,
                    yr.data(), int(n));
      }
      for (int64_t t : threadCounts) {
        openblas_set_num_threads(int(t));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        double blas = medianSeconds(reps, [&](int i) {
          const float *w = wfCopies[size_t(i) % wfCopies.size()].data();
          if (m == 1)
            cblas_sgemv(CblasRowMajor, CblasNoTrans, int(n), int(kK), 1.0f,
                        w, int(kK), a.data(), 1, 0.0f, y.data(), 1);
          else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(m),
                        int(n), int(kK), 1.0f, a.data(), int(kK), w, int(kK),
                        0.0f, y.data(), int(n));
        });
        for (const QCKernel &qk : qcKernels) {
          Kernel kernel = n == 4096 ? qk.n4096 : qk.n14336;
          omp_set_num_threads(int(t));
          // Idle OpenBLAS and OpenMP worker threads spin for a while after
          // their last job; let them go to sleep so that neither library
          // runs against the other's spinning threads.
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
          auto call = [&](int c) {
            auto am = view2(a.data(), m, kK);
            int8_t *bytes = qk.tileRows == 1
                                ? codesOf(qk)[c].data()
                                : tiledCodes.at(layoutKey(qk))[c].data();
            auto bm = view1(bytes, n * kK * int64_t(qk.grid.bits()) / 8);
            // (f32 scales travel in the same descriptor: the kernel's
            // memref type says how to read them.)
            auto sm = view2(
                qk.vnniOnly || qk.lutPlanes
                    ? laneScales.at(qk.group)[c].data()
                : qk.f32Scales
                    ? reinterpret_cast<uint16_t *>(scalesF32[c].data())
                    : scales[c].data(),
                n, kK / qk.group);
            auto ym = view2(y.data(), m, n);
            kernel(&am, &bm, &sm, &ym);
          };
          // Correctness: copy 0 against OpenBLAS on its dequantization.
          call(0);
          double maxErr = 0, maxRef = 0;
          const std::vector<float> &ref = yrefs.at(weightKey(qk));
          for (size_t i = 0; i < y.size(); ++i) {
            maxErr = std::max(maxErr, double(std::fabs(y[i] - ref[i])));
            maxRef = std::max(maxRef, double(std::fabs(ref[i])));
          }
          if (maxErr > qk.tolerance * maxRef) {
            std::printf("qc-bench: WRONG RESULT %s M=%lld N=%lld: max error "
                        "%g (max |y| %g)\n",
                        qk.name, (long long)m, (long long)n, maxErr, maxRef);
            return 1;
          }
          double qc = medianSeconds(
              reps, [&](int i) { call(i % copiesOf(qk)); });
          double flops = 2.0 * double(m) * double(n) * double(kK);
          double gflops = flops / qc / 1e9,
                 wgbps = packedBytes(qk.readBits ? qk.readBits
                                                 : int(qk.grid.bits()),
                                     qk.f32Scales,
                                     qk.group) /
                         qc / 1e9;
          double ratio = blas / qc;
          // The share of the roof that binds: the stream bandwidth at
          // M = 1, else the int8 (a8 kernels) or f32 FMA peak.
          const Roofs &roof = roofs.at(t);
          bool a8 = std::string(qk.name).find("a8") != std::string::npos;
          double int8 = qk.avx2 ? roof.maddubsGops : roof.int8Gops();
          double share = m == 1 ? wgbps / roof.streamGBps
                                : gflops / (a8 ? int8 : roof.fmaGflops);
          std::printf(
              "%-20s %5lld %6lld %7lld %8.2f %12.2f %12.2f %10.2f %10.3f %6.0f%%\n",
              qk.name, (long long)m, (long long)n, (long long)t, qc * 1e3,
              blas * 1e3, gflops, wgbps, ratio, 100 * share);
          char line[256];
          std::snprintf(line, sizeof(line),
                        "qc-bench case=%s M=%lld K=%lld N=%lld threads=%lld "
                        "gflops=%.3f weight_gbps=%.3f vs_openblas=%.3f "
                        "roof_share=%.3f",
                        qk.name, (long long)m, (long long)kK, (long long)n,
                        (long long)t, gflops, wgbps, ratio, share);
          lines.push_back(line);
        }
      }
    }
  }
  if (tails)
    benchTail(ms, ns, threadCounts, reps, cacheMB, lines);
  if (rotations)
    benchRotations(threadCounts, reps, lines);
  for (const std::string &l : lines)
    std::printf("%s\n", l.c_str());
  return 0;
}
