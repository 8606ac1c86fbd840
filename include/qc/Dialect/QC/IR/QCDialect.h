//===- QCDialect.h - qc dialect ---------------------------------*- C++ -*-===//

#ifndef QC_DIALECT_QC_IR_QCDIALECT_H
#define QC_DIALECT_QC_IR_QCDIALECT_H

#include "mlir/IR/Dialect.h"

#include "qc/Dialect/QC/IR/QCDialect.h.inc"

#endif // QC_DIALECT_QC_IR_QCDIALECT_H
