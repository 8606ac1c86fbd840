//===- Pipelines.h - qc's registered pass pipelines -------------*- C++ -*-===//

#ifndef QC_PIPELINES_PIPELINES_H
#define QC_PIPELINES_PIPELINES_H

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Pass/PassOptions.h"

#include <string>

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
      llvm::cl::desc("Remarks from convert-qc-to-cpu and "
                     "qc-cpu-vectorize-linalg: why each op keeps the "
                     "reference lowering or stays scalar, and summaries"),
      llvm::cl::init(false)};  PassOptions::Option<bool> fuseChains{
      *this, "fuse-chains",
      llvm::cl::desc("qc-cpu-vectorize-linalg's fuse-chains: attention's "
                     "ops fused into one loop over sentences and heads"),
      llvm::cl::init(true)};
};

/// What qc-nvvm-pipeline's gpu.binary holds.
enum class GPUBinaryFormat { Cubin, PTX, Fatbin };

struct NVVMPipelineOptions : public PassPipelineOptions<NVVMPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("The NVIDIA GPU the kernels are compiled for: sm_80, "
                     "sm_86, sm_87, sm_89, sm_90 or sm_90a"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<GPUBinaryFormat> format{
      *this, "format", llvm::cl::desc("What the gpu.binary holds"),
      llvm::cl::init(GPUBinaryFormat::Cubin),
      llvm::cl::values(
          clEnumValN(GPUBinaryFormat::Cubin, "bin",
                     "a cubin for the chip, assembled by the toolkit's ptxas"),
          clEnumValN(GPUBinaryFormat::PTX, "isa",
                     "PTX, compiled by the driver when the program loads it "
                     "(needs no CUDA toolkit)"),
          clEnumValN(GPUBinaryFormat::Fatbin, "fatbin",
                     "a fat binary (needs ptxas and fatbinary)"))};
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("The CUDA toolkit's directory (with bin/ptxas); empty: "
                     "CUDA_HOME, CUDA_ROOT, CUDA_PATH, then PATH"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> dumpDir{
      *this, "dump-dir",
      llvm::cl::desc("Also write each GPU binary to this directory "
                     "(qc-write-gpu-binaries: NAME.CHIP.ptx, .cubin or "
                     ".fatbin)"),
      llvm::cl::init("")};
  PassOptions::Option<bool> quantizeConstants{
      *this, "quantize-constants",
      llvm::cl::desc("Quantize constant weights at compile time "
                     "(qc-quantize-constants) before lowering"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> remarks{
      *this, "remarks",
      llvm::cl::desc("Remarks from convert-qc-to-nvvm: why each matmul keeps "
                     "the reference lowering, and a summary"),
      llvm::cl::init(false)};
};

struct QuantizeModelPipelineOptions
    : public PassPipelineOptions<QuantizeModelPipelineOptions> {
  PassOptions::Option<QuantizePolicy> policy{
      *this, "policy", llvm::cl::desc("The format of every eligible layer"),
      llvm::cl::init(QuantizePolicy::W4G128),
      llvm::cl::values(
          clEnumValN(QuantizePolicy::W4G128, "w4g128",
                     "int4 weights, groups of 128, f16 scales"),
          clEnumValN(QuantizePolicy::W4G64, "w4g64",
                     "int4 weights, groups of 64, f16 scales"),
          clEnumValN(QuantizePolicy::NF4G64, "nf4g64",
                     "NF4 weights, groups of 64, f16 scales"),
          clEnumValN(QuantizePolicy::W4A8, "w4a8",
                     "int4 weights (groups of 128) x int8 activations "
                     "(blocks of 32)"),
          clEnumValN(QuantizePolicy::W8A8, "w8a8",
                     "int8 weights (per channel, f32 scales) x int8 "
                     "activations (blocks of 32)"))};
  PassOptions::Option<bool> rotations{
      *this, "rotations",
      llvm::cl::desc("QuaRot-style Hadamard rotations in front of every "
                     "quantized layer (qc-insert-rotations), absorbed where "
                     "possible (qc-fuse-rotations)"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> seed{
      *this, "seed",
      llvm::cl::desc("Random-sign Hadamards with this seed (-1: plain)"),
      llvm::cl::init(-1)};
  PassOptions::Option<bool> gptq{
      *this, "gptq",
      llvm::cl::desc("Quantize the weights by GPTQ with each layer's "
                     "qc.act_gram (X^T X of calibration activations); not "
                     "with rotations"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> skip{
      *this, "skip",
      llvm::cl::desc("Leave float the layers whose name matches this regular "
                     "expression"),
      llvm::cl::init("")};
  PassOptions::Option<bool> remarks{
      *this, "remarks",
      llvm::cl::desc("A remark per layer: its format, or why it stays float"),
      llvm::cl::init(true)};
};

/// The whole-model entry point (the counterpart of `llama-quantize in out
/// Q4_K_M`): every float Linear layer in the policy's format
/// (qc-quantize-linears, leaving float, with the reason, what the format
/// does not fit), optionally rotated, then the weights quantized into blobs
/// (qc-quantize-constants).
void buildQuantizeModelPipeline(OpPassManager &pm,
                                const QuantizeModelPipelineOptions &options);

/// qc -> LLVM dialect through the reference lowering (convert-qc-to-linalg),
/// bufferization and loops: any qc program, ready for mlir-runner.
void buildReferencePipeline(OpPassManager &pm,
                            const ReferencePipelineOptions &options);

/// Like the reference pipeline, with convert-qc-to-cpu's vectorized kernels
/// for the matmuls and rotations they cover on the target, and the
/// program's own linalg ops tiled, vectorized and threaded
/// (qc-cpu-vectorize-linalg).
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// qc -> kernels for an NVIDIA GPU (gpu.module, compiled to a gpu.binary)
/// plus host code in the LLVM dialect that launches them through qc's CUDA
/// runtime; what has no kernel takes the reference lowering on the host.
void buildNVVMPipeline(OpPassManager &pm, const NVVMPipelineOptions &options);

/// Registers `qc-reference-pipeline`, `qc-cpu-pipeline` and
/// `qc-quantize-model`.
void registerPipelines();

} // namespace qc
} // namespace mlir

#endif // QC_PIPELINES_PIPELINES_H
