//===- QCAttributes.h - qc grids, granularities, enums ----------*- C++ -*-===//

#ifndef QC_DIALECT_QC_IR_QCATTRIBUTES_H
#define QC_DIALECT_QC_IR_QCATTRIBUTES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Value.h"
#include "qc/Numerics/Grid.h"
#include "qc/Numerics/Hadamard.h"
#include "qc/Numerics/Packing.h"

namespace mlir {
class OpBuilder;
} // namespace mlir

namespace mlir::qc {

/// Index arithmetic on IR values (`index` type, non-negative): what a
/// layout's code position is computed with when a lowering unpacks it
/// (LayoutAttrInterface::buildCodePosition). The reference lowering
/// implements it with arith ops.
class IndexArithmetic {
public:
  virtual ~IndexArithmetic() = default;
  virtual Value add(Value x, Value y) = 0;
  virtual Value mul(Value x, int64_t c) = 0;
  /// Unsigned division and remainder by a positive constant.
  virtual Value div(Value x, int64_t c) = 0;
  virtual Value rem(Value x, int64_t c) = 0;
};

} // namespace mlir::qc

#include "qc/Dialect/QC/IR/QCEnums.h.inc"
#include "qc/Dialect/QC/IR/QCInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/QC/IR/QCAttributes.h.inc"

#endif // QC_DIALECT_QC_IR_QCATTRIBUTES_H
