//===- ImportQuant.cpp - Upstream quant dialect into qc -------------------===//
//
// quant.qcast / quant.dcast / quant.scast on tensors of !quant.uniform
// (per tensor, per axis, sub-channel) become qc.quantize (rounding toward
// zero, scales and zero points as constants), qc.dequantize and
// qc.assemble / qc.disassemble; function signatures, calls and returns
// follow. Anything else that carries a quantized type is an error, so a
// quantization pair is never dropped.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "QuantInterop.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qc {
#define GEN_PASS_DEF_IMPORTQUANT
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

bool qc::interop::carriesQuantType(Type t) {
  if (isa<quant::QuantizedType>(t))
    return true;
  if (auto shaped = dyn_cast<ShapedType>(t))
    return isa<quant::QuantizedType>(shaped.getElementType());
  if (auto fn = dyn_cast<FunctionType>(t))
    return llvm::any_of(fn.getInputs(), carriesQuantType) ||
           llvm::any_of(fn.getResults(), carriesQuantType);
  return false;
}

DenseElementsAttr qc::interop::floatsAttr(RankedTensorType type,
                                          ArrayRef<double> values) {
  auto element = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> rounded;
  for (double v : values) {
    APFloat f(v);
    bool lost;
    f.convert(element.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    rounded.push_back(f);
  }
  return DenseElementsAttr::get(type, rounded);
}

FailureOr<interop::ImportedType>
qc::interop::importType(Type t, function_ref<InFlightDiagnostic()> emitError) {
  auto fail = [&](const Twine &why) -> FailureOr<ImportedType> {
    emitError() << "cannot import " << t << ": " << why;
    return failure();
  };
  // A scalar quantized value, and a 0-d tensor of one, is a one-element
  // tensor in qc (whose qtensors have rank >= 1).
  if (isa<quant::QuantizedType>(t))
    t = RankedTensorType::get({1}, t);
  if (auto zeroD = dyn_cast<RankedTensorType>(t); zeroD && zeroD.getRank() == 0)
    t = RankedTensorType::get({1}, zeroD.getElementType());
  // An unranked tensor: its flattened form (see ImportedType).
  bool unranked = false;
  int64_t unrankedAxis = -1;
  if (auto u = dyn_cast<UnrankedTensorType>(t)) {
    unranked = true;
    int64_t dyn = ShapedType::kDynamic;
    if (auto a = dyn_cast<quant::UniformQuantizedPerAxisType>(u.getElementType())) {
      unrankedAxis = a.getQuantizedDimension();
      t = RankedTensorType::get({dyn, int64_t(a.getScales().size()), dyn},
                                u.getElementType());
    } else if (isa<quant::UniformQuantizedSubChannelType>(u.getElementType())) {
      return fail("a sub-channel type needs the tensor's shape; qc imports "
                  "it on ranked tensors");
    } else {
      t = RankedTensorType::get({dyn}, u.getElementType());
    }
  }
  auto tensor = dyn_cast<RankedTensorType>(t);
  if (!tensor)
    return fail("not a tensor of a quantized type");
  auto q = dyn_cast<quant::QuantizedType>(tensor.getElementType());
  if (!q)
    return fail("not a tensor of a quantized type");
  MLIRContext *ctx = t.getContext();
  if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType,
           quant::UniformQuantizedSubChannelType>(q))
    return fail("only !quant.uniform types (per tensor, per axis, "
                "sub-channel) are imported");
  // The grid: the smallest integer grid whose range is the storage range,
  // full or (signed) narrow; its width may be below the storage type's (an
  // int4 range held in i8).
  bool isSigned = q.isSigned();
  int64_t lo = q.getStorageTypeMin(), hi = q.getStorageTypeMax();
  unsigned width = 0;
  bool narrow = false;
  for (unsigned w = 1; w <= 8 && !width; ++w) {
    int64_t fullLo = isSigned ? -(int64_t(1) << (w - 1)) : 0;
    int64_t fullHi = isSigned ? (int64_t(1) << (w - 1)) - 1
                              : (int64_t(1) << w) - 1;
    if (lo == fullLo && hi == fullHi)
      width = w;
    else if (isSigned && w >= 2 && lo == fullLo + 1 && hi == fullHi) {
      width = w;
      narrow = true;
    }
  }
  if (!width)
    return fail("its storage range [" + Twine(lo) + ", " + Twine(hi) +
                "] is no qc grid: qc's integer grids hold 1 to 8 bits and "
                "clamp to a full range ([-2^(b-1), 2^(b-1)-1] or "
                "[0, 2^b-1]) or, signed, the narrow [-2^(b-1)+1, "
                "2^(b-1)-1]");
  auto expressed = dyn_cast<FloatType>(q.getExpressedType());
  if (!expressed)
    return fail("its expressed type must be a float type");
  // f64: the scales must be f32 values (qc's scales are at most f32; the
  // quantize and dequantize arithmetic is f32).
  bool f64Expressed = expressed.isF64();

  ImportedType result;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  SmallVector<int64_t> scaleShape;
  GranularityAttrInterface granularity;
  if (auto u = dyn_cast<quant::UniformQuantizedType>(q)) {
    granularity = PerTensorAttr::get(ctx);
    scales.push_back(u.getScale());
    zeroPoints.push_back(u.getZeroPoint());
  } else if (auto a = dyn_cast<quant::UniformQuantizedPerAxisType>(q)) {
    int64_t axis = unranked ? 1 : a.getQuantizedDimension();
    if (axis >= tensor.getRank())
      return fail("its quantized dimension " + Twine(axis) +
                  " is not a dimension of the tensor");
    // A dynamic quantized dimension has the number of scales as its size.
    if (tensor.isDynamicDim(axis)) {
      SmallVector<int64_t> shape(tensor.getShape());
      shape[axis] = int64_t(a.getScales().size());
      tensor = RankedTensorType::get(shape, tensor.getElementType());
    }
    granularity = PerAxisAttr::get(ctx, axis);
    scales.assign(a.getScales().begin(), a.getScales().end());
    zeroPoints.assign(a.getZeroPoints().begin(), a.getZeroPoints().end());
    scaleShape.push_back(int64_t(scales.size()));
  } else {
    auto s = cast<quant::UniformQuantizedSubChannelType>(q);
    for (APFloat v : s.getScales().getValues<APFloat>())
      scales.push_back(v.convertToDouble());
    for (APInt v : s.getZeroPoints().getValues<APInt>())
      zeroPoints.push_back(v.getSExtValue());
    // Scales that vary along at most one dimension are a per-tensor or
    // per-axis type (what upstream's normalize-quant-types makes of them),
    // which a dynamic shape can have.
    ArrayRef<int64_t> scalesShape = s.getScales().getType().getShape();
    int64_t varying = -1, count = 0;
    for (auto [d, n] : llvm::enumerate(scalesShape))
      if (n > 1) {
        varying = int64_t(d);
        ++count;
      }
    if (count == 0) {
      granularity = PerTensorAttr::get(ctx);
    } else if (count == 1 && varying < tensor.getRank() &&
               (tensor.isDynamicDim(varying) ||
                tensor.getDimSize(varying) == scalesShape[varying])) {
      granularity = PerAxisAttr::get(ctx, varying);
      scaleShape.push_back(scalesShape[varying]);
      if (tensor.isDynamicDim(varying)) {
        SmallVector<int64_t> shape(tensor.getShape());
        shape[varying] = scalesShape[varying];
        tensor = RankedTensorType::get(shape, tensor.getElementType());
      }
    }
  }
  if (!granularity) {
    auto s = cast<quant::UniformQuantizedSubChannelType>(q);
    SmallVector<int64_t> blocks;
    for (int64_t d = 0; d < tensor.getRank(); ++d) {
      if (tensor.isDynamicDim(d))
        return fail("its blocks vary along several dimensions, which needs "
                    "a static shape (#qc.per_block sizes divide static "
                    "dimensions)");
      blocks.push_back(tensor.getDimSize(d));
    }
    for (auto [dim, size] :
         llvm::zip(s.getQuantizedDimensions(), s.getBlockSizes()))
      blocks[dim] = size;
    granularity = PerBlockAttr::get(ctx, blocks);
    for (int64_t d = 0; d < tensor.getRank(); ++d)
      scaleShape.push_back(tensor.getDimSize(d) / blocks[d]);
  }
  if (f64Expressed) {
    for (double v : scales)
      if (double(float(v)) != v)
        return fail("its f64 scale " + shownNumber(v) + " is no f32 value; qc's "
                    "scales are at most f32");
    expressed = Float32Type::get(ctx);
  }
  bool hasZeroPoints = llvm::any_of(zeroPoints, [](int64_t z) { return z; });
  Type zpType = hasZeroPoints ? IntegerType::get(ctx, 32) : Type();
  auto grid = IntGridAttr::get(ctx, width, isSigned, narrow);
  result.storageType = IntegerType::get(ctx, q.getStorageTypeIntegralWidth());
  result.signedStorage = isSigned;
  result.unranked = unranked;
  result.unrankedAxis = unrankedAxis;
  result.type = QuantizedTensorType::getChecked(
      emitError, ctx, tensor.getShape(), GridAttrInterface(grid), granularity,
      Type(expressed), zpType);
  if (!result.type)
    return failure();
  result.scales =
      interop::floatsAttr(RankedTensorType::get(scaleShape, expressed), scales);
  if (hasZeroPoints) {
    SmallVector<int32_t> zp(zeroPoints.begin(), zeroPoints.end());
    result.zeroPoints = DenseElementsAttr::get(
        RankedTensorType::get(scaleShape, IntegerType::get(ctx, 32)),
        ArrayRef<int32_t>(zp));
  }
  return result;
}

