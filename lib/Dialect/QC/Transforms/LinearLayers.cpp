//===- LinearLayers.cpp - Float Linear layers and quantization formats ----===//

#include "LinearLayers.h"

#include "qc/Dialect/QC/Transforms/QuantizedConstant.h"
#include "qc/Numerics/Gptq.h"
#include "qc/Utils/ConstantUtils.h"
#include "mlir/IR/Matchers.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"

#include <type_traits>
#include "llvm/Support/Regex.h"

#include <cmath>

using namespace mlir;
namespace num = ::mlir::qc::numerics;
using namespace mlir::qc;
using namespace mlir::qc::linear;

namespace {
/// Reads the parts of a format from `text` with MLIR's parsers, advancing
/// it past what was read.
struct TemplateParser {
  ModuleOp module;
  StringRef option;
  StringRef &text;
  std::string parseError;

  InFlightDiagnostic fail(StringRef expected) {
    InFlightDiagnostic d = mlir::emitError(module.getLoc(), "'")
                           << option << "': expected " << expected << " at '"
                           << text.trim() << "'";
    if (!parseError.empty())
      d << " (" << parseError << ")";
    return d;
  }
  template <typename T> T parse(bool isType) {
    text = text.ltrim();
    size_t read = 0;
    parseError.clear();
    ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &d) {
      parseError = d.str();
      return success();
    });
    T value;
    if constexpr (std::is_same_v<T, Type>)
      value = parseType(text, module.getContext(), &read);
    else
      value = parseAttribute(text, module.getContext(), Type(), &read);
    if (value)
      text = text.drop_front(read);
    return value;
  }
  bool consume(StringRef token) {
    text = text.ltrim();
    return text.consume_front(token);
  }
  /// `GRANULARITY` after a scale type.
  GranularityAttrInterface granularity() {
    return dyn_cast_or_null<GranularityAttrInterface>(parse<Attribute>(false));
  }

  FailureOr<TypeTemplate> run() {
    TypeTemplate t;
    t.grid = dyn_cast_or_null<GridAttrInterface>(parse<Attribute>(false));
    if (!t.grid)
      return fail("a grid (#qc.int<s4>, #qc.nf4, ...) starting a format such "
                  "as '#qc.int<s4>, f16 #qc.per_block<[1, 128]>'"),
             failure();
    if (!consume(","))
      return fail("',' after the grid"), failure();
    t.scaleType = parse<Type>(true);
    if (!t.scaleType || !isa<FloatType>(t.scaleType))
      return fail("a float scale type"), failure();
    t.granularity = granularity();
    if (!t.granularity)
      return fail("a granularity (#qc.per_tensor, #qc.per_axis<...>, "
                  "#qc.per_block<[...]>)"),
             failure();
    while (consume(",")) {
      if (consume("zero_point")) {
        t.zeroPointType = parse<Type>(true);
        if (!t.zeroPointType)
          return fail("a zero-point type"), failure();
      } else if (consume("outer")) {
        t.outerScaleType = parse<Type>(true);
        t.outerGranularity = t.outerScaleType ? granularity()
                                              : GranularityAttrInterface();
        if (!t.outerGranularity)
          return fail("an outer scale type and granularity"), failure();
      } else {
        return fail("'zero_point' or 'outer'"), failure();
      }
    }
    return t;
  }
};
} // namespace

