//===- RepackWeights.cpp - constant weights in their kernel's layout ------===//
//
// qc-cpu-repack-weights: qc-materialize-layouts with an x86-64 CPU as the
// target (the CPU's KernelTargetAttrInterface model, in KernelSelection.cpp,
// says which layout and scale type each kernel reads).
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "qc/Conversion/KernelCommon/WeightLayouts.h"
#include "qc/Conversion/QCToCPU/QCToCPU.h"

#include "KernelSelection.h"
#include "qc/Dialect/QC/IR/QCDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::qc {
#define GEN_PASS_DEF_REPACKCPUWEIGHTS
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

/// qc-materialize-layouts for qc's x86 kernels on the target CPU (the
/// integer kernels' layout depends on its instructions).
struct RepackCPUWeightsPass
    : mlir::qc::impl::RepackCPUWeightsBase<RepackCPUWeightsPass> {
  using RepackCPUWeightsBase::RepackCPUWeightsBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    RepackCPUWeightsBase::getDependentDialects(registry);
    registry.insert<LLVM::LLVMDialect>();
    registerCPUKernelTargetInterface(registry);
  }

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    std::string error;
    FailureOr<cpu::CPUTarget> cpu =
        cpu::CPUTarget::parse(targetTriple, targetFeatures, error);
    if (failed(cpu)) {
      mlir::emitError(getOperation().getLoc(), "qc-cpu-repack-weights: ")
          << error;
      return signalPassFailure();
    }
    SmallVector<std::string> features = cpu->codeFeatures();
    SmallVector<StringRef> refs(features.begin(), features.end());
    auto target = LLVM::TargetAttr::get(
        ctx, StringAttr::get(ctx, cpu->triple), StringAttr::get(ctx, ""),
        LLVM::TargetFeaturesAttr::get(ctx, refs));
    if (failed(materializeWeightLayouts(getOperation(), target, remarks,
                                        "qc-cpu-repack-weights")))
      signalPassFailure();
  }
};

} // namespace
