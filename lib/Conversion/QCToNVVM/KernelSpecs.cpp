//===- KernelSpecs.cpp - the NVIDIA kernels' spec attributes --------------===//

#include "KernelSpecs.h"

#include "qc/Conversion/KernelCommon/KernelCall.h"

using namespace mlir;
using namespace mlir::qc;

/// The spec attributes NVIDIA kernels are found by (KernelTable): every
/// field that changes the generated code.
DictionaryAttr nvvm::getSpecAttr(MLIRContext *ctx, const W4A16KernelSpec &spec) {
  return KernelSpecBuilder(ctx, "nvvm.w4a16")
      .addInt("n", spec.n)
      .addInt("k", spec.k)
      .addBool("bf16", spec.bf16)
      .addBool("zero_points", spec.zeroPoints)
      .addInt("code_offset", spec.codeOffset)
      .addInt("split_k", spec.splitK)
      .get();
}

DictionaryAttr nvvm::getSpecAttr(MLIRContext *ctx,
                                 const W8A8KernelSpec &spec) {
  return KernelSpecBuilder(ctx, "nvvm.w8a8")
      .addInt("n", spec.n)
      .addInt("k", spec.k)
      .get();
}

DictionaryAttr nvvm::getSpecAttr(MLIRContext *ctx,
                                 const QuantizeRowsSpec &spec) {
  return KernelSpecBuilder(ctx, "nvvm.quantize_rows")
      .addInt("k", spec.k)
      .addBool("f16", spec.f16)
      .get();
}

