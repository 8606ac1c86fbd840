//===- QCToLinalg.cpp - Reference lowering of qc to linalg ----------------===//
//
// Every qc op becomes linalg.generic ops over tensors that compute exactly
// what the op descriptions say, mirroring lib/Numerics/Quantizer.cpp
// operation for operation (f32 arithmetic, f64 error sums, the same order of
// accumulation: row-major within each block).
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/QCToLinalg/QCToLinalg.h"
#include "qc/Utils/ConstantUtils.h"
#include "qc/Conversion/Passes.h"

#include "Emitters.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Numerics/Packing.h"
#include "qc/Numerics/Quantizer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir::qc {
#define GEN_PASS_DEF_CONVERTQCTOLINALG
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;
namespace num = ::mlir::qc::numerics;

//===----------------------------------------------------------------------===//
// Type conversion
//===----------------------------------------------------------------------===//

static RankedTensorType toStorage(RankedTensorType type) {
  if (!type)
    return type;
  return RankedTensorType::get(type.getShape(),
                               getStorageElementType(type.getElementType()));
}

QCToLinalgTypeConverter::QCToLinalgTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](QuantizedTensorType type, SmallVectorImpl<Type> &results) {
    for (RankedTensorType part : type.getPartTensorTypes())
      results.push_back(toStorage(part));
    return success();
  });
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

using utils::IteratorType;

/// The lowered parts of one quantized tensor, in storage types.
struct Parts {
  Value codes, scales, zeroPoints, outerScales, mins, outerMins;

  static Parts fromRange(ValueRange values, QuantizedTensorType type) {
    Parts p;
    p.codes = values[0];
    p.scales = values[1];
    unsigned i = 2;
    if (type.hasZeroPoints())
      p.zeroPoints = values[i++];
    if (type.hasOuterScales())
      p.outerScales = values[i++];
    if (type.hasMins())
      p.mins = values[i++];
    if (type.hasOuterMins())
      p.outerMins = values[i++];
    return p;
  }
  SmallVector<Value> toVector() const {
    SmallVector<Value> v = {codes, scales};
    for (Value part : {zeroPoints, outerScales, mins, outerMins})
      if (part)
        v.push_back(part);
    return v;
  }
};

/// Iterator types of an element-space loop nest that accumulates into a
/// tensor indexed by `map`: dimensions `map` does not read are reductions.
SmallVector<IteratorType> iteratorsFor(AffineMap map) {
  SmallVector<IteratorType> iters(map.getNumDims(), IteratorType::reduction);
  for (AffineExpr e : map.getResults())
    if (auto dim = dyn_cast<AffineDimExpr>(e))
      iters[dim.getPosition()] = IteratorType::parallel;
  return iters;
}

/// Everything needed to lower ops on values of one quantized tensor type.
class QTensorLowering {
public:
  /// Quantization truncates toward zero (qc.quantize rounding<toward_zero>)
  /// instead of rounding half to even.
  bool towardZero = false;

  QTensorLowering(OpBuilder &b, Location loc, QuantizedTensorType type)
      : type(type), grid(type.getGrid().getNumericsGrid()),
        gridTables(b, loc, grid), scaleCodec(b, loc, type.getScaleType()) {
    MLIRContext *ctx = b.getContext();
    shape.assign(type.getShape().begin(), type.getShape().end());
    rank = shape.size();
    identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    scaleMap = getScaleIndexMap(type.getGranularity(), shape, ctx);
    if (Type zp = type.getZeroPointType())
      zpCodec.emplace(b, loc, zp);
    if (type.hasOuterScales()) {
      outerCodec.emplace(b, loc, type.getOuterScaleType());
      outerMap = getScaleIndexMap(type.getOuterGranularity(), shape, ctx);
    }
    if (type.hasMins())
      minCodec.emplace(b, loc, type.getMinType());
    if (type.hasOuterMins())
      outerMinCodec.emplace(b, loc, type.getOuterMinType());
  }

