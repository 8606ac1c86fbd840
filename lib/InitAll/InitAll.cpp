//===- InitAll.cpp - Register qc's dialects and passes --------------------===//

#include "qc/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "qc/Dialect/QC/IR/QCDialect.h"

void qc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::qc::QCDialect>();
}

void qc::registerAllPasses() {}
