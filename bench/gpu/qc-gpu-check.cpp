//===- qc-gpu-check.cpp - qc's NVIDIA kernels on a GPU: check and bench ---===//
//
// Runs a W4A16 or W8A8 kernel that qc-nvvm-pipeline compiled to a cubin
// (scripts/gpu-check.sh prepares them) on random data, through qc's own
// CUDA runtime (libqc_cuda_runtime.so: module load, launch, memory), and
//   check: compares every output with a float64 reference computed here
//          from the logical codes (not from the packed bytes), with each
//          kernel's stated tolerance (W4A16: 2^-10 sum |a s (c - z)| + 1e-4,
//          the f16 rounding of s * (c - z), 2^-7 for bf16; W8A8: 2^-22
//          |ref| + 1e-6, an exact i32 sum scaled in f32), and for W8A8 the
//          quantization kernel's codes and row scales bit for bit against
//          the reference's arithmetic done here (amax / 127, x / s rounded
//          half to even);
//   bench: times the kernel for each M, next to cuBLAS FP16 (cublasGemmEx,
//          f16 inputs, f32 accumulation, found with dlopen) and a device
//          memory copy of the packed weight bytes (cuMemcpyDtoD through the
//          runtime), all in the same run, and prints qc-bench style lines:
//          time, weight bandwidth, and the ratios.
// It needs no MLIR and no CUDA headers; it runs only where there is a GPU.
//
// Usage: qc-gpu-check check|bench CUBIN KERNEL N K [M...]
//
//===----------------------------------------------------------------------===//

#include "qc/Numerics/Packing.h"

#include <dlfcn.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

// qc's runtime (lib/Runtime/CUDARuntime.cpp).
extern "C" {
void *mgpuModuleLoad(void *data, size_t size);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gx, intptr_t gy, intptr_t gz,
                      intptr_t bx, intptr_t by, intptr_t bz, int32_t smem,
                      void *stream, void **params, void **extra, size_t count);
void *mgpuStreamCreate();
void mgpuStreamSynchronize(void *stream);
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool hostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream);
void mgpuMemset32(void *dst, unsigned value, size_t count, void *stream);
}

namespace {

/// IEEE binary16 <-> float, by hand (the harness has no CUDA headers).
uint16_t toHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000, mant = x & 0x7fffff;
  int exp = int((x >> 23) & 0xff) - 127 + 15;
  if (exp <= 0)
    return uint16_t(sign); // the harness's values are never subnormal
  if (exp >= 31)
    return uint16_t(sign | 0x7c00);
  uint32_t h = sign | uint32_t(exp) << 10 | mant >> 13;
  uint32_t rest = mant & 0x1fff; // round to nearest even
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1)))
    ++h;
  return uint16_t(h);
}
/// bfloat16 <-> float: the high half of the f32, rounded to nearest even.
uint16_t toBF16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  x += 0x7fff + ((x >> 16) & 1);
  return uint16_t(x >> 16);
}
double fromBF16(uint16_t h) {
  uint32_t x = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}
double fromHalf(uint16_t h) {
  int exp = (h >> 10) & 0x1f;
  double v = exp == 0 ? std::ldexp(double(h & 0x3ff), -24)
                      : std::ldexp(double((h & 0x3ff) | 0x400), exp - 25);
  return (h & 0x8000) ? -v : v;
}

/// A memref descriptor's fields, as the kernel's parameters take them.
struct Descriptor {
  void *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
  int rank;
  void push(std::vector<void *> &params) {
    params.push_back(&allocated);
    params.push_back(&aligned);
    params.push_back(&offset);
    for (int d = 0; d < rank; ++d)
      params.push_back(&sizes[d]);
    for (int d = 0; d < rank; ++d)
      params.push_back(&strides[d]);
  }
};
Descriptor matrix(void *p, int64_t rows, int64_t cols) {
  return {p, p, 0, {rows, cols}, {cols, 1}, 2};
}
Descriptor vector1(void *p, int64_t n) { return {p, p, 0, {n, 0}, {1, 0}, 1}; }