  /// x = (s * o) * (decode(q) - z) - m * mo, converted to `resultType`'s
  /// elements.
  Value dequantize(OpBuilder &b, Location loc, const Parts &parts,
                   Type elementType) {
    SmallVector<Value> inputs = {parts.codes, parts.scales};
    SmallVector<AffineMap> maps = {identity, scaleMap};
    if (parts.zeroPoints) {
      inputs.push_back(parts.zeroPoints);
      maps.push_back(scaleMap);
    }
    if (parts.outerScales) {
      inputs.push_back(parts.outerScales);
      maps.push_back(outerMap);
    }
    if (parts.mins) {
      inputs.push_back(parts.mins);
      maps.push_back(scaleMap);
    }
    if (parts.outerMins) {
      inputs.push_back(parts.outerMins);
      maps.push_back(outerMap);
    }
    maps.push_back(identity);
    Value init = createEmpty(b, loc, shape, {}, parts.codes, elementType);
    return buildGeneric(
        b, loc, inputs, init, maps, allParallel(),
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          unsigned i = 2;
          Value s = scaleCodec.toF32(nb, nloc, args[1]);
          Value z = constF32(nb, nloc, 0.0f);
          if (parts.zeroPoints)
            z = zpCodec->toF32(nb, nloc, args[i++]);
          if (parts.outerScales)
            s = arith::MulFOp::create(nb, nloc, s,
                                      outerCodec->toF32(nb, nloc, args[i++]));
          Value q = gridTables.decode(nb, nloc, args[0]);
          Value x = arith::MulFOp::create(
              nb, nloc, s, arith::SubFOp::create(nb, nloc, q, z));
          if (parts.mins) {
            Value m = minCodec->toF32(nb, nloc, args[i++]);
            if (parts.outerMins)
              m = arith::MulFOp::create(
                  nb, nloc, m, outerMinCodec->toF32(nb, nloc, args[i++]));
            x = arith::SubFOp::create(nb, nloc, x, m);
          }
          return SmallVector<Value>{f32ToFloat(nb, nloc, x, elementType)};
        })[0];
  }

  /// Codes of `x` under f32 scales `scale` (effective, or inner with
  /// `outer`), zero points `zp` (f32 values, may be null), each indexed by
  /// the type's maps: q = encode(s == 0 ? z : x / s + z).
  Value encode(OpBuilder &b, Location loc, Value x, Value scale, Value zp,
               Value outer, bool scalesStored) {
    SmallVector<Value> inputs = {x, scale};
    SmallVector<AffineMap> maps = {identity, scaleMap};
    if (zp) {
      inputs.push_back(zp);
      maps.push_back(scaleMap);
    }
    if (outer) {
      inputs.push_back(outer);
      maps.push_back(outerMap);
    }
    maps.push_back(identity);
    Value init = createEmpty(b, loc, shape, {}, x, type.getCodeType());
    return buildGeneric(
        b, loc, inputs, init, maps, allParallel(),
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          unsigned i = 2;
          Value s = scalesStored ? scaleCodec.toF32(nb, nloc, args[1])
                                 : args[1];
          Value z = constF32(nb, nloc, 0.0f);
          if (zp)
            z = scalesStored ? zpCodec->toF32(nb, nloc, args[i++])
                             : args[i++];
          if (outer) {
            Value o = scalesStored ? outerCodec->toF32(nb, nloc, args[i++])
                                   : args[i++];
            s = arith::MulFOp::create(nb, nloc, s, o);
          }
          Value v =
              scaledValue(nb, nloc, floatToF32(nb, nloc, args[0]), s, z);
          // rounding<toward_zero>: an integer value then encodes exactly
          // (saturating), as quant.qcast's fptosi and clamp do in range.
          if (towardZero)
            v = math::TruncOp::create(nb, nloc, v);
          Value code = gridTables.encode(nb, nloc, v);
          return SmallVector<Value>{code};
        })[0];
  }

  /// Quantize with scales computed from the data by `method`.
  Parts quantizeComputed(OpBuilder &b, Location loc, Value x,
                         ScaleMethod method);

  /// f32 part tensor -> storage, elementwise over the part's own shape.
  Value toStorage(OpBuilder &b, Location loc, Value f32Part,
                  const ValueCodec &codec) {
    auto partType = cast<RankedTensorType>(f32Part.getType());
    AffineMap id =
        AffineMap::getMultiDimIdentityMap(partType.getRank(), b.getContext());
    SmallVector<Value> dyn;
    for (int64_t d = 0; d < partType.getRank(); ++d)
      if (partType.isDynamicDim(d))
        dyn.push_back(tensor::DimOp::create(b, loc, f32Part, d));
    Value init = tensor::EmptyOp::create(b, loc, partType.getShape(),
                                         codec.getStorageType(), dyn);
    return buildGeneric(
        b, loc, f32Part, init, {id, id},
        SmallVector<IteratorType>(partType.getRank(), IteratorType::parallel),
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          return SmallVector<Value>{codec.fromF32(nb, nloc, args[0])};
        })[0];
  }

private:
  SmallVector<IteratorType> allParallel() const {
    return SmallVector<IteratorType>(rank, IteratorType::parallel);
  }

  static Value scaledValue(OpBuilder &b, Location loc, Value x, Value s,
                           Value z) {
    Value isZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, s,
                                         constF32(b, loc, 0.0f));
    Value v = arith::AddFOp::create(
        b, loc, arith::DivFOp::create(b, loc, x, s), z);
    return arith::SelectOp::create(b, loc, isZero, z, v);
  }

  struct GroupStats {
    Value amax, lo, hi, sumAbs, count;
  };
  GroupStats computeStats(OpBuilder &b, Location loc, Value x);
  /// Part-space f32 tensors (scale, zero point) for one alpha.
  std::pair<Value, Value> computeParams(OpBuilder &b, Location loc,
                                        const GroupStats &stats,
                                        ScaleMethod method, float alpha,
                                        Value like);
  /// Sum over each block of (dequantize(quantize(x)) - x)^2 in f64.
  Value squaredError(OpBuilder &b, Location loc, Value x, Value scale,
                     Value zp);

  QuantizedTensorType type;
  num::Grid grid;
  GridTables gridTables;
  ValueCodec scaleCodec;
  std::optional<ValueCodec> zpCodec, outerCodec, minCodec, outerMinCodec;
  SmallVector<int64_t> shape;
  unsigned rank;
  AffineMap identity, scaleMap, outerMap;
};

} // namespace

//===----------------------------------------------------------------------===//
// Run-time scale computation (mirrors num::quantize)
//===----------------------------------------------------------------------===//

QTensorLowering::GroupStats
QTensorLowering::computeStats(OpBuilder &b, Location loc, Value x) {
  GranularityAttrInterface gran = type.getGranularity();
  Type f32 = b.getF32Type(), f64 = b.getF64Type();
  SmallVector<Value> inits = {
      createFilled(b, loc, shape, gran, x, f32, 0.0),
      createFilled(b, loc, shape, gran, x, f32, 0.0),
      createFilled(b, loc, shape, gran, x, f32, 0.0),
      createFilled(b, loc, shape, gran, x, f64, 0.0)};
  ValueRange r = buildGeneric(
      b, loc, x, inits, {identity, scaleMap, scaleMap, scaleMap, scaleMap},
      iteratorsFor(scaleMap),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = floatToF32(nb, nloc, args[0]);
        Value a = math::AbsFOp::create(nb, nloc, v);
        return SmallVector<Value>{
            arith::MaxNumFOp::create(nb, nloc, args[1], a),
            arith::MinNumFOp::create(nb, nloc, args[2], v),
            arith::MaxNumFOp::create(nb, nloc, args[3], v),
            arith::AddFOp::create(nb, nloc, args[4],
                                  arith::ExtFOp::create(nb, nloc, f64, a))};
      });
  GroupStats s{r[0], r[1], r[2], r[3], {}};
  // Elements per block: static block sizes times dynamic whole dimensions.
  SmallVector<int64_t> blocks = gran.getBlockShape(shape);
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (unsigned d = 0; d < rank; ++d) {
    Value size = ShapedType::isDynamic(blocks[d])
                     ? tensor::DimOp::create(b, loc, x, d).getResult()
                     : arith::ConstantIndexOp::create(b, loc, blocks[d])
                           .getResult();
    count = arith::MulIOp::create(b, loc, count, size);
  }
  s.count = arith::UIToFPOp::create(
      b, loc, f64, arith::IndexCastUIOp::create(b, loc, b.getI64Type(), count));
  return s;
}

