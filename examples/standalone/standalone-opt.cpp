//===- standalone-opt.cpp - A tool of another project that uses qc --------===//
//
// Only qc's registrations (no upstream registerAll*): the qc dialect, its
// passes and its pipelines, with every dialect those pipelines need
// (mlir::qc::registerAllDialects registers them), so that
// `qc-standalone-opt f.mlir --qc-cpu-pipeline` lowers f to the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#include "qc/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::qc::registerAllDialects(registry);
  mlir::qc::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "a consumer of qc's installed CMake package\n", registry));
}