FailureOr<SmallVector<Format>>
linear::parseFormats(ModuleOp module, StringRef option, StringRef list,
                     StringRef defaultActivation) {
  SmallVector<Format> formats;
  TypeTemplate defaultAct;
  if (!defaultActivation.trim().empty()) {
    StringRef text = defaultActivation;
    FailureOr<TypeTemplate> t =
        TemplateParser{module, "act-format", text, {}}.run();
    if (failed(t))
      return failure();
    if (!text.trim().empty())
      return mlir::emitError(module.getLoc(), "'act-format': unexpected '")
             << text.trim() << "' after the format";
    defaultAct = *t;
  }
  SmallVector<StringRef> items;
  list.split(items, ';', -1, /*KeepEmpty=*/false);
  for (StringRef item : items) {
    if (item.trim().empty())
      continue;
    Format f;
    f.text = item.trim().str();
    StringRef text = item;
    // The weight's part ends where ' act ' begins.
    size_t act = text.find(" act ");
    StringRef weightText = text.substr(0, act);
    FailureOr<TypeTemplate> w =
        TemplateParser{module, option, weightText, {}}.run();
    if (failed(w))
      return failure();
    if (!weightText.trim().empty())
      return mlir::emitError(module.getLoc(), "'")
             << option << "': unexpected '" << weightText.trim()
             << "' after a format (formats are separated by ';', an "
                "activation format follows 'act')";
    f.weight = *w;
    if (act != StringRef::npos) {
      StringRef actText = text.substr(act + 5);
      FailureOr<TypeTemplate> a =
          TemplateParser{module, option, actText, {}}.run();
      if (failed(a))
        return failure();
      if (!actText.trim().empty())
        return mlir::emitError(module.getLoc(), "'")
               << option << "': unexpected '" << actText.trim()
               << "' after an activation format";
      f.activation = *a;
    } else if (defaultAct) {
      f.activation = defaultAct;
      f.text += " act " + defaultActivation.trim().str();
    }
    formats.push_back(f);
  }
  return formats;
}

std::string linear::layerName(MatmulOp matmul, size_t index) {
  if (auto name = matmul->getAttrOfType<StringAttr>("qc.name"))
    return name.str();
  Location loc = matmul.getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location l : fused.getLocations())
      if (isa<NameLoc>(l)) {
        loc = l;
        break;
      }
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  return "matmul" + std::to_string(index);
}

FailureOr<SmallVector<Layer>>
linear::collectLayers(ModuleOp module, StringRef skip,
                      SmallVectorImpl<LeftFloat> *leftFloat) {
  llvm::Regex skipRegex(skip);
  std::string regexError;
  if (!skip.empty() && !skipRegex.isValid(regexError))
    return mlir::emitError(module.getLoc(), "'skip': not a regular expression: ")
           << regexError;
  SmallVector<Layer> layers;
  size_t index = 0;
  module.walk([&](MatmulOp matmul) {
    std::string name = layerName(matmul, index++);
    auto w = dyn_cast<RankedTensorType>(matmul.getRhs().getType());
    if (!w)
      return; // quantized already
    std::string why;
    if (!isFloatConstant(matmul.getRhs()))
      why = "its weight is not a constant";
    else if (!isa<RankedTensorType>(matmul.getLhs().getType()))
      why = "its activation is quantized already";
    else if (matmul->hasAttr("qc.skip"))
      why = "it has a qc.skip attribute";
    else if (!skip.empty() && skipRegex.match(name))
      why = "its name matches skip='" + skip.str() + "'";
    if (!why.empty()) {
      if (leftFloat)
        leftFloat->push_back({matmul, name, why});
      return;
    }
    layers.push_back({matmul, name, w.getDimSize(0), w.getDimSize(1)});
  });
  return layers;
}

linear::Format linear::policyFormat(MLIRContext *ctx, QuantizePolicy policy) {
  Builder b(ctx);
  auto int4 = IntGridAttr::get(ctx, 4, /*isSigned=*/true, /*narrow=*/false);
  auto groups = [&](int64_t g) {
    return PerBlockAttr::get(ctx, ArrayRef<int64_t>{1, g});
  };
  Format f;
  f.weight.scaleType = b.getF16Type();
  switch (policy) {
  case QuantizePolicy::Custom:
    return Format();
  case QuantizePolicy::W4G128:
  case QuantizePolicy::W4A8:
    f.weight.grid = int4;
    f.weight.granularity = groups(128);
    break;
  case QuantizePolicy::W4G64:
    f.weight.grid = int4;
    f.weight.granularity = groups(64);
    break;
  case QuantizePolicy::NF4G64:
    f.weight.grid = NF4GridAttr::get(ctx);
    f.weight.granularity = groups(64);
    break;
  case QuantizePolicy::W8A8:
    // Narrow, so that AVX2's kernel (the sign trick) takes it too.
    f.weight.grid = IntGridAttr::get(ctx, 8, /*isSigned=*/true, /*narrow=*/true);
    f.weight.granularity = PerAxisAttr::get(ctx, 0);
    f.weight.scaleType = b.getF32Type();
    break;
  }
  llvm::raw_string_ostream os(f.text);
  os << f.weight.grid << ", " << f.weight.scaleType << " "
     << f.weight.granularity;
  if (policy == QuantizePolicy::W4A8 || policy == QuantizePolicy::W8A8) {
    f.activation.grid =
        IntGridAttr::get(ctx, 8, /*isSigned=*/true, /*narrow=*/false);
    f.activation.granularity = groups(32);
    f.activation.scaleType = b.getF32Type();
    os << " act " << f.activation.grid << ", " << f.activation.scaleType
       << " " << f.activation.granularity;
  }
  return f;
}