static Value selectF(OpBuilder &b, Location loc, arith::CmpFPredicate pred,
                     Value lhs, Value rhs, Value ifTrue, Value ifFalse) {
  Value c = arith::CmpFOp::create(b, loc, pred, lhs, rhs);
  return arith::SelectOp::create(b, loc, c, ifTrue, ifFalse);
}

std::pair<Value, Value>
QTensorLowering::computeParams(OpBuilder &b, Location loc,
                               const GroupStats &stats, ScaleMethod method,
                               float alpha, Value like) {
  auto partType = cast<RankedTensorType>(stats.amax.getType());
  AffineMap id =
      AffineMap::getMultiDimIdentityMap(partType.getRank(), b.getContext());
  bool twoLevel = type.hasOuterScales();
  // With two levels the inner scale is rounded after the split.
  ValueCodec f32Codec(b, loc, b.getF32Type());
  const ValueCodec &fmt = twoLevel ? f32Codec : scaleCodec;
  bool asymmetric = type.hasZeroPoints() && method != ScaleMethod::absmax;
  Value scaleInit = createFilled(b, loc, shape, type.getGranularity(), like,
                                 b.getF32Type(), 0.0);
  ValueRange r = buildGeneric(
      b, loc, {stats.amax, stats.lo, stats.hi, stats.sumAbs},
      {scaleInit, scaleInit}, {id, id, id, id, id, id},
      SmallVector<IteratorType>(partType.getRank(), IteratorType::parallel),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value amax = args[0], lo = args[1], hi = args[2], sumAbs = args[3];
        Value zero = constF32(nb, nloc, 0.0f);
        switch (method) {
        case ScaleMethod::absmean: {
          Value mean = arith::TruncFOp::create(
              nb, nloc, nb.getF32Type(),
              arith::DivFOp::create(nb, nloc, sumAbs, stats.count));
          Value eps = constF32(nb, nloc, 1e-5f);
          Value s = selectF(nb, nloc, arith::CmpFPredicate::OLT, mean, eps,
                            eps, mean);
          return SmallVector<Value>{fmt.round(nb, nloc, s), zero};
        }
        case ScaleMethod::mx: {
          // emax = floor(log2 maxPositive), as the numerics library takes it.
          int emax = std::ilogb(grid.maxPositive());
          Value e = arith::SubIOp::create(
              nb, nloc, floorLog2(nb, nloc, amax),
              arith::ConstantIntOp::create(nb, nloc, emax, 64));
          Value isZero = arith::CmpFOp::create(
              nb, nloc, arith::CmpFPredicate::OEQ, amax, zero);
          Value minE = arith::ConstantIntOp::create(
              nb, nloc, num::E8M0::kMinExponent, 64);
          Value maxE = arith::ConstantIntOp::create(
              nb, nloc, num::E8M0::kMaxExponent, 64);
          e = arith::SelectOp::create(nb, nloc, isZero, minE, e);
          e = arith::MaxSIOp::create(nb, nloc,
                                     arith::MinSIOp::create(nb, nloc, e, maxE),
                                     minE);
          return SmallVector<Value>{powerOfTwo(nb, nloc, e), zero};
        }
        default:
          break;
        }
        Value a = constF32(nb, nloc, alpha);
        if (!asymmetric) {
          Value s = arith::DivFOp::create(
              nb, nloc, arith::MulFOp::create(nb, nloc, a, amax),
              constF32(nb, nloc, float(grid.maxPositive())));
          return SmallVector<Value>{fmt.round(nb, nloc, s), zero};
        }
        float gmin = float(grid.minValue()), gmax = float(grid.maxValue());
        Value loA = arith::MulFOp::create(nb, nloc, a, lo);
        Value hiA = arith::MulFOp::create(nb, nloc, a, hi);
        Value s = fmt.round(
            nb, nloc,
            arith::DivFOp::create(nb, nloc,
                                  arith::SubFOp::create(nb, nloc, hiA, loA),
                                  constF32(nb, nloc, gmax - gmin)));
        Value gminV = constF32(nb, nloc, gmin), gmaxV = constF32(nb, nloc, gmax);
        Value z = arith::SubFOp::create(
            nb, nloc, gminV, arith::DivFOp::create(nb, nloc, loA, s));
        if (isa<IntegerType>(type.getZeroPointType())) {
          Value r = math::RoundEvenOp::create(nb, nloc, z);
          r = selectF(nb, nloc, arith::CmpFPredicate::OLT, r, gminV, gminV, r);
          z = selectF(nb, nloc, arith::CmpFPredicate::OLT, gmaxV, r, gmaxV, r);
        } else {
          z = zpCodec->round(nb, nloc, z);
        }
        Value isZero =
            arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OEQ, s, zero);
        z = arith::SelectOp::create(nb, nloc, isZero, zero, z);
        return SmallVector<Value>{s, z};
      });
  return {r[0], r[1]};
}

Value QTensorLowering::squaredError(OpBuilder &b, Location loc, Value x,
                                    Value scale, Value zp) {
  Value init = createFilled(b, loc, shape, type.getGranularity(), x,
                            b.getF64Type(), 0.0);
  return buildGeneric(
      b, loc, {x, scale, zp}, init, {identity, scaleMap, scaleMap, scaleMap},
      iteratorsFor(scaleMap),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = floatToF32(nb, nloc, args[0]);
        Value s = args[1], z = args[2];
        Value q = gridTables.encode(nb, nloc, scaledValue(nb, nloc, v, s, z));
        Value y = arith::MulFOp::create(
            nb, nloc, s,
            arith::SubFOp::create(nb, nloc, gridTables.decode(nb, nloc, q), z));
        Type f64 = nb.getF64Type();
        Value d = arith::SubFOp::create(nb, nloc,
                                        arith::ExtFOp::create(nb, nloc, f64, y),
                                        arith::ExtFOp::create(nb, nloc, f64, v));
        Value sq = arith::MulFOp::create(nb, nloc, d, d);
        return SmallVector<Value>{arith::AddFOp::create(nb, nloc, args[3], sq)};
      })[0];
}

