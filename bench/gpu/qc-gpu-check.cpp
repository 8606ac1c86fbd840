//===- qc-gpu-check.cpp - qc's NVIDIA kernels on a GPU: check and bench ---===//
//
// Runs a W4A16 kernel that qc-nvvm-pipeline compiled to a cubin
// (scripts/gpu-check.sh prepares them) on random data, through qc's own
// CUDA runtime (libqc_cuda_runtime.so: module load, launch, memory), and
//   check: compares every output with a float64 reference computed here
//          from the logical codes (not from the packed bytes), with the
//          stated tolerance: |y - ref| <= 2^-10 * sum_k |a s c| + 1e-4
//          (the kernel rounds s * c to f16, relative 2^-11, and
//          accumulates in f32);
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

/// The kernel's launch: grid (N/64, split, ceil(M/16)) x 128 threads; the
/// split is in its name (..._split<S>).
struct Kernel {
  void *function;
  int64_t n, k, split;
  void launch(void *stream, void *a, void *w, void *s, void *y, int64_t m) {
    Descriptor da = matrix(a, m, k), dw = vector1(w, n * k / 8),
               ds = matrix(s, n, k / 128), dy = matrix(y, m, n);
    std::vector<void *> params;
    da.push(params);
    dw.push(params);
    ds.push(params);
    dy.push(params);
    mgpuLaunchKernel(function, n / 64, split, (m + 15) / 16, 128, 1, 1, 0,
                     stream, params.data(), nullptr, params.size());
  }
};

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
  Kernel kernel{nullptr, std::atoll(argv[4]), std::atoll(argv[5]), 1};
  size_t at = name.rfind("_split");
  if (at == std::string::npos) {
    std::fprintf(stderr, "qc-gpu-check: %s is not a W4A16 kernel name\n",
                 name.c_str());
    return 2;
  }
  kernel.split = std::atoll(name.c_str() + at + 6);
  const int64_t n = kernel.n, k = kernel.k, groups = k / 128;

  void *stream = mgpuStreamCreate();
  void *module = mgpuModuleLoad(cubin.data(), cubin.size());
  kernel.function = mgpuModuleGetFunction(module, name.c_str());

  // Random logical codes in [-8, 7], scales in [0.5, 1) / 64, activations
  // in [-1, 1), all exact f16 values.
  std::mt19937 rng(42);
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
  void *w = mgpuMemAlloc(packed.size(), stream, false);
  void *s = mgpuMemAlloc(scales.size() * 2, stream, false);
  mgpuMemcpy(w, packed.data(), packed.size(), stream);
  mgpuMemcpy(s, scales.data(), scales.size() * 2, stream);

  CuBLAS cublas;
  bool haveCuBLAS = mode == "bench" && cublas.load(stream);
  // cuBLAS reads the dequantized weight as f16 (N x K).
  void *wHalf = nullptr;
  if (haveCuBLAS) {
    std::vector<uint16_t> dense(codes.size());
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < k; ++c)
        dense[size_t(r * k + c)] =
            toHalf(float(fromHalf(scales[size_t(r * groups + c / 128)]) *
                         codes[size_t(r * k + c)]));
    wHalf = mgpuMemAlloc(dense.size() * 2, stream, false);
    mgpuMemcpy(wHalf, dense.data(), dense.size() * 2, stream);
  }
  void *copyDst = mgpuMemAlloc(packed.size(), stream, false);
  if (mode == "bench") {
    double copy = secondsPerCall(stream, 50, [&] {
      mgpuMemcpy(copyDst, w, packed.size(), stream);
    });
    std::printf("# device copy of the %zu packed weight bytes: %.1f us, "
                "%.0f GB/s (read + write)\n",
                packed.size(), copy * 1e6, 2 * packed.size() / copy / 1e9);
    std::printf("%-34s %10s %10s %10s %12s %12s\n", "kernel", "qc us",
                "cuBLAS us", "x cuBLAS", "weight GB/s", "% of copy");
    for (int i = 6; i < argc; ++i) {
      int64_t m = std::atoll(argv[i]);
      void *a = mgpuMemAlloc(m * k * 2, stream, false);
      void *y = mgpuMemAlloc(m * n * 4, stream, false);
      mgpuMemset32(a, 0x3c003c00u, m * k / 2, stream); // 1.0 halves
      double qc = secondsPerCall(stream, 100, [&] {
        mgpuMemset32(y, 0, m * n, stream);
        kernel.launch(stream, a, w, s, y, m);
      });
      double zero = secondsPerCall(stream, 100, [&] {
        mgpuMemset32(y, 0, m * n, stream);
      });
      qc -= zero; // the y = 0 of the split-K atomics is not the kernel's
      double blas = haveCuBLAS ? secondsPerCall(stream, 100, [&] {
        cublas.run(wHalf, a, y, int(m), int(n), int(k));
      })
                               : 0;
      double bandwidth = packed.size() / qc;
      double copyRead = packed.size() / (copy / 2);
      char label[64];
      std::snprintf(label, sizeof label, "w4a16 M=%lld N=%lld K=%lld",
                    (long long)m, (long long)n, (long long)k);
      if (haveCuBLAS)
        std::printf("%-34s %10.1f %10.1f %10.2f %12.0f %11.0f%%\n", label,
                    qc * 1e6, blas * 1e6, blas / qc, bandwidth / 1e9,
                    100 * bandwidth / copyRead);
      else
        std::printf("%-34s %10.1f %10s %10s %12.0f %11.0f%%\n", label,
                    qc * 1e6, "-", "-", bandwidth / 1e9,
                    100 * bandwidth / copyRead);
      mgpuMemFree(a, stream);
      mgpuMemFree(y, stream);
    }
    return 0;
  }

  int failures = 0;
  for (int i = 6; i < argc; ++i) {
    int64_t m = std::atoll(argv[i]);
    std::vector<uint16_t> a(size_t(m * k));
    for (auto &v : a)
      v = toHalf(float(int(rng() % 2048) - 1024) / 1024.0f);
    void *da = mgpuMemAlloc(a.size() * 2, stream, false);
    void *dy = mgpuMemAlloc(m * n * 4, stream, false);
    mgpuMemcpy(da, a.data(), a.size() * 2, stream);
    mgpuMemset32(dy, 0, m * n, stream);
    kernel.launch(stream, da, w, s, dy, m);
    std::vector<float> y(size_t(m * n));
    mgpuMemcpy(y.data(), dy, y.size() * 4, stream);
    mgpuStreamSynchronize(stream);
    double worst = 0;
    int64_t bad = 0;
    for (int64_t r = 0; r < m; ++r)
      for (int64_t c = 0; c < n; ++c) {
        double ref = 0, mag = 0;
        for (int64_t j = 0; j < k; ++j) {
          double t = fromHalf(a[size_t(r * k + j)]) *
                     fromHalf(scales[size_t(c * groups + j / 128)]) *
                     codes[size_t(c * k + j)];
          ref += t;
          mag += std::fabs(t);
        }
        double err = std::fabs(double(y[size_t(r * n + c)]) - ref);
        double tol = std::ldexp(mag, -10) + 1e-4;
        worst = std::max(worst, err / tol);
        bad += err > tol;
      }
    std::printf("check %s M=%lld: %lld of %lld outputs outside the tolerance "
                "(worst error %.3f of it)\n",
                name.c_str(), (long long)m, (long long)bad,
                (long long)(m * n), worst);
    failures += bad != 0;
    mgpuMemFree(da, stream);
    mgpuMemFree(dy, stream);
  }
  return failures ? 1 : 0;
}
