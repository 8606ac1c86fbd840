//===- QuantizedTensorTypeTest.cpp - !qc.qtensor construction -------------===//
//
// Construction, uniquing, verification diagnostics and derived part types of
// the quantized tensor type, through the C++ API (the lit tests cover the
// textual syntax).
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::qc;

namespace {

class QuantizedTensorTypeTest : public ::testing::Test {
protected:
  QuantizedTensorTypeTest() { ctx.loadDialect<QCDialect>(); }

  IntGridAttr int4() { return IntGridAttr::get(&ctx, 4, true, false); }
  PerBlockAttr groups(int64_t k) {
    return PerBlockAttr::get(&ctx, ArrayRef<int64_t>{1, k});
  }

  /// Builds with getChecked and returns the diagnostic text ("" if valid).
  std::string diagnose(ArrayRef<int64_t> shape, GridAttrInterface grid,
                       GranularityAttrInterface gran, Type scaleType,
                       Type zpType = {}, GranularityAttrInterface outer = {},
                       Type outerType = {}) {
    std::string message;
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      message = diag.str();
      return success();
    });
    auto type = QuantizedTensorType::getChecked(
        [&] { return emitError(UnknownLoc::get(&ctx)); }, &ctx, shape, grid,
        gran, scaleType, zpType, outer, outerType);
    EXPECT_EQ(bool(type), message.empty());
    return message;
  }

  MLIRContext ctx;
  Builder b{&ctx};
};

TEST_F(QuantizedTensorTypeTest, UniquedByAllParameters) {
  auto a = QuantizedTensorType::get(&ctx, {64, 256}, int4(), groups(128),
                                    b.getF16Type());
  auto same = QuantizedTensorType::get(&ctx, {64, 256}, int4(), groups(128),
                                       b.getF16Type());
  EXPECT_EQ(a, same);
  EXPECT_NE(a, QuantizedTensorType::get(&ctx, {64, 256}, int4(), groups(64),
                                        b.getF16Type()));
  EXPECT_NE(a, QuantizedTensorType::get(&ctx, {64, 256}, int4(), groups(128),
                                        b.getF32Type()));
  EXPECT_NE(a, QuantizedTensorType::get(&ctx, {64, 256}, int4(), groups(128),
                                        b.getF16Type(), b.getI8Type()));
  EXPECT_NE(a, QuantizedTensorType::get(
                   &ctx, {64, 256}, IntGridAttr::get(&ctx, 4, false, false),
                   groups(128), b.getF16Type()));
  EXPECT_EQ(a.cloneWithShape({64, 256}), a);
}

TEST_F(QuantizedTensorTypeTest, PartTypesFollowGranularity) {
  auto t = QuantizedTensorType::get(&ctx, {64, 256}, int4(), groups(128),
                                    b.getF16Type(), b.getI8Type());
  EXPECT_EQ(t.getCodeType(), b.getIntegerType(4));
  EXPECT_EQ(t.getCodesTensorType(),
            RankedTensorType::get({64, 256}, b.getIntegerType(4)));
  // 256 / 128 = 2 groups per row.
  EXPECT_EQ(t.getScalesTensorType(),
            RankedTensorType::get({64, 2}, b.getF16Type()));
  EXPECT_EQ(t.getZeroPointsTensorType(),
            RankedTensorType::get({64, 2}, b.getI8Type()));
  EXPECT_FALSE(t.getOuterScalesTensorType());

  auto perRow = QuantizedTensorType::get(
      &ctx, {ShapedType::kDynamic, 96}, IntGridAttr::get(&ctx, 8, true, false),
      PerAxisAttr::get(&ctx, 0), b.getF32Type());
  EXPECT_EQ(perRow.getScalesTensorType(),
            RankedTensorType::get({ShapedType::kDynamic}, b.getF32Type()));
  EXPECT_FALSE(perRow.hasStaticShape());

  // NVFP4: E2M1 codes (4 bits), E4M3 scales per 16, one f32 outer scale.
  auto nvfp4 = QuantizedTensorType::get(
      &ctx, {8, 64}, FloatGridAttr::get(&ctx, b.getType<Float4E2M1FNType>()),
      PerBlockAttr::get(&ctx, ArrayRef<int64_t>{1, 16}),
      b.getType<Float8E4M3FNType>(), Type(), PerTensorAttr::get(&ctx),
      b.getF32Type());
  EXPECT_EQ(nvfp4.getCodeType(), b.getIntegerType(4));
  EXPECT_EQ(nvfp4.getScalesTensorType().getShape(),
            ArrayRef<int64_t>({8, 4}));
  EXPECT_EQ(nvfp4.getOuterScalesTensorType(),
            RankedTensorType::get({}, b.getF32Type()));
}