Parts QTensorLowering::quantizeComputed(OpBuilder &b, Location loc, Value x,
                                        ScaleMethod method) {
  GroupStats stats = computeStats(b, loc, x);
  auto [scale, zp] = computeParams(b, loc, stats, method, 1.0f, x);

  if (method == ScaleMethod::mse) {
    // Keep, per block, the alpha with the least squared error (the first,
    // i.e. the largest alpha, on ties).
    Value bestErr = createFilled(b, loc, shape, type.getGranularity(), x,
                                 b.getF64Type(),
                                 std::numeric_limits<double>::infinity());
    auto partType = cast<RankedTensorType>(scale.getType());
    AffineMap id =
        AffineMap::getMultiDimIdentityMap(partType.getRank(), b.getContext());
    for (int i = 0; i < num::kMseClipSteps; ++i) {
      auto [cs, cz] =
          computeParams(b, loc, stats, method, num::mseClipAlpha(i), x);
      Value err = squaredError(b, loc, x, cs, cz);
      ValueRange r = buildGeneric(
          b, loc, {err, cs, cz}, {bestErr, scale, zp},
          {id, id, id, id, id, id},
          SmallVector<IteratorType>(partType.getRank(),
                                    IteratorType::parallel),
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            Value better = arith::CmpFOp::create(
                nb, nloc, arith::CmpFPredicate::OLT, args[0], args[3]);
            SmallVector<Value> out;
            for (int k = 0; k < 3; ++k)
              out.push_back(arith::SelectOp::create(nb, nloc, better, args[k],
                                                    args[k + 3]));
            return out;
          });
      bestErr = r[0];
      scale = r[1];
      zp = r[2];
    }
  }

  Parts parts;
  Value outer;
  if (type.hasOuterScales()) {
    GranularityAttrInterface outerGran = type.getOuterGranularity();
    // o = round_outer(max(s*) / maxFinite(inner)) per outer block.
    Value outerMax =
        createFilled(b, loc, shape, outerGran, x, b.getF32Type(), 0.0);
    // (x only gives the loop nest its element-space extent.)
    outerMax = buildGeneric(
        b, loc, {x, scale}, outerMax, {identity, scaleMap, outerMap},
        iteratorsFor(outerMap),
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          return SmallVector<Value>{
              arith::MaxNumFOp::create(nb, nloc, args[2], args[1])};
        })[0];
    auto outerType = cast<RankedTensorType>(outerMax.getType());
    AffineMap oid =
        AffineMap::getMultiDimIdentityMap(outerType.getRank(), b.getContext());
    const num::FloatFormat *innerFormat =
        FloatGridAttr::getFormat(type.getScaleType());
    double innerMax = innerFormat ? innerFormat->maxFinite()
                      : type.getScaleType().isF16()
                          ? num::FloatFormat::f16().maxFinite()
                      : type.getScaleType().isBF16()
                          ? num::FloatFormat::bf16().maxFinite()
                          : num::FloatFormat::f32().maxFinite();
    outer = buildGeneric(
        b, loc, outerMax,
        createEmpty(b, loc, shape, outerGran, x, b.getF32Type()), {oid, oid},
        SmallVector<IteratorType>(outerType.getRank(), IteratorType::parallel),
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value q = arith::DivFOp::create(nb, nloc, args[0],
                                          constF32(nb, nloc, float(innerMax)));
          return SmallVector<Value>{outerCodec->round(nb, nloc, q)};
        })[0];
    // Stored inner scale: o == 0 ? 0 : round_inner(s* / o).
    Value stored = createEmpty(b, loc, shape, type.getGranularity(), x,
                               b.getF32Type());
    scale = buildGeneric(
        b, loc, {x, scale, outer}, stored,
        {identity, scaleMap, outerMap, scaleMap}, iteratorsFor(scaleMap),
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value zero = constF32(nb, nloc, 0.0f);
          Value r = scaleCodec.round(
              nb, nloc, arith::DivFOp::create(nb, nloc, args[1], args[2]));
          return SmallVector<Value>{selectF(nb, nloc, arith::CmpFPredicate::OEQ,
                                            args[2], zero, zero, r)};
        })[0];
    parts.outerScales = toStorage(b, loc, outer, *outerCodec);
  }
  parts.codes = encode(b, loc, x, scale, type.hasZeroPoints() ? zp : Value(),
                       outer, /*scalesStored=*/false);
  parts.scales = toStorage(b, loc, scale, scaleCodec);
  if (type.hasZeroPoints())
    parts.zeroPoints = toStorage(b, loc, zp, *zpCodec);
  return parts;
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// Logical part value (e.g. tensor<..xf8E4M3FN>) <-> storage (tensor<..xi8>).
Value bitcastIfNeeded(OpBuilder &b, Location loc, Value v, Type elementType) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getElementType() == elementType)
    return v;
  return arith::BitcastOp::create(b, loc, type.clone(elementType), v);
}

/// qc.quantize -> encode with given scales, or compute them first.
/// The tensor a rotated qtensor stands for: its dequantized stored tensor
/// `x` times the rotation along its axis.
Value rotateStored(OpBuilder &b, Location loc, Value x,
                   QuantizedTensorType type) {
  auto t = cast<RankedTensorType>(x.getType());
  if (t.getShape() != type.getShape())
    x = tensor::CastOp::create(b, loc, t.clone(type.getShape()), x);
  return RotateOp::create(b, loc, x, type.getRotation(),
                          b.getI64IntegerAttr(*type.getRotationAxis()),
                          UnitAttr());
}

