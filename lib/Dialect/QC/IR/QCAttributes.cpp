//===- QCAttributes.cpp - qc grids and granularities ----------------------===//

#include "qc/Dialect/QC/IR/QCAttributes.h"
#include "qc/Numerics/Packing.h"
#include "qc/Numerics/Permutation.h"
#include "qc/Utils/ConstantUtils.h"
#include "qc/Dialect/QC/IR/QCDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::qc;
namespace num = ::mlir::qc::numerics;

#include "qc/Dialect/QC/IR/QCEnums.cpp.inc"
#include "qc/Dialect/QC/IR/QCInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Exact f64 lists (custom<ExactF64Array>)
//===----------------------------------------------------------------------===//

/// The shortest decimal spelling of `v` that reads back as exactly `v`, as
/// an MLIR float literal (which needs a '.': "1.0e-300", never "1e-300").
/// DenseF64ArrayAttr's own printer writes 7 significant digits, so two
/// distinct codebook values could print alike and 1e-300 printed as 0.
static std::string exactFloatLiteral(double v) {
  std::string text;
  for (int digits = 1; digits <= 17; ++digits) {
    char buffer[40];
    std::snprintf(buffer, sizeof(buffer), "%.*g", digits, v);
    if (std::strtod(buffer, nullptr) == v) {
      text = buffer;
      break;
    }
  }
  size_t exponent = text.find_first_of("eE");
  if (text.find('.') == std::string::npos)
    text.insert(exponent == std::string::npos ? text.size() : exponent, ".0");
  return text;
}

static ParseResult parseExactF64Array(AsmParser &parser,
                                      DenseF64ArrayAttr &values) {
  SmallVector<double> list;
  if (parser.parseCommaSeparatedList(
          AsmParser::Delimiter::Square, [&]() -> ParseResult {
            double v;
            if (parser.parseFloat(v))
              return failure();
            list.push_back(v);
            return success();
          }))
    return failure();
  values = DenseF64ArrayAttr::get(parser.getContext(), list);
  return success();
}

static void printExactF64Array(AsmPrinter &printer,
                               DenseF64ArrayAttr values) {
  printer << '[';
  llvm::interleaveComma(values.asArrayRef(), printer, [&](double v) {
    printer << exactFloatLiteral(v);
  });
  printer << ']';
}

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/QC/IR/QCAttributes.cpp.inc"

void QCDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qc/Dialect/QC/IR/QCAttributes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// IntGridAttr
//===----------------------------------------------------------------------===//

Attribute IntGridAttr::parse(AsmParser &parser, Type) {
  StringRef spelling;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeyword(&spelling))
    return {};
  unsigned width = 0;
  if (spelling.size() < 2 || (spelling[0] != 's' && spelling[0] != 'u') ||
      spelling.drop_front().getAsInteger(10, width)) {
    parser.emitError(loc, "expected an integer grid such as 's4' or 'u8', got '")
        << spelling << "'";
    return {};
  }
  bool narrow = false;
  if (succeeded(parser.parseOptionalComma())) {
    if (parser.parseKeyword("narrow"))
      return {};
    narrow = true;
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<IntGridAttr>(loc, parser.getContext(), width,
                                        spelling[0] == 's', narrow);
}

void IntGridAttr::print(AsmPrinter &printer) const {
  printer << '<' << (getIsSigned() ? 's' : 'u') << getWidth();
  if (getNarrow())
    printer << ", narrow";
  printer << '>';
}

LogicalResult IntGridAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  unsigned width, bool isSigned, bool narrow) {
  if (width < 1 || width > 8)
    return emitError() << "integer grid bit width must be in [1, 8], got "
                       << width;
  if (narrow && !isSigned)
    return emitError() << "narrow range needs a signed grid ('s" << width
                       << "'), got 'u" << width << "'";
  if (narrow && width < 2)
    return emitError() << "narrow range needs at least 2 bits";
  return success();
}

unsigned IntGridAttr::getCodeBits() const { return getWidth(); }

num::Grid IntGridAttr::getNumericsGrid() const {
  return getIsSigned() ? num::Grid::signedInt(getWidth(), getNarrow())
                       : num::Grid::unsignedInt(getWidth());
}

//===----------------------------------------------------------------------===//
// FloatGridAttr
//===----------------------------------------------------------------------===//

