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

/// qc -> LLVM dialect through the reference lowering (convert-qc-to-linalg),
/// bufferization and loops: any qc program, ready for mlir-runner.
void buildReferencePipeline(OpPassManager &pm,
                            const ReferencePipelineOptions &options);

/// Like the reference pipeline, with convert-qc-to-cpu's vectorized kernels
/// for the matmuls they cover.
void buildCPUPipeline(OpPassManager &pm,
                      const ReferencePipelineOptions &options);

/// Registers `qc-reference-pipeline` and `qc-cpu-pipeline`.
void registerPipelines();

} // namespace qc
} // namespace mlir

#endif // QC_PIPELINES_PIPELINES_H
