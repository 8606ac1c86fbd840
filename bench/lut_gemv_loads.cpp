// A probe of what binds the 1-bit LUT GEMV from DRAM (Rationale.md, "What
// binds the W1 GEMV"): a standalone intrinsics copy of the kernel's step
// (tiled<16, 4> planes, 4 vpermb tables of 64 bytes per 32 codes, f16
// lane-order scales in blocks of 128), varied in the tiles per step (rc),
// chains, prefetches, where the tables are (tabN: N steps' tables, reused;
// tab1: one, which LLVM hoists out of the loop) and without scale loads
// (nosc). The tab and nosc variants compute wrong results: timing only.
// Weights (and their scales, copy by copy) rotate through 3x the
// last-level cache (at least 512 MB), each call on the next copy, so no
// call finds its weights in cache; best and mean GB/s of 36 runs.
// Not built by CMake (it needs AVX-512 VBMI and VNNI):
//   clang++-22 -O2 -march=native -std=c++17 bench/lut_gemv_loads.cpp \
//     -o /tmp/lut_gemv_loads && /tmp/lut_gemv_loads 4096
#include <immintrin.h>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>
#include <algorithm>

static const int K = 4096;
static int N = 4096;
static const int G = 128;

// weights: tiles of 16 rows, each tile K/8*16 bytes, step q: 64 bytes.
// scales: f16 [tile][block][16]
template <int RC, int PF, int CH = 4, int NTA = 0, int TFIX = 0, int NOSC = 0>
__attribute__((noinline)) void gemv(const uint8_t *w, const uint16_t *sc,
                                    const uint8_t *tab, float *y) {
  const __m512i nib = _mm512_set1_epi32(0x0F0F0F0F);
  const __m512i grp = _mm512_set1_epi32(0x30201000);
  const __m512i mlo = _mm512_set1_epi8(1), mhi = _mm512_set1_epi8(16);
  const size_t tileBytes = size_t(K) / 8 * 16;
  const int blocks = K / G, stepsPerBlock = G / 32;
  for (int n0 = 0; n0 < N; n0 += 16 * RC) {
    __m512 tot[RC];
    for (int c = 0; c < RC; ++c) tot[c] = _mm512_setzero_ps();
    const uint8_t *wt = w + size_t(n0 / 16) * tileBytes;
    for (int cb = 0; cb < blocks; ++cb) {
      __m512i acc[RC][4];
      for (int c = 0; c < RC; ++c)
        for (int j = 0; j < 4; ++j) acc[c][j] = _mm512_setzero_si512();
      for (int qq = 0; qq < stepsPerBlock; ++qq) {
        int q = cb * stepsPerBlock + qq;
        const uint8_t *t = tab + (TFIX ? size_t(q % TFIX) : size_t(q)) * 256;
        __m512i T0 = _mm512_loadu_si512(t), T1 = _mm512_loadu_si512(t + 64),
                T2 = _mm512_loadu_si512(t + 128),
                T3 = _mm512_loadu_si512(t + 192);
        for (int c = 0; c < RC; ++c) {
          const uint8_t *p = wt + c * tileBytes + size_t(q) * 64;
          if (PF) _mm_prefetch((const char *)(p + PF), NTA ? _MM_HINT_NTA : _MM_HINT_T0);
          __m512i raw = _mm512_loadu_si512(p);
          __m512i ia = _mm512_ternarylogic_epi32(raw, nib, grp, 0xEC);
          __m512i ib = _mm512_ternarylogic_epi32(_mm512_srli_epi32(raw, 4),
                                                 nib, grp, 0xEC);
          acc[c][0] = _mm512_dpbusd_epi32(acc[c][0], mlo,
                                          _mm512_permutexvar_epi8(ia, T0));
          acc[c][1 % CH] = _mm512_dpbusd_epi32(acc[c][1 % CH], mhi,
                                          _mm512_permutexvar_epi8(ia, T1));
          acc[c][2 % CH] = _mm512_dpbusd_epi32(acc[c][2 % CH], mlo,
                                          _mm512_permutexvar_epi8(ib, T2));
          acc[c][3 % CH] = _mm512_dpbusd_epi32(acc[c][3 % CH], mhi,
                                          _mm512_permutexvar_epi8(ib, T3));
        }
      }
      for (int c = 0; c < RC; ++c) {
        __m512i d = _mm512_add_epi32(_mm512_add_epi32(acc[c][0], acc[c][1]),
                                     _mm512_add_epi32(acc[c][2], acc[c][3]));
        __m512 s = _mm512_cvtph_ps(_mm256_loadu_si256(
            (const __m256i *)(sc + (NOSC ? 0 : (size_t(n0 / 16 + c) * blocks + cb) * 16))));
        tot[c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(d), s, tot[c]);
      }
    }
    for (int c = 0; c < RC; ++c) _mm512_storeu_ps(y + n0 + 16 * c, tot[c]);
  }
}

