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
#include "qc/Dialect/QC/IR/QCTypes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qc {

/// The module attribute that names the target qc-materialize-layouts
/// serves.
constexpr llvm::StringLiteral kTargetAttrName = "qc.target";

/// `type` in an exactly equal form that simpler kernels read: its outer
/// scale level folded into f32 scales per inner block (s * o, the f32
/// product the reference lowering computes), its mins likewise into f32 mins
/// (m * mo), and, when `codeBits` is nonzero, its #qc.int codes widened to
/// `codeBits` bits (the same integers). Null when that changes nothing or
/// does not apply (a dynamic shape, a layout, integer zero points with
/// wider codes). This is how llama.cpp's K-quants, Q5_0 and Q5_1 reach the
/// CPU kernels: every dequantized value is bit-identical.
QuantizedTensorType getExactKernelForm(QuantizedTensorType type,
                                       unsigned codeBits);

/// Rewrites the constant row-major weight of every qc.matmul under `root`
/// into the type `target`'s kernel reads it in (KernelTargetAttrInterface::
/// getKernelWeightType): first folded by getExactKernelForm when the target
/// asks for that form, then codes repacked by the layout's packCodes and
/// scales widened. With `remarks`, a remark on each matmul left as it is. A weight
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