struct QuantizeOpLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizedTensorType type = op.getType();
    QTensorLowering lowering(rewriter, loc, type);
    lowering.towardZero = !op.roundsNearestEven();
    Value x = adaptor.getInput().front();
    // Codes stored rotated by R hold x R^T.
    if (RotationAttrInterface rotation = type.getRotation())
      x = RotateOp::create(rewriter, loc, x, rotation,
                           rewriter.getI64IntegerAttr(*type.getRotationAxis()),
                           rewriter.getUnitAttr());
    // A result shape more static than the input's: cast first.
    auto inputType = cast<RankedTensorType>(x.getType());
    if (inputType.getShape() != type.getShape())
      x = tensor::CastOp::create(
          rewriter, loc, inputType.clone(type.getShape()), x);
    Parts parts;
    if (op.getScales()) {
      auto storageOf = [&](ValueRange operand, RankedTensorType partType) {
        return operand.empty()
                   ? Value()
                   : bitcastIfNeeded(rewriter, loc, operand.front(),
                                     toStorage(partType).getElementType());
      };
      parts.scales =
          storageOf(adaptor.getScales(), type.getScalesTensorType());
      parts.zeroPoints =
          storageOf(adaptor.getZeroPoints(), type.getZeroPointsTensorType());
      parts.outerScales =
          storageOf(adaptor.getOuterScales(), type.getOuterScalesTensorType());
      parts.codes =
          lowering.encode(rewriter, loc, x, parts.scales, parts.zeroPoints,
                          parts.outerScales, /*scalesStored=*/true);
    } else {
      parts = lowering.quantizeComputed(rewriter, loc, x,
                                        op.getEffectiveMethod());
    }
    rewriter.replaceOpWithMultiple(op, {parts.toVector()});
    return success();
  }
};

/// qc.dequantize -> x = (s * o) * (decode(q) - z).
struct DequantizeOpLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<QuantizedTensorType>(op.getInput().getType());
    QTensorLowering lowering(rewriter, op.getLoc(), type);
    Type elementType = op.getResult().getType().getElementType();
    Value x = lowering.dequantize(
        rewriter, op.getLoc(), Parts::fromRange(adaptor.getInput(), type),
        type.getRotation() ? rewriter.getF32Type() : elementType);
    // Stored rotated: the tensor is the stored one times R (in f32, then
    // converted).
    if (type.getRotation())
      x = convertElements(rewriter, op.getLoc(),
                          rotateStored(rewriter, op.getLoc(), x, type),
                          elementType);
    if (x.getType() != op.getType())
      x = tensor::CastOp::create(rewriter, op.getLoc(), op.getType(), x);
    rewriter.replaceOp(op, x);
    return success();
  }
};

/// qc.requantize -> its codes, scales and mins elementwise (the arithmetic
/// of numerics/Nesting.h, op for op).
struct RequantizeOpLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizedTensorType from = op.getInputType(), to = op.getType();
    Parts in = Parts::fromRange(adaptor.getInput(), from);
    unsigned d = op.getDroppedBits();
    bool msb = op.getMode() == NestingMode::msb_slice;
    auto toGrid = cast<IntGridAttr>(to.getGrid());
    num::Grid grid = toGrid.getNumericsGrid();
    Type i32 = rewriter.getI32Type();

    // Elementwise over tensors of one shape (codes, or the scale parts).
    auto map = [&](ValueRange inputs, Type elementType, BodyFn body) {
      auto type = cast<RankedTensorType>(inputs[0].getType());
      AffineMap id = AffineMap::getMultiDimIdentityMap(type.getRank(),
                                                       rewriter.getContext());
      SmallVector<Value> dyn;
      for (int64_t i = 0; i < type.getRank(); ++i)
        if (type.isDynamicDim(i))
          dyn.push_back(tensor::DimOp::create(rewriter, loc, inputs[0], i));
      Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                           elementType, dyn);
      SmallVector<AffineMap> maps(inputs.size() + 1, id);
      return buildGeneric(rewriter, loc, inputs, init, maps,
                          SmallVector<IteratorType>(type.getRank(),
                                                    IteratorType::parallel),
                          body)[0];
    };
    auto i32Const = [&](OpBuilder &b, Location l, int64_t v) -> Value {
      return arith::ConstantOp::create(b, l, b.getI32IntegerAttr(int32_t(v)));
    };

    Parts out;
    out.codes = map(in.codes, to.getCodeType(),
                    [&](OpBuilder &b, Location l, ValueRange args) {
      Value q = from.getGrid().getNumericsGrid().isSigned()
                    ? Value(arith::ExtSIOp::create(b, l, i32, args[0]))
                    : Value(arith::ExtUIOp::create(b, l, i32, args[0]));
      if (!msb)
        q = arith::AddIOp::create(b, l, q, i32Const(b, l, 1 << (d - 1)));
      Value h = arith::ShRSIOp::create(b, l, q, i32Const(b, l, d));
      h = arith::MaxSIOp::create(b, l, h,
                                 i32Const(b, l, int64_t(grid.minValue())));
      h = arith::MinSIOp::create(b, l, h,
                                 i32Const(b, l, int64_t(grid.maxValue())));
      return SmallVector<Value>{
          arith::TruncIOp::create(b, l, to.getCodeType(), h)};
    });

    ValueCodec scaleCodec(rewriter, loc, from.getScaleType());
    out.scales = map(in.scales, scaleCodec.getStorageType(),
                     [&](OpBuilder &b, Location l, ValueRange args) {
      Value s = op.buildScale(b, l, scaleCodec.toF32(b, l, args[0]));
      return SmallVector<Value>{scaleCodec.fromF32(b, l, s)};
    });

    if (to.hasMins()) {
      std::optional<ValueCodec> zpCodec, minCodec;
      if (from.hasZeroPoints())
        zpCodec.emplace(rewriter, loc, from.getZeroPointType());
      if (from.hasMins())
        minCodec.emplace(rewriter, loc, from.getMinType());
      ValueCodec outCodec(rewriter, loc, to.getMinType());
      SmallVector<Value> inputs = {in.scales};
      if (in.zeroPoints)
        inputs.push_back(in.zeroPoints);
      if (in.mins)
        inputs.push_back(in.mins);
      out.mins = map(inputs, outCodec.getStorageType(),
                     [&](OpBuilder &b, Location l, ValueRange args) {
        unsigned i = 1;
        Value z, mn;
        if (zpCodec)
          z = zpCodec->toF32(b, l, args[i++]);
        if (minCodec)
          mn = minCodec->toF32(b, l, args[i++]);
        Value m = op.buildMin(b, l, scaleCodec.toF32(b, l, args[0]), z, mn);
        return SmallVector<Value>{outCodec.fromF32(b, l, m)};
      });
    }
    rewriter.replaceOpWithMultiple(op, {out.toVector()});
    return success();
  }
};

