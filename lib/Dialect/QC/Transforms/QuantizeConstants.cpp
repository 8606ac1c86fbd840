//===- QuantizeConstants.cpp - Compile-time quantization of weights -------===//

#include "qc/Dialect/QC/Transforms/Passes.h"
#include "qc/Dialect/QC/Transforms/QuantizedConstant.h"

#include "qc/Utils/ConstantUtils.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Numerics/Packing.h"
#include "qc/Numerics/Quantizer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/Format.h"

#include <cmath>

namespace mlir::qc {
#define GEN_PASS_DEF_QUANTIZECONSTANTS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
namespace num = ::mlir::qc::numerics;

/// Every line of `data` (row-major, `shape`) along `axis` becomes
/// line * R^T.
static LogicalResult rotateLines(std::vector<float> &data,
                        const std::vector<int64_t> &shape, int64_t axis,
                        RotationAttrInterface rotation) {
  int64_t n = shape[axis], inner = 1, outer = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  std::vector<double> line(static_cast<size_t>(n));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      float *base = data.data() + o * n * inner + i;
      for (int64_t j = 0; j < n; ++j)
        line[size_t(j)] = base[j * inner];
      if (failed(rotation.applyToRows(line.data(), 1, /*transpose=*/true)))
        return failure();
      for (int64_t j = 0; j < n; ++j)
        base[j * inner] = float(line[size_t(j)]);
    }
  return success();
}

/// Raw little-endian bytes of `values` stored as `elementType` (one byte per
/// element for 8-bit formats), or failure for sub-byte element types.
static FailureOr<std::vector<char>> encodeValues(ArrayRef<float> values,
                                                 Type elementType) {
  std::vector<char> bytes;
  auto push = [&](uint64_t bitsOf, unsigned width) {
    for (unsigned i = 0; i < width / 8; ++i)
      bytes.push_back(char((bitsOf >> (8 * i)) & 0xFF));
  };
  if (auto intType = dyn_cast<IntegerType>(elementType)) {
    if (intType.getWidth() % 8)
      return failure();
    for (float v : values)
      push(uint64_t(int64_t(v)), intType.getWidth());
    return bytes;
  }
  auto floatType = cast<FloatType>(elementType);
  if (floatType.getWidth() % 8)
    return failure();
  for (float v : values) {
    APFloat f(v);
    bool lost;
    // Values are already representable in the format: this is exact.
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    push(f.bitcastToAPInt().getZExtValue(), floatType.getWidth());
  }
  return bytes;
}

/// A dense_resource blob (or, for sub-byte element types, a dense attribute)
/// holding `values` as `type`.
static ElementsAttr makePart(RankedTensorType type, ArrayRef<float> values,
                             StringRef name) {
  FailureOr<std::vector<char>> bytes =
      encodeValues(values, type.getElementType());
  if (succeeded(bytes)) {
    size_t align = std::max<size_t>(
        1, type.getElementTypeBitWidth() / 8);
    return createBlobAttr(type, name, *bytes, align);
  }
  SmallVector<APFloat> apValues;
  auto floatType = cast<FloatType>(type.getElementType());
  for (float v : values) {
    APFloat f(v);
    bool lost;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    apValues.push_back(f);
  }
  return DenseElementsAttr::get(type, apValues);
}

ConstantOp mlir::qc::createQuantizedConstant(OpBuilder &b, Location loc,
                                             QuantizedTensorType type,
                                             const num::QuantizedTensor &q) {
  ArrayRef<int64_t> shape = type.getShape();
  unsigned bits = type.getGrid().getCodeBits();
  // Row-major, or the type's layout's own packing.
  std::vector<uint8_t> packed =
      type.getLayout()
          ? type.getLayout().packCodes(q.codes, shape, type.getGrid())
          : num::packCodes(q.codes, bits);
  MLIRContext *ctx = b.getContext();
  auto codesType = RankedTensorType::get({int64_t(packed.size())},
                                         IntegerType::get(ctx, 8));
  ElementsAttr codes = createBlobAttr(
      codesType, "qc_codes",
      ArrayRef<char>(reinterpret_cast<const char *>(packed.data()),
                     packed.size()),
      1);
  ElementsAttr scales =
      makePart(type.getScalesTensorType(), q.scales, "qc_scales");
  ElementsAttr zeroPoints, outerScales;
  if (type.hasZeroPoints())
    zeroPoints = makePart(type.getZeroPointsTensorType(), q.zeroPoints,
                          "qc_zero_points");
  if (type.hasOuterScales())
    outerScales = makePart(type.getOuterScalesTensorType(), q.outerScales,
                           "qc_outer_scales");
  return ConstantOp::create(b, loc, type, codes, scales, zeroPoints,
                            outerScales);
}

/// A splat of `value`, converted to the element type of `type` (an int or
/// float type; the value is exactly representable, as the quantizer made it).
static DenseElementsAttr splatOf(RankedTensorType type, float value) {
  Type element = type.getElementType();
  if (auto intType = dyn_cast<IntegerType>(element))
    return DenseElementsAttr::get(
        type, APInt(intType.getWidth(), uint64_t(int64_t(value)),
                    /*isSigned=*/true, /*implicitTrunc=*/true));
  APFloat f(value);
  bool lost;
  f.convert(cast<FloatType>(element).getFloatSemantics(),
            APFloat::rmNearestTiesToEven, &lost);
  return DenseElementsAttr::get(type, f);
}