TEST_F(QuantizedTensorTypeTest, CodeWidthsOfEveryGridFamily) {
  EXPECT_EQ(NF4GridAttr::get(&ctx).getCodeBits(), 4u);
  EXPECT_EQ(TernaryGridAttr::get(&ctx).getCodeBits(), 2u);
  EXPECT_EQ(BinaryGridAttr::get(&ctx).getCodeBits(), 1u);
  EXPECT_EQ(IntGridAttr::get(&ctx, 3, false, false).getCodeBits(), 3u);
  EXPECT_EQ(FloatGridAttr::get(&ctx, b.getType<Float8E5M2Type>())
                .getCodeBits(),
            8u);
  auto cb = CodebookGridAttr::get(
      &ctx, DenseF64ArrayAttr::get(&ctx, {-1.0, -0.25, 0.25, 1.0}));
  EXPECT_EQ(cb.getCodeBits(), 2u);
}

TEST_F(QuantizedTensorTypeTest, VerifierDiagnostics) {
  EXPECT_EQ(diagnose({64, 256}, int4(), groups(128), b.getF16Type()), "");
  EXPECT_NE(diagnose({64, 100}, int4(), groups(128), b.getF16Type())
                .find("does not divide"),
            std::string::npos);
  EXPECT_NE(diagnose({}, int4(), groups(128), b.getF16Type()).find("rank"),
            std::string::npos);
  EXPECT_NE(diagnose({64, 256}, int4(), groups(128), b.getI32Type())
                .find("integer scales must say their signedness"),
            std::string::npos);
  EXPECT_NE(diagnose({64, 256}, int4(), groups(128), b.getF64Type())
                .find("scale type must be one of"),
            std::string::npos);
  // Integer sub-block scales need the outer level that gives them a unit.
  EXPECT_NE(diagnose({64, 256}, int4(), groups(128),
                     IntegerType::get(&ctx, 6, IntegerType::Unsigned))
                .find("they need an outer level"),
            std::string::npos);
  EXPECT_NE(diagnose({64, 256}, NF4GridAttr::get(&ctx), groups(128),
                     b.getF16Type(), b.getI8Type())
                .find("integer zero points need an integer grid"),
            std::string::npos);
  EXPECT_NE(diagnose({64, 256}, int4(), groups(32),
                     b.getType<Float8E8M0FNUType>(), b.getI8Type())
                .find("symmetric"),
            std::string::npos);
  // Only reachable through the C++ API: the parser always gives both.
  EXPECT_NE(diagnose({8, 64}, GridAttrInterface(), groups(32), b.getF16Type())
                .find("needs a grid and a granularity"),
            std::string::npos);
  EXPECT_NE(diagnose({8, 64}, int4(), groups(32), b.getF16Type(), Type(),
                     PerTensorAttr::get(&ctx), Type())
                .find("outer scales need both a granularity and a type"),
            std::string::npos);
  // Outer blocks of 16 cannot contain inner blocks of 32.
  EXPECT_NE(diagnose({8, 64}, int4(), groups(32), b.getF16Type(), Type(),
                     groups(16), b.getF32Type())
                .find("coarser"),
            std::string::npos);
}

TEST_F(QuantizedTensorTypeTest, NumericsSchemeMirrorsType) {
  auto t = QuantizedTensorType::get(
      &ctx, {64, 256}, IntGridAttr::get(&ctx, 4, false, false), groups(128),
      b.getF16Type(), b.getI8Type());
  auto scheme = getNumericsScheme(t, ScaleMethod::minmax);
  ASSERT_TRUE(scheme.has_value());
  EXPECT_EQ(scheme->blockShape, (std::vector<int64_t>{1, 128}));
  EXPECT_EQ(scheme->grid.bits(), 4u);
  EXPECT_EQ(scheme->zeroPoint, ::mlir::qc::numerics::ZeroPointKind::Int);
  EXPECT_EQ(scheme->method, ::mlir::qc::numerics::ScaleMethod::MinMax);
  EXPECT_FALSE(scheme->outerBlockShape.has_value());
  // Dynamic shapes have no static scheme.
  EXPECT_FALSE(getNumericsScheme(t.cloneWithShape({ShapedType::kDynamic, 256}),
                                 ScaleMethod::minmax)
                   .has_value());
}

