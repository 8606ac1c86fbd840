//===- QCDialect.cpp - qc dialect -----------------------------------------===//

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"

using namespace mlir;
using namespace mlir::qc;

#include "qc/Dialect/QC/IR/QCDialect.cpp.inc"

void QCDialect::initialize() {
  registerAttributes();
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "qc/Dialect/QC/IR/QCOps.cpp.inc"
      >();
}
