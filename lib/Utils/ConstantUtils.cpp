//===- ConstantUtils.cpp - reading and writing constant tensors -----------===//

#include "qc/Utils/ConstantUtils.h"

#include <cmath>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qc;

std::optional<int64_t> mlir::qc::checkedElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape)
    if (ShapedType::isDynamic(d) || d < 0 ||
        llvm::MulOverflow(count, d, count))
      return std::nullopt;
  return count;
}

std::optional<int64_t> mlir::qc::expectedBlobBytes(ShapedType type) {
  if (!type.hasRank() || !type.getElementType().isIntOrFloat())
    return std::nullopt;
  std::optional<int64_t> count = checkedElementCount(type.getShape());
  int64_t bytes;
  if (!count ||
      llvm::MulOverflow(*count,
                        int64_t(llvm::divideCeil(
                            type.getElementType().getIntOrFloatBitWidth(), 8)),
                        bytes))
    return std::nullopt;
  return bytes;
}

namespace {
/// The loaded blob of a dense_resource attribute (null when it is elided or
/// not defined) and the bytes its type needs.
struct BlobState {
  AsmResourceBlob *blob; // null: elided or not defined
  std::optional<int64_t> expected;
  bool wrongSize() const {
    return blob && (!expected || int64_t(blob->getData().size()) != *expected);
  }
};
} // namespace

/// The BlobState of a dense_resource attribute; nullopt for another one.
static std::optional<BlobState> blobState(ElementsAttr attr) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  return BlobState{resource.getRawHandle().getBlob(),
                   expectedBlobBytes(cast<ShapedType>(attr.getType()))};
}

static std::string describeBlobSize(DenseResourceElementsAttr resource,
                                    const BlobState &state) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "the dense_resource blob '" << resource.getRawHandle().getKey()
     << "' holds " << state.blob->getData().size() << " bytes where "
     << resource.getType();
  if (state.expected)
    os << " needs " << *state.expected;
  else
    os << " has no size that fits in 64 bits";
  return text;
}

LogicalResult
mlir::qc::verifyBlobSize(ElementsAttr attr,
                         function_ref<InFlightDiagnostic()> emitError,
                         StringRef what) {
  std::optional<BlobState> state = blobState(attr);
  if (!state || !state->wrongSize())
    return success();
  return emitError() << what << ": "
                     << describeBlobSize(
                            cast<DenseResourceElementsAttr>(attr), *state);
}

LogicalResult mlir::qc::verifyConstantBlobs(Operation *root) {
  bool ok = true;
  root->walk([&](Operation *op) {
    for (NamedAttribute named : op->getAttrs())
      if (auto attr = dyn_cast<ElementsAttr>(named.getValue()))
        ok &= succeeded(verifyBlobSize(
            attr, [&] { return op->emitOpError(); },
            Twine("attribute '" + named.getName().getValue() + "'").str()));
  });
  return success(ok);
}

std::string mlir::qc::whyUnreadable(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  std::optional<int64_t> count =
      type.hasRank() ? checkedElementCount(type.getShape()) : std::nullopt;
  if (!count || *count > kMaxConstantElements) {
    std::string text;
    llvm::raw_string_ostream(text)
        << "the constant " << type << " has more than 2^28 = "
        << kMaxConstantElements
        << " elements, the most qc reads at compile time";
    return text;
  }
  if (std::optional<BlobState> state = blobState(attr)) {
    auto resource = cast<DenseResourceElementsAttr>(attr);
    if (!state->blob)
      return "the dense_resource blob '" +
             resource.getRawHandle().getKey().str() +
             "' is elided or not defined in the file";
    if (state->wrongSize())
      return describeBlobSize(resource, *state);
  }
  Type element = type.getElementType();
  bool readable = isa<DenseResourceElementsAttr>(attr)
                      ? element.isInteger(8) || element.isF16() ||
                            element.isBF16() || element.isF32() ||
                            element.isF64()
                      : isa<DenseIntOrFPElementsAttr>(attr);
  if (!readable) {
    std::string text;
    llvm::raw_string_ostream(text)
        << "qc does not read constants of " << type << " held as "
        << (isa<DenseResourceElementsAttr>(attr) ? "dense_resource"
                                                 : "this attribute kind");
    return text;
  }
  return "";
}

/// The bytes of a dense_resource attribute when its blob is there and holds
/// exactly what its type needs (the element width in whole bytes per
/// element).
static std::optional<ArrayRef<char>>
blobData(DenseResourceElementsAttr resource) {
  BlobState state = *blobState(resource);
  if (!state.blob || state.wrongSize())
    return std::nullopt;
  return state.blob->getData();
}

/// Whether a constant of `type` is small enough to read.
static bool withinReadLimit(ShapedType type) {
  std::optional<int64_t> count =
      type.hasRank() ? checkedElementCount(type.getShape()) : std::nullopt;
  return count && *count <= mlir::qc::kMaxConstantElements;
}

