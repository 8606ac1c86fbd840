//===- Emitters.cpp - Building blocks of the reference lowering -----------===//

#include "Emitters.h"

#include "qc/Dialect/QC/IR/QCAttributes.h"
#include "qc/Numerics/FloatFormat.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;
namespace num = ::mlir::qc::numerics;

Type lowering::getStorageElementType(Type logical) {
  // Integers (codes, zero points, sub-block scales and mins) are stored as
  // their signless bit patterns; the qtensor type says how to read them.
  if (auto intType = dyn_cast<IntegerType>(logical))
    return IntegerType::get(logical.getContext(), intType.getWidth());
  if (logical.isF32() || logical.isF16() || logical.isBF16())
    return logical;
  return IntegerType::get(logical.getContext(),
                          cast<FloatType>(logical).getWidth());
}

Value lowering::createEmpty(OpBuilder &b, Location loc,
                            ArrayRef<int64_t> shape,
                            GranularityAttrInterface granularity, Value source,
                            Type elementType) {
  // Which source dimension each result dimension follows.
  SmallVector<int64_t> partShape;
  SmallVector<int64_t> sourceDim;
  if (!granularity) {
    partShape.assign(shape.begin(), shape.end());
    for (int64_t d = 0, e = shape.size(); d < e; ++d)
      sourceDim.push_back(d);
  } else if (auto axis = dyn_cast<PerAxisAttr>(granularity)) {
    partShape.push_back(shape[axis.getAxis()]);
    sourceDim.push_back(axis.getAxis());
  } else if (!isa<PerTensorAttr>(granularity)) {
    partShape = granularity.getScaleShape(shape);
    for (int64_t d = 0, e = shape.size(); d < e; ++d)
      sourceDim.push_back(d);
  }
  SmallVector<Value> dynamicSizes;
  for (auto [i, size] : llvm::enumerate(partShape))
    if (ShapedType::isDynamic(size))
      dynamicSizes.push_back(
          tensor::DimOp::create(b, loc, source, sourceDim[i]));
  return tensor::EmptyOp::create(b, loc, partShape, elementType,
                                 dynamicSizes);
}

Value lowering::constF32(OpBuilder &b, Location loc, float v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}

Value lowering::createFilled(OpBuilder &b, Location loc,
                             ArrayRef<int64_t> shape,
                             GranularityAttrInterface granularity,
                             Value source, Type elementType, double value) {
  Value empty = createEmpty(b, loc, shape, granularity, source, elementType);
  TypedAttr attr;
  if (auto f = dyn_cast<FloatType>(elementType))
    attr = b.getFloatAttr(f, value);
  else
    attr = b.getIntegerAttr(elementType, int64_t(value));
  Value cst = arith::ConstantOp::create(b, loc, attr);
  return linalg::FillOp::create(b, loc, cst, empty).getResult(0);
}

Value lowering::floatToF32(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  if (t.isF32())
    return x;
  Type f32 = b.getF32Type();
  if (cast<FloatType>(t).getWidth() < 32)
    return arith::ExtFOp::create(b, loc, f32, x);
  return arith::TruncFOp::create(b, loc, f32, x);
}

Value lowering::f32ToFloat(OpBuilder &b, Location loc, Value x, Type type) {
  if (type.isF32())
    return x;
  if (cast<FloatType>(type).getWidth() > 32)
    return arith::ExtFOp::create(b, loc, type, x);
  return arith::TruncFOp::create(b, loc, type, x);
}

//===----------------------------------------------------------------------===//
// GridTables
//===----------------------------------------------------------------------===//

