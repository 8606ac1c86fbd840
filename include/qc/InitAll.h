//===- InitAll.h - Register qc's dialects and passes ------------*- C++ -*-===//
//
// Entry points for compilers that embed qc: call these next to MLIR's own
// registerAll* functions. Deliberately free of MLIR headers.
//
//===----------------------------------------------------------------------===//

#ifndef QC_INITALL_H
#define QC_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::qc {
/// Adds qc's dialects (qc, qc_x86) to `registry`, and what qc's pipelines
/// need (registerPipelineDependencies).
void registerAllDialects(mlir::DialectRegistry &registry);
/// The upstream dialects qc's pipelines lower through and the interface
/// models their passes use (bufferization, buffer deallocation,
/// convert-to-llvm): with these and qc's dialects, a context runs
/// qc-reference-pipeline and qc-cpu-pipeline without MLIR's
/// registerAllDialects/registerAllExtensions.
void registerPipelineDependencies(mlir::DialectRegistry &registry);
/// Registers qc's passes and pipelines with the global pass registry.
void registerAllPasses();
} // namespace mlir::qc

#endif // QC_INITALL_H
