//===- PackingTest.cpp - Sub-byte packing ---------------------------------===//

#include "qc/Numerics/Packing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <random>

using namespace mlir::qc::numerics;

namespace {

TEST(Packing, NibblesLowFirst) {
  EXPECT_EQ(packCodes({1, 2, 3, 4, 5}, 4),
            (std::vector<uint8_t>{0x21, 0x43, 0x05}));
}

TEST(Packing, ThreeBitStream) {
  // 001 010 011 -> bits 0-2, 3-5, 6-8: byte0 = 1 | 2<<3 | 3<<6 (low 2 bits).
  EXPECT_EQ(packCodes({1, 2, 3}, 3), (std::vector<uint8_t>{0xD1, 0x00}));
  EXPECT_EQ(packCodes({1, 0, 1, 1, 0, 0, 0, 1, 1}, 1),
            (std::vector<uint8_t>{0x8D, 0x01}));
}

TEST(Packing, RoundTripEveryWidth) {
  std::mt19937 rng(5);
  for (unsigned bits = 1; bits <= 8; ++bits) {
    std::vector<uint8_t> codes(1001);
    for (uint8_t &c : codes)
      c = uint8_t(rng() & ((1u << bits) - 1));
    std::vector<uint8_t> packed = packCodes(codes, bits);
    EXPECT_EQ(int64_t(packed.size()), (1001 * int64_t(bits) + 7) / 8);
    EXPECT_EQ(unpackCodes(packed.data(), 1001, bits), codes) << bits;
  }
}

} // namespace

// Two rows per tile, chunks of 2 bytes, rows of 4 bytes: written out by hand
// (row n holds bytes 4n..4n+3).
TEST(Packing, RowTilesByHand) {
  std::vector<uint8_t> rowMajor(16);
  for (int i = 0; i < 16; ++i)
    rowMajor[i] = uint8_t(i);
  std::vector<uint8_t> expected = {0, 1, 4,  5,  2,  3,  6,  7,
                                   8, 9, 12, 13, 10, 11, 14, 15};
  EXPECT_EQ(tileRows(rowMajor.data(), 4, 4, 2, 2), expected);
}

// Every byte lands exactly once, and tiledByteIndex says where.
TEST(Packing, RowTilesArePermutations) {
  const int64_t numRows = 12, rowBytes = 96;
  std::vector<uint8_t> rowMajor(numRows * rowBytes);
  for (size_t i = 0; i < rowMajor.size(); ++i)
    rowMajor[i] = uint8_t(i * 7 + 3);
  for (int64_t rows : {1, 2, 4, 12})
    for (int64_t chunk : {16, 32, 96}) {
      std::vector<uint8_t> tiled =
          tileRows(rowMajor.data(), numRows, rowBytes, rows, chunk);
      std::vector<int> hits(tiled.size());
      for (int64_t n = 0; n < numRows; ++n)
        for (int64_t i = 0; i < rowBytes; ++i) {
          int64_t at = tiledByteIndex(n, i, rowBytes, rows, chunk);
          ASSERT_LT(at, int64_t(tiled.size()));
          ++hits[at];
          EXPECT_EQ(tiled[at], rowMajor[n * rowBytes + i]);
        }
      for (int h : hits)
        EXPECT_EQ(h, 1);
    }
}

// 3-bit codes as a 2-bit plane and a 1-bit plane, written out by hand:
// codes 0..7 then 7..0 (16 codes): plane 0 holds the low two bits, four
// codes per byte; plane 1 the high bit, eight codes per byte.
TEST(Packing, BitPlanesByHand) {
  std::vector<uint8_t> codes = {0, 1, 2, 3, 4, 5, 6, 7,
                                7, 6, 5, 4, 3, 2, 1, 0};
  // Low fields 0,1,2,3 | 0,1,2,3 | 3,2,1,0 | 3,2,1,0: 0b11100100 = 0xE4
  // and 0b00011011 = 0x1B. High bits 0,0,0,0,1,1,1,1 -> 0xF0 and
  // 1,1,1,1,0,0,0,0 -> 0x0F.
  std::vector<uint8_t> expected = {0xE4, 0xE4, 0x1B, 0x1B, 0xF0, 0x0F};
  EXPECT_EQ(packBitPlanes(codes, {2, 1}), expected);
  EXPECT_EQ(unpackBitPlanes(expected.data(), 16, {2, 1}), codes);
  // Single-bit planes of the same codes: bit 0, bit 1, bit 2.
  std::vector<uint8_t> single = {0xAA, 0x55, 0xCC, 0x33, 0xF0, 0x0F};
  EXPECT_EQ(packBitPlanes(codes, {1, 1, 1}), single);
}

