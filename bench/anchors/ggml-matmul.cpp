//===- ggml-matmul.cpp - one ggml_mul_mat timed as llama.cpp runs it ------===//
//
// The llama.cpp anchor of bench/anchors.py: Y = X W^T with W an N x K
// weight of a ggml block type, placed in the buffer type llama.cpp gives
// CPU weights (its first extra buffer type that supports the matmul:
// AMX where the CPU has it and ggml was built for it, then CPU_REPACK,
// else the plain CPU buffer), and X an M x K f32 activation, which ggml
// quantizes to its dot type (Q8_0, Q8_K) inside the op as llama.cpp does.
// Built against ggml from llama.cpp's tree (anchors.py builds both); not
// part of qc's build.
//
//   ggml-matmul TYPE N K M[,M...] THREADS REPS COPIES [BUFT]
//
// prints one line per M:
//   ggml type=q4_0 buft=CPU_REPACK N=.. K=.. M=.. threads=.. ms=..
//        gflops=.. max_rel_err=..
//
//===----------------------------------------------------------------------===//

#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml-cpu.h"
#include "ggml.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ggml_type typeByName(const std::string &name) {
  for (int t = 0; t < GGML_TYPE_COUNT; ++t) {
    const char *n = ggml_type_name(ggml_type(t));
    if (n && name == n)
      return ggml_type(t);
  }
  std::fprintf(stderr, "ggml-matmul: unknown type %s\n", name.c_str());
  std::exit(2);
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 8) {
    std::fprintf(stderr, "usage: ggml-matmul TYPE N K M[,M...] THREADS REPS "
                         "COPIES [BUFT]\n");
    return 2;
  }
  ggml_type type = typeByName(argv[1]);
  int64_t n = std::atoll(argv[2]), k = std::atoll(argv[3]);
  std::vector<int64_t> ms;
  {
    std::stringstream ss(argv[4]);
    std::string item;
    while (std::getline(ss, item, ','))
      ms.push_back(std::atoll(item.c_str()));
  }
  int threads = std::atoi(argv[5]), reps = std::atoi(argv[6]);
  int copies = std::max(1, std::atoi(argv[7]));
  std::string wanted = argc > 8 ? argv[8] : "";

  ggml_cpu_init();
  ggml_backend_t backend = ggml_backend_cpu_init();
  ggml_backend_cpu_set_n_threads(backend, threads);
  ggml_backend_dev_t dev = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU);
  ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(dev);
  auto getExtra = (ggml_backend_dev_get_extra_bufts_t)
      ggml_backend_reg_get_proc_address(reg, "ggml_backend_dev_get_extra_bufts");

  // The weight's bytes, quantized once by ggml from random normal values
  // (the same bytes in every copy; the copies only defeat the cache).
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  std::vector<float> wf(size_t(n * k));
  for (float &v : wf)
    v = normal(rng);
  size_t rowBytes = ggml_row_size(type, k);
  std::vector<uint8_t> wq(rowBytes * size_t(n));
  ggml_quantize_chunk(type, wf.data(), wq.data(), 0, n, k, nullptr);
  // Dequantized, for the check.
  std::vector<float> wd(size_t(n * k));
  ggml_get_type_traits(type)->to_float(wq.data(), wd.data(), n * k);

  // The buffer type: llama.cpp's choice for a CPU weight read by a matmul
  // (the first extra buffer type whose device supports the op).
  ggml_backend_buffer_type_t buft = ggml_backend_cpu_buffer_type();
  {
    ggml_init_params p = {ggml_tensor_overhead() * 8, nullptr, true};
    ggml_context *probe = ggml_init(p);
    ggml_tensor *w = ggml_new_tensor_2d(probe, type, k, n);
    ggml_tensor *x = ggml_new_tensor_2d(probe, GGML_TYPE_F32, k, 32);
    ggml_tensor *op = ggml_mul_mat(probe, w, x);
    for (ggml_backend_buffer_type_t *b = getExtra ? getExtra(dev) : nullptr;
         b && *b; ++b) {
      if (!wanted.empty() && wanted != ggml_backend_buft_name(*b))
        continue;
      ggml_backend_buffer_t dummy = ggml_backend_buft_alloc_buffer(*b, 0);
      w->buffer = dummy;
      bool ok = ggml_backend_dev_supports_op(dev, op);
      w->buffer = nullptr;
      ggml_backend_buffer_free(dummy);
      if (ok) {
        buft = *b;
        break;
      }
    }
    ggml_free(probe);
  }

  std::vector<ggml_context *> wctx(static_cast<size_t>(copies));
  std::vector<ggml_tensor *> ws(static_cast<size_t>(copies));
  std::vector<ggml_backend_buffer_t> wbufs(static_cast<size_t>(copies));
  for (int c = 0; c < copies; ++c) {
    ggml_init_params p = {ggml_tensor_overhead() * 2, nullptr, true};
    wctx[c] = ggml_init(p);
    ws[c] = ggml_new_tensor_2d(wctx[c], type, k, n);
    wbufs[c] = ggml_backend_alloc_ctx_tensors_from_buft(wctx[c], buft);
    ggml_backend_buffer_set_usage(wbufs[c], GGML_BACKEND_BUFFER_USAGE_WEIGHTS);
    // (A repacking buffer repacks here, as when llama.cpp loads a model.)
    ggml_backend_tensor_set(ws[c], wq.data(), 0, wq.size());
  }

  for (int64_t m : ms) {
    ggml_init_params p = {ggml_tensor_overhead() * size_t(2 * copies + 8) +
                              ggml_graph_overhead() * size_t(copies),
                          nullptr, true};
    ggml_context *ctx = ggml_init(p);
    ggml_tensor *x = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, k, m);
    std::vector<ggml_tensor *> ys;
    std::vector<ggml_cgraph *> graphs;
    for (int c = 0; c < copies; ++c) {
      ys.push_back(ggml_mul_mat(ctx, ws[c], x));
      graphs.push_back(ggml_new_graph(ctx));
      ggml_build_forward_expand(graphs.back(), ys.back());
    }
    ggml_backend_buffer_t xbuf = ggml_backend_alloc_ctx_tensors(ctx, backend);
    std::vector<float> xf(size_t(m * k));
    for (float &v : xf)
      v = normal(rng);
    ggml_backend_tensor_set(x, xf.data(), 0, xf.size() * sizeof(float));

    // Check copy 0 against the dequantized weight in f64 (ggml quantizes
    // the activations too: a few percent).
    ggml_backend_graph_compute(backend, graphs[0]);
    std::vector<float> y(size_t(m * n));
    ggml_backend_tensor_get(ys[0], y.data(), 0, y.size() * sizeof(float));
    double maxErr = 0, maxRef = 0;
    for (int64_t i = 0; i < std::min<int64_t>(m, 4); ++i)
      for (int64_t j = 0; j < n; j += std::max<int64_t>(1, n / 64)) {
        double r = 0;
        for (int64_t t = 0; t < k; ++t)
          r += double(xf[size_t(i * k + t)]) * double(wd[size_t(j * k + t)]);
        maxErr = std::max(maxErr, std::fabs(r - double(y[size_t(i * n + j)])));
        maxRef = std::max(maxRef, std::fabs(r));
      }

    // Median of `reps` timed batches (a batch lasts at least 2 ms).
    int index = 0;
    auto call = [&] {
      ggml_backend_graph_compute(backend, graphs[size_t(index++ % copies)]);
    };
    double t0 = now();
    call();
    double warm = now() - t0;
    int batch = warm >= 2e-3 ? 1 : int(std::ceil(2e-3 / std::max(warm, 1e-7)));
    std::vector<double> times;
    for (int r = 0; r < reps; ++r) {
      t0 = now();
      for (int b = 0; b < batch; ++b)
        call();
      times.push_back((now() - t0) / batch);
    }
    std::sort(times.begin(), times.end());
    double sec = times[times.size() / 2];
    std::printf("ggml type=%s buft=%s N=%lld K=%lld M=%lld threads=%d "
                "ms=%.4f gflops=%.3f max_rel_err=%.2e\n",
                ggml_type_name(type), ggml_backend_buft_name(buft),
                (long long)n, (long long)k, (long long)m, threads, sec * 1e3,
                2.0 * double(m * n * k) / sec / 1e9, maxErr / maxRef);
    std::fflush(stdout);
    ggml_backend_buffer_free(xbuf);
    ggml_free(ctx);
  }
  for (int c = 0; c < copies; ++c) {
    ggml_backend_buffer_free(wbufs[c]);
    ggml_free(wctx[c]);
  }
  ggml_backend_free(backend);
  return 0;
}