/// qc.matmul -> dequantize both operands to f32, y = a * w^T (+ bias) with
/// f32 accumulation over k in order, converted to the result type.
struct MatmulOpLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatmulOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type f32 = rewriter.getF32Type();
    auto toF32Tensor = [&](Value operand, ValueRange converted) -> Value {
      if (auto q = dyn_cast<QuantizedTensorType>(operand.getType())) {
        QTensorLowering lowering(rewriter, loc, q);
        Value d = lowering.dequantize(rewriter, loc,
                                      Parts::fromRange(converted, q), f32);
        return q.getRotation() ? rotateStored(rewriter, loc, d, q) : d;
      }
      return converted.front();
    };
    Value a = toF32Tensor(op.getLhs(), adaptor.getLhs());
    Value w = toF32Tensor(op.getRhs(), adaptor.getRhs());
    RankedTensorType resultType = op.getType();
    SmallVector<Value> dyn;
    if (resultType.isDynamicDim(0))
      dyn.push_back(tensor::DimOp::create(rewriter, loc, a, 0));
    if (resultType.isDynamicDim(1))
      dyn.push_back(tensor::DimOp::create(rewriter, loc, w, 0));
    // The sum starts from `accumulate` (in f32) or 0.
    Value acc = adaptor.getAccumulate().empty()
                    ? Value()
                    : adaptor.getAccumulate().front();
    if (acc)
      acc = convertElements(rewriter, loc, acc, f32);
    else
      acc = linalg::FillOp::create(
                rewriter, loc, constF32(rewriter, loc, 0.0f),
                tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                        f32, dyn)
                    .getResult())
                .getResult(0);
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    auto map = [&](ArrayRef<AffineExpr> e) {
      return AffineMap::get(3, 0, e, ctx);
    };
    Value y = buildGeneric(
        rewriter, loc, {a, w}, acc,
        {map({m, k}), map({n, k}), map({m, n})},
        {IteratorType::parallel, IteratorType::parallel,
         IteratorType::reduction},
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value prod =
              arith::MulFOp::create(nb, nloc, floatToF32(nb, nloc, args[0]),
                                    floatToF32(nb, nloc, args[1]));
          return SmallVector<Value>{
              arith::AddFOp::create(nb, nloc, args[2], prod)};
        })[0];
    // Bias and the result element type.
    AffineMap id2 = AffineMap::getMultiDimIdentityMap(2, ctx);
    SmallVector<Value> inputs = {y};
    SmallVector<AffineMap> maps = {id2};
    Value bias = adaptor.getBias().empty() ? Value() : adaptor.getBias().front();
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx));
    }
    maps.push_back(id2);
    Type elementType = resultType.getElementType();
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         elementType, dyn);
    Value result = buildGeneric(
        rewriter, loc, inputs, init, maps,
        {IteratorType::parallel, IteratorType::parallel},
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value v = args[0];
          if (bias)
            v = arith::AddFOp::create(nb, nloc, v,
                                      floatToF32(nb, nloc, args[1]));
          return SmallVector<Value>{f32ToFloat(nb, nloc, v, elementType)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// In a linalg.generic body over a tensor of `shape`: the row-major index
/// of the current element within dimensions `from`.. (the row's index for
/// from = 1 of a matrix).
Value rowMajorIndex(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                    unsigned from) {
  Value linear = arith::ConstantIndexOp::create(b, loc, 0);
  for (unsigned d = from; d < shape.size(); ++d)
    linear = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, linear,
                              arith::ConstantIndexOp::create(b, loc, shape[d])),
        linalg::IndexOp::create(b, loc, d));
  return linear;
}

/// IndexArithmetic with arith ops at a builder's insertion point.
struct ArithIndexArithmetic : IndexArithmetic {
  ArithIndexArithmetic(OpBuilder &b, Location loc) : b(b), loc(loc) {}
  Value cst(int64_t c) { return arith::ConstantIndexOp::create(b, loc, c); }
  Value add(Value x, Value y) override {
    return arith::AddIOp::create(b, loc, x, y);
  }
  Value mul(Value x, int64_t c) override {
    return arith::MulIOp::create(b, loc, x, cst(c));
  }
  Value div(Value x, int64_t c) override {
    return arith::DivUIOp::create(b, loc, x, cst(c));
  }
  Value rem(Value x, int64_t c) override {
    return arith::RemUIOp::create(b, loc, x, cst(c));
  }
  OpBuilder &b;
  Location loc;
};

/// Codes tensor<SHAPE x iB> from #qc.bit_planes storage (static shapes):
/// field p of code i (its bits [o_p, o_p + W_p)) is at bit i * W_p of plane
/// p's stream, which starts after the planes before it. Widths divide 8,
/// so a field never straddles a byte.
Value unpackBitPlanes(OpBuilder &b, Location loc, Value bytes,
                      QuantizedTensorType type, BitPlanesAttr planes) {
  ArrayRef<int64_t> shape = type.getShape();
  int64_t numel = ShapedType::getNumElements(shape);
  AffineMap id = AffineMap::getMultiDimIdentityMap(shape.size(),
                                                   b.getContext());
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getCodeType());
  return buildGeneric(
      b, loc, {}, init, {id},
      SmallVector<IteratorType>(shape.size(), IteratorType::parallel),
      [&](OpBuilder &nb, Location nloc, ValueRange) {
        auto cst = [&](int64_t v) -> Value {
          return arith::ConstantIndexOp::create(nb, nloc, v);
        };
        Value linear = rowMajorIndex(nb, nloc, shape, 0);
        Type i8 = nb.getI8Type();
        Value code = arith::ConstantIntOp::create(nb, nloc, 0, 8);
        int64_t base = 0, offset = 0;
        TiledLayoutAttr tile = planes.getTile();
        for (int64_t w : planes.getWidths()) {
          int64_t perByte = 8 / w;
          // The field's byte in the plane's row-major stream, then (tiled
          // planes) where the tile puts row n's byte i.
          Value inPlane = arith::DivUIOp::create(nb, nloc, linear,
                                                 cst(perByte));
          if (tile) {
            ArithIndexArithmetic arith(nb, nloc);
            int64_t rowBytes = shape[1] * w / 8;
            Value n = linalg::IndexOp::create(nb, nloc, 0);
            Value i = arith.div(linalg::IndexOp::create(nb, nloc, 1),
                                perByte);
            inPlane = tile.buildByteIndex(arith, n, i, rowBytes);
          }
          Value byte = arith::AddIOp::create(nb, nloc, cst(base), inPlane);
          Value shift = arith::IndexCastUIOp::create(
              nb, nloc, i8,
              arith::MulIOp::create(
                  nb, nloc,
                  arith::RemUIOp::create(nb, nloc, linear, cst(perByte)),
                  cst(w)));
          Value field = arith::AndIOp::create(
              nb, nloc,
              arith::ShRUIOp::create(
                  nb, nloc, tensor::ExtractOp::create(nb, nloc, bytes, byte),
                  shift),
              arith::ConstantIntOp::create(nb, nloc, (1 << w) - 1, 8));
          code = arith::OrIOp::create(
              nb, nloc, code,
              arith::ShLIOp::create(
                  nb, nloc, field,
                  arith::ConstantIntOp::create(nb, nloc, offset, 8)));
          base += numel * w / 8;
          offset += w;
        }
        if (type.getCodeType().getWidth() == 8)
          return SmallVector<Value>{code};
        return SmallVector<Value>{
            arith::TruncIOp::create(nb, nloc, type.getCodeType(), code)};
      })[0];
}