// Every split of 4- and 3-bit codes round-trips, and takes as many bytes
// as the dense stream.
TEST(Packing, BitPlanesRoundTrip) {
  std::vector<uint8_t> codes(256);
  for (size_t i = 0; i < codes.size(); ++i)
    codes[i] = uint8_t((i * 37 + 11) % 16);
  for (std::vector<int64_t> widths :
       {std::vector<int64_t>{2, 2}, {1, 1, 1, 1}, {2, 1, 1}, {1, 2, 1}}) {
    std::vector<uint8_t> planes = packBitPlanes(codes, widths);
    EXPECT_EQ(planes.size(), packCodes(codes, 4).size());
    EXPECT_EQ(unpackBitPlanes(planes.data(), 256, widths), codes);
  }
  std::vector<uint8_t> codes3(codes);
  for (uint8_t &c : codes3)
    c &= 7;
  std::vector<uint8_t> planes = packBitPlanes(codes3, {2, 1});
  EXPECT_EQ(planes.size(), packCodes(codes3, 3).size());
  EXPECT_EQ(unpackBitPlanes(planes.data(), 256, {2, 1}), codes3);
}

// Tiled planes: each plane's row-major stream (K * width / 8 bytes a row)
// reordered so that 16 rows x 2 bytes are contiguous, chunk after chunk.
TEST(Packing, TiledBitPlanesPutEachChunkOfSixteenRowsTogether) {
  const int64_t n = 32, k = 48; // plane rows of 6 bytes: 3 chunks
  std::mt19937 rng(5);
  std::vector<uint8_t> codes(size_t(n * k));
  for (uint8_t &c : codes)
    c = uint8_t(rng() % 8);
  PlaneTiling tile{n, 16, 2};
  std::vector<uint8_t> tiled = packBitPlanes(codes, {1, 2}, tile);
  std::vector<uint8_t> plain = packBitPlanes(codes, {1, 2});
  ASSERT_EQ(tiled.size(), plain.size());
  // Plane 0 (1-bit, 6 bytes a row), then plane 1 (2-bit, 12 bytes a row).
  int64_t base = 0;
  for (int64_t rowBytes : {k / 8, k / 4}) {
    for (int64_t r = 0; r < n; ++r)
      for (int64_t i = 0; i < rowBytes; ++i) {
        int64_t at = ((r / 16) * (rowBytes / 2) + i / 2) * 32 + (r % 16) * 2 +
                     i % 2;
        EXPECT_EQ(tiled[size_t(base + at)], plain[size_t(base + r * rowBytes + i)])
            << "row " << r << " byte " << i;
      }
    base += n * rowBytes;
  }
  EXPECT_EQ(unpackBitPlanes(tiled.data(), n * k, {1, 2}, tile), codes);
}

// The bit-plane algebra the LUT kernels rest on, checked in exact integer
// arithmetic on random codes: for unsigned codes A = sum_j 2^j A_j and
// W = sum_i 2^i W_i, A W^T = sum_i sum_j 2^(i+j) A_j W_i^T.
TEST(Packing, BitPlaneProductsSumToTheProduct) {
  const int m = 5, n = 7, k = 64, bits = 4;
  std::mt19937 rng(11);
  std::vector<int> a(m * k), w(n * k);
  for (int &v : a)
    v = int(rng() % 16);
  for (int &v : w)
    v = int(rng() % 16);
  for (int r = 0; r < m; ++r)
    for (int c = 0; c < n; ++c) {
      int64_t direct = 0, planes = 0;
      for (int t = 0; t < k; ++t)
        direct += int64_t(a[r * k + t]) * w[c * k + t];
      for (int i = 0; i < bits; ++i)
        for (int j = 0; j < bits; ++j) {
          int64_t dot = 0; // A_j . W_i: an AND and a count of bits
          for (int t = 0; t < k; ++t)
            dot += (a[r * k + t] >> j & 1) & (w[c * k + t] >> i & 1);
          planes += (int64_t(1) << (i + j)) * dot;
        }
      EXPECT_EQ(planes, direct);
    }
}