const num::FloatFormat *FloatGridAttr::getFormat(Type type) {
  return TypeSwitch<Type, const num::FloatFormat *>(type)
      .Case([](Float4E2M1FNType) { return &num::FloatFormat::e2m1(); })
      .Case([](Float6E3M2FNType) { return &num::FloatFormat::e3m2(); })
      .Case([](Float6E2M3FNType) { return &num::FloatFormat::e2m3(); })
      .Case([](Float8E4M3FNType) { return &num::FloatFormat::e4m3fn(); })
      .Case([](Float8E5M2Type) { return &num::FloatFormat::e5m2(); })
      .Default([](Type) { return nullptr; });
}

LogicalResult
FloatGridAttr::verify(function_ref<InFlightDiagnostic()> emitError, Type type) {
  if (!getFormat(type))
    return emitError() << "float grid type must be one of f4E2M1FN, "
                          "f6E3M2FN, f6E2M3FN, f8E4M3FN, f8E5M2; got "
                       << type;
  return success();
}

unsigned FloatGridAttr::getCodeBits() const {
  return getFormat(getType())->totalBits();
}

num::Grid FloatGridAttr::getNumericsGrid() const {
  return num::Grid::miniFloat(*getFormat(getType()));
}

//===----------------------------------------------------------------------===//
// NF4, codebook, ternary, binary
//===----------------------------------------------------------------------===//

unsigned NF4GridAttr::getCodeBits() const { return 4; }
num::Grid NF4GridAttr::getNumericsGrid() const { return num::Grid::nf4(); }

LogicalResult
CodebookGridAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         DenseF64ArrayAttr values) {
  std::string message = num::Grid::checkCodebook(
      std::vector<double>(values.asArrayRef().begin(), values.asArrayRef().end()));
  if (!message.empty())
    return emitError() << message;
  return success();
}

unsigned CodebookGridAttr::getCodeBits() const {
  return llvm::Log2_64(getValues().size());
}

num::Grid CodebookGridAttr::getNumericsGrid() const {
  ArrayRef<double> v = getValues().asArrayRef();
  return num::Grid::codebook(std::vector<double>(v.begin(), v.end()));
}

unsigned TernaryGridAttr::getCodeBits() const { return 2; }
num::Grid TernaryGridAttr::getNumericsGrid() const {
  return num::Grid::ternary();
}

unsigned BinaryGridAttr::getCodeBits() const { return 1; }
num::Grid BinaryGridAttr::getNumericsGrid() const {
  return num::Grid::binary();
}

//===----------------------------------------------------------------------===//
// Granularities
//===----------------------------------------------------------------------===//

LogicalResult
PerTensorAttr::verifyForShape(function_ref<InFlightDiagnostic()>,
                              ArrayRef<int64_t>) const {
  return success();
}

SmallVector<int64_t> PerTensorAttr::getScaleShape(ArrayRef<int64_t>) const {
  return {};
}

SmallVector<int64_t>
PerTensorAttr::getBlockShape(ArrayRef<int64_t> shape) const {
  return SmallVector<int64_t>(shape);
}

LogicalResult
TiledLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        int64_t rows, int64_t chunkBytes) {
  if (rows < 1 || chunkBytes < 1)
    return emitError() << "tiled layout needs rows >= 1 and chunk_bytes >= 1, "
                          "got rows = "
                       << rows << ", chunk_bytes = " << chunkBytes;
  return success();
}

LogicalResult
BitPlanesAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      ArrayRef<int64_t> widths, TiledLayoutAttr tile) {
  if (widths.size() < 2)
    return emitError() << "bit_planes needs at least two planes, got "
                       << widths.size();
  for (int64_t w : widths)
    if (w != 1 && w != 2 && w != 4)
      return emitError() << "bit_planes widths must be 1, 2 or 4 (fields "
                            "that never straddle a byte), got "
                         << w;
  return success();
}

int64_t TiledLayoutAttr::getByteIndex(int64_t n, int64_t i,
                                      int64_t rowBytes) const {
  return ::mlir::qc::numerics::tiledByteIndex(n, i, rowBytes, getRows(),
                                        getChunkBytes());
}

Value TiledLayoutAttr::buildByteIndex(IndexArithmetic &arith, Value n,
                                      Value i, int64_t rowBytes) const {
  // ((n / R) * (rowBytes / C) + i / C) * R * C + (n % R) * C + i % C
  int64_t rows = getRows(), chunk = getChunkBytes();
  Value chunkIndex = arith.add(arith.mul(arith.div(n, rows), rowBytes / chunk),
                               arith.div(i, chunk));
  return arith.add(arith.add(arith.mul(chunkIndex, rows * chunk),
                             arith.mul(arith.rem(n, rows), chunk)),
                   arith.rem(i, chunk));
}