namespace {

/// The imported type of a quantized tensor type (errors were reported by
/// the pre-check).
FailureOr<interop::ImportedType> imported(Type t) {
  return interop::importType(t, [t] {
    return emitError(UnknownLoc::get(t.getContext()));
  });
}

/// The scales and zero points of `info` as arith.constant values.
std::pair<Value, Value> partConstants(OpBuilder &b, Location loc,
                                      const interop::ImportedType &info) {
  Value scales = arith::ConstantOp::create(b, loc, info.scales);
  Value zeroPoints;
  if (info.zeroPoints)
    zeroPoints = arith::ConstantOp::create(b, loc, info.zeroPoints);
  return {scales, zeroPoints};
}

/// `v` (a scalar or a tensor) in the qtensor's `shape`: a scalar or a 0-d
/// tensor as a one-element tensor, a dynamic size the type fixes (a
/// per-axis dimension) through tensor.cast.
Value toQcShape(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape) {
  auto tensorType = dyn_cast<RankedTensorType>(v.getType());
  if (!tensorType)
    return tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({1}, v.getType()), ValueRange{v});
  if (tensorType.getRank() == 0)
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1}, tensorType.getElementType()), v,
        ArrayRef<ReassociationIndices>{});
  if (tensorType.getShape() != shape)
    return tensor::CastOp::create(b, loc, tensorType.clone(shape), v);
  return v;
}

