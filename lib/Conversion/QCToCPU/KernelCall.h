//===- KernelCall.h - calling a kernel on memrefs from tensor code -*- C++ -*-===//
//
// Private to qc's kernel conversions (QCToCPU, QCToNVVM): how a qc.matmul
// on tensors becomes a call to a kernel function on memrefs.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_KERNELCALL_H
#define QC_LIB_CONVERSION_QCTOCPU_KERNELCALL_H

#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::qc::cpu {

/// The packed bytes and scales of a weight, as tensor values.
struct PackedWeight {
  Value bytes, scales, zeroPoints;
};

/// The qc.matmuls under `root` whose weight is a qc.constant with packed
/// codes in row-major order (no layout yet): what a layout pass may repack
/// for its kernel. Failure when a dense_resource blob under `root` does not
/// hold its type's bytes (verifyConstantBlobs has reported it).
FailureOr<SmallVector<MatmulOp>> matmulsWithRowMajorConstants(Operation *root);

/// Whether `weight` has packed bytes a kernel can read: a qc.constant or a
/// qc.assemble with packed codes.
bool hasPackedWeight(Value weight);

/// The parts of a weight for which hasPackedWeight holds.
PackedWeight getPackedWeight(RewriterBase &b, Value weight);

/// `tensor` as the kernel argument of type `memrefType` (a read-only
/// buffer, cast to the argument's dynamic sizes).
Value kernelArgument(OpBuilder &b, Location loc, Value tensor,
                     Type memrefType);

/// The buffer a kernel wrote, as a tensor of `type`.
Value kernelResult(OpBuilder &b, Location loc, Value memref,
                   RankedTensorType type);

/// y + bias (broadcast along the rows) + acc, either optional, as one
/// linalg.generic.
Value addEpilogue(OpBuilder &b, Location loc, Value y, Value bias, Value acc,
                  Value rows);

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_KERNELCALL_H