// W2 int-dot-like: 128 bytes per step, 8 and + 1 xor + 8 dpbusd (approx).
__attribute__((noinline)) void w2like(const uint8_t *w, const uint16_t *sc,
                                      const uint8_t *act, float *y) {
  const __m512i m3 = _mm512_set1_epi8(3);
  const size_t rowTileBytes = size_t(K) / 4 * 16;  // 16 rows, 2 bits
  const int blocks = K / G;
  for (int n0 = 0; n0 < N; n0 += 16) {
    __m512 tot = _mm512_setzero_ps();
    const uint8_t *wt = w + size_t(n0 / 16) * rowTileBytes;
    for (int cb = 0; cb < blocks; ++cb) {
      __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
      for (int qq = 0; qq < G / 64; ++qq) {
        int q = cb * (G / 64) + qq;
        const uint8_t *p = wt + size_t(q) * 256;
        const uint8_t *a = act + size_t(q) * 64;
        for (int h = 0; h < 2; ++h) {
          __m512i raw = _mm512_loadu_si512(p + 128 * h);
          __m512i raw2 = _mm512_loadu_si512(p + 128 * h + 64);
          raw = _mm512_xor_si512(raw, raw2);
          for (int j = 0; j < 4; ++j) {
            __m512i a4 = _mm512_set1_epi32(((const int *)a)[j + 4 * h]);
            __m512i f = _mm512_and_si512(_mm512_srli_epi32(raw, 2 * j), m3);
            acc0 = _mm512_dpbusd_epi32(acc0, f, a4);
            __m512i f2 = _mm512_and_si512(_mm512_srli_epi32(raw2, 2 * j), m3);
            acc1 = _mm512_dpbusd_epi32(acc1, f2, a4);
          }
        }
      }
      __m512 s = _mm512_cvtph_ps(_mm256_loadu_si256(
          (const __m256i *)(sc + (size_t(n0 / 16) * blocks + cb) * 16)));
      tot = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(acc0, acc1)),
                            s, tot);
    }
    _mm512_storeu_ps(y + n0, tot);
  }
}

__attribute__((noinline)) void readonly(const uint8_t *w, size_t bytes,
                                        float *y) {
  __m512i a0 = _mm512_setzero_si512(), a1 = a0;
  for (size_t i = 0; i < bytes; i += 128) {
    a0 = _mm512_add_epi32(a0, _mm512_loadu_si512(w + i));
    a1 = _mm512_add_epi32(a1, _mm512_loadu_si512(w + i + 64));
  }
  _mm512_storeu_si512(y, _mm512_add_epi32(a0, a1));
}

