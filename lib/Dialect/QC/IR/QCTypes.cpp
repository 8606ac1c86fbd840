//===- QCTypes.cpp - qc quantized tensor type -----------------------------===//

#include "qc/Dialect/QC/IR/QCTypes.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Numerics/Packing.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::qc;
namespace num = ::mlir::qc::numerics;

#define GET_TYPEDEF_CLASSES
#include "qc/Dialect/QC/IR/QCTypes.cpp.inc"

void QCDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "qc/Dialect/QC/IR/QCTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Syntax
//===----------------------------------------------------------------------===//

/// Parses an attribute that must implement `AttrIfaceT`.
template <typename AttrIfaceT>
static ParseResult parseInterfaceAttr(AsmParser &parser, AttrIfaceT &result,
                                      StringRef expected) {
  SMLoc loc = parser.getCurrentLocation();
  Attribute attr;
  if (parser.parseAttribute(attr))
    return failure();
  result = dyn_cast<AttrIfaceT>(attr);
  if (!result)
    return parser.emitError(loc) << "expected " << expected << ", got " << attr;
  return success();
}

static constexpr StringLiteral kGridKinds =
    "a grid (#qc.int, #qc.float, #qc.nf4, #qc.codebook, #qc.ternary, "
    "#qc.binary)";
static constexpr StringLiteral kGranularityKinds =
    "a granularity (#qc.per_tensor, #qc.per_axis, #qc.per_block)";

