//===- QuantInterop.h - Shared by qc-import-quant and qc-export-quant -----===//

#ifndef QC_LIB_CONVERSION_QUANTINTEROP_QUANTINTEROP_H
#define QC_LIB_CONVERSION_QUANTINTEROP_QUANTINTEROP_H

#include "qc/Dialect/QC/IR/QCTypes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

namespace mlir::qc::interop {

/// Whether `t` is, holds or (a function type) takes or gives a quant type.
bool carriesQuantType(Type t);

/// A `tensor<... x !quant.uniform<...>>` as qc sees it: the !qc.qtensor
/// type (an integer grid of the storage range, f-expressed scales, i32 zero
/// points when any is non-zero) and the type's scale and zero point values.
struct ImportedType {
  QuantizedTensorType type;
  DenseElementsAttr scales;     // type.getScalesTensorType() shape
  DenseElementsAttr zeroPoints; // null when all are zero
  /// The quant type's storage integer type (i8 for `i8<-8:7>`, whose qc
  /// grid is #qc.int<s4>): codes are truncated to the grid's width and
  /// extended back (signed or not) at quant.scast.
  IntegerType storageType;
  bool signedStorage = true;
  /// A 0-d quantized tensor is a one-element !qc.qtensor<1>; a dynamic
  /// per-axis dimension takes its static size (the number of scales).
  ///
  /// An unranked tensor is flattened, as upstream's lower-quant-ops
  /// flattens it: per tensor to `[?]`, per axis `a` to `[?, C, ?]` (the
  /// dimensions before `a`, the channels, those after) with #qc.per_axis<1>;
  /// its shape travels beside it as a `tensor<?xindex>`.
  bool unranked = false;
  /// The quantized dimension of an unranked per-axis type, else -1.
  int64_t unrankedAxis = -1;
};

/// `values` rounded (to nearest even) to the float element type of `type`.
DenseElementsAttr floatsAttr(RankedTensorType type, ArrayRef<double> values);

/// The import of `t`, or failure after an error saying why it has none.
FailureOr<ImportedType> importType(Type t,
                                   function_ref<InFlightDiagnostic()> emitError);

} // namespace mlir::qc::interop

#endif // QC_LIB_CONVERSION_QUANTINTEROP_QUANTINTEROP_H
