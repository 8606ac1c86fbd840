//===- Passes.h - qc conversion passes --------------------------*- C++ -*-===//

#ifndef QC_CONVERSION_PASSES_H
#define QC_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class ModuleOp;
class RewritePatternSet;
namespace qc {

#define GEN_PASS_DECL
#include "qc/Conversion/Passes.h.inc"

/// qc_x86 ops -> llvm.call_intrinsic (convert-qc-x86-to-llvm).
void populateQCX86ToLLVMPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "qc/Conversion/Passes.h.inc"

} // namespace qc
} // namespace mlir

#endif // QC_CONVERSION_PASSES_H
