//===- QCToNVVM.h - qc ops to NVIDIA tensor-core kernels --------*- C++ -*-===//
//
// The patterns of convert-qc-to-nvvm, for a driver of one's own, and the
// NVIDIA target's model of qc's KernelTargetAttrInterface.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_QCTONVVM_QCTONVVM_H
#define QC_CONVERSION_QCTONVVM_QCTONVVM_H

#include "mlir/Support/LLVM.h"

#include <memory>
#include <string>

namespace mlir {
class DialectRegistry;
class ModuleOp;
class RewritePatternSet;
namespace qc {

/// What the patterns share while they run on one module: the host
/// functions and kernels already emitted (by spec), the chip's kernel
/// module, the remarks' bookkeeping. Opaque.
struct NVVMKernelContext;
struct NVVMKernelContextDeleter {
  void operator()(NVVMKernelContext *context) const;
};
using NVVMKernelContextPtr =
    std::unique_ptr<NVVMKernelContext, NVVMKernelContextDeleter>;

/// A context for `module` and `chip` (sm_80 ... sm_90a). Null, with
/// `error` set, for a chip qc has no kernels for.
NVVMKernelContextPtr createNVVMKernelContext(ModuleOp module, StringRef chip,
                                             std::string &error);

/// qc.matmul ops that an NVIDIA kernel covers become calls of host
/// functions that launch it (their bodies: qc-nvvm-host-functions). A
/// pattern that does not match says why with notifyMatchFailure.
void populateQCToNVVMPatterns(RewritePatternSet &patterns,
                              NVVMKernelContext &context);

/// Gives upstream's `#nvvm.target<chip = ...>` qc's
/// KernelTargetAttrInterface.
void registerNVVMKernelTargetInterface(DialectRegistry &registry);

} // namespace qc
} // namespace mlir

#endif // QC_CONVERSION_QCTONVVM_QCTONVVM_H