/// cuBLAS, when the machine has it: y = a w^T with f16 inputs, f32 output.
struct CuBLAS {
  void *handle = nullptr;
  int (*gemmEx)(void *, int, int, int, int, int, const void *, const void *,
                int, int, const void *, int, int, const void *, void *, int,
                int, int, int) = nullptr;
  bool load(void *stream) {
    void *lib = dlopen("libcublas.so.13", RTLD_NOW);
    if (!lib)
      lib = dlopen("libcublas.so.12", RTLD_NOW);
    if (!lib)
      lib = dlopen("libcublas.so", RTLD_NOW);
    if (!lib)
      return false;
    auto create = reinterpret_cast<int (*)(void **)>(dlsym(lib, "cublasCreate_v2"));
    auto setStream = reinterpret_cast<int (*)(void *, void *)>(
        dlsym(lib, "cublasSetStream_v2"));
    gemmEx = reinterpret_cast<decltype(gemmEx)>(dlsym(lib, "cublasGemmEx"));
    return create && setStream && gemmEx && create(&handle) == 0 &&
           setStream(handle, stream) == 0;
  }
  /// Column-major: y^T (N x M) = w (N x K, stored K-major: op T) a^T.
  void run(const void *w, const void *a, void *y, int m, int n, int k) {
    const float one = 1, zero = 0;
    enum { OP_N = 0, OP_T = 1, R_16F = 2, R_32F = 0, COMPUTE_32F = 68,
           ALGO_DEFAULT = -1 };
    gemmEx(handle, OP_T, OP_N, n, m, k, &one, w, R_16F, k, a, R_16F, k, &zero,
           y, R_32F, n, COMPUTE_32F, ALGO_DEFAULT);
  }
};

template <typename F> double secondsPerCall(void *stream, int reps, F f) {
  f();
  mgpuStreamSynchronize(stream);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i)
    f();
  mgpuStreamSynchronize(stream);
  auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(t1 - t0).count() / reps;
}

/// One kernel and its problem: the weight (logical values for the
/// reference, its stored form uploaded once), how the activations of M rows
/// are made and passed, the launch.
struct Problem {
  void *function = nullptr;
  int64_t n = 0, k = 0;
  std::mt19937 rng{42};
  /// The weight's dequantized values, N x K (what cuBLAS multiplies).
  std::vector<double> weight;
  /// Bytes of the stored weight (what the kernel streams).
  size_t weightBytes = 0;
  /// Device buffers of the weight's parts, in kernel argument order.
  std::vector<Descriptor> weightArgs;
  virtual ~Problem() = default;
  /// Random activations of `m` rows: their values for the reference
  /// (M x K) and their device parts (appended to `args`, freed by the
  /// caller through `buffers`).
  virtual std::vector<double> activations(int64_t m, void *stream,
                                          std::vector<Descriptor> &args,
                                          std::vector<void *> &buffers) = 0;
  virtual void launch(void *stream, int64_t m, std::vector<Descriptor> args,
                      void *y) = 0;
  /// The allowed error of an output whose exact value is `ref` and whose
  /// terms sum to `mag` in absolute value.
  virtual double tolerance(double ref, double mag) const = 0;

  void *upload(const void *data, size_t bytes, void *stream) {
    void *p = mgpuMemAlloc(bytes, stream, false);
    mgpuMemcpy(p, const_cast<void *>(data), bytes, stream);
    return p;
  }
  /// Launches `kernel` on `args` (then `last`, if it has a buffer) on a
  /// grid of (gx, gy, gz) blocks of 128 threads.
  static void run(void *kernel, void *stream, std::vector<Descriptor> args,
                  Descriptor last, int64_t gx, int64_t gy, int64_t gz) {
    if (last.aligned)
      args.push_back(last);
    std::vector<void *> params;
    for (Descriptor &d : args)
      d.push(params);
    mgpuLaunchKernel(kernel, gx, gy, gz, 128, 1, 1, 0, stream, params.data(),
                     nullptr, params.size());
  }
  /// How many of the intermediate values of the last launch on `m` rows
  /// differ from the reference's (W8A8: the quantization kernel's codes and
  /// scales); 0 when there are none.
  virtual int64_t intermediateMismatches(void *, int64_t) { return 0; }
};