// The LUT kernel's arithmetic (LutDotKernel.h) emulated on every int8
// activation and random weight codes of 1 to 4 bits: activations split as
// a = 16 h + l (l in [0, 15], h in [-8, 7]), tables of 16 patterns per 4
// activations (T_l in [0, 60], T_h in [-32, 28]: int8), each plane's
// lookups weighted by c_p (T_l) and 16 c_p (T_h: at most 128, an unsigned
// byte), the top plane of two's complement codes looked up complemented,
// and the offset times the activations' sum: the exact dot product.
TEST(Packing, LutDecompositionIsExact) {
  std::mt19937 rng(17);
  const int k = 256;
  std::vector<int> a(k);
  for (int t = 0; t < k; ++t)
    a[size_t(t)] = t - 128 + (t == 0); // -127 .. 127 and a repeat
  std::shuffle(a.begin(), a.end(), rng);
  enum Codes { Unsigned, Signed, Binary };
  for (int bits = 1; bits <= 4; ++bits)
    for (Codes kind : {Unsigned, Signed, Binary}) {
      if (kind == Binary && bits != 1)
        continue;
      std::vector<int> codes(k);
      for (int &c : codes)
        c = int(rng() % (1u << bits));
      auto value = [&](int c) {
        if (kind == Binary)
          return 2 * c - 1;
        if (kind == Signed && c >= (1 << (bits - 1)))
          return c - (1 << bits);
        return c;
      };
      int64_t direct = 0, asum = 0;
      for (int t = 0; t < k; ++t) {
        direct += int64_t(value(codes[size_t(t)])) * a[size_t(t)];
        asum += a[size_t(t)];
      }
      int64_t lut = 0;
      for (int g = 0; g < k / 4; ++g) {
        int tl[16], th[16];
        for (int i = 0; i < 16; ++i) {
          tl[i] = th[i] = 0;
          for (int t = 0; t < 4; ++t)
            if (i >> t & 1) {
              int v = a[size_t(4 * g + t)];
              tl[i] += v & 15;
              th[i] += v >> 4; // arithmetic: floor(v / 16)
            }
          ASSERT_GE(tl[i], 0);
          ASSERT_LE(tl[i], 60);
          ASSERT_GE(th[i], -32);
          ASSERT_LE(th[i], 28);
        }
        for (int p = 0; p < bits; ++p) {
          int pattern = 0;
          for (int t = 0; t < 4; ++t)
            pattern |= (codes[size_t(4 * g + t)] >> p & 1) << t;
          if (kind == Signed && p == bits - 1)
            pattern ^= 15;
          int c = kind == Binary ? 2 : 1 << p;
          ASSERT_LE(16 * c, 255);
          lut += int64_t(c) * tl[pattern] + int64_t(16 * c) * th[pattern];
        }
      }
      int offset = kind == Binary ? -1 : kind == Signed ? -(1 << (bits - 1)) : 0;
      EXPECT_EQ(lut + offset * asum, direct) << bits << " bits, kind " << kind;
    }
}

