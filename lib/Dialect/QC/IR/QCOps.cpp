//===- QCOps.cpp - qc operations ------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "qc/Numerics/Packing.h"
#include "qc/Utils/ConstantUtils.h"

using namespace mlir;
using namespace mlir::qc;

#define GET_OP_CLASSES
#include "qc/Dialect/QC/IR/QCOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// "4x?x16" for diagnostics.
static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      shape,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      [&] { os << 'x'; });
  return s;
}

/// A part of a quantized tensor (codes, scales, ...) must have exactly the
/// tensor type the quantized type implies, up to dynamic dimensions.
static LogicalResult verifyPartType(Operation *op, StringRef part,
                                    Type actual, RankedTensorType expected) {
  auto actualTensor = dyn_cast<RankedTensorType>(actual);
  if (actualTensor &&
      actualTensor.getElementType() == expected.getElementType() &&
      succeeded(verifyCompatibleShape(actualTensor.getShape(),
                                      expected.getShape())))
    return success();
  return op->emitOpError() << part << " must have type " << expected
                           << " (implied by the quantized type), got "
                           << actual;
}

/// Optional parts (zero points, outer scales) are present exactly when the
/// quantized type has them.
static LogicalResult verifyOptionalPart(Operation *op, StringRef part,
                                        bool given, Type actual,
                                        RankedTensorType expected) {
  if (given && !expected)
    return op->emitOpError() << "has " << part
                             << " but the quantized type has none";
  if (!given && expected)
    return op->emitOpError() << "needs " << part << " of type " << expected
                             << " (the quantized type has them)";
  if (given)
    return verifyPartType(op, part, actual, expected);
  return success();
}

static LogicalResult verifySameShape(Operation *op, ArrayRef<int64_t> a,
                                     StringRef aName, ArrayRef<int64_t> b,
                                     StringRef bName) {
  if (succeeded(verifyCompatibleShape(a, b)))
    return success();
  return op->emitOpError() << aName << " shape " << shapeString(a)
                           << " does not match " << bName << " shape "
                           << shapeString(b);
}

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  QuantizedTensorType type = getType();
  if (failed(verifySameShape(*this, getInput().getType().getShape(), "input",
                             type.getShape(), "result")))
    return failure();
  if (type.hasIntegerScalesOrMins())
    return emitOpError("cannot produce ")
           << type
           << ": qc.quantize computes float scales and zero points; "
              "integer sub-block scales and mins come with the data "
              "(qc.constant, qc.assemble, qc-import)";
  if (!roundsNearestEven()) {
    if (!isa<IntGridAttr>(type.getGrid()))
      return emitOpError("rounding<toward_zero> needs an integer grid, got ")
             << type.getGrid();
    if (!getScales())
      return emitOpError("rounding<toward_zero> needs scales(...): it models "
                         "quant.qcast, whose scales are given");
  }

  if (getScales()) {
    if (getMethod())
      return emitOpError("takes either scales(...) or a method, not both");
    if (failed(verifyPartType(*this, "scales", getScales().getType(),
                              type.getScalesTensorType())) ||
        failed(verifyOptionalPart(*this, "zero_points",
                                  bool(getZeroPoints()),
                                  getZeroPoints() ? getZeroPoints().getType()
                                                  : Type(),
                                  type.getZeroPointsTensorType())) ||
        failed(verifyOptionalPart(*this, "outer_scales",
                                  bool(getOuterScales()),
                                  getOuterScales() ? getOuterScales().getType()
                                                   : Type(),
                                  type.getOuterScalesTensorType())))
      return failure();
    return success();
  }
  if (getZeroPoints() || getOuterScales())
    return emitOpError("zero_points(...) and outer_scales(...) need scales(...)");

  return verifyComputedScales([&] { return emitOpError(); }, type,
                              getEffectiveMethod());
}