int main(int argc, char **argv) {
  if (argc > 1) N = atoi(argv[1]);
  int reps = 40;
  size_t w1Bytes = size_t(N) * K / 8, w2Bytes = size_t(N) * K / 4;
  size_t scBytes = size_t(N) * (K / G) * 2;
  // Three times the last-level cache (260 MiB on Emerald Rapids).
  long llc = sysconf(_SC_LEVEL3_CACHE_SIZE);
  const size_t pool = std::max(size_t(512) << 20, 3 * size_t(llc > 0 ? llc : 0));
  int copies1 = pool / w1Bytes, copies2 = pool / w2Bytes;
  std::vector<uint8_t> W(pool + 4096);
  for (size_t i = 0; i < W.size(); ++i) W[i] = uint8_t(i * 2654435761u >> 13);
  // The scales rotate with the weights (copy i's scales beside weight
  // copy i), so they come from DRAM too, as in qc-bench.
  int scCopies = copies1;
  std::vector<uint16_t> S(size_t(N) * (K / G) * scCopies, 0x3c00);
  std::vector<uint8_t> T(size_t(K) * 8 + 4096, 3);
  std::vector<float> Y(N + 64);
  // One cursor for all variants: each call reads the copy after the bytes
  // the previous call read, whichever variant made it.
  size_t cursor = 0, call = 0;
  auto bench = [&](const char *name, auto fn, size_t bytes, int copies) {
    double best = 1e9, sum = 0;
    for (int r = 0; r < reps; ++r, ++call) {
      size_t copyBytes = pool / std::max(copies, 1);
      int copy = int((cursor / copyBytes + 1) % copies);
      cursor = size_t(copy) * copyBytes;
      auto t0 = std::chrono::steady_clock::now();
      fn(copy, copy % scCopies);
      double dt = std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - t0).count();
      if (r >= 4) { sum += dt; if (dt < best) best = dt; }
    }
    double avg = sum / (reps - 4);
    printf("%-22s %7.3f ms  %6.1f GB/s  %6.1f GFLOP/s (avg %6.1f GB/s)\n",
           name, best * 1e3, bytes / best / 1e9, 2.0 * N * K / best / 1e9,
           bytes / avg / 1e9);
  };
  for (int round = 0; round < 2; ++round) {
    bench("read 1-bit bytes", [&](int i, int) { readonly(W.data() + i * w1Bytes, w1Bytes, Y.data()); }, w1Bytes, copies1);
    bench("w2-like int-dot", [&](int i, int j) { w2like(W.data() + i * w2Bytes, S.data() + size_t(j) * N * (K / G), T.data(), Y.data()); }, w2Bytes + scBytes, copies2);
    bench("w1 lut rc=1", [&](int i, int j) { gemv<1, 0>(W.data() + i * w1Bytes, S.data() + size_t(j) * N * (K / G), T.data(), Y.data()); }, w1Bytes + scBytes, copies1);
    bench("w1 lut rc=1 nosc", [&](int i, int j) { gemv<1, 0, 4, 0, 0, 1>(W.data() + i * w1Bytes, S.data() + size_t(j) * N * (K / G), T.data(), Y.data()); }, w1Bytes + scBytes, copies1);
    bench("w1 lut rc=1 nosc tab1", [&](int i, int j) { gemv<1, 0, 4, 0, 1, 1>(W.data() + i * w1Bytes, S.data() + size_t(j) * N * (K / G), T.data(), Y.data()); }, w1Bytes + scBytes, copies1);
    bench("w1 lut rc=2", [&](int i, int j) { gemv<2, 0>(W.data() + i * w1Bytes, S.data() + size_t(j) * N * (K / G), T.data(), Y.data()); }, w1Bytes + scBytes, copies1);
    bench("w1 lut rc=2 nosc", [&](int i, int j) { gemv<2, 0, 4, 0, 0, 1>(W.data() + i * w1Bytes, S.data() + size_t(j) * N * (K / G), T.data(), Y.data()); }, w1Bytes + scBytes, copies1);
    bench("w1 lut rc=4", [&](int i, int j) { gemv<4, 0>(W.data() + i * w1Bytes, S.data() + size_t(j) * N * (K / G), T.data(), Y.data()); }, w1Bytes + scBytes, copies1);
    bench("w1 lut rc=4 nosc", [&](int i, int j) { gemv<4, 0, 4, 0, 0, 1>(W.data() + i * w1Bytes, S.data() + size_t(j) * N * (K / G), T.data(), Y.data()); }, w1Bytes + scBytes, copies1);
  }
  // in cache
  printf("in cache:\n");
  copies1 = 1; copies2 = 1; scCopies = 1;
  bench("w2-like int-dot", [&](int i, int j) { w2like(W.data(), S.data(), T.data(), Y.data()); }, w2Bytes + scBytes, 1);
  bench("w1 lut rc=2", [&](int i, int j) { gemv<2, 0>(W.data(), S.data(), T.data(), Y.data()); }, w1Bytes + scBytes, 1);
  bench("w1 lut rc=4", [&](int i, int j) { gemv<4, 0>(W.data(), S.data(), T.data(), Y.data()); }, w1Bytes + scBytes, 1);
  bench("w1 lut rc=8 ch2", [&](int i, int j) { gemv<8, 0, 2>(W.data(), S.data(), T.data(), Y.data()); }, w1Bytes + scBytes, 1);
  return 0;
}
