//===- KernelSpecs.h - the NVIDIA kernels' spec attributes ------*- C++ -*-===//
//
// Private to QCToNVVM. The attributes the NVIDIA kernels are found by
// (KernelTable): every field of a spec that changes the generated code.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTONVVM_KERNELSPECS_H
#define QC_LIB_CONVERSION_QCTONVVM_KERNELSPECS_H

#include "QuantizeRowsKernel.h"
#include "W4A16Kernel.h"
#include "W8A8Kernel.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::qc::nvvm {

DictionaryAttr getSpecAttr(MLIRContext *ctx, const W4A16KernelSpec &spec);
DictionaryAttr getSpecAttr(MLIRContext *ctx, const W8A8KernelSpec &spec);
DictionaryAttr getSpecAttr(MLIRContext *ctx, const QuantizeRowsSpec &spec);

/// The kernel of `spec` (a getSpecAttr attribute), named `name`, built from
/// the attribute alone at the end of `moduleBody` (a gpu.module's); null
/// when `spec` is no NVIDIA kernel's or describes one the kernels do not
/// support.
gpu::GPUFuncOp buildKernelFromSpec(OpBuilder &builder, Location loc,
                                   DictionaryAttr spec, StringRef name,
                                   Block &moduleBody);

} // namespace mlir::qc::nvvm

#endif // QC_LIB_CONVERSION_QCTONVVM_KERNELSPECS_H
