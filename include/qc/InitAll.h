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

namespace qc {
/// Adds the qc dialect to `registry`.
void registerAllDialects(mlir::DialectRegistry &registry);
/// Registers qc's passes and pipelines with the global pass registry.
void registerAllPasses();
} // namespace qc

#endif // QC_INITALL_H
