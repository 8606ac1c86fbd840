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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
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
  // A scalar quantized value is a one-element tensor in qc.
  if (isa<quant::QuantizedType>(t))
    t = RankedTensorType::get({1}, t);
  auto tensor = dyn_cast<RankedTensorType>(t);
  if (!tensor)
    return fail("qc quantizes ranked tensors (and scalars, as one-element "
                "tensors); an unranked quantized tensor has no !qc.qtensor");
  auto q = dyn_cast<quant::QuantizedType>(tensor.getElementType());
  if (!q)
    return fail("not a tensor of a quantized type");
  MLIRContext *ctx = t.getContext();
  if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType,
           quant::UniformQuantizedSubChannelType>(q))
    return fail("only !quant.uniform types (per tensor, per axis, "
                "sub-channel) are imported");
  unsigned width = q.getStorageTypeIntegralWidth();
  if (width < 1 || width > 8)
    return fail("qc's integer grids hold 1 to 8 bits, the storage type has " +
                Twine(width));
  bool isSigned = q.isSigned();
  int64_t lo = q.getStorageTypeMin(), hi = q.getStorageTypeMax();
  int64_t fullLo = isSigned ? -(int64_t(1) << (width - 1)) : 0;
  int64_t fullHi = isSigned ? (int64_t(1) << (width - 1)) - 1
                            : (int64_t(1) << width) - 1;
  bool narrow = false;
  if (lo == fullLo + 1 && hi == fullHi && isSigned && width >= 2)
    narrow = true;
  else if (lo != fullLo || hi != fullHi)
    return fail("its storage range [" + Twine(lo) + ", " + Twine(hi) +
                "] is no qc grid (qc's integer grids are full range, or for "
                "signed storage the narrow range [" +
                Twine(fullLo + 1) + ", " + Twine(fullHi) + "])");
  auto expressed = dyn_cast<FloatType>(q.getExpressedType());
  if (!expressed)
    return fail("its expressed type must be a float type");

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
    int64_t axis = a.getQuantizedDimension();
    if (axis >= tensor.getRank() || tensor.isDynamicDim(axis))
      return fail("its quantized dimension " + Twine(axis) +
                  " must be a static dimension of the tensor");
    granularity = PerAxisAttr::get(ctx, axis);
    scales.assign(a.getScales().begin(), a.getScales().end());
    zeroPoints.assign(a.getZeroPoints().begin(), a.getZeroPoints().end());
    scaleShape.push_back(int64_t(scales.size()));
  } else {
    auto s = cast<quant::UniformQuantizedSubChannelType>(q);
    SmallVector<int64_t> blocks;
    for (int64_t d = 0; d < tensor.getRank(); ++d) {
      if (tensor.isDynamicDim(d))
        return fail("sub-channel types need a static shape");
      blocks.push_back(tensor.getDimSize(d));
    }
    for (auto [dim, size] :
         llvm::zip(s.getQuantizedDimensions(), s.getBlockSizes()))
      blocks[dim] = size;
    granularity = PerBlockAttr::get(ctx, blocks);
    for (APFloat v : s.getScales().getValues<APFloat>())
      scales.push_back(v.convertToDouble());
    for (APInt v : s.getZeroPoints().getValues<APInt>())
      zeroPoints.push_back(v.getSExtValue());
    for (int64_t d = 0; d < tensor.getRank(); ++d)
      scaleShape.push_back(tensor.getDimSize(d) / blocks[d]);
  }
  bool hasZeroPoints = llvm::any_of(zeroPoints, [](int64_t z) { return z; });
  Type zpType = hasZeroPoints ? IntegerType::get(ctx, 32) : Type();
  auto grid = IntGridAttr::get(ctx, width, isSigned, narrow);
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

/// A scalar as a one-element tensor (tensors pass through).
Value asTensor(OpBuilder &b, Location loc, Value v) {
  if (isa<ShapedType>(v.getType()))
    return v;
  return tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({1}, v.getType()), ValueRange{v});
}

/// The element of a one-element tensor.
Value fromTensor(OpBuilder &b, Location loc, Value v) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  return tensor::ExtractOp::create(b, loc, v, ValueRange{zero});
}

struct QCastImport : OpConversionPattern<quant::QuantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::QuantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<interop::ImportedType> info = imported(op.getType());
    if (failed(info))
      return failure();
    auto [scales, zeroPoints] = partConstants(rewriter, op.getLoc(), *info);
    rewriter.replaceOpWithNewOp<QuantizeOp>(
        op, info->type, asTensor(rewriter, op.getLoc(), adaptor.getInput()),
        scales, zeroPoints, Value(),
        ScaleMethodAttr(),
        RoundingAttr::get(getContext(), Rounding::toward_zero));
    return success();
  }
};

struct DCastImport : OpConversionPattern<quant::DequantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::DequantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type result = op.getType();
    if (!isa<ShapedType>(result)) {
      Value d = DequantizeOp::create(rewriter, loc,
                                     RankedTensorType::get({1}, result),
                                     adaptor.getInput());
      rewriter.replaceOp(op, fromTensor(rewriter, loc, d));
      return success();
    }
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, result, adaptor.getInput());
    return success();
  }
};

struct SCastImport : OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    if (interop::carriesQuantType(op.getType())) {
      // Storage integers -> quantized: assemble them with the type's scales.
      FailureOr<interop::ImportedType> info = imported(op.getType());
      if (failed(info))
        return failure();
      auto [scales, zeroPoints] = partConstants(rewriter, loc, *info);
      rewriter.replaceOpWithNewOp<AssembleOp>(
          op, info->type, asTensor(rewriter, loc, adaptor.getInput()), scales,
          zeroPoints, Value(), Value(), Value());
      return success();
    }
    // Quantized -> its storage integers: the codes.
    auto dis = DisassembleOp::create(rewriter, loc, adaptor.getInput());
    Value codes = dis->getResult(0);
    if (!isa<ShapedType>(op.getType()))
      codes = fromTensor(rewriter, loc, codes);
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
    ConversionTarget target(*ctx);
    target.addIllegalDialect<quant::QuantDialect>();
    target.addLegalDialect<QCDialect, arith::ArithDialect,
                           tensor::TensorDialect>();
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