Type QuantizedTensorType::parse(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  SmallVector<int64_t> shape;
  GridAttrInterface grid;
  GranularityAttrInterface granularity, outerGranularity;
  Type scaleType, zeroPointType, outerScaleType, minType, outerMinType;
  LayoutAttrInterface layout;
  RotationAttrInterface rotation;
  std::optional<int64_t> rotationAxis;
  // The scale type comes before its granularity: an attribute followed by
  // ': type' would be parsed as a typed attribute.
  if (parser.parseLess() ||
      parser.parseDimensionList(shape, /*allowDynamic=*/true,
                                /*withTrailingX=*/false) ||
      parser.parseComma() || parseInterfaceAttr(parser, grid, kGridKinds) ||
      parser.parseComma() || parser.parseType(scaleType) ||
      parseInterfaceAttr(parser, granularity, kGranularityKinds))
    return {};
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc keyLoc = parser.getCurrentLocation();
    if (succeeded(parser.parseOptionalKeyword("zero_point"))) {
      if (zeroPointType) {
        parser.emitError(keyLoc, "zero_point is given twice");
        return {};
      }
      if (parser.parseType(zeroPointType))
        return {};
    } else if (succeeded(parser.parseOptionalKeyword("outer"))) {
      if (outerGranularity) {
        parser.emitError(keyLoc, "outer is given twice");
        return {};
      }
      if (parser.parseType(outerScaleType) ||
          parseInterfaceAttr(parser, outerGranularity, kGranularityKinds))
        return {};
    } else if (succeeded(parser.parseOptionalKeyword("min"))) {
      if (minType) {
        parser.emitError(keyLoc, "min is given twice");
        return {};
      }
      if (parser.parseType(minType))
        return {};
      if (succeeded(parser.parseOptionalKeyword("outer")) &&
          parser.parseType(outerMinType))
        return {};
    } else if (succeeded(parser.parseOptionalKeyword("layout"))) {
      if (layout) {
        parser.emitError(keyLoc, "layout is given twice");
        return {};
      }
      SMLoc attrLoc = parser.getCurrentLocation();
      Attribute attr;
      if (parser.parseAttribute(attr))
        return {};
      layout = dyn_cast<LayoutAttrInterface>(attr);
      if (!layout) {
        parser.emitError(attrLoc)
            << "expected a layout (#qc.tiled, #qc.bit_planes, #qc_nvvm.mma_fragments), got " << attr;
        return {};
      }
    } else if (succeeded(parser.parseOptionalKeyword("rotated"))) {
      if (rotation) {
        parser.emitError(keyLoc, "rotated is given twice");
        return {};
      }
      SMLoc attrLoc = parser.getCurrentLocation();
      Attribute attr;
      if (parser.parseAttribute(attr))
        return {};
      rotation = dyn_cast<RotationAttrInterface>(attr);
      if (!rotation) {
        parser.emitError(attrLoc)
            << "expected a rotation (#qc.hadamard, #qc.orthogonal, #qc.permutation), got "
            << attr;
        return {};
      }
      int64_t axis = 0;
      if (parser.parseKeyword("along") || parser.parseInteger(axis))
        return {};
      rotationAxis = axis;
    } else {
      parser.emitError(keyLoc,
                       "expected 'zero_point', 'outer', 'min', 'layout' or "
                       "'rotated'");
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<QuantizedTensorType>(
      loc, parser.getContext(), shape, grid, granularity, scaleType,
      zeroPointType, outerGranularity, outerScaleType, layout, rotation,
      rotationAxis, minType, outerMinType);
}

void QuantizedTensorType::print(AsmPrinter &printer) const {
  printer << '<';
  printer.printDimensionList(getShape());
  printer << ", " << getGrid() << ", " << getScaleType() << ' '
          << getGranularity();
  if (getZeroPointType())
    printer << ", zero_point " << getZeroPointType();
  if (getOuterGranularity())
    printer << ", outer " << getOuterScaleType() << ' '
            << getOuterGranularity();
  if (getMinType()) {
    printer << ", min " << getMinType();
    if (getOuterMinType())
      printer << " outer " << getOuterMinType();
  }
  if (getLayout())
    printer << ", layout " << getLayout();
  if (getRotation())
    printer << ", rotated " << getRotation() << " along " << *getRotationAxis();
  printer << '>';
}

//===----------------------------------------------------------------------===//
// Verification
//===----------------------------------------------------------------------===//

static std::optional<num::ValueFormat> getValueFormat(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return num::ValueFormat::integer(intType.getWidth());
  if (isa<Float8E8M0FNUType>(type))
    return num::ValueFormat::e8m0();
  if (type.isF32())
    return num::ValueFormat::f32();
  if (type.isF16())
    return num::ValueFormat::floating(num::FloatFormat::f16());
  if (type.isBF16())
    return num::ValueFormat::floating(num::FloatFormat::bf16());
  if (const num::FloatFormat *f = FloatGridAttr::getFormat(type))
    return num::ValueFormat::floating(*f);
  return std::nullopt;
}

static constexpr StringLiteral kScaleTypes =
    "f32, f16, bf16, f8E4M3FN, f8E5M2, f6E3M2FN, f6E2M3FN, f4E2M1FN or "
    "f8E8M0FNU";

/// Float types scales, float zero points and outer scales may be stored in:
/// those the numerics library can round to.
static bool isScaleFloatType(Type type) {
  return isa<FloatType>(type) && getValueFormat(type).has_value();
}

/// Every block of `inner` must lie inside one block of `outer`. Block
/// extents of kDynamic stand for a whole dynamic dimension.
static LogicalResult
verifyOuterContainsInner(function_ref<InFlightDiagnostic()> emitError,
                         ArrayRef<int64_t> shape,
                         GranularityAttrInterface inner,
                         GranularityAttrInterface outer) {
  SmallVector<int64_t> ib = inner.getBlockShape(shape);
  SmallVector<int64_t> ob = outer.getBlockShape(shape);
  for (size_t d = 0; d < shape.size(); ++d) {
    int64_t i = ib[d], o = ob[d];
    if (i == o || ShapedType::isDynamic(o))
      continue;
    if (ShapedType::isDynamic(i) || o % i != 0)
      return emitError()
             << "outer granularity must be coarser than the scale "
                "granularity: along dimension "
             << d << ", outer blocks of " << o
             << " elements do not contain whole scale blocks of "
             << (ShapedType::isDynamic(i) ? std::string("'?' (the whole dimension)")
                                          : std::to_string(i));
  }
  return success();
}

/// Integer scales and mins: 1 to 16 bits, signed or unsigned (a signless
/// type would leave the reading open).
static LogicalResult
verifySubBlockInteger(function_ref<InFlightDiagnostic()> emitError,
                      StringRef what, IntegerType type) {
  if (type.isSignless())
    return emitError() << "integer " << what << "s must say their signedness ("
                       << "'ui" << type.getWidth() << "' or 'si"
                       << type.getWidth() << "'), got " << type;
  if (type.getWidth() > 16)
    return emitError() << "integer " << what
                       << "s must have 1 to 16 bits, got " << type;
  return success();
}

LogicalResult QuantizedTensorType::verify(
    function_ref<InFlightDiagnostic()> emitError, ArrayRef<int64_t> shape,
    GridAttrInterface grid, GranularityAttrInterface granularity,
    Type scaleType, Type zeroPointType,
    GranularityAttrInterface outerGranularity, Type outerScaleType,
    LayoutAttrInterface layout, RotationAttrInterface rotation,
    std::optional<int64_t> rotationAxisOrNone, Type minType,
    Type outerMinType) {
  if (shape.empty())
    return emitError() << "qtensor must have rank >= 1";
  if (!grid || !granularity)
    return emitError() << "qtensor needs a grid and a granularity";
  // Static sizes must leave room for the packed code stream: numel * bits
  // fits in int64_t.
  int64_t bits = grid.getCodeBits();
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      continue;
    if (d < 1)
      return emitError() << "qtensor dimensions must be positive or '?', got "
                         << d;
    if (llvm::MulOverflow(bits, d, bits))
      return emitError() << "qtensor is too large: its codes would take more "
                            "than 2^63 bits";
  }
  if (failed(granularity.verifyForShape(emitError, shape)))
    return failure();
  if (auto intScale = dyn_cast<IntegerType>(scaleType)) {
    if (failed(verifySubBlockInteger(emitError, "scale", intScale)))
      return failure();
    if (!outerGranularity)
      return emitError() << "integer scales (" << scaleType
                         << ") are sub-block scales: they need an outer "
                            "level ('outer f16 #qc.per_block<...>') that "
                            "gives them their float scale";
  } else if (!isScaleFloatType(scaleType)) {
    return emitError() << "scale type must be one of " << kScaleTypes
                       << ", or an integer type with a signedness (ui6, "
                          "si8) under an outer level; got "
                       << scaleType;
  }
  bool powerOfTwoScales = isa<Float8E8M0FNUType>(scaleType);

  if (zeroPointType) {
    if (auto intType = dyn_cast<IntegerType>(zeroPointType)) {
      if (!intType.isSignless())
        return emitError() << "integer zero points must be signless, got "
                           << zeroPointType;
      if (!isa<IntGridAttr>(grid))
        return emitError() << "integer zero points need an integer grid "
                              "(#qc.int), got "
                           << grid << "; use a float zero point type";
      // Zero points are grid values (min-max clamps them to the grid), so
      // the type must hold the grid's whole range as a signed integer.
      auto intGrid = cast<IntGridAttr>(grid);
      unsigned width = intGrid.getWidth();
      int64_t lo = intGrid.getIsSigned() ? -(int64_t(1) << (width - 1)) : 0;
      int64_t hi = intGrid.getIsSigned() ? (int64_t(1) << (width - 1)) - 1
                                         : (int64_t(1) << width) - 1;
      unsigned zpWidth = intType.getWidth();
      if (zpWidth < 64 && (lo < -(int64_t(1) << (zpWidth - 1)) ||
                           hi > (int64_t(1) << (zpWidth - 1)) - 1))
        return emitError() << "integer zero points of type " << zeroPointType
                           << " cannot hold the grid's range [" << lo << ", "
                           << hi << "]; use a wider signed integer type";
    } else if (!isScaleFloatType(zeroPointType)) {
      return emitError() << "zero point type must be a signless integer type "
                            "or one of "
                         << kScaleTypes << "; got " << zeroPointType;
    }
    if (powerOfTwoScales)
      return emitError() << "f8E8M0FNU (OCP MX) scales are symmetric: remove "
                            "the zero point";
  }

  if (bool(outerGranularity) != bool(outerScaleType))
    return emitError() << "outer scales need both a granularity and a type";
  if (outerGranularity) {
    if (!isScaleFloatType(outerScaleType))
      return emitError() << "outer scale type must be one of " << kScaleTypes
                         << "; got " << outerScaleType;
    if (powerOfTwoScales)
      return emitError() << "f8E8M0FNU (OCP MX) scales are single-level: "
                            "remove the outer level";
    if (failed(outerGranularity.verifyForShape(emitError, shape)) ||
        failed(verifyOuterContainsInner(emitError, shape, granularity,
                                        outerGranularity)))
      return failure();
  }

  if (outerMinType && !minType)
    return emitError() << "an outer min type without a min";
  if (minType) {
    if (zeroPointType)
      return emitError() << "a qtensor has either zero points or a min, not "
                            "both";
    if (powerOfTwoScales)
      return emitError() << "f8E8M0FNU (OCP MX) scales are symmetric: remove "
                            "the min";
    if (auto intMin = dyn_cast<IntegerType>(minType)) {
      if (failed(verifySubBlockInteger(emitError, "min", intMin)))
        return failure();
      if (!outerMinType) {
        std::string name;
        llvm::raw_string_ostream(name) << minType;
        return emitError() << "integer mins (" << minType
                           << ") need an outer factor: 'min " << name
                           << " outer f16'";
      }
    } else if (!isScaleFloatType(minType)) {
      return emitError() << "min type must be one of " << kScaleTypes
                         << ", or an integer type with a signedness; got "
                         << minType;
    }
    if (outerMinType) {
      if (!outerGranularity)
        return emitError() << "'min ... outer' needs the type's outer level, "
                              "whose granularity the outer mins share";
      if (!isScaleFloatType(outerMinType))
        return emitError() << "outer min type must be one of " << kScaleTypes
                           << "; got " << outerMinType;
    }
  }

  if (rotation) {
    if (!rotationAxisOrNone)
      return emitError() << "a rotation needs its axis";
    int64_t rotationAxis = *rotationAxisOrNone;
    if (rotationAxis < 0 || rotationAxis >= int64_t(shape.size()))
      return emitError() << "rotation axis " << rotationAxis
                         << " is out of range for a rank-" << shape.size()
                         << " qtensor";
    if (shape[rotationAxis] != rotation.getSize())
      return emitError() << "rotation of size " << rotation.getSize()
                         << " along dimension " << rotationAxis << " of size "
                         << (ShapedType::isDynamic(shape[rotationAxis])
                                 ? std::string("?")
                                 : std::to_string(shape[rotationAxis]))
                         << ": the sizes must be equal and static";
  } else if (rotationAxisOrNone) {
    return emitError() << "a rotation axis without a rotation";
  }
  if (layout && failed(layout.verifyForType(emitError, shape, grid)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Accessors
//===----------------------------------------------------------------------===//

bool QuantizedTensorType::hasStaticShape() const {
  return !ShapedType::isDynamicShape(getShape());
}

IntegerType QuantizedTensorType::getCodeType() const {
  return IntegerType::get(getContext(), getGrid().getCodeBits());
}

RankedTensorType QuantizedTensorType::getCodesTensorType() const {
  return RankedTensorType::get(getShape(), getCodeType());
}

RankedTensorType QuantizedTensorType::getPackedCodesTensorType() const {
  int64_t bytes = ShapedType::kDynamic;
  if (hasStaticShape())
    bytes = ::mlir::qc::numerics::packedBytes(ShapedType::getNumElements(getShape()),
                                        getGrid().getCodeBits());
  return RankedTensorType::get({bytes}, IntegerType::get(getContext(), 8));
}

/// Part element types: integers as their signless bit patterns.
static Type partElementType(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return IntegerType::get(type.getContext(), intType.getWidth());
  return type;
}

bool QuantizedTensorType::hasIntegerScalesOrMins() const {
  return isa<IntegerType>(getScaleType()) || hasMins();
}

RankedTensorType QuantizedTensorType::getScalesTensorType() const {
  return RankedTensorType::get(getGranularity().getScaleShape(getShape()),
                               partElementType(getScaleType()));
}

RankedTensorType QuantizedTensorType::getMinsTensorType() const {
  if (!getMinType())
    return {};
  return RankedTensorType::get(getGranularity().getScaleShape(getShape()),
                               partElementType(getMinType()));
}

RankedTensorType QuantizedTensorType::getOuterMinsTensorType() const {
  if (!getOuterMinType())
    return {};
  return RankedTensorType::get(
      getOuterGranularity().getScaleShape(getShape()), getOuterMinType());
}

SmallVector<RankedTensorType> QuantizedTensorType::getPartTensorTypes() const {
  SmallVector<RankedTensorType> parts = {getCodesTensorType(),
                                         getScalesTensorType()};
  for (RankedTensorType t :
       {getZeroPointsTensorType(), getOuterScalesTensorType(),
        getMinsTensorType(), getOuterMinsTensorType()})
    if (t)
      parts.push_back(t);
  return parts;
}

RankedTensorType QuantizedTensorType::getZeroPointsTensorType() const {
  if (!getZeroPointType())
    return {};
  return RankedTensorType::get(getGranularity().getScaleShape(getShape()),
                               getZeroPointType());
}

RankedTensorType QuantizedTensorType::getOuterScalesTensorType() const {
  if (!getOuterGranularity())
    return {};
  return RankedTensorType::get(
      getOuterGranularity().getScaleShape(getShape()), getOuterScaleType());
}

QuantizedTensorType
QuantizedTensorType::cloneWithShape(ArrayRef<int64_t> shape) const {
  return get(getContext(), shape, getGrid(), getGranularity(), getScaleType(),
             getZeroPointType(), getOuterGranularity(), getOuterScaleType(),
             getLayout(), getRotation(), getRotationAxis(), getMinType(),
             getOuterMinType());
}

QuantizedTensorType
QuantizedTensorType::cloneWithLayout(LayoutAttrInterface layout) const {
  return get(getContext(), getShape(), getGrid(), getGranularity(),
             getScaleType(), getZeroPointType(), getOuterGranularity(),
             getOuterScaleType(), layout, getRotation(), getRotationAxis(),
             getMinType(), getOuterMinType());
}

QuantizedTensorType QuantizedTensorType::cloneWithoutRotation() const {
  return get(getContext(), getShape(), getGrid(), getGranularity(),
             getScaleType(), getZeroPointType(), getOuterGranularity(),
             getOuterScaleType(), getLayout(), {}, std::nullopt, getMinType(),
             getOuterMinType());
}

TiledLayoutAttr QuantizedTensorType::getTiledLayout() const {
  return dyn_cast_if_present<TiledLayoutAttr>(getLayout());
}

BitPlanesAttr QuantizedTensorType::getBitPlanes() const {
  return dyn_cast_if_present<BitPlanesAttr>(getLayout());
}

int64_t QuantizedTensorType::getPackedRowBytes() const {
  return getShape().back() * getGrid().getCodeBits() / 8;
}

//===----------------------------------------------------------------------===//
// Numerics bridge
//===----------------------------------------------------------------------===//


static num::ScaleMethod toNumerics(ScaleMethod method) {
  switch (method) {
  case ScaleMethod::absmax:
    return num::ScaleMethod::AbsMax;
  case ScaleMethod::minmax:
    return num::ScaleMethod::MinMax;
  case ScaleMethod::mse:
    return num::ScaleMethod::MSE;
  case ScaleMethod::absmean:
    return num::ScaleMethod::AbsMean;
  case ScaleMethod::mx:
    return num::ScaleMethod::MX;
  }
  llvm_unreachable("unknown scale method");
}

std::optional<num::QuantScheme>
mlir::qc::getNumericsScheme(QuantizedTensorType type, ScaleMethod method) {
  // The numerics library quantizes to float scales and zero points only.
  if (!type.hasStaticShape() || type.hasIntegerScalesOrMins())
    return std::nullopt;
  num::QuantScheme scheme;
  scheme.grid = type.getGrid().getNumericsGrid();
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> blockShape = type.getGranularity().getBlockShape(shape);
  scheme.blockShape.assign(blockShape.begin(), blockShape.end());
  scheme.method = toNumerics(method);
  std::optional<num::ValueFormat> scaleFormat =
      getValueFormat(type.getScaleType());
  if (!scaleFormat)
    return std::nullopt;
  scheme.scaleFormat = *scaleFormat;
  if (Type zp = type.getZeroPointType()) {
    std::optional<num::ValueFormat> zpFormat = getValueFormat(zp);
    if (!zpFormat)
      return std::nullopt;
    scheme.zeroPoint = isa<IntegerType>(zp) ? num::ZeroPointKind::Int
                                            : num::ZeroPointKind::Float;
    scheme.zeroPointFormat = *zpFormat;
  }
  if (GranularityAttrInterface outer = type.getOuterGranularity()) {
    std::optional<num::ValueFormat> outerFormat =
        getValueFormat(type.getOuterScaleType());
    if (!outerFormat)
      return std::nullopt;
    SmallVector<int64_t> outerBlockShape = outer.getBlockShape(shape);
    scheme.outerBlockShape.emplace(outerBlockShape.begin(),
                                   outerBlockShape.end());
    scheme.outerScaleFormat = *outerFormat;
  }
  return scheme;
}

AffineMap mlir::qc::getScaleIndexMap(GranularityAttrInterface granularity,
                                     ArrayRef<int64_t> shape,
                                     MLIRContext *ctx) {
  unsigned rank = shape.size();
  if (auto axis = dyn_cast<PerAxisAttr>(granularity))
    return AffineMap::get(rank, 0, getAffineDimExpr(axis.getAxis(), ctx));
  if (isa<PerTensorAttr>(granularity))
    return AffineMap::get(rank, 0, ArrayRef<AffineExpr>{}, ctx);
  SmallVector<int64_t> blocks = granularity.getBlockShape(shape);
  SmallVector<AffineExpr> exprs;
  for (unsigned d = 0; d < rank; ++d) {
    AffineExpr dim = getAffineDimExpr(d, ctx);
    if (blocks[d] == 1)
      exprs.push_back(dim);
    else if (ShapedType::isDynamic(blocks[d]) || blocks[d] == shape[d])
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(dim.floorDiv(blocks[d]));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}