/// The inverse: `v`, in the qtensor's shape, as `type` (a scalar, a 0-d
/// tensor, or a tensor with dynamic sizes the qtensor had fixed).
Value fromQcShape(OpBuilder &b, Location loc, Value v, Type type) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType) {
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    return tensor::ExtractOp::create(b, loc, v, ValueRange{zero});
  }
  if (tensorType.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, tensorType, v,
                                           ArrayRef<ReassociationIndices>{});
  if (v.getType() != type)
    return tensor::CastOp::create(b, loc, type, v);
  return v;
}

/// Storage integers (`storage` bits) and qc codes (the grid's bits) of a
/// tensor or scalar, converted: truncated, or extended by the storage's
/// signedness.
Value convertIntegers(OpBuilder &b, Location loc, Value v, IntegerType to,
                      bool isSigned) {
  Type from = getElementTypeOrSelf(v.getType());
  if (from == to)
    return v;
  Type target = to;
  if (auto shaped = dyn_cast<ShapedType>(v.getType()))
    target = shaped.clone(to);
  if (cast<IntegerType>(from).getWidth() > to.getWidth())
    return arith::TruncIOp::create(b, loc, target, v);
  if (isSigned)
    return arith::ExtSIOp::create(b, loc, target, v);
  return arith::ExtUIOp::create(b, loc, target, v);
}

/// The shape of an unranked tensor, as a `tensor<?xindex>`.
Value shapeOf(OpBuilder &b, Location loc, Value v) {
  Value rank = tensor::RankOp::create(b, loc, v);
  auto type = RankedTensorType::get({ShapedType::kDynamic}, b.getIndexType());
  return tensor::GenerateOp::create(
      b, loc, type, ValueRange{rank},
      [&](OpBuilder &nb, Location l, ValueRange index) {
        tensor::YieldOp::create(
            nb, l, tensor::DimOp::create(nb, l, v, index[0]).getResult());
      });
}

/// The product of `shape[lo, hi)` (index values; hi may be the rank).
Value productOf(OpBuilder &b, Location loc, Value shape, Value lo, Value hi) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, lo, hi, one, ValueRange{one},
      [&](OpBuilder &nb, Location l, Value i, ValueRange acc) {
        Value d = tensor::ExtractOp::create(nb, l, shape, ValueRange{i});
        scf::YieldOp::create(nb, l,
                             ValueRange{arith::MulIOp::create(nb, l, acc[0], d)});
      });
  return loop.getResult(0);
}