/// W4A16: f16 or bf16 activations (T); 4-bit codes in #qc_nvvm.mma_fragments
/// order with scales in T per 1 x 128 block: s4 (stored offset-binary), u4,
/// or u4 with zero points (the kernel's offsets argument holds z in T). The
/// kernel rounds s * (c - z) to T (relative 2^-11 for f16, 2^-8 for bf16)
/// and accumulates in f32: tolerance 2^-10 (f16) or 2^-7 (bf16) times
/// sum |a s (c - z)|, + 1e-4.
struct W4A16 : Problem {
  int64_t split = 1;
  bool bf16 = false;
  uint16_t toT(float f) const { return bf16 ? toBF16(f) : toHalf(f); }
  double fromT(uint16_t h) const { return bf16 ? fromBF16(h) : fromHalf(h); }
  W4A16(int64_t n_, int64_t k_, int64_t split_, bool bf16_, bool zeroPoints,
        bool unsignedCodes, void *stream) {
    n = n_, k = k_, split = split_, bf16 = bf16_;
    bool signedCodes = !zeroPoints && !unsignedCodes;
    int64_t groups = k / 128;
    std::vector<int> codes(size_t(n * k));
    std::vector<uint8_t> nibbles(codes.size());
    for (size_t i = 0; i < codes.size(); ++i) {
      codes[i] = int(rng() % 16) - (signedCodes ? 8 : 0);
      nibbles[i] = uint8_t(codes[i]) & 0xf;
    }
    std::vector<uint8_t> packed = mlir::qc::numerics::packMMAFragments(
        nibbles, n, k, /*offsetBinary=*/signedCodes);
    std::vector<uint16_t> scales(size_t(n * groups)), offsets;
    std::vector<int> zero(scales.size(), 0);
    for (auto &sc : scales)
      sc = toT((0.5f + float(rng() % 512) / 1024.0f) / 64.0f);
    if (zeroPoints) {
      offsets.resize(scales.size());
      for (size_t i = 0; i < zero.size(); ++i) {
        zero[i] = int(rng() % 16);
        offsets[i] = toT(float(zero[i]));
      }
    }
    weight.resize(codes.size());
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < k; ++c) {
        size_t g = size_t(r * groups + c / 128);
        weight[size_t(r * k + c)] =
            fromT(scales[g]) * (codes[size_t(r * k + c)] - zero[g]);
      }
    weightBytes = packed.size();
    weightArgs = {vector1(upload(packed.data(), packed.size(), stream),
                          n * k / 8),
                  matrix(upload(scales.data(), scales.size() * 2, stream), n,
                         groups)};
    if (zeroPoints)
      weightArgs.push_back(matrix(
          upload(offsets.data(), offsets.size() * 2, stream), n, groups));
  }
  std::vector<double> activations(int64_t m, void *stream,
                                  std::vector<Descriptor> &args,
                                  std::vector<void *> &buffers) override {
    std::vector<uint16_t> a(size_t(m * k));
    std::vector<double> values(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      a[i] = toT(float(int(rng() % 2048) - 1024) / 1024.0f);
      values[i] = fromT(a[i]);
    }
    buffers.push_back(upload(a.data(), a.size() * 2, stream));
    args.push_back(matrix(buffers.back(), m, k));
    return values;
  }
  void launch(void *stream, int64_t m, std::vector<Descriptor> args,
              void *y) override {
    // The split-K blocks add into y: it starts at 0.
    mgpuMemset32(y, 0, m * n, stream);
    args.insert(args.end(), weightArgs.begin(), weightArgs.end());
    run(function, stream, args, matrix(y, m, n), n / 64, split,
        (m + 15) / 16);
  }
  double tolerance(double, double mag) const override {
    return std::ldexp(mag, bf16 ? -7 : -10) + 1e-4;
  }
};

