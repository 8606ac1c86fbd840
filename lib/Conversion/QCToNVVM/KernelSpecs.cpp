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


gpu::GPUFuncOp nvvm::buildKernelFromSpec(OpBuilder &builder, Location loc,
                                         DictionaryAttr spec, StringRef name,
                                         Block &moduleBody) {
  KernelSpecReader r(spec);
  StringRef family = r.family();
  if (family == "nvvm.w4a16") {
    W4A16KernelSpec s;
    s.n = r.getInt("n");
    s.k = r.getInt("k");
    s.bf16 = r.getBool("bf16");
    s.zeroPoints = r.getBool("zero_points");
    s.codeOffset = r.getInt("code_offset");
    s.splitK = r.getInt("split_k");
    s.name = name.str();
    if (!r.ok() || s.n <= 0 || s.n % W4A16KernelSpec::blockCols != 0 ||
        s.k <= 0 || s.k % W4A16KernelSpec::group != 0 || s.splitK < 1 ||
        s.kTiles() % s.splitK != 0 || (s.codeOffset != 0 && s.codeOffset != 8))
      return {};
    return buildW4A16Kernel(builder, loc, moduleBody, s);
  }
  if (family == "nvvm.w8a8") {
    W8A8KernelSpec s;
    s.n = r.getInt("n");
    s.k = r.getInt("k");
    s.name = name.str();
    if (!r.ok() || s.n <= 0 || s.n % W8A8KernelSpec::blockCols != 0 ||
        s.k <= 0 || s.k % W8A8KernelSpec::kTile != 0)
      return {};
    return buildW8A8Kernel(builder, loc, moduleBody, s);
  }
  if (family == "nvvm.quantize_rows") {
    QuantizeRowsSpec s;
    s.k = r.getInt("k");
    s.f16 = r.getBool("f16");
    s.name = name.str();
    if (!r.ok() || s.k <= 0 || s.k % 4 != 0)
      return {};
    return buildQuantizeRowsKernel(builder, loc, moduleBody, s);
  }
  return {};
}
