//===- ConstantValues.cpp - float values of constant attributes -----------===//

#include "ConstantValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;

/// The float values of a constant, widened to f32 (exactly, for the f16,
/// bf16 and f32 inputs quantize accepts; wider types are rounded).
FailureOr<std::vector<float>> mlir::qc::readFloatValues(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  std::vector<float> out;
  out.reserve(type.getNumElements());
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data)
      return failure();
    out.assign(data->begin(), data->end());
    return out;
  }
  auto dense = dyn_cast<DenseFPElementsAttr>(attr);
  if (!dense)
    return failure();
  if (type.getElementType().isF32()) {
    for (float v : dense.getValues<float>())
      out.push_back(v);
    return out;
  }
  for (APFloat v : dense.getValues<APFloat>()) {
    bool lost;
    v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    out.push_back(v.convertToFloat());
  }
  return out;
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