TEST_F(QuantizedTensorTypeTest, ClonesKeepEveryOtherParameter) {
  auto u3 = IntGridAttr::get(&ctx, 3, false, false);
  auto planes = BitPlanesAttr::get(&ctx, {2, 1});
  auto rotation = HadamardAttr::getForSize(&ctx, 256, /*seed=*/3);
  ASSERT_TRUE(rotation);
  auto full = QuantizedTensorType::get(
      &ctx, {64, 256}, u3, groups(128), b.getF16Type(), b.getI8Type(),
      PerTensorAttr::get(&ctx), b.getF32Type(), planes, rotation, 1);
  auto expectSameBut = [&](QuantizedTensorType t, ArrayRef<int64_t> shape,
                           Attribute layout, Attribute rot) {
    EXPECT_EQ(t.getShape(), shape);
    EXPECT_EQ(t.getGrid(), full.getGrid());
    EXPECT_EQ(t.getGranularity(), full.getGranularity());
    EXPECT_EQ(t.getScaleType(), full.getScaleType());
    EXPECT_EQ(t.getZeroPointType(), full.getZeroPointType());
    EXPECT_EQ(t.getOuterGranularity(), full.getOuterGranularity());
    EXPECT_EQ(t.getOuterScaleType(), full.getOuterScaleType());
    EXPECT_EQ(t.getLayout(), layout);
    EXPECT_EQ(Attribute(t.getRotation()), rot);
    EXPECT_EQ(t.getRotationAxis(),
              rot ? std::optional<int64_t>(1) : std::nullopt);
  };
  expectSameBut(full.cloneWithShape({128, 256}), {128, 256}, planes, rotation);
  expectSameBut(full.cloneWithLayout({}), {64, 256}, {}, rotation);
  expectSameBut(full.cloneWithoutRotation(), {64, 256}, planes, {});
  // A clone of a clone back to the original shape is the original.
  EXPECT_EQ(full.cloneWithShape({128, 256}).cloneWithShape({64, 256}), full);
}

TEST_F(QuantizedTensorTypeTest, LayoutsVerifyThemselvesAgainstTheType) {
  // Both layouts are LayoutAttrInterface; each checks the type it is in.
  LayoutAttrInterface tiled = TiledLayoutAttr::get(&ctx, 4, 32);
  LayoutAttrInterface planes = BitPlanesAttr::get(&ctx, {2, 1});
  std::string message;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  auto emit = [&] { return emitError(UnknownLoc::get(&ctx)); };
  EXPECT_TRUE(succeeded(tiled.verifyForType(emit, {8, 256}, int4())));
  EXPECT_TRUE(failed(tiled.verifyForType(emit, {6, 256}, int4())));
  EXPECT_NE(message.find("rows = 4 does not divide the 6 rows"),
            std::string::npos)
      << message;
  EXPECT_TRUE(failed(planes.verifyForType(emit, {8, 256}, int4())));
  EXPECT_NE(message.find("has 3 bits in all"), std::string::npos) << message;
}

TEST_F(QuantizedTensorTypeTest, HadamardBaseAndSeedAreTyped) {
  HadamardAttr h = HadamardAttr::getForSize(&ctx, 3072, /*seed=*/-1);
  ASSERT_TRUE(h);
  EXPECT_EQ(h.getBase(), ::mlir::qc::numerics::HadamardBase::Paley1);
  EXPECT_EQ(h.getQ(), 11);
  EXPECT_FALSE(h.getSeed().has_value());
  HadamardAttr seeded = HadamardAttr::getForSize(&ctx, 4096, /*seed=*/0);
  ASSERT_TRUE(seeded);
  EXPECT_EQ(seeded.getBase(), ::mlir::qc::numerics::HadamardBase::None);
  // Seed 0 is a seed (the old encoding needed a separate flag for it).
  ASSERT_TRUE(seeded.getSeed().has_value());
  EXPECT_EQ(*seeded.getSeed(), 0u);
  EXPECT_FALSE(seeded.isSymmetric());
}

} // namespace