GridTables::GridTables(OpBuilder &b, Location loc, const num::Grid &grid)
    : bits(grid.bits()) {
  const num::Grid::EncodeTables &t = grid.encodeTables();
  nanCode = t.nanCode;
  uint32_t n = grid.numCodes();
  SmallVector<float> decoded;
  for (uint32_t c = 0; c < n; ++c)
    decoded.push_back(float(grid.decode(c)));
  auto f32Table = RankedTensorType::get({int64_t(n)}, b.getF32Type());
  values = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(f32Table, ArrayRef<float>(decoded)));
  auto thresholdType =
      RankedTensorType::get({int64_t(n - 1)}, b.getF64Type());
  thresholds = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(thresholdType, ArrayRef<double>(t.thresholds)));
  SmallVector<bool> up(t.tieUp.begin(), t.tieUp.end());
  tieUp = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({int64_t(n - 1)}, b.getI1Type()),
          ArrayRef<bool>(up)));
  SmallVector<APInt> codeValues;
  for (uint32_t c : t.codes)
    codeValues.push_back(APInt(bits, c));
  codes = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({int64_t(n)}, b.getIntegerType(bits)),
          codeValues));
}

Value GridTables::decode(OpBuilder &b, Location loc, Value code) const {
  Value index =
      arith::IndexCastUIOp::create(b, loc, b.getIndexType(), code);
  return tensor::ExtractOp::create(b, loc, values, index);
}

Value GridTables::encode(OpBuilder &b, Location loc, Value x) const {
  // rank = #{j : x > t[j] or (x == t[j] and tieUp[j])}, by binary search
  // over the ascending thresholds (compared in f64, exactly as the numerics
  // library compares its double thresholds with an f32 value).
  Value xd = arith::ExtFOp::create(b, loc, b.getF64Type(), x);
  Value rank = arith::ConstantIndexOp::create(b, loc, 0);
  for (uint32_t step = (1u << bits) / 2; step >= 1; step /= 2) {
    Value j = arith::AddIOp::create(
        b, loc, rank, arith::ConstantIndexOp::create(b, loc, step - 1));
    Value t = tensor::ExtractOp::create(b, loc, thresholds, j);
    Value up = tensor::ExtractOp::create(b, loc, tieUp, j);
    Value gt = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, xd, t);
    Value eq = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, xd, t);
    Value goUp = arith::OrIOp::create(
        b, loc, gt, arith::AndIOp::create(b, loc, eq, up));
    Value next = arith::AddIOp::create(
        b, loc, rank, arith::ConstantIndexOp::create(b, loc, step));
    rank = arith::SelectOp::create(b, loc, goUp, next, rank);
  }
  Value code = tensor::ExtractOp::create(b, loc, codes, rank);
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  Value nan = arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(b.getIntegerType(bits), nanCode));
  return arith::SelectOp::create(b, loc, isNan, nan, code);
}

//===----------------------------------------------------------------------===//
// ValueCodec
//===----------------------------------------------------------------------===//

ValueCodec::ValueCodec(OpBuilder &b, Location loc, Type logical)
    : logical(logical), storage(getStorageElementType(logical)) {
  if (const num::FloatFormat *format = FloatGridAttr::getFormat(logical))
    tables.emplace(b, loc, num::Grid::miniFloat(*format));
}

Value lowering::floorLog2(OpBuilder &b, Location loc, Value x) {
  Value bitsOf = arith::BitcastOp::create(
      b, loc, b.getI64Type(), arith::ExtFOp::create(b, loc, b.getF64Type(), x));
  Value exponent = arith::AndIOp::create(
      b, loc,
      arith::ShRUIOp::create(b, loc, bitsOf,
                             arith::ConstantIntOp::create(b, loc, 52, 64)),
      arith::ConstantIntOp::create(b, loc, 0x7FF, 64));
  return arith::SubIOp::create(b, loc, exponent,
                               arith::ConstantIntOp::create(b, loc, 1023, 64));
}

Value lowering::powerOfTwo(OpBuilder &b, Location loc, Value e) {
  Value biased = arith::AddIOp::create(
      b, loc, e, arith::ConstantIntOp::create(b, loc, 1023, 64));
  Value bitsOf = arith::ShLIOp::create(
      b, loc, biased, arith::ConstantIntOp::create(b, loc, 52, 64));
  Value asF64 = arith::BitcastOp::create(b, loc, b.getF64Type(), bitsOf);
  return arith::TruncFOp::create(b, loc, b.getF32Type(), asF64);
}

