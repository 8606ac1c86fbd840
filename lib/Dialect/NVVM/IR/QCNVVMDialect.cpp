//===- QCNVVMDialect.cpp - qc's NVIDIA-side attributes --------------------===//
//
// #qc_nvvm.mma_fragments: the W4A16 kernel's weight layout, with its
// verifier, packing and code positions, all from numerics::mmaFragmentIndex.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/NVVM/IR/QCNVVMDialect.h"

#include "qc/Numerics/Packing.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::nvvm;

#include "qc/Dialect/NVVM/IR/QCNVVMDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/NVVM/IR/QCNVVMAttributes.cpp.inc"

void QCNVVMDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qc/Dialect/NVVM/IR/QCNVVMAttributes.cpp.inc"
      >();
}

bool MMAFragmentsLayoutAttr::isOffsetBinary(GridAttrInterface grid) {
  auto ints = dyn_cast<IntGridAttr>(grid);
  return ints && ints.getIsSigned();
}

LogicalResult MMAFragmentsLayoutAttr::verifyForType(
    function_ref<InFlightDiagnostic()> emitError, ArrayRef<int64_t> shape,
    GridAttrInterface grid) const {
  if (shape.size() != 2 || ShapedType::isDynamicShape(shape))
    return emitError() << "layout " << *this << " needs a rank-2 static shape";
  if (grid.getCodeBits() != 4)
    return emitError() << "layout " << *this << " holds 4-bit codes, not "
                       << grid.getCodeBits() << "-bit " << grid;
  if (shape[0] % 16 != 0 || shape[1] % 64 != 0)
    return emitError() << "layout " << *this << " needs rows in multiples "
                       << "of 16 and columns in multiples of 64, got "
                       << shape[0] << "x" << shape[1];
  return success();
}

std::vector<uint8_t> MMAFragmentsLayoutAttr::packCodes(
    const std::vector<uint8_t> &codes, ArrayRef<int64_t> shape,
    GridAttrInterface grid) const {
  return numerics::packMMAFragments(codes, shape[0], shape[1],
                                    isOffsetBinary(grid));
}

namespace {
/// An IR index value with the arithmetic numerics::mmaFragmentIndex is
/// written in.
struct IndexValue {
  IndexArithmetic *arith;
  Value v;
  IndexValue operator+(const IndexValue &o) const {
    return {arith, arith->add(v, o.v)};
  }
  IndexValue operator*(int64_t c) const { return {arith, arith->mul(v, c)}; }
  IndexValue operator/(int64_t c) const { return {arith, arith->div(v, c)}; }
  IndexValue operator%(int64_t c) const { return {arith, arith->rem(v, c)}; }
};
} // namespace

bool MMAFragmentsLayoutAttr::hasCodePositions() const { return true; }

void MMAFragmentsLayoutAttr::buildCodePosition(
    IndexArithmetic &arith, Value n, Value k, ArrayRef<int64_t> shape,
    Value &byte, Value &shift) const {
  numerics::MMAFragmentIndex<IndexValue> at = numerics::mmaFragmentIndex(
      IndexValue{&arith, n}, IndexValue{&arith, k}, shape[1]);
  byte = at.byte.v;
  shift = at.shift.v;
}

unsigned MMAFragmentsLayoutAttr::getStoredCodeXor(GridAttrInterface grid) const {
  return isOffsetBinary(grid) ? 8 : 0;
}