LogicalResult PerAxisAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  int64_t axis) {
  if (axis < 0)
    return emitError() << "per_axis axis must be non-negative, got " << axis;
  return success();
}

LogicalResult
PerAxisAttr::verifyForShape(function_ref<InFlightDiagnostic()> emitError,
                            ArrayRef<int64_t> shape) const {
  if (getAxis() >= int64_t(shape.size()))
    return emitError() << "per_axis axis " << getAxis()
                       << " is out of range for a rank-" << shape.size()
                       << " tensor";
  return success();
}

SmallVector<int64_t> PerAxisAttr::getScaleShape(ArrayRef<int64_t> shape) const {
  return {shape[getAxis()]};
}

SmallVector<int64_t> PerAxisAttr::getBlockShape(ArrayRef<int64_t> shape) const {
  SmallVector<int64_t> blocks(shape);
  blocks[getAxis()] = 1;
  return blocks;
}

LogicalResult PerBlockAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   ArrayRef<int64_t> blockSizes) {
  for (auto [d, block] : llvm::enumerate(blockSizes))
    if (block < 1)
      return emitError() << "per_block block sizes must be positive, got "
                         << block << " for dimension " << d;
  return success();
}

LogicalResult
PerBlockAttr::verifyForShape(function_ref<InFlightDiagnostic()> emitError,
                             ArrayRef<int64_t> shape) const {
  ArrayRef<int64_t> blocks = getBlockSizes();
  if (blocks.size() != shape.size())
    return emitError() << "per_block gives " << blocks.size()
                       << " block sizes for a rank-" << shape.size()
                       << " tensor; expected one per dimension";
  for (auto [d, pair] : llvm::enumerate(llvm::zip(shape, blocks))) {
    auto [size, block] = pair;
    if (ShapedType::isDynamic(size) && block != 1)
      return emitError() << "per_block block size " << block
                         << " along dynamic dimension " << d
                         << "; blocks along a dynamic dimension must be 1";
    if (!ShapedType::isDynamic(size) && size % block != 0)
      return emitError() << "per_block block size " << block
                         << " does not divide dimension " << d << " of size "
                         << size;
  }
  return success();
}

SmallVector<int64_t>
PerBlockAttr::getScaleShape(ArrayRef<int64_t> shape) const {
  SmallVector<int64_t> out;
  for (auto [size, block] : llvm::zip(shape, getBlockSizes()))
    out.push_back(ShapedType::isDynamic(size) ? size : size / block);
  return out;
}

SmallVector<int64_t> PerBlockAttr::getBlockShape(ArrayRef<int64_t>) const {
  return SmallVector<int64_t>(getBlockSizes());
}

//===----------------------------------------------------------------------===//
// HadamardAttr
//===----------------------------------------------------------------------===//

Attribute HadamardAttr::parse(AsmParser &parser, Type) {
  int64_t size = 0, q = 0;
  num::HadamardBase base = num::HadamardBase::None;
  std::optional<uint64_t> seed;
  SmallVector<int8_t> signs;
  if (parser.parseLess() || parser.parseInteger(size))
    return {};
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc loc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return {};
    if (key == "paley1" || key == "paley2" || key == "williamson") {
      if (base != num::HadamardBase::None) {
        parser.emitError(loc, "a base is given twice");
        return {};
      }
      base = key == "paley1"   ? num::HadamardBase::Paley1
             : key == "paley2" ? num::HadamardBase::Paley2
                               : num::HadamardBase::Williamson;
      if (parser.parseInteger(q))
        return {};
    } else if (key == "seed") {
      if (seed) {
        parser.emitError(loc, "seed is given twice");
        return {};
      }
      uint64_t value;
      if (parser.parseInteger(value))
        return {};
      seed = value;
    } else if (key == "signs") {
      if (!signs.empty()) {
        parser.emitError(loc, "signs are given twice");
        return {};
      }
      auto parseSign = [&]() -> ParseResult {
        int64_t v;
        if (parser.parseInteger(v))
          return failure();
        signs.push_back(int8_t(std::clamp<int64_t>(v, -128, 127)));
        return success();
      };
      if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                         parseSign))
        return {};
    } else {
      parser.emitError(loc, "expected 'paley1', 'paley2', 'williamson', "
                            "'seed' or 'signs', got '")
          << key << "'";
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  // Without a named base, the smallest base that covers the size (none for
  // a power of two); the verifier explains a size that none covers.
  if (base == num::HadamardBase::None)
    if (std::optional<num::HadamardBaseChoice> choice =
            num::smallestCoveringBase(size)) {
      base = choice->base;
      q = choice->q;
    }
  return parser.getChecked<HadamardAttr>(parser.getContext(), size, base, q,
                                         seed, signs);
}

