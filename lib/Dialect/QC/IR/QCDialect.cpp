//===- QCDialect.cpp - qc dialect -----------------------------------------===//

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"

using namespace mlir;
using namespace mlir::qc;

#include "qc/Dialect/QC/IR/QCDialect.cpp.inc"

void QCDialect::initialize() {
  registerAttributes();
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "qc/Dialect/QC/IR/QCOps.cpp.inc"
      >();
}

Operation *QCDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  // A qc.constant's value is the dictionary of its parts (ConstantOp::fold).
  auto parts = dyn_cast<DictionaryAttr>(value);
  auto qtype = dyn_cast<QuantizedTensorType>(type);
  if (!parts || !qtype)
    return nullptr;
  auto part = [&](StringRef name) {
    return dyn_cast_or_null<ElementsAttr>(parts.get(name));
  };
  ElementsAttr codes = part("codes"), scales = part("scales");
  if (!codes || !scales)
    return nullptr;
  return ConstantOp::create(builder, loc, qtype, codes, scales,
                            part("zero_points"), part("outer_scales"),
                            part("mins"), part("outer_mins"));
}
