//===- ConstantUtils.cpp - reading and writing constant tensors -----------===//

#include "qc/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APFloat.h"

#include <cstring>

using namespace mlir;

/// The blob of a dense_resource attribute when it holds exactly
/// `elementBytes` bytes per element of its type.
static std::optional<ArrayRef<char>>
blobData(DenseResourceElementsAttr resource, size_t elementBytes) {
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  int64_t count = cast<ShapedType>(resource.getType()).getNumElements();
  if (data.size() != size_t(count) * elementBytes)
    return std::nullopt;
  return data;
}

FailureOr<std::vector<double>> mlir::qc::readDoubleValues(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  auto floatType = dyn_cast<FloatType>(type.getElementType());
  if (!floatType)
    return failure();
  std::vector<double> out;
  out.reserve(type.getNumElements());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    unsigned width = floatType.getWidth();
    if (width != 16 && width != 32 && width != 64)
      return failure();
    std::optional<ArrayRef<char>> data = blobData(resource, width / 8);
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
  if (!type.getElementType().isInteger(8))
    return failure();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<char>> data = blobData(resource, 1);
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

ElementsAttr mlir::qc::createBlobAttr(ShapedType type, StringRef name,
                                      ArrayRef<char> data, size_t align) {
  return DenseResourceElementsAttr::get(
      type, name, HeapAsmResourceBlob::allocateAndCopyWithAlign(data, align));
}

bool mlir::qc::isFloatConstant(Value v) {
  return v && isa<FloatType>(getElementTypeOrSelf(v.getType())) &&
         matchPattern(v, m_Constant());
}

std::optional<std::vector<double>> mlir::qc::readFloatConstant(Value v) {
  ElementsAttr attr;
  if (!v || !isa<FloatType>(getElementTypeOrSelf(v.getType())) ||
      !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  FailureOr<std::vector<float>> values = readFloatValues(attr);
  if (failed(values))
    return std::nullopt;
  return std::vector<double>(values->begin(), values->end());
}

Value mlir::qc::createF32Constant(OpBuilder &b, Location loc,
                                  ArrayRef<int64_t> shape,
                                  const std::vector<double> &values) {
  SmallVector<float> f(values.begin(), values.end());
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<float>(f)));
}