/// An unranked tensor `v` (shape `shape`) in the flattened form of `info`:
/// `[n]` per tensor, `[before, C, after]` per axis.
Value flatten(OpBuilder &b, Location loc, Value v, Value shape,
              const interop::ImportedType &info) {
  Type element = cast<ShapedType>(v.getType()).getElementType();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value rank = tensor::RankOp::create(b, loc, v);
  SmallVector<Value> sizes;
  if (info.unrankedAxis < 0) {
    sizes.push_back(productOf(b, loc, shape, zero, rank));
  } else {
    Value axis = arith::ConstantIndexOp::create(b, loc, info.unrankedAxis);
    Value next = arith::ConstantIndexOp::create(b, loc, info.unrankedAxis + 1);
    sizes.push_back(productOf(b, loc, shape, zero, axis));
    sizes.push_back(tensor::ExtractOp::create(b, loc, shape, ValueRange{axis}));
    sizes.push_back(productOf(b, loc, shape, next, rank));
  }
  Value newShape = tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({int64_t(sizes.size())}, b.getIndexType()),
      sizes);
  SmallVector<int64_t> dynamic(sizes.size(), ShapedType::kDynamic);
  Value flat = tensor::ReshapeOp::create(
      b, loc, RankedTensorType::get(dynamic, element), v, newShape);
  ArrayRef<int64_t> qcShape = info.type.getShape();
  if (ArrayRef<int64_t>(dynamic) != qcShape)
    flat = tensor::CastOp::create(b, loc, RankedTensorType::get(qcShape, element),
                                  flat);
  return flat;
}

/// The inverse: a flattened tensor back to the unranked shape `shape`.
Value unflatten(OpBuilder &b, Location loc, Value v, Value shape) {
  Type element = cast<ShapedType>(v.getType()).getElementType();
  return tensor::ReshapeOp::create(b, loc, UnrankedTensorType::get(element), v,
                                   shape);
}

struct QCastImport : OpConversionPattern<quant::QuantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::QuantizeCastOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<interop::ImportedType> info = imported(op.getType());
    if (failed(info))
      return failure();
    Location loc = op.getLoc();
    Value input = adaptor.getInput().front();
    auto [scales, zeroPoints] = partConstants(rewriter, loc, *info);
    auto quantize = [&](Value x) {
      return QuantizeOp::create(
                 rewriter, loc, info->type, x, scales, zeroPoints, Value(),
                 ScaleMethodAttr(),
                 RoundingAttr::get(getContext(), Rounding::toward_zero))
          .getResult();
    };
    if (info->unranked) {
      Value shape = shapeOf(rewriter, loc, input);
      Value q = quantize(flatten(rewriter, loc, input, shape, *info));
      rewriter.replaceOpWithMultiple(op, {{q, shape}});
      return success();
    }
    rewriter.replaceOp(
        op, quantize(toQcShape(rewriter, loc, input, info->type.getShape())));
    return success();
  }
};

struct DCastImport : OpConversionPattern<quant::DequantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::DequantizeCastOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ValueRange parts = adaptor.getInput();
    auto qtype = cast<QuantizedTensorType>(parts.front().getType());
    Type element = getElementTypeOrSelf(op.getType());
    Value d = DequantizeOp::create(
        rewriter, loc, RankedTensorType::get(qtype.getShape(), element),
        parts.front());
    if (parts.size() == 2) {
      rewriter.replaceOp(op, unflatten(rewriter, loc, d, parts[1]));
      return success();
    }
    rewriter.replaceOp(op, fromQcShape(rewriter, loc, d, op.getType()));
    return success();
  }
};

struct SCastImport : OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    if (interop::carriesQuantType(op.getType())) {
      // Storage integers -> quantized: assemble them with the type's scales.
      FailureOr<interop::ImportedType> info = imported(op.getType());
      if (failed(info))
        return failure();
      auto [scales, zeroPoints] = partConstants(rewriter, loc, *info);
      Value input = adaptor.getInput().front();
      Value shape;
      Value ints;
      if (info->unranked) {
        shape = shapeOf(rewriter, loc, input);
        ints = flatten(rewriter, loc, input, shape, *info);
      } else {
        ints = toQcShape(rewriter, loc, input, info->type.getShape());
      }
      Value codes = convertIntegers(rewriter, loc, ints,
                                    info->type.getCodeType(),
                                    info->signedStorage);
      Value q = AssembleOp::create(rewriter, loc, info->type, codes, scales,
                                   zeroPoints, Value(), Value(), Value());
      if (shape)
        rewriter.replaceOpWithMultiple(op, {{q, shape}});
      else
        rewriter.replaceOp(op, q);
      return success();
    }
    // Quantized -> its storage integers: the codes, widened to the storage
    // type.
    FailureOr<interop::ImportedType> info = imported(op.getInput().getType());
    if (failed(info))
      return failure();
    ValueRange parts = adaptor.getInput();
    auto dis = DisassembleOp::create(rewriter, loc, parts.front());
    Value codes = convertIntegers(rewriter, loc, dis->getResult(0),
                                  info->storageType, info->signedStorage);
    if (parts.size() == 2)
      codes = unflatten(rewriter, loc, codes, parts[1]);
    else
      codes = fromQcShape(rewriter, loc, codes, op.getType());
    if (codes.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "codes type differs");
    rewriter.replaceOp(op, codes);
    return success();
  }
};

