//===- InitAll.cpp - Register qc's dialects and passes --------------------===//

#include "qc/InitAll.h"

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/Transforms/Passes.h"
#include "qc/Dialect/NVVM/IR/QCNVVMDialect.h"
#include "qc/Dialect/X86/IR/X86Dialect.h"
#include "qc/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"

void mlir::qc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::qc::QCDialect, mlir::qc::x86::X86Dialect,
                  mlir::qc::nvvm::QCNVVMDialect>();
  registerPipelineDependencies(registry);
}

void mlir::qc::registerAllPasses() {
  mlir::qc::registerQCTransformsPasses();
  mlir::qc::registerQCConversionPasses();
  mlir::qc::registerPipelines();
}