FailureOr<std::vector<double>> mlir::qc::readDoubleValues(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  if (!withinReadLimit(type))
    return failure();
  auto floatType = dyn_cast<FloatType>(type.getElementType());
  if (!floatType)
    return failure();
  std::vector<double> out;
  out.reserve(type.getNumElements());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    unsigned width = floatType.getWidth();
    if (width != 16 && width != 32 && width != 64)
      return failure();
    std::optional<ArrayRef<char>> data = blobData(resource);
    if (!data)
      return failure();
    // (f32 and f64 directly: through APFloat, a 4096 x 4096 matrix took
    // 1.7 s.)
    if (floatType.isF32() || floatType.isF64()) {
      out.resize(data->size() / (width / 8));
      if (width == 64) {
        std::memcpy(out.data(), data->data(), data->size());
        return out;
      }
      for (size_t i = 0; i < out.size(); ++i) {
        float v;
        std::memcpy(&v, data->data() + 4 * i, 4);
        out[i] = v;
      }
      return out;
    }
    for (size_t i = 0; i < data->size(); i += width / 8) {
      uint64_t bits = 0;
      std::memcpy(&bits, data->data() + i, width / 8);
      APFloat v(floatType.getFloatSemantics(), APInt(width, bits));
      out.push_back(v.convertToDouble());
    }
    return out;
  }
  auto dense = dyn_cast<DenseFPElementsAttr>(attr);
  if (!dense)
    return failure();
  if (floatType.isF64()) {
    for (double v : dense.getValues<double>())
      out.push_back(v);
  } else if (floatType.isF32()) {
    for (float v : dense.getValues<float>())
      out.push_back(v);
  } else {
    for (const APFloat &v : dense.getValues<APFloat>()) {
      APFloat d = v;
      bool lost;
      d.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      out.push_back(d.convertToDouble());
    }
  }
  return out;
}

FailureOr<std::vector<float>> mlir::qc::readFloatValues(ElementsAttr attr) {
  FailureOr<std::vector<double>> values = readDoubleValues(attr);
  if (failed(values))
    return failure();
  // Exact for f16, bf16 and f32; wider types are rounded to nearest.
  return std::vector<float>(values->begin(), values->end());
}

FailureOr<std::vector<uint8_t>> mlir::qc::readBytes(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  if (!type.getElementType().isInteger(8) || !withinReadLimit(type))
    return failure();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<char>> data = blobData(resource);
    if (!data)
      return failure();
    return std::vector<uint8_t>(data->begin(), data->end());
  }
  auto dense = dyn_cast<DenseIntElementsAttr>(attr);
  if (!dense)
    return failure();
  std::vector<uint8_t> bytes;
  bytes.reserve(type.getNumElements());
  for (const APInt &v : dense.getValues<APInt>())
    bytes.push_back(uint8_t(v.getZExtValue()));
  return bytes;
}

FailureOr<std::vector<char>>
mlir::qc::readElementBytes(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  Type element = type.getElementType();
  if (!element.isIntOrFloat() || !withinReadLimit(type))
    return failure();
  unsigned width = element.getIntOrFloatBitWidth();
  if (width != 8 && width != 16 && width != 32 && width != 64)
    return failure();
  size_t bytes = size_t(type.getNumElements()) * (width / 8);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<char>> data = blobData(resource);
    if (!data || data->size() != bytes)
      return failure();
    return std::vector<char>(data->begin(), data->end());
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return failure();
  ArrayRef<char> raw = dense.getRawData();
  if (!dense.isSplat())
    return raw.size() == bytes ? std::vector<char>(raw.begin(), raw.end())
                               : FailureOr<std::vector<char>>(failure());
  if (raw.size() != width / 8)
    return failure();
  std::vector<char> out(bytes);
  for (size_t i = 0; i < bytes; i += raw.size())
    std::memcpy(out.data() + i, raw.data(), raw.size());
  return out;
}

FailureOr<std::vector<int64_t>>
mlir::qc::readIntegerValues(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  if (!intType || intType.getWidth() > 64 || !withinReadLimit(type))
    return failure();
  std::vector<int64_t> values;
  values.reserve(type.getNumElements());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    unsigned width = intType.getWidth();
    std::optional<ArrayRef<char>> data = blobData(resource);
    if (!data || width % 8 != 0 ||
        int64_t(data->size()) != type.getNumElements() * (width / 8))
      return failure();
    // Blobs are little-endian, as the rest of qc writes them.
    for (size_t i = 0; i < data->size(); i += width / 8) {
      uint64_t bits = 0;
      for (unsigned byte = 0; byte < width / 8; ++byte)
        bits |= uint64_t(uint8_t((*data)[i + byte])) << (8 * byte);
      values.push_back(APInt(width, bits).getSExtValue());
    }
    return values;
  }
  auto dense = dyn_cast<DenseIntElementsAttr>(attr);
  if (!dense)
    return failure();
  for (const APInt &v : dense.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

ElementsAttr mlir::qc::createBlobAttr(ShapedType type, StringRef name,
                                      ArrayRef<char> data, size_t align) {
  return DenseResourceElementsAttr::get(
      type, name, HeapAsmResourceBlob::allocateAndCopyWithAlign(data, align));
}

bool mlir::qc::isFloatConstant(Value v) {
  return v && isa<FloatType>(getElementTypeOrSelf(v.getType())) &&
         matchPattern(v, m_Constant());
}

std::optional<std::vector<double>>
mlir::qc::readFloatConstant(Value v, std::string *why) {
  ElementsAttr attr;
  if (!v || !isa<FloatType>(getElementTypeOrSelf(v.getType())) ||
      !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  FailureOr<std::vector<float>> values = readFloatValues(attr);
  if (failed(values)) {
    if (why)
      *why = whyUnreadable(attr);
    return std::nullopt;
  }
  return std::vector<double>(values->begin(), values->end());
}

std::string mlir::qc::whyUnreadableFloatConstant(Value v) {
  ElementsAttr attr;
  if (!v || !isa<FloatType>(getElementTypeOrSelf(v.getType())) ||
      !matchPattern(v, m_Constant(&attr)))
    return "it is not a float constant";
  return whyUnreadable(attr);
}

Value mlir::qc::createF32Constant(OpBuilder &b, Location loc,
                                  ArrayRef<int64_t> shape,
                                  const std::vector<double> &values) {
  SmallVector<float> f(values.begin(), values.end());
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<float>(f)));
}

std::string mlir::qc::shownNumber(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  SmallString<32> text;
  APFloat(v).toString(text);
  return std::string(text);
}