QuantizedTensorType linear::instantiate(const TypeTemplate &format,
                                        ArrayRef<int64_t> shape,
                                        std::string &why) {
  // The verifier's message, caught.
  MLIRContext *ctx = format.grid.getContext();
  std::string message;
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &d) {
    message = d.str();
    return success();
  });
  auto emit = [&] { return emitError(UnknownLoc::get(ctx)); };
  QuantizedTensorType type = QuantizedTensorType::getChecked(
      emit, ctx, shape, format.grid, format.granularity, format.scaleType,
      format.zeroPointType, format.outerGranularity, format.outerScaleType,
      LayoutAttrInterface(), RotationAttrInterface(), std::optional<int64_t>());
  if (!type)
    why = message;
  return type;
}

/// Bits of one element of a scale or zero-point type.
static int64_t elementBits(Type t) {
  return t ? int64_t(t.getIntOrFloatBitWidth()) : 0;
}

double linear::storageBits(QuantizedTensorType type) {
  auto bytesOf = [](RankedTensorType part, int64_t bits) -> double {
    if (!part)
      return 0;
    return double((part.getNumElements() * bits + 7) / 8) * 8;
  };
  return bytesOf(type.getCodesTensorType(), type.getGrid().getCodeBits()) +
         bytesOf(type.getScalesTensorType(), elementBits(type.getScaleType())) +
         bytesOf(type.getZeroPointsTensorType(),
                 elementBits(type.getZeroPointType())) +
         bytesOf(type.getOuterScalesTensorType(),
                 elementBits(type.getOuterScaleType())) +
         bytesOf(type.getMinsTensorType(), elementBits(type.getMinType())) +
         bytesOf(type.getOuterMinsTensorType(),
                 elementBits(type.getOuterMinType()));
}

std::string linear::whyUnfit(const Layer &layer, const Format &format,
                             ScaleMethod method) {
  MatmulOp matmul = layer.matmul;
  MLIRContext *ctx = matmul.getContext();
  std::string why;
  QuantizedTensorType w =
      instantiate(format.weight, {layer.rows, layer.cols}, why);
  QuantizedTensorType a;
  auto lhsType = cast<RankedTensorType>(matmul.getLhs().getType());
  if (w && format.activation)
    a = instantiate(format.activation, lhsType.getShape(), why);
  auto prefix = [&] {
    return "layer '" + layer.name + "' (" + std::to_string(layer.rows) +
           " x " + std::to_string(layer.cols) + ") cannot take the format " +
           format.text + ": ";
  };
  if (!w || (format.activation && !a))
    return prefix() + why;
  // The quantizers' own checks (a method the type cannot take, say), as the
  // verifier makes them, without creating the ops.
  std::string message;
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &d) {
    message = d.str();
    return success();
  });
  auto emit = [&] { return emitError(matmul.getLoc()); };
  if (failed(QuantizeOp::verifyComputedScales(emit, w, method)) ||
      (a && failed(QuantizeOp::verifyComputedScales(emit, a,
                                                    ScaleMethod::absmax))))
    return prefix() + message;
  return "";
}

