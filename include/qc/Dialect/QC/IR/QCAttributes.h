//===- QCAttributes.h - qc grids, granularities, enums ----------*- C++ -*-===//

#ifndef QC_DIALECT_QC_IR_QCATTRIBUTES_H
#define QC_DIALECT_QC_IR_QCATTRIBUTES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "qc/Numerics/Grid.h"
#include "qc/Numerics/Hadamard.h"

#include "qc/Dialect/QC/IR/QCEnums.h.inc"
#include "qc/Dialect/QC/IR/QCInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/QC/IR/QCAttributes.h.inc"

#endif // QC_DIALECT_QC_IR_QCATTRIBUTES_H
