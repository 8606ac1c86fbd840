//===- PackingTest.cpp - Sub-byte packing ---------------------------------===//

#include "qc/Numerics/Packing.h"

#include <gtest/gtest.h>

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
