//===- Pipelines.cpp - qc's registered pass pipelines ---------------------===//

#include "qc/Pipelines/Pipelines.h"

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

/// Upstream's tensor -> loops -> LLVM path, spelled as text so it reads like
/// the mlir-opt command line it mirrors.
static void addLoweringToLLVM(OpPassManager &pm) {
  // The CPU kernels' qc_x86 ops become LLVM intrinsic calls after buffer
  // deallocation (which rejects their unknown memory effects); their
  // scf.parallel loops then become OpenMP loops (after deallocation, whose
  // ownership constants would break the omp.wsloop wrapper); canonicalize
  // inlines the memref.alloca_scope
  // that convert-scf-to-openmp wraps each body in (scf-to-cf cannot lower
  // a multi-block one).
  const char *rest =
      "canonicalize,cse,convert-elementwise-to-linalg,"
      "one-shot-bufferize{bufferize-function-boundaries "
      "function-boundary-type-conversion=identity-layout-map},"
      "func.func(convert-linalg-to-loops),buffer-deallocation-pipeline,"
      "convert-bufferization-to-memref,convert-qc-x86-to-llvm,"
      "convert-scf-to-openmp,canonicalize,"
      "convert-vector-to-scf,expand-strided-metadata,lower-affine,"
      "arith-expand{include-bf16=true include-f8e8m0=true "
      "include-f4e2m1=true},"
      "convert-scf-to-cf,convert-vector-to-llvm,"
      "convert-to-llvm,"
      "reconcile-unrealized-casts";
  if (failed(parsePassPipeline(rest, pm)))
    llvm::report_fatal_error("qc pipelines: bad upstream pipeline");
}

void mlir::qc::buildReferencePipeline(OpPassManager &pm,
                                      const ReferencePipelineOptions &options) {
  if (options.quantizeConstants)
    pm.addPass(createQuantizeConstants());
  pm.addPass(createConvertQCToLinalg());
  addLoweringToLLVM(pm);
}

void mlir::qc::buildCPUPipeline(OpPassManager &pm,
                                const ReferencePipelineOptions &options) {
  if (options.quantizeConstants)
    pm.addPass(createQuantizeConstants());
  pm.addPass(createRepackCPUWeights());
  pm.addPass(createConvertQCToCPU());
  pm.addPass(createConvertQCToLinalg());
  addLoweringToLLVM(pm);
}

void mlir::qc::registerPipelines() {
  PassPipelineRegistration<ReferencePipelineOptions>(
      "qc-reference-pipeline",
      "Lower qc programs to the LLVM dialect through the reference lowering "
      "(quantize constant weights, convert-qc-to-linalg, bufferize, loops), "
      "ready for mlir-runner",
      buildReferencePipeline);
  PassPipelineRegistration<ReferencePipelineOptions>(
      "qc-cpu-pipeline",
      "Lower qc programs to the LLVM dialect for x86-64 CPUs: constant "
      "weights are quantized and repacked for their kernel "
      "(qc-cpu-repack-weights), quantized matmuls with a CPU kernel "
      "(convert-qc-to-cpu) become vectorized kernels that read packed "
      "weights, everything else takes the reference lowering",
      buildCPUPipeline);
}