void HadamardAttr::print(AsmPrinter &printer) const {
  printer << '<' << getSize();
  if (getBase() != num::HadamardBase::None)
    printer << ", " << num::HadamardBaseChoice{getBase(), getQ()}.name();
  if (getSeed())
    printer << ", seed = " << *getSeed();
  if (!getSigns().empty()) {
    printer << ", signs = [";
    llvm::interleaveComma(getSigns(), printer,
                          [&](int8_t s) { printer << int(s); });
    printer << ']';
  }
  printer << '>';
}

LogicalResult HadamardAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   int64_t size, num::HadamardBase base,
                                   int64_t q, std::optional<uint64_t> seed,
                                   ArrayRef<int8_t> signs) {
  if (seed && !signs.empty())
    return emitError() << "hadamard takes a seed or signs, not both";
  num::HadamardSpec spec;
  spec.size = size;
  spec.base = base;
  spec.q = q;
  spec.signs.assign(signs.begin(), signs.end());
  std::string why = spec.check();
  if (why.empty())
    return success();
  return emitError() << "hadamard: " << why;
}

num::HadamardSpec HadamardAttr::getSpec() const {
  num::HadamardSpec spec;
  spec.size = getSize();
  spec.base = getBase();
  spec.q = getQ();
  if (getSeed())
    spec.signs = num::randomSigns(*getSeed(), getSize());
  else
    spec.signs.assign(getSigns().begin(), getSigns().end());
  return spec;
}

HadamardAttr HadamardAttr::getForSize(MLIRContext *ctx, int64_t size,
                                      int64_t seed) {
  std::optional<num::HadamardBaseChoice> choice =
      num::smallestCoveringBase(size);
  if (!choice)
    return {};
  std::optional<uint64_t> signSeed;
  if (seed >= 0)
    signSeed = uint64_t(seed);
  return HadamardAttr::get(ctx, size, choice->base, choice->q, signSeed,
                           ArrayRef<int8_t>());
}

bool HadamardAttr::isSymmetric() const {
  return getBase() == num::HadamardBase::None && !getSeed() &&
         getSigns().empty();
}

LogicalResult HadamardAttr::applyToRows(double *x, int64_t rows,
                                        bool transpose) const {
  num::applyHadamard(getSpec(), x, rows, transpose);
  return success();
}

LogicalResult HadamardAttr::verifyEntries(
    function_ref<InFlightDiagnostic()> emitError) const {
  return success();
}

//===----------------------------------------------------------------------===//
// OrthogonalAttr
//===----------------------------------------------------------------------===//

/// Whether `q` (n x n, row-major) is orthogonal to `tolerance` (see the
/// attribute's description); reports the error found otherwise.
static LogicalResult checkOrthogonal(function_ref<InFlightDiagnostic()> emitError,
                                     const std::vector<double> &q, int64_t n,
                                     double tolerance) {
  for (double v : q)
    if (!std::isfinite(v))
      return emitError() << "orthogonal matrix has a non-finite entry (" << v
                         << ")";
  auto at = [&](int64_t i, int64_t j) { return q[size_t(i * n + j)]; };
  if (n <= 256) {
    double worst = 0;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double dot = 0;
        for (int64_t k = 0; k < n; ++k)
          dot += at(i, k) * at(j, k);
        worst = std::max(worst, std::fabs(dot - (i == j ? 1.0 : 0.0)));
      }
    if (worst > tolerance)
      return emitError() << "matrix is not orthogonal: max |Q Q^T - I| = "
                         << worst << " > " << tolerance;
    return success();
  }
  // Freivalds: w = (v Q) Q^T - v for two pseudo-random v.
  std::vector<double> v(static_cast<size_t>(n)), u(static_cast<size_t>(n));
  for (uint64_t round = 1; round <= 2; ++round) {
    uint64_t state = round;
    double vmax = 0;
    for (int64_t i = 0; i < n; ++i) {
      // splitmix64, top 53 bits as a double in [0, 1), then [-1, 1).
      uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      z ^= z >> 31;
      v[size_t(i)] = double(z >> 11) * 0x1.0p-52 - 1.0;
      vmax = std::max(vmax, std::fabs(v[size_t(i)]));
    }
    std::fill(u.begin(), u.end(), 0.0);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j)
        u[size_t(j)] += v[size_t(i)] * at(i, j);
    double worst = 0;
    for (int64_t i = 0; i < n; ++i) {
      double w = 0;
      for (int64_t j = 0; j < n; ++j)
        w += u[size_t(j)] * at(i, j);
      worst = std::max(worst, std::fabs(w - v[size_t(i)]));
    }
    double bound = double(n) * tolerance * vmax;
    if (worst > bound)
      return emitError() << "matrix is not orthogonal: max |v Q Q^T - v| = "
                         << worst << " > N t max|v| = " << bound
                         << " for test vector " << round;
  }
  return success();
}