LogicalResult QuantizeOp::verifyComputedScales(
    function_ref<InFlightDiagnostic()> emitError, QuantizedTensorType type,
    ScaleMethod method) {
  bool powerOfTwo = isa<Float8E8M0FNUType>(type.getScaleType());
  if (method == ScaleMethod::mx && !powerOfTwo)
    return emitError() << "method mx (OCP Microscaling) needs f8E8M0FNU "
                          "scales, got "
                       << type.getScaleType();
  if (method != ScaleMethod::mx && powerOfTwo)
    return emitError() << "f8E8M0FNU scales are computed by method mx, got "
                          "method "
                       << stringifyScaleMethod(method);
  if (method == ScaleMethod::minmax && !type.hasZeroPoints())
    return emitError()
           << "method minmax needs a zero point in the result type";
  if (type.hasOuterScales() && method != ScaleMethod::absmax &&
      method != ScaleMethod::absmean)
    return emitError() << "two-level scales need method absmax or absmean, "
                          "got "
                       << stringifyScaleMethod(method);
  // The symmetric methods divide the largest magnitude by the grid's
  // largest value: 0 for #qc.int<s1> ({-1, 0}), an infinite scale.
  bool symmetric = method == ScaleMethod::absmax || method == ScaleMethod::mx ||
                   (method == ScaleMethod::mse && !type.hasZeroPoints());
  if (symmetric && type.getGrid().getNumericsGrid().maxPositive() == 0)
    return emitError() << "method " << stringifyScaleMethod(method)
                       << " divides the largest magnitude by the grid's "
                          "largest value, which is 0 for "
                       << type.getGrid()
                       << ": use method minmax with a zero point, "
                          "#qc.binary or #qc.int<u1>";
  return success();
}

//===----------------------------------------------------------------------===//
// DequantizeOp
//===----------------------------------------------------------------------===//