namespace {

/// The value of the f16 with bit pattern `bits` when its exponent field is
/// that of 1024 (0x6400), as the W4A16 kernel's magic-number conversion
/// makes it: 1024 + mantissa (one unit per mantissa step).
double magicHalf(uint32_t bits) {
  EXPECT_EQ(bits & 0xfc00u, 0x6400u);
  return 1024.0 + double(bits & 0x3ffu);
}

/// The value of the bf16 with bit pattern `bits` when its exponent field
/// is that of 128 (0x4300): 128 + mantissa (7 bits, one unit per step).
double magicBF16(uint32_t bits) {
  EXPECT_EQ(bits & 0xff80u, 0x4300u);
  return 128.0 + double(bits & 0x7fu);
}

/// What lane `lane` of a warp holds, after the kernel's conversion, as the
/// two registers of mma.m16n8k16's B operand for rows 8j..8j+7 of the tile
/// (PTX ISA, "Matrix Fragments for mma.m16n8k16": b0, b1 in register 0,
/// b2, b3 in register 1), for a code offset `o` (8 for offset-binary signed
/// codes, the zero point for unsigned ones), on `word` and on word >> 8:
///   f16:  (w & 0x000f000f) | 0x64006400 minus 1024 + o, and
///         (w & 0x00f000f0) | 0x64006400 times 1/16 minus 64 + o;
///   bf16: (w & 0x000f000f) | 0x43004300 and ((w >> 4) & 0x000f000f) |
///         0x43004300, each minus 128 + o.
std::array<double, 4> laneFragment(uint32_t word, int j, bool bf16 = false,
                                   int o = 8) {
  auto lo = [&](uint32_t w, int half) {
    if (bf16) {
      uint32_t v = (w & 0x000f000fu) | 0x43004300u;
      return magicBF16((v >> (16 * half)) & 0xffffu) - (128.0 + o);
    }
    uint32_t v = (w & 0x000f000fu) | 0x64006400u;
    return magicHalf((v >> (16 * half)) & 0xffffu) - (1024.0 + o);
  };
  auto hi = [&](uint32_t w, int half) {
    if (bf16) {
      uint32_t v = ((w >> 4) & 0x000f000fu) | 0x43004300u;
      return magicBF16((v >> (16 * half)) & 0xffffu) - (128.0 + o);
    }
    uint32_t v = (w & 0x00f000f0u) | 0x64006400u;
    return magicHalf((v >> (16 * half)) & 0xffffu) / 16.0 - (64.0 + o);
  };
  if (j == 0)
    return {lo(word, 0), lo(word, 1), lo(word >> 8, 0), lo(word >> 8, 1)};
  return {hi(word, 0), hi(word, 1), hi(word >> 8, 0), hi(word >> 8, 1)};
}

/// Checks every lane's fragments of the packed `bytes` (n x k) against
/// `values` (the codes minus their offset), decoding with `offsetOf(row)`.
void expectLaneFragments(const std::vector<uint8_t> &bytes,
                         const std::vector<int> &values, int64_t n, int64_t k,
                         bool bf16, const std::function<int(int64_t)> &offsetOf) {
  ASSERT_EQ(bytes.size(), size_t(n * k / 2));
  for (int64_t t = 0; t < n / 16; ++t)
    for (int64_t c = 0; c < k / 64; ++c)
      for (int lane = 0; lane < 32; ++lane)
        for (int s = 0; s < 4; ++s) {
          int64_t at = ((t * (k / 64) + c) * 32 + lane) * 16 + s * 4;
          uint32_t word = uint32_t(bytes[at]) | uint32_t(bytes[at + 1]) << 8 |
                          uint32_t(bytes[at + 2]) << 16 |
                          uint32_t(bytes[at + 3]) << 24;
          for (int j = 0; j < 2; ++j) {
            int64_t row = t * 16 + j * 8 + lane / 4;
            std::array<double, 4> b =
                laneFragment(word, j, bf16, offsetOf(row));
            // b_i: column (groupID) lane / 4, row (threadID_in_group) * 2
            // + (i & 1) + 8 * (i >= 2) of the 16 x 8 B tile (k x n).
            for (int i = 0; i < 4; ++i) {
              int64_t col = c * 64 + s * 16 + (lane % 4) * 2 + (i & 1) +
                            8 * (i / 2);
              ASSERT_EQ(b[i], double(values[size_t(row * k + col)]))
                  << "tile " << t << "," << c << " lane " << lane << " step "
                  << s << " j " << j << " b" << i;
            }
          }
        }
}

TEST(Packing, MMAFragmentsGiveEachLaneItsOperand) {
  const int64_t n = 32, k = 128;
  std::mt19937 rng(7);
  std::vector<int> values(size_t(n * k));
  std::vector<uint8_t> codes(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = int(rng() % 16) - 8;
    codes[i] = uint8_t(values[i]) & 0xf;
  }
  expectLaneFragments(packMMAFragments(codes, n, k, true), values, n, k,
                      /*bf16=*/false, [](int64_t) { return 8; });
}

TEST(Packing, MMAFragmentsDecodeWithZeroPointsInF16AndBF16) {
  // u4 codes stored as they are, a zero point per row: the kernel's f16
  // and bf16 decodings (offset o = z) give code - z for every lane.
  const int64_t n = 32, k = 128;
  std::mt19937 rng(11);
  std::vector<int> zero(static_cast<size_t>(n));
  for (int &z : zero)
    z = int(rng() % 16);
  std::vector<int> values(size_t(n * k));
  std::vector<uint8_t> codes(values.size());
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c) {
      codes[size_t(r * k + c)] = uint8_t(rng() % 16);
      values[size_t(r * k + c)] = codes[size_t(r * k + c)] - zero[size_t(r)];
    }
  std::vector<uint8_t> bytes = packMMAFragments(codes, n, k, false);
  auto offsetOf = [&](int64_t row) { return zero[size_t(row)]; };
  expectLaneFragments(bytes, values, n, k, /*bf16=*/false, offsetOf);
  expectLaneFragments(bytes, values, n, k, /*bf16=*/true, offsetOf);
}

TEST(Packing, MMAFragmentsArePermutations) {
  // Every nibble of the stream is written exactly once.
  const int64_t n = 16, k = 64;
  std::vector<bool> seen(size_t(n * k), false);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c) {
      MMAFragmentPosition at = mmaFragmentPosition(r, c, k);
      size_t slot = size_t(at.byte * 2 + at.shift / 4);
      ASSERT_LT(slot, seen.size());
      EXPECT_FALSE(seen[slot]);
      seen[slot] = true;
    }
  // Unsigned codes are stored as they are.
  std::vector<uint8_t> codes(size_t(n * k), 0);
  codes[0] = 5;
  EXPECT_EQ(packMMAFragments(codes, n, k, false)[0], 0x05);
  EXPECT_EQ(packMMAFragments(codes, n, k, true)[0], 0x8d);
}

} // namespace
