//===- InitAll.cpp - Register qc's dialects and passes --------------------===//

#include "qc/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/Transforms/Passes.h"
#include "qc/Dialect/X86/IR/X86Dialect.h"
#include "qc/Pipelines/Pipelines.h"

void qc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::qc::QCDialect, mlir::qc::x86::X86Dialect>();
}

void qc::registerAllPasses() {
  mlir::qc::registerQCTransformsPasses();
  mlir::qc::registerQCConversionPasses();
  mlir::qc::registerPipelines();
}
