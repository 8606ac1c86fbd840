//===- QCNVVMDialect.h - qc's NVIDIA-side attributes ------------*- C++ -*-===//

#ifndef QC_DIALECT_NVVM_IR_QCNVVMDIALECT_H
#define QC_DIALECT_NVVM_IR_QCNVVMDIALECT_H

#include "qc/Dialect/QC/IR/QCAttributes.h"
#include "qc/Dialect/QC/IR/QCDialect.h"

#include "mlir/IR/Dialect.h"

#include "qc/Dialect/NVVM/IR/QCNVVMDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/NVVM/IR/QCNVVMAttributes.h.inc"

#endif // QC_DIALECT_NVVM_IR_QCNVVMDIALECT_H