Value ValueCodec::toF32(OpBuilder &b, Location loc, Value stored) const {
  if (auto intType = dyn_cast<IntegerType>(logical)) {
    if (intType.isUnsigned())
      return arith::UIToFPOp::create(b, loc, b.getF32Type(), stored);
    return arith::SIToFPOp::create(b, loc, b.getF32Type(), stored);
  }
  if (storage == logical)
    return floatToF32(b, loc, stored);
  if (tables)
    return tables->decode(b, loc, stored);
  // f8E8M0FNU: 2^(bits - 127); 0xFF is NaN.
  Value e = arith::SubIOp::create(
      b, loc, arith::ExtUIOp::create(b, loc, b.getI64Type(), stored),
      arith::ConstantIntOp::create(b, loc, 127, 64));
  Value isNan = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, stored,
      arith::ConstantIntOp::create(b, loc, 0xFF, 8));
  Value clamped = arith::MinSIOp::create(
      b, loc, e, arith::ConstantIntOp::create(b, loc, 127, 64));
  return arith::SelectOp::create(
      b, loc, isNan, constF32(b, loc, std::numeric_limits<float>::quiet_NaN()),
      powerOfTwo(b, loc, clamped));
}

Value ValueCodec::fromF32(OpBuilder &b, Location loc, Value x) const {
  if (auto intType = dyn_cast<IntegerType>(logical)) {
    Value wide = arith::FPToSIOp::create(b, loc, b.getI32Type(), x);
    if (intType.getWidth() == 32)
      return wide;
    if (intType.getWidth() > 32)
      return arith::ExtSIOp::create(b, loc, intType, wide);
    return arith::TruncIOp::create(b, loc, intType, wide);
  }
  if (logical.isF32())
    return x;
  if (storage == logical) {
    // f16/bf16: saturate, then round to nearest even (NaN stays NaN).
    double max = (logical.isF16() ? num::FloatFormat::f16()
                                  : num::FloatFormat::bf16())
                     .maxFinite();
    Value clamped = arith::MinimumFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, x, constF32(b, loc, -max)),
        constF32(b, loc, max));
    return arith::TruncFOp::create(b, loc, logical, clamped);
  }
  if (tables)
    return tables->encode(b, loc, x);
  // f8E8M0FNU (power-of-two MX scales): floor(log2 x) + 127.
  Value biased = arith::AddIOp::create(
      b, loc, floorLog2(b, loc, x),
      arith::ConstantIntOp::create(b, loc, 127, 64));
  return arith::TruncIOp::create(b, loc, b.getI8Type(), biased);
}

ValueRange lowering::buildGeneric(OpBuilder &b, Location loc,
                                  ValueRange inputs, ValueRange outputs,
                                  ArrayRef<AffineMap> maps,
                                  ArrayRef<utils::IteratorType> iterators,
                                  BodyFn body) {
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange(outputs), inputs, outputs, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
      });
  return op.getResults();
}

Value lowering::convertElements(OpBuilder &b, Location loc, Value x,
                                Type elementType) {
  auto t = cast<RankedTensorType>(x.getType());
  if (t.getElementType() == elementType)
    return x;
  Value init = createEmpty(b, loc, t.getShape(), {}, x, elementType);
  AffineMap id = AffineMap::getMultiDimIdentityMap(t.getRank(), b.getContext());
  return buildGeneric(
      b, loc, {x}, {init}, {id, id},
      SmallVector<utils::IteratorType>(t.getRank(),
                                       utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        return SmallVector<Value>{
            f32ToFloat(nb, nloc, floatToF32(nb, nloc, args[0]), elementType)};
      })[0];
}
