//===- QC.cpp - C API of the qc dialect -----------------------------------===//

#include "qc-c/QC.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCTypes.h"
#include "qc/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/CAPI/Support.h"

using namespace mlir;
using namespace mlir::qc;

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(QC, qc, mlir::qc::QCDialect)

void mlirQCRegisterAllDialects(MlirDialectRegistry registry) {
  mlir::qc::registerAllDialects(*unwrap(registry));
}

void mlirQCRegisterAllPasses(void) { mlir::qc::registerAllPasses(); }

MlirAttribute mlirQCIntGridAttrGet(MlirContext ctx, unsigned width,
                                   bool isSigned, bool narrow) {
  return wrap(IntGridAttr::get(unwrap(ctx), width, isSigned, narrow));
}

bool mlirAttributeIsAQCIntGrid(MlirAttribute attr) {
  return isa<IntGridAttr>(unwrap(attr));
}

MlirAttribute mlirQCNF4GridAttrGet(MlirContext ctx) {
  return wrap(NF4GridAttr::get(unwrap(ctx)));
}

bool mlirAttributeIsAQCGrid(MlirAttribute attr) {
  return isa<GridAttrInterface>(unwrap(attr));
}

unsigned mlirQCGridAttrGetCodeBits(MlirAttribute grid) {
  return cast<GridAttrInterface>(unwrap(grid)).getCodeBits();
}

MlirAttribute mlirQCPerTensorAttrGet(MlirContext ctx) {
  return wrap(PerTensorAttr::get(unwrap(ctx)));
}

MlirAttribute mlirQCPerAxisAttrGet(MlirContext ctx, int64_t axis) {
  return wrap(PerAxisAttr::get(unwrap(ctx), axis));
}

MlirAttribute mlirQCPerBlockAttrGet(MlirContext ctx, intptr_t rank,
                                    const int64_t *sizes) {
  return wrap(PerBlockAttr::get(unwrap(ctx), ArrayRef<int64_t>(sizes, rank)));
}

bool mlirAttributeIsAQCGranularity(MlirAttribute attr) {
  return isa<GranularityAttrInterface>(unwrap(attr));
}

bool mlirTypeIsAQCQuantizedTensor(MlirType type) {
  return isa<QuantizedTensorType>(unwrap(type));
}

MlirTypeID mlirQCQuantizedTensorTypeGetTypeID(void) {
  return wrap(QuantizedTensorType::getTypeID());
}

MlirType mlirQCQuantizedTensorTypeGetChecked(
    MlirLocation loc, intptr_t rank, const int64_t *shape, MlirAttribute grid,
    MlirAttribute granularity, MlirType scaleType, MlirType zeroPointType) {
  Location l = unwrap(loc);
  auto g = dyn_cast_or_null<GridAttrInterface>(unwrap(grid));
  auto gran = dyn_cast_or_null<GranularityAttrInterface>(unwrap(granularity));
  if (!g || !gran) {
    emitError(l, "!qc.qtensor needs a qc grid and a qc granularity attribute");
    return MlirType{nullptr};
  }
  return wrap(QuantizedTensorType::getChecked(
      [&] { return emitError(l); }, l.getContext(),
      ArrayRef<int64_t>(shape, rank), g, gran, unwrap(scaleType),
      zeroPointType.ptr ? unwrap(zeroPointType) : Type()));
}

static QuantizedTensorType qtensor(MlirType type) {
  return cast<QuantizedTensorType>(unwrap(type));
}

intptr_t mlirQCQuantizedTensorTypeGetRank(MlirType type) {
  return qtensor(type).getRank();
}

int64_t mlirQCQuantizedTensorTypeGetDimSize(MlirType type, intptr_t dim) {
  return qtensor(type).getShape()[dim];
}

MlirAttribute mlirQCQuantizedTensorTypeGetGrid(MlirType type) {
  return wrap(Attribute(qtensor(type).getGrid()));
}

MlirAttribute mlirQCQuantizedTensorTypeGetGranularity(MlirType type) {
  return wrap(Attribute(qtensor(type).getGranularity()));
}

MlirType mlirQCQuantizedTensorTypeGetScaleType(MlirType type) {
  return wrap(qtensor(type).getScaleType());
}

MlirType mlirQCQuantizedTensorTypeGetZeroPointType(MlirType type) {
  return wrap(qtensor(type).getZeroPointType());
}

MlirType mlirQCQuantizedTensorTypeGetMinType(MlirType type) {
  return wrap(qtensor(type).getMinType());
}

MlirType mlirQCQuantizedTensorTypeGetOuterMinType(MlirType type) {
  return wrap(qtensor(type).getOuterMinType());
}

MlirType mlirQCQuantizedTensorTypeGetCodesType(MlirType type) {
  return wrap(Type(qtensor(type).getCodesTensorType()));
}

MlirType mlirQCQuantizedTensorTypeGetScalesType(MlirType type) {
  return wrap(Type(qtensor(type).getScalesTensorType()));
}