/// W8A8: f32 activations, quantized per row by the quantization kernel
/// (s8 codes, f32 scales: absmax / 127), times s8 weight codes with f32 row
/// scales. The codes and scales must be the reference's bit for bit; the
/// i32 sum is exact; converting it to f32 and the two scale products round
/// three times: tolerance 2^-22 |ref| + 1e-6.
struct W8A8 : Problem {
  void *quantize = nullptr;
  /// The last activations' device codes and scales, and the reference's.
  void *codes = nullptr, *scales = nullptr;
  std::vector<int8_t> refCodes;
  std::vector<float> refScales;
  Descriptor x{};

  W8A8(int64_t n_, int64_t k_, void *quantizeKernel, void *stream) {
    n = n_, k = k_, quantize = quantizeKernel;
    std::vector<int8_t> w(size_t(n * k));
    for (auto &c : w)
      c = int8_t(int(rng() % 255) - 127);
    std::vector<float> ws(static_cast<size_t>(n));
    for (auto &sc : ws)
      sc = (0.5f + float(rng() % 512) / 1024.0f) / 64.0f;
    weight.resize(w.size());
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < k; ++c)
        weight[size_t(r * k + c)] = double(ws[size_t(r)]) * w[size_t(r * k + c)];
    weightBytes = w.size();
    weightArgs = {matrix(upload(w.data(), w.size(), stream), n, k),
                  vector1(upload(ws.data(), ws.size() * 4, stream), n)};
  }
  /// Random f32 activations (rows of different magnitudes, one row of
  /// zeros when there are several), quantized here as the reference does;
  /// the values the product sees are the dequantized codes.
  std::vector<double> activations(int64_t m, void *stream,
                                  std::vector<Descriptor> &args,
                                  std::vector<void *> &buffers) override {
    std::vector<float> a(size_t(m * k));
    refCodes.assign(a.size(), 0);
    refScales.assign(size_t(m), 0.0f);
    std::vector<double> values(a.size());
    for (int64_t r = 0; r < m; ++r) {
      float magnitude = float(1 + rng() % 64) / 16.0f;
      bool zeroRow = m > 1 && r == m / 2;
      float amax = 0;
      for (int64_t c = 0; c < k; ++c) {
        float v = zeroRow ? 0.0f
                          : magnitude * (float(int(rng() % 4097) - 2048) /
                                         2048.0f);
        a[size_t(r * k + c)] = v;
        amax = std::fmax(amax, std::fabs(v));
      }
      float sc = amax / 127.0f;
      refScales[size_t(r)] = sc;
      for (int64_t c = 0; c < k; ++c) {
        float q = sc == 0 ? 0.0f : std::nearbyint(a[size_t(r * k + c)] / sc);
        q = std::fmin(std::fmax(q, -128.0f), 127.0f);
        refCodes[size_t(r * k + c)] = int8_t(q);
        values[size_t(r * k + c)] = double(sc) * q;
      }
    }
    buffers.push_back(upload(a.data(), a.size() * 4, stream));
    x = matrix(buffers.back(), m, k);
    buffers.push_back(mgpuMemAlloc(m * k, stream, false));
    codes = buffers.back();
    buffers.push_back(mgpuMemAlloc(m * 4, stream, false));
    scales = buffers.back();
    args.push_back(matrix(codes, m, k));
    args.push_back(vector1(scales, m));
    return values;
  }
  void launch(void *stream, int64_t m, std::vector<Descriptor> args,
              void *y) override {
    run(quantize, stream, {x, args[0], args[1]}, Descriptor{}, 1, 1,
        (m + 3) / 4);
    args.insert(args.end(), weightArgs.begin(), weightArgs.end());
    run(function, stream, args, matrix(y, m, n), n / 64, 1, (m + 63) / 64);
  }
  int64_t intermediateMismatches(void *stream, int64_t m) override {
    std::vector<int8_t> q(size_t(m * k));
    std::vector<float> sc(static_cast<size_t>(m));
    mgpuMemcpy(q.data(), codes, q.size(), stream);
    mgpuMemcpy(sc.data(), scales, sc.size() * 4, stream);
    mgpuStreamSynchronize(stream);
    int64_t bad = 0;
    for (size_t i = 0; i < q.size(); ++i)
      bad += q[i] != refCodes[i];
    for (size_t i = 0; i < sc.size(); ++i)
      bad += std::memcmp(&sc[i], &refScales[i], 4) != 0;
    return bad;
  }
  double tolerance(double ref, double) const override {
    return std::ldexp(std::fabs(ref), -22) + 1e-6;
  }
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 7) {
    std::fprintf(stderr,
                 "usage: qc-gpu-check check|bench CUBIN KERNEL N K M...\n");
    return 2;
  }
  std::string mode = argv[1];
  std::FILE *f = std::fopen(argv[2], "rb");
  if (!f) {
    std::fprintf(stderr, "qc-gpu-check: cannot open %s\n", argv[2]);
    return 2;
  }
  std::vector<char> cubin;
  char buf[65536];
  for (size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;)
    cubin.insert(cubin.end(), buf, buf + got);
  std::fclose(f);
  std::string name = argv[3];
  const int64_t n = std::atoll(argv[4]), k = std::atoll(argv[5]);
  bool w4 = name.rfind("qc_nvvm_w4a16_", 0) == 0;
  size_t at = name.rfind("_split");
  if (!(w4 && at != std::string::npos) &&
      name.rfind("qc_nvvm_w8a8_", 0) != 0) {
    std::fprintf(stderr, "qc-gpu-check: %s is not a qc_nvvm_w4a16_*_split<S> "
                 "or qc_nvvm_w8a8_* kernel\n", name.c_str());
    return 2;
  }

  void *stream = mgpuStreamCreate();
  void *module = mgpuModuleLoad(cubin.data(), cubin.size());
  std::unique_ptr<Problem> problem;
  auto has = [&](const char *part) {
    return name.find(part) != std::string::npos;
  };
  if (w4) {
    problem = std::make_unique<W4A16>(n, k, std::atoll(name.c_str() + at + 6),
                                      has("_bf16"), has("_zp"), has("_u4"),
                                      stream);
  } else {
    // The activations' quantization kernel the pipeline compiled with the
    // W8A8 kernel (qc.quantize of f32 activations).
    std::string quantize =
        "qc_nvvm_quantize_rows_s8_k" + std::to_string(k) + "_f32";
    problem = std::make_unique<W8A8>(
        n, k, mgpuModuleGetFunction(module, quantize.c_str()), stream);
  }
  problem->function = mgpuModuleGetFunction(module, name.c_str());

  if (mode == "bench") {
    CuBLAS cublas;
    bool haveCuBLAS = cublas.load(stream);
    void *wHalf = nullptr;
    if (haveCuBLAS) {
      std::vector<uint16_t> dense(problem->weight.size());
      for (size_t i = 0; i < dense.size(); ++i)
        dense[i] = toHalf(float(problem->weight[i]));
      wHalf = problem->upload(dense.data(), dense.size() * 2, stream);
    }
    size_t bytes = problem->weightBytes;
    void *copyDst = mgpuMemAlloc(bytes, stream, false);
    void *w0 = problem->weightArgs[0].aligned;
    double copy = secondsPerCall(stream, 50, [&] {
      mgpuMemcpy(copyDst, w0, bytes, stream);
    });
    // The copy moves its bytes twice (read + write) in `copy` seconds.
    double copyBandwidth = 2 * bytes / copy;
    std::printf("# device copy of the %zu weight bytes: %.1f us, %.0f GB/s "
                "(read + write)%s\n",
                bytes, copy * 1e6, copyBandwidth / 1e9,
                haveCuBLAS ? "" : "; no libcublas on this machine");
    std::printf("%-36s %10s %10s %10s %12s %12s\n", "kernel", "qc us",
                "cuBLAS us", "x cuBLAS", "weight GB/s", "% of copy");
    for (int i = 6; i < argc; ++i) {
      int64_t m = std::atoll(argv[i]);
      std::vector<Descriptor> args;
      std::vector<void *> buffers;
      problem->activations(m, stream, args, buffers);
      void *y = mgpuMemAlloc(m * n * 4, stream, false);
      double qc = secondsPerCall(stream, 100, [&] {
        problem->launch(stream, m, args, y);
      });
      // cuBLAS reads f16 activations (their values do not matter here).
      void *aHalf = mgpuMemAlloc(m * k * 2, stream, false);
      mgpuMemset32(aHalf, 0x3c003c00u, m * k / 2, stream);
      double blas = haveCuBLAS ? secondsPerCall(stream, 100, [&] {
        cublas.run(wHalf, aHalf, y, int(m), int(n), int(k));
      })
                               : 0;
      double bandwidth = bytes / qc;
      char label[64], blasText[16] = "-", ratio[16] = "-";
      std::string kind = w4 ? std::string("w4a16") +
                                  (has("_bf16") ? "-bf16" : "") +
                                  (has("_zp") ? "-zp" : "")
                            : "w8a8";
      std::snprintf(label, sizeof label, "%s M=%lld N=%lld K=%lld",
                    kind.c_str(), (long long)m, (long long)n,
                    (long long)k);
      if (haveCuBLAS) {
        std::snprintf(blasText, sizeof blasText, "%.1f", blas * 1e6);
        std::snprintf(ratio, sizeof ratio, "%.2f", blas / qc);
      }
      std::printf("%-36s %10.1f %10s %10s %12.0f %11.0f%%\n", label, qc * 1e6,
                  blasText, ratio, bandwidth / 1e9,
                  100 * bandwidth / copyBandwidth);
      mgpuMemFree(aHalf, stream);
      mgpuMemFree(y, stream);
      for (void *b : buffers)
        mgpuMemFree(b, stream);
    }
    return 0;
  }

  int failures = 0;
  for (int i = 6; i < argc; ++i) {
    int64_t m = std::atoll(argv[i]);
    std::vector<Descriptor> args;
    std::vector<void *> buffers;
    std::vector<double> a = problem->activations(m, stream, args, buffers);
    void *dy = mgpuMemAlloc(m * n * 4, stream, false);
    problem->launch(stream, m, args, dy);
    std::vector<float> y(size_t(m * n));
    mgpuMemcpy(y.data(), dy, y.size() * 4, stream);
    mgpuStreamSynchronize(stream);
    double worst = 0;
    int64_t bad = 0;
    for (int64_t r = 0; r < m; ++r)
      for (int64_t c = 0; c < n; ++c) {
        double ref = 0, mag = 0;
        for (int64_t j = 0; j < k; ++j) {
          double t = a[size_t(r * k + j)] * problem->weight[size_t(c * k + j)];
          ref += t;
          mag += std::fabs(t);
        }
        double err = std::fabs(double(y[size_t(r * n + c)]) - ref);
        double tol = problem->tolerance(ref, mag);
        worst = std::max(worst, err / tol);
        bad += err > tol;
      }
    int64_t mismatches = problem->intermediateMismatches(stream, m);
    std::printf("check %s M=%lld: %lld of %lld outputs outside the tolerance "
                "(worst error %.3f of it)",
                name.c_str(), (long long)m, (long long)bad,
                (long long)(m * n), worst);
    if (!w4)
      std::printf("; %lld activation codes or scales differ from the "
                  "reference's", (long long)mismatches);
    std::printf("\n");
    failures += bad != 0 || mismatches != 0;
    mgpuMemFree(dy, stream);
    for (void *b : buffers)
      mgpuMemFree(b, stream);
  }
  return failures ? 1 : 0;
}
