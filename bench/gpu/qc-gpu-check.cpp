//===- qc-gpu-check.cpp - qc's NVIDIA kernels on a GPU: check and bench ---===//
//
// Runs a W4A16 or W8A8 kernel that qc-nvvm-pipeline compiled to a cubin
// (scripts/gpu-check.sh prepares them) on random data, through qc's own
// CUDA runtime (libqc_cuda_runtime.so: module load, launch, memory), and
//   check: compares every output with a float64 reference computed here
//          from the logical codes (not from the packed bytes), with each
//          kernel's stated tolerance (W4A16: 2^-10 sum |a s c| + 1e-4, the
//          f16 rounding of s * c; W8A8: 2^-22 |ref| + 1e-6, an exact i32
//          sum scaled in f32);
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
  void run(void *stream, std::vector<Descriptor> args, Descriptor y,
           int64_t gx, int64_t gy, int64_t gz) {
    args.push_back(y);
    std::vector<void *> params;
    for (Descriptor &d : args)
      d.push(params);
    mgpuLaunchKernel(function, gx, gy, gz, 128, 1, 1, 0, stream,
                     params.data(), nullptr, params.size());
  }
};

/// W4A16: f16 activations; s4 codes in #qc.mma_fragments order with f16
/// scales per 1 x 128 block. The kernel rounds s * c to f16 (relative
/// 2^-11) and accumulates in f32: tolerance 2^-10 * sum |a s c| + 1e-4.
struct W4A16 : Problem {
  int64_t split = 1;
  W4A16(int64_t n_, int64_t k_, int64_t split_, void *stream) {
    n = n_, k = k_, split = split_;
    int64_t groups = k / 128;
    std::vector<int> codes(size_t(n * k));
    std::vector<uint8_t> nibbles(codes.size());
    for (size_t i = 0; i < codes.size(); ++i) {
      codes[i] = int(rng() % 16) - 8;
      nibbles[i] = uint8_t(codes[i]) & 0xf;
    }
    std::vector<uint8_t> packed =
        mlir::qc::numerics::packMMAFragments(nibbles, n, k, true);
    std::vector<uint16_t> scales(size_t(n * groups));
    for (auto &s : scales)
      s = toHalf((0.5f + float(rng() % 512) / 1024.0f) / 64.0f);
    weight.resize(codes.size());
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < k; ++c)
        weight[size_t(r * k + c)] =
            fromHalf(scales[size_t(r * groups + c / 128)]) *
            codes[size_t(r * k + c)];
    weightBytes = packed.size();
    weightArgs = {vector1(upload(packed.data(), packed.size(), stream),
                          n * k / 8),
                  matrix(upload(scales.data(), scales.size() * 2, stream), n,
                         groups)};
  }
  std::vector<double> activations(int64_t m, void *stream,
                                  std::vector<Descriptor> &args,
                                  std::vector<void *> &buffers) override {
    std::vector<uint16_t> a(size_t(m * k));
    std::vector<double> values(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      a[i] = toHalf(float(int(rng() % 2048) - 1024) / 1024.0f);
      values[i] = fromHalf(a[i]);
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
    run(stream, args, matrix(y, m, n), n / 64, split, (m + 15) / 16);
  }
  double tolerance(double, double mag) const override {
    return std::ldexp(mag, -10) + 1e-4;
  }
};

/// W8A8: s8 activation codes with f32 row scales, s8 weight codes with f32
/// row scales. The i32 sum is exact; converting it to f32 and the two
/// scale products round three times: tolerance 2^-22 |ref| + 1e-6.
struct W8A8 : Problem {
  W8A8(int64_t n_, int64_t k_, void *stream) {
    n = n_, k = k_;
    std::vector<int8_t> codes(size_t(n * k));
    for (auto &c : codes)
      c = int8_t(int(rng() % 255) - 127);
    std::vector<float> scales(static_cast<size_t>(n));
    for (auto &s : scales)
      s = (0.5f + float(rng() % 512) / 1024.0f) / 64.0f;
    weight.resize(codes.size());
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < k; ++c)
        weight[size_t(r * k + c)] = double(scales[size_t(r)]) *
                                    codes[size_t(r * k + c)];
    weightBytes = codes.size();
    weightArgs = {matrix(upload(codes.data(), codes.size(), stream), n, k),
                  vector1(upload(scales.data(), scales.size() * 4, stream),
                          n)};
  }
  std::vector<double> activations(int64_t m, void *stream,
                                  std::vector<Descriptor> &args,
                                  std::vector<void *> &buffers) override {
    std::vector<int8_t> codes(size_t(m * k));
    std::vector<float> scales(static_cast<size_t>(m));
    std::vector<double> values(codes.size());
    for (int64_t r = 0; r < m; ++r) {
      scales[size_t(r)] = float(1 + rng() % 64) / 1024.0f;
      for (int64_t c = 0; c < k; ++c) {
        codes[size_t(r * k + c)] = int8_t(int(rng() % 255) - 127);
        values[size_t(r * k + c)] =
            double(scales[size_t(r)]) * codes[size_t(r * k + c)];
      }
    }
    buffers.push_back(upload(codes.data(), codes.size(), stream));
    args.push_back(matrix(buffers.back(), m, k));
    buffers.push_back(upload(scales.data(), scales.size() * 4, stream));
    args.push_back(vector1(buffers.back(), m));
    return values;
  }
  void launch(void *stream, int64_t m, std::vector<Descriptor> args,
              void *y) override {
    args.insert(args.end(), weightArgs.begin(), weightArgs.end());
    run(stream, args, matrix(y, m, n), n / 64, 1, (m + 63) / 64);
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
  if (w4)
    problem = std::make_unique<W4A16>(n, k, std::atoll(name.c_str() + at + 6),
                                      stream);
  else
    problem = std::make_unique<W8A8>(n, k, stream);
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
      std::snprintf(label, sizeof label, "%s M=%lld N=%lld K=%lld",
                    w4 ? "w4a16" : "w8a8", (long long)m, (long long)n,
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
    std::printf("check %s M=%lld: %lld of %lld outputs outside the tolerance "
                "(worst error %.3f of it)\n",
                name.c_str(), (long long)m, (long long)bad,
                (long long)(m * n), worst);
    failures += bad != 0;
    mgpuMemFree(dy, stream);
    for (void *b : buffers)
      mgpuMemFree(b, stream);
  }
  return failures ? 1 : 0;
}
