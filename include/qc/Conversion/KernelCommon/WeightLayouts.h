//===- WeightLayouts.h - weights in the storage kernels read ----*- C++ -*-===//
//
// The one implementation of layout materialization, for every target: what
// qc-materialize-layouts (and its CPU and NVIDIA forms,
// qc-cpu-repack-weights and qc-nvvm-layout) run.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_KERNELCOMMON_WEIGHTLAYOUTS_H
#define QC_CONVERSION_KERNELCOMMON_WEIGHTLAYOUTS_H

#include "qc/Dialect/QC/IR/QCAttributes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qc {

/// The module attribute that names the target qc-materialize-layouts
/// serves.
constexpr llvm::StringLiteral kTargetAttrName = "qc.target";

/// Rewrites the constant row-major weight of every qc.matmul under `root`
/// into the type `target`'s kernel reads it in (KernelTargetAttrInterface::
/// getKernelWeightType): codes repacked by the layout's packCodes, scales
/// widened. With `remarks`, a remark on each matmul left as it is. A weight
/// that cannot be read gets a warning and stays; a blob of the wrong size
/// is an error (failure).
/// `pass` names the pass in diagnostics. Codes are stored 16-byte aligned
/// (what the NVIDIA kernels' cp.async needs; more than any CPU kernel).
LogicalResult materializeWeightLayouts(Operation *root,
                                       KernelTargetAttrInterface target,
                                       RewriterBase &rewriter, bool remarks,
                                       StringRef pass);

/// The same through a rewriter of its own, for `target` (an attribute that
/// must have KernelTargetAttrInterface: an error on `root` otherwise).
LogicalResult materializeWeightLayouts(Operation *root, Attribute target,
                                       bool remarks, StringRef pass);

} // namespace mlir::qc

#endif // QC_CONVERSION_KERNELCOMMON_WEIGHTLAYOUTS_H
