//===- QCToCPU.h - qc ops to vectorized CPU kernels -------------*- C++ -*-===//
//
// The patterns of convert-qc-to-cpu, for a driver of one's own.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_QCTOCPU_QCTOCPU_H
#define QC_CONVERSION_QCTOCPU_QCTOCPU_H

#include "mlir/Support/LLVM.h"

#include <memory>
#include <string>

namespace mlir {
class DialectRegistry;
class ModuleOp;
class RewritePatternSet;
namespace qc {

/// What the patterns share while they run on one module: the kernels
/// already in it, the target, why each op they did not rewrite keeps the
/// reference lowering. Opaque.
struct CPUKernelContext;
struct CPUKernelContextDeleter {
  void operator()(CPUKernelContext *context) const;
};
using CPUKernelContextPtr =
    std::unique_ptr<CPUKernelContext, CPUKernelContextDeleter>;

/// A context for `module` and the target: `targetTriple` (empty: the
/// host's), `targetFeatures` ("host", or LLVM feature names separated by
/// commas, each optionally prefixed by + or -). Null, with `error` set,
/// when the features do not parse.
CPUKernelContextPtr createCPUKernelContext(ModuleOp module,
                                           StringRef targetTriple,
                                           StringRef targetFeatures,
                                           std::string &error);

/// qc.matmul and qc.rotate ops that a CPU kernel covers become calls to
/// kernels added to the context's module. A pattern that does not match
/// says why with notifyMatchFailure; the context outlives the patterns.
void populateQCToCPUPatterns(RewritePatternSet &patterns,
                             CPUKernelContext &context);

/// Gives upstream's `#llvm.target<triple, chip, features>` qc's
/// KernelTargetAttrInterface: an x86-64 triple is a CPU with qc's kernels
/// (which a matmul or rotation gets, the weight storage it reads).
void registerCPUKernelTargetInterface(DialectRegistry &registry);

/// What qc-cpu-vectorize-linalg needs registered beyond dialects: linalg's
/// and tensor's tiling interfaces, subset and value-bounds models (the
/// tiling, the vectorizer's masks, in-place bufferization of the tiles).
void registerVectorizeLinalgDependencies(DialectRegistry &registry);

} // namespace qc
} // namespace mlir

#endif // QC_CONVERSION_QCTOCPU_QCTOCPU_H