LogicalResult DequantizeOp::verify() {
  auto type = cast<QuantizedTensorType>(getInput().getType());
  return verifySameShape(*this, type.getShape(), "input",
                         getResult().getType().getShape(), "result");
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

static ArrayRef<int64_t> getShapeOf(Type type) {
  if (auto q = dyn_cast<QuantizedTensorType>(type))
    return q.getShape();
  return cast<RankedTensorType>(type).getShape();
}

/// "?" or the number, for diagnostics.
static std::string dimString(int64_t d) {
  return ShapedType::isDynamic(d) ? "?" : std::to_string(d);
}

LogicalResult RMSNormOp::verify() {
  auto type = cast<RankedTensorType>(getInput().getType());
  if (type.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  if (Value weight = getWeight()) {
    auto w = cast<RankedTensorType>(weight.getType());
    int64_t n = type.getShape().back();
    if (w.getRank() != 1 ||
        failed(verifyCompatibleDims({w.getDimSize(0), n})))
      return emitOpError("weight must be a vector of the last axis' ")
             << dimString(n) << " elements, got shape "
             << shapeString(w.getShape());
  }
  if (!(getEpsilon().convertToFloat() >= 0.0f))
    return emitOpError("epsilon must be >= 0, got ")
           << getEpsilon().convertToFloat();
  return success();
}

LogicalResult RotateOp::verify() {
  auto type = cast<RankedTensorType>(getInput().getType());
  int64_t axis = getAxis();
  if (axis < 0 || axis >= type.getRank())
    return emitOpError("axis ") << axis << " is out of range for a rank-"
                                << type.getRank() << " tensor";
  int64_t n = getRotation().getSize();
  if (type.isDynamicDim(axis))
    return emitOpError("rotates along dimension ")
           << axis << ", which must be static (the rotation has size " << n
           << ")";
  if (type.getDimSize(axis) != n)
    return emitOpError("rotation of size ")
           << n << " along dimension " << axis << " of size "
           << type.getDimSize(axis)
           << ": the sizes must be equal (zero padding is not orthogonal)";
  return getRotation().verifyEntries([&] { return emitOpError(); });
}

LogicalResult MatmulOp::verify() {
  ArrayRef<int64_t> a = getShapeOf(getLhs().getType());
  ArrayRef<int64_t> w = getShapeOf(getRhs().getType());
  ArrayRef<int64_t> y = getResult().getType().getShape();
  if (a.size() != 2)
    return emitOpError("lhs must be an M x K matrix, got rank ") << a.size();
  if (w.size() != 2)
    return emitOpError("weight must be an N x K matrix (Linear layout), got "
                       "rank ")
           << w.size();
  if (failed(verifyCompatibleDims({a[1], w[1]})))
    return emitOpError("reduction sizes differ: lhs is M x K with K = ")
           << dimString(a[1]) << ", weight is N x K with K = "
           << dimString(w[1]);
  if (Value bias = getBias()) {
    ArrayRef<int64_t> b = cast<RankedTensorType>(bias.getType()).getShape();
    if (b.size() != 1 || failed(verifyCompatibleDims({b[0], w[0]})))
      return emitOpError("bias must be a vector of N = ")
             << dimString(w[0]) << " elements, got shape " << shapeString(b);
  }
  SmallVector<int64_t> expected = {a[0], w[0]};
  if (y.size() != 2 || failed(verifyCompatibleShape(y, expected)))
    return emitOpError("result must be M x N = ")
           << shapeString(expected) << ", got " << shapeString(y);
  if (Value acc = getAccumulate(); acc && acc.getType() != getType())
    return emitOpError("accumulate must have the result's type ")
           << getType() << ", got " << acc.getType();
  return success();
}

//===----------------------------------------------------------------------===//
// AssembleOp
//===----------------------------------------------------------------------===//

ParseResult AssembleOp::parse(OpAsmParser &parser, OperationState &result) {
  OpAsmParser::UnresolvedOperand codes, scales, zeroPoints, outerScales, mins,
      outerMins;
  bool hasZeroPoints = false, hasOuterScales = false, hasMins = false,
       hasOuterMins = false;
  bool packed = succeeded(parser.parseOptionalKeyword("packed"));
  if (parser.parseOperand(codes) || parser.parseComma() ||
      parser.parseOperand(scales))
    return failure();
  // `keyword %operand`, if the keyword is there.
  auto parseOptionalPart = [&](StringRef keyword,
                               OpAsmParser::UnresolvedOperand &operand,
                               bool &present) -> ParseResult {
    present = succeeded(parser.parseOptionalKeyword(keyword));
    return present ? parser.parseOperand(operand) : success();
  };
  if (parseOptionalPart("zero_points", zeroPoints, hasZeroPoints) ||
      parseOptionalPart("outer_scales", outerScales, hasOuterScales) ||
      parseOptionalPart("mins", mins, hasMins) ||
      parseOptionalPart("outer_mins", outerMins, hasOuterMins))
    return failure();
  if (parser.parseOptionalAttrDict(result.attributes) || parser.parseColon())
    return failure();
  SMLoc typeLoc = parser.getCurrentLocation();
  Type type;
  if (parser.parseType(type))
    return failure();
  auto qtype = dyn_cast<QuantizedTensorType>(type);
  if (!qtype)
    return parser.emitError(typeLoc, "expected a !qc.qtensor type, got ")
           << type;
  // Each optional part is given exactly when the type has it.
  auto checkPart = [&](bool given, bool expected, StringRef ifGiven,
                       StringRef ifMissing) -> ParseResult {
    if (given == expected)
      return success();
    return parser.emitError(typeLoc, given ? ifGiven : ifMissing);
  };
  if (checkPart(hasZeroPoints, qtype.hasZeroPoints(),
                "zero_points given, but the type has no zero points",
                "the type has zero points: give them with 'zero_points %z'") ||
      checkPart(hasOuterScales, qtype.hasOuterScales(),
                "outer_scales given, but the type has no outer level",
                "the type has outer scales: give them with 'outer_scales %o'") ||
      checkPart(hasMins, qtype.hasMins(), "mins given, but the type has no min",
                "the type has a min: give the mins with 'mins %m'") ||
      checkPart(hasOuterMins, qtype.hasOuterMins(),
                "outer_mins given, but the type's min has no outer factor",
                "the type's min has an outer factor: give it with "
                "'outer_mins %mo'"))
    return failure();
  if (parser.resolveOperand(codes,
                            packed ? qtype.getPackedCodesTensorType()
                                   : qtype.getCodesTensorType(),
                            result.operands) ||
      parser.resolveOperand(scales, qtype.getScalesTensorType(),
                            result.operands) ||
      (hasZeroPoints &&
       parser.resolveOperand(zeroPoints, qtype.getZeroPointsTensorType(),
                             result.operands)) ||
      (hasOuterScales &&
       parser.resolveOperand(outerScales, qtype.getOuterScalesTensorType(),
                             result.operands)) ||
      (hasMins && parser.resolveOperand(mins, qtype.getMinsTensorType(),
                                        result.operands)) ||
      (hasOuterMins &&
       parser.resolveOperand(outerMins, qtype.getOuterMinsTensorType(),
                             result.operands)))
    return failure();
  result.getOrAddProperties<Properties>().operandSegmentSizes = {
      1, 1, int32_t(hasZeroPoints), int32_t(hasOuterScales), int32_t(hasMins),
      int32_t(hasOuterMins)};
  result.addTypes(qtype);
  return success();
}

bool AssembleOp::hasPackedCodes() {
  auto type = cast<QuantizedTensorType>(getResult().getType());
  return getCodes().getType() != type.getCodesTensorType() &&
         getCodes().getType() == type.getPackedCodesTensorType();
}

void AssembleOp::print(OpAsmPrinter &p) {
  p << ' ';
  if (hasPackedCodes())
    p << "packed ";
  p << getCodes() << ", " << getScales();
  if (getZeroPoints())
    p << " zero_points " << getZeroPoints();
  if (getOuterScales())
    p << " outer_scales " << getOuterScales();
  if (getMins())
    p << " mins " << getMins();
  if (getOuterMins())
    p << " outer_mins " << getOuterMins();
  p.printOptionalAttrDict((*this)->getAttrs(), {"operandSegmentSizes"});
  p << " : " << getResult().getType();
}

LogicalResult AssembleOp::verify() {
  auto type = cast<QuantizedTensorType>(getResult().getType());
  Type codes = getCodes().getType();
  if (codes != type.getPackedCodesTensorType()) {
    auto actual = dyn_cast<RankedTensorType>(codes);
    RankedTensorType logical = type.getCodesTensorType();
    if (!actual || actual.getElementType() != logical.getElementType() ||
        failed(verifyCompatibleShape(actual.getShape(), logical.getShape())))
      return emitOpError("codes must be the logical codes ")
             << logical << " or the packed bytes "
             << type.getPackedCodesTensorType()
             << " (implied by the quantized type), got " << codes;
  }
  if (failed(verifyPartType(*this, "scales", getScales().getType(),
                            type.getScalesTensorType())) ||
      failed(verifyOptionalPart(
          *this, "zero_points", bool(getZeroPoints()),
          getZeroPoints() ? getZeroPoints().getType() : Type(),
          type.getZeroPointsTensorType())) ||
      failed(verifyOptionalPart(
          *this, "outer_scales", bool(getOuterScales()),
          getOuterScales() ? getOuterScales().getType() : Type(),
          type.getOuterScalesTensorType())) ||
      failed(verifyOptionalPart(*this, "mins", bool(getMins()),
                                getMins() ? getMins().getType() : Type(),
                                type.getMinsTensorType())) ||
      failed(verifyOptionalPart(
          *this, "outer_mins", bool(getOuterMins()),
          getOuterMins() ? getOuterMins().getType() : Type(),
          type.getOuterMinsTensorType())))
    return failure();
  return success();
}

/// assemble(disassemble(q)) -> q
OpFoldResult AssembleOp::fold(FoldAdaptor) {
  auto source = getCodes().getDefiningOp<DisassembleOp>();
  if (!source || source.getInput().getType() != getResult().getType() ||
      source->getNumResults() != getNumOperands())
    return {};
  for (auto [i, operand] : llvm::enumerate(getOperands()))
    if (operand != source->getResult(i))
      return {};
  return source.getInput();
}

//===----------------------------------------------------------------------===//
// DisassembleOp
//===----------------------------------------------------------------------===//

LogicalResult DisassembleOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, ValueRange operands,
    DictionaryAttr, OpaqueProperties, RegionRange,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  auto type = dyn_cast<QuantizedTensorType>(operands[0].getType());
  if (!type)
    return emitOptionalError(location, "expected a !qc.qtensor operand");
  llvm::append_range(inferredReturnTypes, type.getPartTensorTypes());
  return success();
}

/// disassemble(assemble(c, s, ...)) -> c, s, ...
LogicalResult DisassembleOp::fold(FoldAdaptor,
                                  SmallVectorImpl<OpFoldResult> &results) {
  auto source = getInput().getDefiningOp<AssembleOp>();
  if (!source)
    return failure();
  for (auto [operand, result] :
       llvm::zip_equal(source.getOperands(), getResults())) {
    if (operand.getType() != result.getType())
      return failure();
  }
  for (Value operand : source.getOperands())
    results.push_back(operand);
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

bool ConstantOp::hasPackedCodes() {
  return getCodes().getType() != getType().getCodesTensorType();
}

namespace {
/// The parts of a qc.constant, in printing order, with the keyword that names
/// each: the property names themselves, so the two cannot drift apart.
constexpr llvm::StringLiteral kConstantParts[] = {
    "codes", "scales", "zero_points", "outer_scales", "mins", "outer_mins"};
constexpr llvm::StringLiteral kConstantPartList =
    "codes, scales, zero_points, outer_scales, mins, outer_mins";
} // namespace

ParseResult ConstantOp::parse(OpAsmParser &parser, OperationState &result) {
  // keyword(attribute)... [attr-dict] : type
  llvm::SmallDenseMap<StringRef, Attribute> parts;
  StringRef keyword;
  while (true) {
    SMLoc loc = parser.getCurrentLocation();
    if (failed(parser.parseOptionalKeyword(&keyword)))
      break;
    if (!llvm::is_contained(kConstantParts, keyword))
      return parser.emitError(loc, "has no part named '")
             << keyword << "' (the parts are " << kConstantPartList << ")";
    ElementsAttr value;
    if (parser.parseLParen() || parser.parseAttribute(value) ||
        parser.parseRParen())
      return failure();
    if (!parts.try_emplace(keyword, value).second)
      return parser.emitError(loc, "part '")
             << keyword << "' is given twice";
  }
  for (StringRef required : {"codes", "scales"})
    if (!parts.count(required))
      return parser.emitError(parser.getCurrentLocation(),
                              "needs a '")
             << required << "(...)' part";
  for (StringRef name : kConstantParts)
    if (Attribute value = parts.lookup(name))
      result.addAttribute(name, value);
  Type type;
  if (parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseColon() || parser.parseType(type))
    return failure();
  result.addTypes(type);
  return success();
}

void ConstantOp::print(OpAsmPrinter &printer) {
  Operation *op = getOperation();
  for (StringRef name : kConstantParts)
    if (Attribute value = op->getInherentAttr(name).value_or(Attribute())) {
      printer << ' ' << name << '(';
      printer.printAttribute(value);
      printer << ')';
    }
  printer.printOptionalAttrDict(op->getDiscardableAttrDictionary().getValue());
  printer << " : ";
  printer.printType(getType());
}

LogicalResult ConstantOp::verify() {
  // MLIR 22's printer crashes on dense elements of zero-width integers,
  // and an op error prints the op: report such an attribute at the
  // location only (the op is not printed).
  for (NamedAttribute attr : (*this)->getAttrs())
    if (auto dense = dyn_cast<DenseElementsAttr>(attr.getValue()))
      if (dense.getElementType().isInteger(0))
        return mlir::emitError(getLoc(), "'qc.constant' op attribute '")
               << attr.getName().getValue()
               << "' has zero-width integer elements, which no part can hold";
  // The parts are keywords; the trailing dictionary holds only attributes of
  // other dialects (with a prefix), so `{zero_point = ...}` there is a
  // misspelt part, not an annotation to drop silently.
  for (NamedAttribute attr : (*this)->getDiscardableAttrs())
    if (!attr.getName().getValue().contains('.'))
      return emitOpError("has no part named '")
             << attr.getName().getValue()
             << "' (the parts are " << kConstantPartList << ")";
  QuantizedTensorType type = getType();
  if (!type.hasStaticShape())
    return emitOpError("needs a static shape, got ")
           << shapeString(type.getShape());
  auto codesType = cast<ShapedType>(getCodes().getType());
  RankedTensorType logical = type.getCodesTensorType();
  RankedTensorType packed = type.getPackedCodesTensorType();
  if (codesType != logical && codesType != packed)
    return emitOpError("codes must be the logical codes ")
           << logical << " or the packed bytes " << packed << ", got "
           << codesType;
  auto typeOf = [](std::optional<ElementsAttr> attr) -> Type {
    return attr ? attr->getType() : Type();
  };
  if (getScales().getType() != type.getScalesTensorType())
    return emitOpError("scales must have type ")
           << type.getScalesTensorType() << ", got " << getScales().getType();
  if (failed(verifyOptionalPart(*this, "zero_points",
                                bool(getZeroPoints()), typeOf(getZeroPoints()),
                                type.getZeroPointsTensorType())) ||
      failed(verifyOptionalPart(*this, "outer_scales",
                                bool(getOuterScales()),
                                typeOf(getOuterScales()),
                                type.getOuterScalesTensorType())) ||
      failed(verifyOptionalPart(*this, "mins", bool(getMins()),
                                typeOf(getMins()), type.getMinsTensorType())) ||
      failed(verifyOptionalPart(*this, "outer_mins", bool(getOuterMins()),
                                typeOf(getOuterMins()),
                                type.getOuterMinsTensorType())))
    return failure();
  // A blob that is there must hold what the type says; every reader relies
  // on it. (An elided one is reported by the pass that needs its bytes.)
  Operation *op = getOperation();
  for (StringRef name : kConstantParts)
    if (auto part = dyn_cast_if_present<ElementsAttr>(
            op->getInherentAttr(name).value_or(Attribute())))
      if (failed(verifyBlobSize(part, [&] { return emitOpError(); }, name)))
        return failure();
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) {
  // The constant's value: its parts, by name.
  SmallVector<NamedAttribute> parts;
  Builder b(getContext());
  parts.push_back(b.getNamedAttr("codes", getCodesAttr()));
  parts.push_back(b.getNamedAttr("scales", getScalesAttr()));
  if (auto zp = getZeroPointsAttr())
    parts.push_back(b.getNamedAttr("zero_points", zp));
  if (auto outer = getOuterScalesAttr())
    parts.push_back(b.getNamedAttr("outer_scales", outer));
  if (auto mins = getMinsAttr())
    parts.push_back(b.getNamedAttr("mins", mins));
  if (auto outerMins = getOuterMinsAttr())
    parts.push_back(b.getNamedAttr("outer_mins", outerMins));
  return b.getDictionaryAttr(parts);
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

FailureOr<std::vector<uint8_t>>
mlir::qc::readRowMajorCodes(ElementsAttr codes, QuantizedTensorType type) {
  int64_t count = ShapedType::getNumElements(type.getShape());
  unsigned bits = type.getGrid().getCodeBits();
  if (codes.getType() != type.getCodesTensorType()) {
    FailureOr<std::vector<uint8_t>> bytes = readBytes(codes);
    if (failed(bytes) ||
        int64_t(bytes->size()) != numerics::packedBytes(count, bits))
      return failure();
    return numerics::unpackCodes(bytes->data(), count, bits);
  }
  FailureOr<std::vector<int64_t>> values = readIntegerValues(codes);
  if (failed(values))
    return failure();
  std::vector<uint8_t> out;
  out.reserve(values->size());
  for (int64_t v : *values)
    out.push_back(uint8_t(v) & uint8_t((1u << bits) - 1));
  return out;
}

unsigned RequantizeOp::getDroppedBits() {
  return getInputType().getGrid().getCodeBits() -
         getType().getGrid().getCodeBits();
}

LogicalResult RequantizeOp::verify() {
  QuantizedTensorType from = getInputType(), to = getType();
  auto fromGrid = dyn_cast<IntGridAttr>(from.getGrid());
  auto toGrid = dyn_cast<IntGridAttr>(to.getGrid());
  if (!fromGrid || !toGrid)
    return emitOpError("needs #qc.int grids on both sides (it drops low "
                       "bits of integer codes), got ")
           << from.getGrid() << " -> " << to.getGrid();
  if (fromGrid.getIsSigned() != toGrid.getIsSigned())
    return emitOpError("keeps the codes' signedness: ")
           << from.getGrid() << " -> " << to.getGrid();
  if (toGrid.getWidth() >= fromGrid.getWidth())
    return emitOpError("drops bits: the result grid ")
           << to.getGrid() << " must be narrower than " << from.getGrid();
  if (getMode() == NestingMode::msb_slice && toGrid.getNarrow())
    return emitOpError("msb_slice gives codes over the whole grid, so the "
                       "result cannot be narrow: ")
           << to.getGrid();
  if (failed(verifySameShape(*this, from.getShape(), "input", to.getShape(),
                             "result")))
    return failure();
  if (from.getGranularity() != to.getGranularity())
    return emitOpError("keeps the granularity: ")
           << from.getGranularity() << " -> " << to.getGranularity();
  if (!isa<FloatType>(from.getScaleType()) ||
      from.getScaleType() != to.getScaleType())
    return emitOpError("keeps the float scale type (scales are multiplied by "
                       "2^d): ")
           << from.getScaleType() << " -> " << to.getScaleType();
  if (from.hasOuterScales() || to.hasOuterScales() || from.hasOuterMins() ||
      to.hasOuterMins())
    return emitOpError("takes no outer scale levels (fold them first: "
                       "qc-materialize-layouts)");
  if (from.getRotation() != to.getRotation() ||
      from.getRotationAxis() != to.getRotationAxis())
    return emitOpError("keeps the rotation");
  if (to.getLayout())
    return emitOpError("gives a tensor without a layout (its codes are "
                       "computed, not stored), got ")
           << to.getLayout();
  if (from.hasMins() && !isa<FloatType>(from.getMinType()))
    return emitOpError("reads float mins, got ") << from.getMinType();
  if (to.hasZeroPoints())
    return emitOpError("gives its offset as float mins (`min f32`), not zero "
                       "points");
  bool needsMin = getMode() == NestingMode::msb_slice ||
                  from.hasZeroPoints() || from.hasMins();
  if (needsMin && !to.hasMins())
    return emitOpError()
           << (getMode() == NestingMode::msb_slice
                   ? "msb_slice needs a result with float mins (`min f32`): "
                     "they hold the slice offset s * (2^d - 1) / 2"
                   : "needs a result with float mins (`min f32`) for the "
                     "input's zero points or mins");
  if (!needsMin && to.hasMins())
    return emitOpError("gives a result without mins: round_shift of codes "
                       "without zero points or mins has no offset");
  if (to.hasMins() && !isa<FloatType>(to.getMinType()))
    return emitOpError("gives float mins, got ") << to.getMinType();
  return success();
}

/// `values` (f32) as an attribute of `type` (a float element type): each
/// rounded to nearest even; failure when one does not stay finite.
static FailureOr<ElementsAttr> floatPart(RankedTensorType type,
                                         ArrayRef<float> values,
                                         StringRef name) {
  auto floatType = cast<FloatType>(type.getElementType());
  if (floatType.isF32()) {
    for (float v : values)
      if (!std::isfinite(v))
        return failure();
    return createBlobAttr(
        type, name,
        ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float)),
        8);
  }
  SmallVector<APFloat> converted;
  converted.reserve(values.size());
  for (float v : values) {
    APFloat f(v);
    bool lost;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    if (!f.isFinite())
      return failure();
    converted.push_back(f);
  }
  return ElementsAttr(DenseElementsAttr::get(type, converted));
}

FailureOr<std::pair<ElementsAttr, ElementsAttr>>
RequantizeOp::computeParts(ElementsAttr scalesAttr, ElementsAttr zpAttr,
                           ElementsAttr minsAttr) {
  QuantizedTensorType from = getInputType(), to = getType();
  FailureOr<std::vector<float>> scales = readFloatValues(scalesAttr);
  if (failed(scales))
    return failure();
  std::optional<std::vector<float>> zeroPoints, mins;
  if (zpAttr) {
    if (isa<FloatType>(from.getZeroPointType())) {
      FailureOr<std::vector<float>> v = readFloatValues(zpAttr);
      if (failed(v))
        return failure();
      zeroPoints = *v;
    } else {
      FailureOr<std::vector<int64_t>> v = readIntegerValues(zpAttr);
      if (failed(v))
        return failure();
      zeroPoints.emplace(v->begin(), v->end());
    }
  }
  if (minsAttr) {
    FailureOr<std::vector<float>> v = readFloatValues(minsAttr);
    if (failed(v))
      return failure();
    mins = *v;
  }
  unsigned d = getDroppedBits();
  std::vector<float> newScales(scales->size()), newMins;
  for (size_t i = 0; i < scales->size(); ++i)
    newScales[i] = numerics::nestedScale((*scales)[i], d);
  FailureOr<ElementsAttr> scaleAttr =
      floatPart(to.getScalesTensorType(), newScales, "qc_scales");
  if (failed(scaleAttr))
    return failure();
  if (!to.hasMins())
    return std::make_pair(*scaleAttr, ElementsAttr());
  newMins.resize(scales->size());
  for (size_t i = 0; i < scales->size(); ++i)
    newMins[i] = numerics::nestedMin(
        (*scales)[i], zeroPoints ? (*zeroPoints)[i] : 0.0f,
        zeroPoints.has_value(), mins ? (*mins)[i] : 0.0f, mins.has_value(), d,
        getNumericsMode());
  FailureOr<ElementsAttr> minAttr =
      floatPart(to.getMinsTensorType(), newMins, "qc_mins");
  if (failed(minAttr))
    return failure();
  return std::make_pair(*scaleAttr, *minAttr);
}

Value RequantizeOp::buildScale(OpBuilder &b, Location loc, Value scale) {
  // numerics::nestedScale: s * 2^d.
  Value power = arith::ConstantOp::create(
      b, loc, b.getF32FloatAttr(float(1u << getDroppedBits())));
  return arith::MulFOp::create(b, loc, scale, power);
}

Value RequantizeOp::buildMin(OpBuilder &b, Location loc, Value scale,
                             Value zeroPoint, Value min) {
  // numerics::nestedMin: (m + s * z) - s * c, absent terms left out.
  Value m = min;
  if (zeroPoint) {
    Value sz = arith::MulFOp::create(b, loc, scale, zeroPoint);
    m = m ? Value(arith::AddFOp::create(b, loc, m, sz)) : sz;
  }
  if (getMode() == NestingMode::msb_slice) {
    Value c = arith::ConstantOp::create(
        b, loc, b.getF32FloatAttr(numerics::sliceOffset(getDroppedBits())));
    Value sc = arith::MulFOp::create(b, loc, scale, c);
    m = m ? Value(arith::SubFOp::create(b, loc, m, sc))
          : Value(arith::NegFOp::create(b, loc, sc));
  }
  if (!m)
    m = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  return m;
}

OpFoldResult RequantizeOp::fold(FoldAdaptor adaptor) {
  // Only a row-major constant: a weight with a layout is stored for
  // reading in place (nested planes), and folding would duplicate it.
  auto parts = dyn_cast_or_null<DictionaryAttr>(adaptor.getInput());
  QuantizedTensorType from = getInputType(), to = getType();
  if (!parts || from.getLayout() || !from.hasStaticShape())
    return {};
  auto part = [&](StringRef name) {
    return dyn_cast_or_null<ElementsAttr>(parts.get(name));
  };
  ElementsAttr codesAttr = part("codes");
  if (!codesAttr || !part("scales"))
    return {};
  unsigned toBits = to.getGrid().getCodeBits();
  FailureOr<std::vector<uint8_t>> read = readRowMajorCodes(codesAttr, from);
  if (failed(read))
    return {};
  std::vector<uint8_t> codes = std::move(*read);
  FailureOr<std::pair<ElementsAttr, ElementsAttr>> newParts =
      computeParts(part("scales"), part("zero_points"), part("mins"));
  if (failed(newParts))
    return {};

  numerics::Grid fromGrid = from.getGrid().getNumericsGrid();
  numerics::Grid toGrid = to.getGrid().getNumericsGrid();
  unsigned d = getDroppedBits();
  numerics::NestingMode mode = getNumericsMode();
  int64_t lo = int64_t(toGrid.minValue()), hi = int64_t(toGrid.maxValue());
  for (uint8_t &c : codes)
    c = uint8_t(numerics::nestedCode(int64_t(fromGrid.decode(c)), d, mode, lo,
                                     hi)) &
        uint8_t((1u << toBits) - 1);

  Builder b(getContext());
  std::vector<uint8_t> packed = numerics::packCodes(codes, toBits);
  SmallVector<NamedAttribute> result;
  result.push_back(b.getNamedAttr(
      "codes", createBlobAttr(to.getPackedCodesTensorType(), "qc_codes",
                              ArrayRef<char>(reinterpret_cast<const char *>(
                                                 packed.data()),
                                             packed.size()),
                              16)));
  result.push_back(b.getNamedAttr("scales", newParts->first));
  if (newParts->second)
    result.push_back(b.getNamedAttr("mins", newParts->second));
  return b.getDictionaryAttr(result);
}