void linear::quantizeLayer(RewriterBase &rewriter, const Layer &layer,
                           const Format &format, ScaleMethod method,
                           const num::QuantizedTensor *weight) {
  MatmulOp matmul = layer.matmul;
  std::string why;
  QuantizedTensorType w =
      instantiate(format.weight, {layer.rows, layer.cols}, why);
  QuantizedTensorType a;
  if (format.activation)
    a = instantiate(format.activation,
                    cast<RankedTensorType>(matmul.getLhs().getType()).getShape(),
                    why);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(matmul);
  Location loc = matmul.getLoc();
  Value wq;
  Operation *floatWeight = matmul.getRhs().getDefiningOp();
  if (weight) {
    wq = createQuantizedConstant(rewriter, loc, w, *weight).getResult();
  } else {
    auto methodAttr = ScaleMethodAttr::get(rewriter.getContext(), method);
    wq = QuantizeOp::create(rewriter, loc, w, matmul.getRhs(), Value(),
                            Value(), Value(), methodAttr, RoundingAttr())
             .getResult();
  }
  QuantizeOp aq;
  if (a)
    aq = QuantizeOp::create(rewriter, loc, a, matmul.getLhs(), Value(),
                            Value(), Value(), ScaleMethodAttr(),
                            RoundingAttr());
  rewriter.modifyOpInPlace(matmul, [&] {
    matmul.getRhsMutable().assign(wq);
    if (aq)
      matmul.getLhsMutable().assign(aq.getResult());
  });
  // The float weight GPTQ replaced, when nothing else reads it.
  if (weight && floatWeight && floatWeight->use_empty())
    rewriter.eraseOp(floatWeight);
}

FailureOr<std::vector<double>> linear::readActGram(const Layer &layer,
                                                   StringRef pass) {
  auto attr = layer.matmul->getAttrOfType<ElementsAttr>("qc.act_gram");
  auto fail = [&](StringRef what) {
    return layer.matmul.emitError(pass)
           << ": layer '" << layer.name << "' needs a 'qc.act_gram' attribute, "
           << "the Gram matrix X^T X of its activation over calibration "
           << "inputs (" << layer.cols << " x " << layer.cols
           << " finite floats, symmetric): " << what;
  };
  if (!attr)
    return fail(layer.matmul->hasAttr("qc.act_gram") ? "it is not a tensor"
                                                      : "it has none");
  auto type = dyn_cast<ShapedType>(attr.getType());
  if (!type || !type.hasStaticShape() || type.getRank() != 2 ||
      type.getDimSize(0) != layer.cols || type.getDimSize(1) != layer.cols)
  {
    std::string t;
    llvm::raw_string_ostream os(t);
    os << attr.getType();
    return fail("its type is " + t);
  }
  FailureOr<std::vector<double>> values = readDoubleValues(attr);
  if (failed(values))
    return fail("its values cannot be read: " + whyUnreadable(attr));
  int64_t k = layer.cols;
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j <= i; ++j) {
      double a = (*values)[i * k + j], b = (*values)[j * k + i];
      if (!std::isfinite(a))
        return fail("entry (" + std::to_string(i) + ", " + std::to_string(j) +
                    ") is not finite");
      if (std::fabs(a - b) > 1e-5 * std::max(std::fabs(a), std::fabs(b)))
        return fail("it is not symmetric at (" + std::to_string(i) + ", " +
                    std::to_string(j) + ")");
    }
  return values;
}

std::optional<num::QuantizedTensor>
linear::gptqWeight(const Layer &layer, const Format &format, ScaleMethod method,
                   ArrayRef<double> gram, double damp, std::string &why) {
  QuantizedTensorType type =
      instantiate(format.weight, {layer.rows, layer.cols}, why);
  std::optional<num::QuantScheme> scheme =
      type ? getNumericsScheme(type, method) : std::nullopt;
  if (!scheme) {
    if (why.empty())
      why = "its scale or zero-point types have no numerics equivalent";
    return std::nullopt;
  }
  std::vector<int64_t> shape = {layer.rows, layer.cols};
  why = num::checkGptq(shape, *scheme);
  if (!why.empty())
    return std::nullopt;
  ElementsAttr attr;
  (void)matchPattern(layer.matmul.getRhs(), m_Constant(&attr));
  FailureOr<std::vector<float>> w = readFloatValues(attr);
  if (failed(w)) {
    why = "its weight cannot be read: " + whyUnreadable(attr);
    return std::nullopt;
  }
  num::QuantizedTensor q =
      num::quantizeGptq(w->data(), shape, gram.data(), *scheme, damp, why);
  if (!why.empty())
    return std::nullopt;
  return q;
}
