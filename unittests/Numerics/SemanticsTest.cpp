//===- SemanticsTest.cpp - the rules the op descriptions state ------------===//
//
// Each test checks one sentence of qc.quantize's, !qc.qtensor's or
// #qc.hadamard's description (docs/Dialect.md) against the numerics library,
// with expected values worked out independently (by hand, from IEEE f32
// arithmetic, or from splitmix64's published outputs).
//
//===----------------------------------------------------------------------===//

#include "qc/Numerics/FloatFormat.h"
#include "qc/Numerics/Grid.h"
#include "qc/Numerics/Hadamard.h"
#include "qc/Numerics/Quantizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mlir::qc::numerics;

namespace {

QuantScheme blockScheme(Grid grid, std::vector<int64_t> blocks,
                        ScaleMethod method) {
  QuantScheme s;
  s.grid = std::move(grid);
  s.blockShape = std::move(blocks);
  s.method = method;
  return s;
}

// "A block of zeros gets s = 0 and z = 0" (minmax), codes encode(0).
TEST(QuantizeSemantics, MinMaxOnAZeroBlock) {
  QuantScheme s = blockScheme(Grid::unsignedInt(4), {8}, ScaleMethod::MinMax);
  s.zeroPoint = ZeroPointKind::Int;
  std::vector<float> x(8, 0.0f);
  QuantizedTensor q = quantize(x.data(), {8}, s);
  EXPECT_EQ(q.scales[0], 0.0f);
  EXPECT_EQ(q.zeroPoints[0], 0.0f);
  for (uint8_t c : q.codes)
    EXPECT_EQ(c, s.grid.encode(0.0));
}

// "minifloat grids encode zero, and every small negative value that rounds
// to it, as the +0 code (never -0)": E2M1's +0 is code 0, -0 is code 8.
TEST(QuantizeSemantics, MiniFloatZeroIsPlusZero) {
  Grid e2m1 = Grid::miniFloat(FloatFormat::e2m1());
  EXPECT_EQ(e2m1.encode(0.0), 0u);
  EXPECT_EQ(e2m1.encode(-0.0), 0u);
  EXPECT_EQ(e2m1.encode(-0.2), 0u); // below half of the smallest value 0.5
  EXPECT_EQ(e2m1.encode(-0.25), 0u); // the tie goes to the even code, +0
  EXPECT_EQ(e2m1.encode(-0.3), 9u);  // -0.5
}

// "an infinity becomes the grid's largest or smallest value, NaN becomes
// the code of 0".
TEST(QuantizeSemantics, InfinitiesSaturateAndNaNIsZero) {
  Grid s4 = Grid::signedInt(4);
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(s4.decode(s4.encode(inf)), 7.0);
  EXPECT_EQ(s4.decode(s4.encode(-inf)), -8.0);
  EXPECT_EQ(s4.encode(std::nan("")), s4.encode(0.0));
}

// "m the mean of |x| over the block, summed and divided in float64 and then
// rounded to f32": 2^24 + 1 + 1 + 1 + 1 is exact in float64 but stays 2^24
// when summed in f32, so the two readings give different means.
TEST(QuantizeSemantics, AbsMeanSumsInFloat64) {
  QuantScheme s = blockScheme(Grid::ternary(), {5}, ScaleMethod::AbsMean);
  std::vector<float> x = {16777216.0f, 1.0f, 1.0f, 1.0f, 1.0f};
  QuantizedTensor q = quantize(x.data(), {5}, s);
  EXPECT_EQ(q.scales[0], float((16777216.0 + 4.0) / 5.0)); // 3355444
  float f32Sum = 16777216.0f;
  for (int i = 1; i < 5; ++i)
    f32Sum += 1.0f;
  EXPECT_NE(q.scales[0], f32Sum / 5.0f); // 3355443.25
}

// NVFP4: "o = (amax / 6) / 448 (two f32 divisions)", then
// s = round_E4M3(s* / o) per block of 16.
TEST(QuantizeSemantics, NVFP4OuterScale) {
  QuantScheme s = blockScheme(Grid::miniFloat(FloatFormat::e2m1()), {16},
                              ScaleMethod::AbsMax);
  s.scaleFormat = ValueFormat::floating(FloatFormat::e4m3fn());
  s.outerBlockShape = std::vector<int64_t>{32};
  s.outerScaleFormat = ValueFormat::f32();
  std::vector<float> x(32, 0.1f);
  x[3] = 5.3f;   // block 0's amax
  x[20] = 1.7f;  // block 1's amax
  QuantizedTensor q = quantize(x.data(), {32}, s);
  float o = (5.3f / 6.0f) / 448.0f;
  EXPECT_EQ(q.outerScales[0], o);
  EXPECT_EQ(q.scales[0], float(FloatFormat::e4m3fn().round((5.3f / 6.0f) / o)));
  EXPECT_EQ(q.scales[1], float(FloatFormat::e4m3fn().round((1.7f / 6.0f) / o)));
}

// seed = S: d_i from the splitmix64 finalizer of S + i * gamma. With S = 0,
// d_0 comes from finalizer(0) = 0 (even: +1); d_1, d_2, d_3 from
// splitmix64's first three published outputs for seed 0:
// 0xE220A8397B1DCDAF (odd: -1), 0x6E789E6AA1B965F4 (even: +1),
// 0x06C45D188009454F (odd: -1).
TEST(HadamardSemantics, SeedExpandsBySplitmix64) {
  std::vector<int8_t> d = randomSigns(0, 4);
  EXPECT_EQ(d, (std::vector<int8_t>{1, -1, 1, -1}));
}

} // namespace