/// Codes tensor<N x K x iB> (B <= 4) from storage in a layout that says
/// where each code is (LayoutAttrInterface::buildCodePosition, e.g. the
/// NVIDIA kernels' #qc_nvvm.mma_fragments): the field of code (n, k) at that
/// byte and shift, XORed back with the layout's stored-code offset.
/// `layout.hasCodePositions()` holds.
Value unpackByCodePosition(OpBuilder &b, Location loc, Value bytes,
                           QuantizedTensorType type) {
  ArrayRef<int64_t> shape = type.getShape();
  LayoutAttrInterface layout = type.getLayout();
  AffineMap id = AffineMap::getMultiDimIdentityMap(2, b.getContext());
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getCodeType());
  unsigned bits = type.getGrid().getCodeBits();
  unsigned storedXor = layout.getStoredCodeXor(type.getGrid());
  return buildGeneric(
      b, loc, {}, init, {id}, {IteratorType::parallel, IteratorType::parallel},
      [&](OpBuilder &nb, Location nloc, ValueRange) {
        ArithIndexArithmetic arith(nb, nloc);
        Value n = linalg::IndexOp::create(nb, nloc, 0);
        Value k = linalg::IndexOp::create(nb, nloc, 1);
        Value byte, shift;
        layout.buildCodePosition(arith, n, k, shape, byte, shift);
        Type i8 = nb.getI8Type();
        Value code = arith::AndIOp::create(
            nb, nloc,
            arith::ShRUIOp::create(
                nb, nloc, tensor::ExtractOp::create(nb, nloc, bytes, byte),
                arith::IndexCastUIOp::create(nb, nloc, i8, shift)),
            arith::ConstantIntOp::create(nb, nloc, (1 << bits) - 1, 8));
        if (storedXor)
          code = arith::XOrIOp::create(
              nb, nloc, code,
              arith::ConstantIntOp::create(nb, nloc, storedXor, 8));
        return SmallVector<Value>{
            arith::TruncIOp::create(nb, nloc, type.getCodeType(), code)};
      })[0];
}

/// Codes tensor<SHAPE x iB> from the packed byte stream (static shapes):
/// code i is bits [i*B, (i+1)*B) of the stream, least significant bit first;
/// with a #qc.tiled layout, each row is such a stream and its bytes are
/// where the layout puts them; with #qc.bit_planes, each plane is such a
/// stream of its fields.
Value unpackCodes(OpBuilder &b, Location loc, Value bytes,
                  QuantizedTensorType type) {
  if (BitPlanesAttr planes = type.getBitPlanes())
    return unpackBitPlanes(b, loc, bytes, type, planes);
  if (type.getLayout() && type.getLayout().hasCodePositions() &&
      type.getRank() == 2)
    return unpackByCodePosition(b, loc, bytes, type);
  unsigned bits = type.getGrid().getCodeBits();
  ArrayRef<int64_t> shape = type.getShape();
  int64_t numBytes = cast<RankedTensorType>(bytes.getType()).getDimSize(0);
  TiledLayoutAttr layout = type.getTiledLayout();
  AffineMap id = AffineMap::getMultiDimIdentityMap(shape.size(),
                                                   b.getContext());
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getCodeType());
  return buildGeneric(
      b, loc, {}, init, {id},
      SmallVector<IteratorType>(shape.size(), IteratorType::parallel),
      [&](OpBuilder &nb, Location nloc, ValueRange) {
        auto cst = [&](int64_t v) -> Value {
          return arith::ConstantIndexOp::create(nb, nloc, v);
        };
        auto mul = [&](Value x, int64_t v) -> Value {
          return arith::MulIOp::create(nb, nloc, x, cst(v));
        };
        auto add = [&](Value x, Value y) -> Value {
          return arith::AddIOp::create(nb, nloc, x, y);
        };
        // Bit position in the stream (the row's stream with a layout).
        Value linear = rowMajorIndex(nb, nloc, shape, layout ? 1 : 0);
        Value bit = mul(linear, bits);
        Value byte0 = arith::DivUIOp::create(nb, nloc, bit, cst(8));
        Value shift = arith::RemUIOp::create(nb, nloc, bit, cst(8));
        // The next byte (clamped at the end) holds the code's high bits
        // when it straddles a byte boundary.
        int64_t streamBytes = layout ? type.getPackedRowBytes() : numBytes;
        Value byte1 =
            arith::MinUIOp::create(nb, nloc, add(byte0, cst(1)),
                                   cst(streamBytes - 1));
        // Row n's byte i -> its place in the tiled stream.
        auto place = [&](Value i) -> Value {
          if (!layout)
            return i;
          ArithIndexArithmetic arith(nb, nloc);
          return layout.buildByteIndex(arith,
                                       linalg::IndexOp::create(nb, nloc, 0),
                                       i, type.getPackedRowBytes());
        };
        Type i32 = nb.getI32Type();
        auto load = [&](Value idx) -> Value {
          return arith::ExtUIOp::create(
              nb, nloc, i32,
              tensor::ExtractOp::create(nb, nloc, bytes, place(idx)));
        };
        Value word = arith::OrIOp::create(
            nb, nloc, load(byte0),
            arith::ShLIOp::create(nb, nloc, load(byte1),
                                  arith::ConstantIntOp::create(nb, nloc, 8, 32)));
        Value shifted = arith::ShRUIOp::create(
            nb, nloc, word, arith::IndexCastUIOp::create(nb, nloc, i32, shift));
        return SmallVector<Value>{
            arith::TruncIOp::create(nb, nloc, type.getCodeType(), shifted)};
      })[0];
}

