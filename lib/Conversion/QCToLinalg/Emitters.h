//===- Emitters.h - Scalar and tensor building blocks of QCToLinalg -*- C++ -*-===//
//
// Private to the QCToLinalg library: the pieces every qc op lowering is made
// of (granularity index maps, storage conversions of scales, grid decode and
// encode from the numerics library's tables).
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOLINALG_EMITTERS_H
#define QC_LIB_CONVERSION_QCTOLINALG_EMITTERS_H

#include "qc/Dialect/QC/IR/QCTypes.h"
#include "qc/Numerics/Grid.h"

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"

namespace mlir {
class RewritePatternSet;
namespace utils {
enum class IteratorType : uint32_t;
} // namespace utils
} // namespace mlir

namespace mlir::qc::lowering {

using BodyFn =
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>;

/// linalg.generic with the given operands and maps; `body` gets the block
/// arguments (inputs, then outputs) and returns the values to yield.
ValueRange buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                        ValueRange outputs, ArrayRef<AffineMap> maps,
                        ArrayRef<utils::IteratorType> iterators, BodyFn body);

/// `x` (a float tensor) with its elements converted to `elementType`
/// through f32 (`x` itself when the type is already right).
Value convertElements(OpBuilder &b, Location loc, Value x, Type elementType);

/// qc.rotate -> the fast Walsh-Hadamard transform in linalg, qc.rms_norm ->
/// a reduction and an elementwise generic (FloatOpLowering.cpp).
void populateRotateLoweringPatterns(RewritePatternSet &patterns);

/// The element type a part of a quantized tensor is stored in after
/// lowering: f32/f16/bf16 and integers stay, other floats (f8, f6, f4, E8M0)
/// become signless integers of their width holding the bit pattern.
Type getStorageElementType(Type logical);


/// `tensor.empty` of `shape` (the part shape of `granularity` when given,
/// else `shape` itself) with dynamic sizes taken from `source` (a tensor of
/// the full `shape`).
Value createEmpty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  GranularityAttrInterface granularity, Value source,
                  Type elementType);

/// `linalg.fill` of a float/int constant into an empty tensor.
Value createFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   GranularityAttrInterface granularity, Value source,
                   Type elementType, double value);

/// Compile-time tables of one grid or small float format, as constants.
class GridTables {
public:
  GridTables(OpBuilder &b, Location loc, const ::mlir::qc::numerics::Grid &grid);
  /// f32 value of a code (any iB or wider integer holding it).
  Value decode(OpBuilder &b, Location loc, Value code) const;
  /// Code (iB) of the nearest grid value of an f32 `x` (saturating, the
  /// grid's tie rule, NaN to the code of 0).
  Value encode(OpBuilder &b, Location loc, Value x) const;

private:
  unsigned bits;
  uint32_t nanCode;
  Value values, thresholds, tieUp, codes;
};

/// Converts scalars between f32 and a part's storage (see
/// getStorageElementType) for one logical element type.
class ValueCodec {
public:
  ValueCodec(OpBuilder &b, Location loc, Type logical);
  Type getLogicalType() const { return logical; }
  Type getStorageType() const { return storage; }
  /// Stored element -> f32.
  Value toF32(OpBuilder &b, Location loc, Value stored) const;
  /// f32 -> stored element, rounding to nearest even and saturating for
  /// float formats. Integers must already hold an integral value in range.
  Value fromF32(OpBuilder &b, Location loc, Value x) const;
  /// Round an f32 to the nearest value of the format, as f32.
  Value round(OpBuilder &b, Location loc, Value x) const {
    return toF32(b, loc, fromF32(b, loc, x));
  }

private:
  Type logical, storage;
  std::optional<GridTables> tables; // small float formats
};

/// Converts a float scalar of any width to f32 and back.
Value floatToF32(OpBuilder &b, Location loc, Value x);
Value f32ToFloat(OpBuilder &b, Location loc, Value x, Type type);

/// An f32 constant.
Value constF32(OpBuilder &b, Location loc, float v);

/// floor(log2 x) of a positive finite f32 as i64, exactly (read from the
/// exponent field of x widened to f64, which has no f32 subnormals).
Value floorLog2(OpBuilder &b, Location loc, Value x);
/// 2^e as f32 for an i64 exponent e in [-127, 127] (exact: built in f64).
Value powerOfTwo(OpBuilder &b, Location loc, Value e);

} // namespace mlir::qc::lowering

#endif // QC_LIB_CONVERSION_QCTOLINALG_EMITTERS_H