static double orthogonalTolerance(Type element) {
  return element.isF32() ? 1e-5 : 1e-12;
}

LogicalResult
OrthogonalAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ElementsAttr matrix) {
  auto type = cast<ShapedType>(matrix.getType());
  Type element = type.getElementType();
  if (type.getRank() != 2 || type.getDimSize(0) != type.getDimSize(1))
    return emitError() << "orthogonal matrix must be square N x N, got "
                       << type;
  if (!element.isF32() && !element.isF64())
    return emitError() << "orthogonal matrix must be f32 or f64, got "
                       << element;
  if (!isa<DenseFPElementsAttr, DenseResourceElementsAttr>(matrix))
    return emitError() << "orthogonal matrix must be a dense or "
                          "dense_resource attribute";
  // A dense_resource blob is read after the attribute: its entries are
  // checked by the ops that hold the rotation (verifyEntries).
  if (isa<DenseResourceElementsAttr>(matrix))
    return success();
  FailureOr<std::vector<double>> entries = readDoubleValues(matrix);
  if (failed(entries))
    return emitError() << "orthogonal matrix entries cannot be read: "
                       << whyUnreadable(matrix);
  return checkOrthogonal(emitError, *entries, type.getDimSize(0),
                         orthogonalTolerance(element));
}

FailureOr<std::vector<double>> OrthogonalAttr::getEntries() const {
  return readDoubleValues(getMatrix());
}

LogicalResult OrthogonalAttr::verifyEntries(
    function_ref<InFlightDiagnostic()> emitError) const {
  if (!isa<DenseResourceElementsAttr>(getMatrix()))
    return success(); // checked when built
  FailureOr<std::vector<double>> q = getEntries();
  if (failed(q))
    return emitError() << "orthogonal matrix entries cannot be read: "
                       << whyUnreadable(getMatrix());
  return checkOrthogonal(emitError, *q, getSize(),
                         orthogonalTolerance(getMatrix().getElementType()));
}

int64_t OrthogonalAttr::getSize() const {
  return cast<ShapedType>(getMatrix().getType()).getDimSize(0);
}

bool OrthogonalAttr::isSymmetric() const {
  int64_t n = getSize();
  FailureOr<std::vector<double>> q = getEntries();
  if (failed(q))
    return false;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < i; ++j)
      if ((*q)[size_t(i * n + j)] != (*q)[size_t(j * n + i)])
        return false;
  return true;
}

LogicalResult OrthogonalAttr::applyToRows(double *x, int64_t rows,
                                          bool transpose) const {
  int64_t n = getSize();
  FailureOr<std::vector<double>> entries = getEntries();
  if (failed(entries))
    return failure();
  const std::vector<double> &q = *entries;
  std::vector<double> out(static_cast<size_t>(n));
  for (int64_t r = 0; r < rows; ++r) {
    double *row = x + r * n;
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t i = 0; i < n; ++i)
        sum += row[i] * (transpose ? q[size_t(j * n + i)] : q[size_t(i * n + j)]);
      out[size_t(j)] = sum;
    }
    std::copy(out.begin(), out.end(), row);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// PermutationAttr
//===----------------------------------------------------------------------===//

LogicalResult
PermutationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        ArrayRef<int64_t> perm) {
  if (perm.empty())
    return emitError() << "permutation: no entries";
  std::string why = num::checkPermutation({perm.begin(), perm.end()});
  if (!why.empty())
    return emitError() << "permutation of " << perm.size()
                       << " entries: " << why;
  return success();
}

PermutationAttr PermutationAttr::getInverse() const {
  return PermutationAttr::get(
      getContext(), num::inversePermutation({getPerm().begin(),
                                             getPerm().end()}));
}