/// quantize(splat) for a splat with more elements than qc reads
/// (kMaxConstantElements), without expanding it: every block holds the same
/// values, so every block gets the same code, scale and zero point (each
/// scale method is a function of the set of values in its block), which is
/// what quantizing one element with one-element blocks gives. The result
/// keeps the logical codes, so it stays a splat. Fails for anything else
/// (small constants take the general path; a layout or a rotation needs the
/// real bytes).
static LogicalResult quantizeLargeSplat(QuantizeOp op, ElementsAttr value,
                                        const num::QuantScheme &scheme,
                                        PatternRewriter &rewriter) {
  QuantizedTensorType type = op.getType();
  auto splat = dyn_cast<SplatElementsAttr>(value);
  std::optional<int64_t> count = checkedElementCount(type.getShape());
  if (!splat || (count && *count <= kMaxConstantElements) ||
      type.getRotation() || type.getLayout())
    return failure();
  APFloat splatValue = splat.getSplatValue<APFloat>();
  bool lost;
  splatValue.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                     &lost);
  float x = splatValue.convertToFloat();
  num::QuantScheme one = scheme;
  std::vector<int64_t> ones(type.getShape().size(), 1);
  one.blockShape = ones;
  if (one.outerBlockShape)
    one.outerBlockShape = ones;
  num::QuantizedTensor q = num::quantize(&x, ones, one);
  unsigned bits = type.getGrid().getCodeBits();
  RankedTensorType codesType = type.getCodesTensorType();
  auto codes = DenseElementsAttr::get(
      codesType, APInt(bits, q.codes[0], /*isSigned=*/false,
                       /*implicitTrunc=*/true));
  ElementsAttr scales = splatOf(type.getScalesTensorType(), q.scales[0]);
  ElementsAttr zeroPoints, outerScales;
  if (type.hasZeroPoints())
    zeroPoints = splatOf(type.getZeroPointsTensorType(), q.zeroPoints[0]);
  if (type.hasOuterScales())
    outerScales = splatOf(type.getOuterScalesTensorType(), q.outerScales[0]);
  rewriter.replaceOpWithNewOp<ConstantOp>(op, type, codes, scales, zeroPoints,
                                          outerScales);
  return success();
}

namespace {
/// quantize(arith.constant) -> qc.constant with packed codes and scales
/// computed by the numerics library.
struct QuantizeConstant : OpRewritePattern<QuantizeOp> {
  QuantizeConstant(MLIRContext *ctx, bool remarks)
      : OpRewritePattern(ctx), remarks(remarks) {}
  bool remarks;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getScales())
      return rewriter.notifyMatchFailure(op, "scales are given as operands");
    QuantizedTensorType type = op.getType();
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    ElementsAttr value;
    if (!matchPattern(op.getInput(), m_Constant(&value)))
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    std::optional<num::QuantScheme> scheme =
        getNumericsScheme(type, op.getEffectiveMethod());
    if (!scheme)
      return rewriter.notifyMatchFailure(op, "no numerics scheme");
    std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
    if (!scheme->check(shape).empty())
      return rewriter.notifyMatchFailure(op, "scheme does not fit the shape");
    if (succeeded(quantizeLargeSplat(op, value, *scheme, rewriter)))
      return success();
    FailureOr<std::vector<float>> data = readFloatValues(value);
    if (failed(data))
      return rewriter.notifyMatchFailure(op, "unreadable constant");
    // Stored rotated by R: quantize x R^T (in float64, then f32, as the
    // run-time lowering's f32 rotation would up to rounding).
    if (RotationAttrInterface rotation = type.getRotation())
      if (failed(rotateLines(*data, shape, *type.getRotationAxis(), rotation)))
        return rewriter.notifyMatchFailure(op, "unreadable rotation entries");

    num::QuantizedTensor q = num::quantize(data->data(), shape, *scheme);
    ConstantOp constant =
        createQuantizedConstant(rewriter, op.getLoc(), type, q);
    if (remarks) {
      std::vector<float> back = num::dequantize(q, *scheme);
      double maxAbs = 0, maxErr = 0;
      for (size_t i = 0; i < back.size(); ++i) {
        maxAbs = std::max(maxAbs, std::fabs(double((*data)[i])));
        maxErr = std::max(maxErr, std::fabs(double((*data)[i]) - back[i]));
      }
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "qc-quantize-constants: quantized with SQNR "
         << llvm::format("%.2f", num::sqnrDb(*data, back))
         << " dB against the float values, max |error| / max |x| = "
         << llvm::format("%.3g", maxAbs > 0 ? maxErr / maxAbs : 0.0);
      constant.emitRemark(text);
    }
    rewriter.replaceOp(op, constant.getResult());
    return success();
  }
};

struct QuantizeConstantsPass
    : mlir::qc::impl::QuantizeConstantsBase<QuantizeConstantsPass> {
  using QuantizeConstantsBase::QuantizeConstantsBase;
  void runOnOperation() override {
    // A dense_resource blob whose size is not its type's is an error here,
    // before anything reads it.
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    patterns.add<QuantizeConstant>(&getContext(), remarks);
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
    // A constant input left unquantized is quantized at run time; say why
    // when the reason is its data (elided, too large), which the user can
    // act on.
    getOperation()->walk([](QuantizeOp op) {
      ElementsAttr value;
      if (op.getScales() || !op.getType().hasStaticShape() ||
          !matchPattern(op.getInput(), m_Constant(&value)))
        return;
      std::string why = whyUnreadable(value);
      if (!why.empty())
        op.emitWarning("qc-quantize-constants: left to run time: ") << why;
    });
  }
};
} // namespace