struct ImportQuantPass
    : mlir::qc::impl::ImportQuantBase<ImportQuantPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    // First every place a quantized type appears, with an error for what
    // cannot be imported (so nothing is left behind silently).
    bool any = false, bad = false;
    module.walk([&](Operation *op) {
      auto check = [&](Type t) {
        if (!interop::carriesQuantType(t))
          return;
        any = true;
        auto visit = [&](Type leaf) {
          if (interop::carriesQuantType(leaf) &&
              failed(interop::importType(leaf, [&] {
                return op->emitError("qc-import-quant: ");
              })))
            bad = true;
        };
        if (auto fn = dyn_cast<FunctionType>(t)) {
          llvm::for_each(fn.getInputs(), visit);
          llvm::for_each(fn.getResults(), visit);
        } else {
          visit(t);
        }
      };
      for (Type t : op->getOperandTypes())
        check(t);
      for (Type t : op->getResultTypes())
        check(t);
      if (auto fn = dyn_cast<FunctionOpInterface>(op))
        check(fn.getFunctionType());
      bool carries = llvm::any_of(op->getOperandTypes(),
                                  interop::carriesQuantType) ||
                     llvm::any_of(op->getResultTypes(),
                                  interop::carriesQuantType);
      if (carries && !isa<quant::QuantizeCastOp, quant::DequantizeCastOp,
                          quant::StorageCastOp, func::CallOp, func::ReturnOp>(
                         op)) {
        op->emitError("qc-import-quant: '")
            << op->getName()
            << "' carries a quantized type; qc imports quant.qcast, "
               "quant.dcast, quant.scast and function signatures, calls and "
               "returns";
        bad = true;
      }
    });
    if (bad)
      return signalPassFailure();
    if (!any)
      return;

    TypeConverter converter;
    converter.addConversion([](Type t) { return t; });
    // A scalar quant type or a tensor of one becomes its !qc.qtensor.
    auto importOrKeep = [](Type t) -> std::optional<Type> {
      if (!interop::carriesQuantType(t))
        return t;
      FailureOr<interop::ImportedType> info = imported(t);
      if (failed(info))
        return std::nullopt;
      return Type(info->type);
    };
    converter.addConversion(
        [=](quant::QuantizedType t) { return importOrKeep(t); });
    converter.addConversion([=](RankedTensorType t) { return importOrKeep(t); });
    // An unranked tensor: its flattened qtensor and its shape.
    converter.addConversion(
        [](UnrankedTensorType t,
           SmallVectorImpl<Type> &results) -> std::optional<LogicalResult> {
          if (!interop::carriesQuantType(t)) {
            results.push_back(t);
            return success();
          }
          FailureOr<interop::ImportedType> info = imported(t);
          if (failed(info))
            return std::nullopt;
          results.push_back(info->type);
          results.push_back(RankedTensorType::get({ShapedType::kDynamic},
                                                  IndexType::get(t.getContext())));
          return success();
        });
    ConversionTarget target(*ctx);
    target.addIllegalDialect<quant::QuantDialect>();
    target.addLegalDialect<QCDialect, arith::ArithDialect,
                           tensor::TensorDialect, scf::SCFDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp f) {
      return converter.isSignatureLegal(f.getFunctionType());
    });
    target.addDynamicallyLegalOp<func::CallOp, func::ReturnOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    patterns.add<QCastImport, DCastImport, SCastImport>(converter, ctx);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    // Never fold: quant.dcast folds quant.qcast's input through it, which is
    // how a quantization pair silently disappears upstream.
    ConversionConfig config;
    config.foldingMode = DialectConversionFoldingMode::Never;
    if (failed(applyPartialConversion(module, target, std::move(patterns),
                                      config)))
      signalPassFailure();
  }
};

} // namespace