int64_t PermutationAttr::getSize() const { return getPerm().size(); }

bool PermutationAttr::isSymmetric() const {
  return num::isInvolution({getPerm().begin(), getPerm().end()});
}

LogicalResult PermutationAttr::applyToRows(double *x, int64_t rows,
                                           bool transpose) const {
  num::permuteRows(x, rows, {getPerm().begin(), getPerm().end()}, transpose);
  return success();
}

LogicalResult PermutationAttr::verifyEntries(
    function_ref<InFlightDiagnostic()> emitError) const {
  return success();
}

//===----------------------------------------------------------------------===//
// Layouts
//===----------------------------------------------------------------------===//

LogicalResult
BitPlanesAttr::verifyForType(function_ref<InFlightDiagnostic()> emitError,
                             ArrayRef<int64_t> shape,
                             GridAttrInterface grid) const {
  int64_t sum = 0;
  for (int64_t w : getWidths())
    sum += w;
  if (sum != grid.getCodeBits())
    return emitError() << "layout " << *this << " has " << sum
                       << " bits in all, but " << grid << " codes have "
                       << grid.getCodeBits();
  if (ShapedType::isDynamicShape(shape))
    return emitError() << "layout " << *this << " needs a static shape";
  int64_t numel = ShapedType::getNumElements(shape);
  for (int64_t w : getWidths())
    if ((numel * w) % 8 != 0)
      return emitError() << "layout " << *this << ": a plane of " << numel
                         << " " << w << "-bit fields is " << numel * w
                         << " bits, not whole bytes";
  if (TiledLayoutAttr tile = getTile()) {
    if (shape.size() != 2)
      return emitError() << "layout " << *this
                         << " (tiled planes) needs a rank-2 shape";
    for (int64_t w : getWidths()) {
      int64_t rowBits = shape[1] * w;
      if (rowBits % 8 != 0 || shape[0] % tile.getRows() != 0 ||
          (rowBits / 8) % tile.getChunkBytes() != 0)
        return emitError()
               << "layout " << *this << ": the " << w << "-bit plane of a "
               << shape[0] << " x " << shape[1]
               << " matrix does not tile (its rows must be whole bytes, "
                  "rows must divide "
               << shape[0] << " and chunk_bytes a plane row's bytes)";
    }
  }
  return success();
}

numerics::PlaneTiling BitPlanesAttr::getPlaneTiling(ArrayRef<int64_t> shape) const {
  TiledLayoutAttr tile = getTile();
  if (!tile)
    return {};
  return {shape[0], tile.getRows(), tile.getChunkBytes()};
}

std::vector<uint8_t>
BitPlanesAttr::packCodes(const std::vector<uint8_t> &codes,
                         ArrayRef<int64_t> shape, GridAttrInterface grid) const {
  return numerics::packBitPlanes(codes, getWidthVector(),
                                 getPlaneTiling(shape));
}

std::vector<uint8_t>
TiledLayoutAttr::packCodes(const std::vector<uint8_t> &codes,
                           ArrayRef<int64_t> shape,
                           GridAttrInterface grid) const {
  unsigned bits = grid.getCodeBits();
  std::vector<uint8_t> rowMajor = numerics::packCodes(codes, bits);
  return numerics::tileRows(rowMajor.data(), shape[0],
                            shape.back() * bits / 8, getRows(),
                            getChunkBytes());
}

LogicalResult
TiledLayoutAttr::verifyForType(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<int64_t> shape,
                               GridAttrInterface grid) const {
  if (shape.size() != 2 || ShapedType::isDynamicShape(shape))
    return emitError() << "layout " << *this << " needs a rank-2 static shape";
  int64_t rowBits = shape[1] * grid.getCodeBits();
  if (rowBits % 8 != 0)
    return emitError() << "layout " << *this << " needs rows of whole "
                       << "bytes; a row of " << shape[1] << " "
                       << grid.getCodeBits() << "-bit codes is " << rowBits
                       << " bits";
  if (shape[0] % getRows() != 0)
    return emitError() << "layout " << *this << ": rows = " << getRows()
                       << " does not divide the " << shape[0] << " rows";
  if ((rowBits / 8) % getChunkBytes() != 0)
    return emitError() << "layout " << *this << ": chunk_bytes = "
                       << getChunkBytes() << " does not divide a row's "
                       << rowBits / 8 << " bytes";
  return success();
}
