//===- PackingTest.cpp - Sub-byte packing ---------------------------------===//

#include "qc/Numerics/Packing.h"

#include <gtest/gtest.h>

#include <random>

using namespace qc::numerics;

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
