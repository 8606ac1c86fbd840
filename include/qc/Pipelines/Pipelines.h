//===- Pipelines.h - qc's registered pass pipelines -------------*- C++ -*-===//

#ifndef QC_PIPELINES_PIPELINES_H
#define QC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace qc {

struct ReferencePipelineOptions
    : public PassPipelineOptions<ReferencePipelineOptions> {
  PassOptions::Option<bool> quantizeConstants{
      *this, "quantize-constants",
      llvm::cl::desc("Quantize constant weights at compile time "
                     "(qc-quantize-constants) before lowering"),
      llvm::cl::init(true)};
};

struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<bool> quantizeConstants{
      *this, "quantize-constants",
      llvm::cl::desc("Quantize constant weights at compile time "
                     "(qc-quantize-constants) before lowering"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> targetTriple{
      *this, "target-triple",
      llvm::cl::desc("The target's triple (empty: the host's); kernels are "
                     "emitted for x86-64 only"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("The target CPU's features as LLVM names them, "
                     "comma-separated, each optionally prefixed by + or -, "
                     "and \"host\" for the features of this machine's CPU; "
                     "kernels whose instructions need a missing feature are "
                     "not emitted"),
      llvm::cl::init("host")};
  PassOptions::Option<bool> remarks{
      *this, "remarks",
      llvm::cl::desc("Remarks from convert-qc-to-cpu: why each op keeps the "
                     "reference lowering, and a summary"),
      llvm::cl::init(false)};
};

/// qc -> LLVM dialect through the reference lowering (convert-qc-to-linalg),
/// bufferization and loops: any qc program, ready for mlir-runner.
void buildReferencePipeline(OpPassManager &pm,
                            const ReferencePipelineOptions &options);

/// Like the reference pipeline, with convert-qc-to-cpu's vectorized kernels
/// for the matmuls and rotations they cover on the target.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers `qc-reference-pipeline` and `qc-cpu-pipeline`.
void registerPipelines();

} // namespace qc
} // namespace mlir

#endif // QC_PIPELINES_PIPELINES_H