/// qc.assemble -> its operands, in storage types.
struct AssembleOpLowering : OpConversionPattern<AssembleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AssembleOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Value> parts;
    for (auto [i, operand] : llvm::enumerate(adaptor.getOperands())) {
      Value v = operand.front();
      if (i == 0 && op.hasPackedCodes()) {
        auto type = cast<QuantizedTensorType>(op.getType());
        if (!type.hasStaticShape())
          return rewriter.notifyMatchFailure(op, "packed codes, dynamic shape");
        parts.push_back(unpackCodes(rewriter, op.getLoc(), v, type));
        continue;
      }
      auto t = cast<RankedTensorType>(v.getType());
      parts.push_back(bitcastIfNeeded(
          rewriter, op.getLoc(), v,
          getStorageElementType(t.getElementType())));
    }
    rewriter.replaceOpWithMultiple(op, {parts});
    return success();
  }
};

/// qc.disassemble -> the parts, in the logical types of its results.
struct DisassembleOpLowering : OpConversionPattern<DisassembleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DisassembleOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Value> results;
    for (auto [part, result] :
         llvm::zip_equal(adaptor.getInput(), op.getResults())) {
      auto logical = cast<RankedTensorType>(result.getType());
      results.push_back(bitcastIfNeeded(rewriter, op.getLoc(), part,
                                        logical.getElementType()));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// An attribute of a logical part type, retyped to its storage type (the
/// same bytes: f8 -> i8 and so on).
Attribute toStorageAttr(ElementsAttr attr) {
  auto type = cast<RankedTensorType>(attr.getType());
  RankedTensorType storage = toStorage(type);
  // LLVM 22's memref-to-LLVM lowering crashes on rank-0 globals initialized
  // from dense_resource blobs: inline the one value.
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
      resource && type.getRank() == 0) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return {};
    return DenseElementsAttr::getFromRawBuffer(storage, blob->getData());
  }
  if (storage == type)
    return attr;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense.bitcast(storage.getElementType());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return DenseResourceElementsAttr::get(storage, resource.getRawHandle());
  return {};
}

/// qc.constant -> arith.constant parts; packed codes are unpacked with a
/// linalg.generic (code i is bits [i*B, (i+1)*B) of the byte stream, lsb
/// first).
struct ConstantOpLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OneToNOpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizedTensorType type = op.getType();
    SmallVector<Value> parts;
    Value codes = arith::ConstantOp::create(
        rewriter, loc, cast<TypedAttr>(Attribute(op.getCodes())));
    if (op.hasPackedCodes())
      codes = unpackCodes(rewriter, loc, codes, type);
    parts.push_back(codes);
    SmallVector<ElementsAttr> attrs = {op.getScales()};
    if (auto zp = op.getZeroPoints())
      attrs.push_back(*zp);
    if (auto outer = op.getOuterScales())
      attrs.push_back(*outer);
    if (auto mins = op.getMins())
      attrs.push_back(*mins);
    if (auto outerMins = op.getOuterMins())
      attrs.push_back(*outerMins);
    for (ElementsAttr attr : attrs) {
      Attribute storage = toStorageAttr(attr);
      if (!storage)
        return rewriter.notifyMatchFailure(op, "unsupported attribute kind");
      parts.push_back(
          arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(storage)));
    }
    rewriter.replaceOpWithMultiple(op, {parts});
    return success();
  }

};

} // namespace

void mlir::qc::populateQCToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  populateRotateLoweringPatterns(patterns);
  patterns.add<QuantizeOpLowering, DequantizeOpLowering, MatmulOpLowering,
               AssembleOpLowering, DisassembleOpLowering, ConstantOpLowering,
               RequantizeOpLowering>(
      converter, patterns.getContext());
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
bool isQuantized(Type t) { return isa<QuantizedTensorType>(t); }

struct ConvertQCToLinalgPass
    : mlir::qc::impl::ConvertQCToLinalgBase<ConvertQCToLinalgPass> {
  void runOnOperation() override {
    // A dense_resource blob whose size is not its type's is an error here,
    // before anything reads it.
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();

    // Quantized tensors can only travel through ops this pass converts.
    WalkResult walk = module.walk([](Operation *op) {
      if (auto assemble = dyn_cast<AssembleOp>(op);
          assemble && assemble.hasPackedCodes() &&
          !cast<QuantizedTensorType>(assemble.getType()).hasStaticShape()) {
        assemble.emitOpError()
            << "with packed codes needs a static shape in "
               "convert-qc-to-linalg (the element count gives the unpacking)";
        return WalkResult::interrupt();
      }
      if (isa<QCDialect>(op->getDialect()) ||
          isa<func::FuncOp, func::CallOp, func::ReturnOp, scf::ForOp,
              scf::IfOp, scf::YieldOp, scf::WhileOp, scf::ConditionOp>(op))
        return WalkResult::advance();
      if (llvm::any_of(op->getOperandTypes(), isQuantized) ||
          llvm::any_of(op->getResultTypes(), isQuantized)) {
        op->emitOpError()
            << "carries a quantized tensor, which convert-qc-to-linalg can "
               "only lower through qc ops, func.func/call/return and scf "
               "control flow";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    QCToLinalgTypeConverter converter;
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect,
                           scf::SCFDialect>();
    target.addIllegalDialect<QCDialect>();
    // Calls of generated kernels are on plain tensors; bufferization
    // lowers them.
    target.addLegalOp<KernelCallOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateQCToLinalgConversionPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                         target);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
