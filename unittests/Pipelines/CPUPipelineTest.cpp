//===- CPUPipelineTest.cpp - qc's pipelines in a context of qc's own ------===//
//
// A compiler that embeds qc registers qc's dialects (which bring what the
// pipelines need) and builds qc's pipelines with the C++ API, without
// MLIR's registerAll* functions: the CPU pipeline must then lower a program
// with a kernel to the LLVM dialect, and a bad option must be an error.
//
//===----------------------------------------------------------------------===//

#include "qc/InitAll.h"
#include "qc/Pipelines/Pipelines.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <set>

using namespace mlir;

namespace {

// The test's input program: a W4A8 linear layer and a Hadamard rotation.
constexpr const char *kProgram = R"mlir(
func.func @main(%a: tensor<4x256xf32>, %bytes: tensor<8192xi8>, %s: tensor<64x2xf32>) -> tensor<4x64xf32> {
  %r = qc.rotate %a by #qc.hadamard<256> along 1 : tensor<4x256xf32>
  %qa = qc.quantize %r : tensor<4x256xf32> -> !qc.qtensor<4x256, #qc.int<s8>, f32 #qc.per_axis<0>>
  %w = qc.assemble packed %bytes, %s : !qc.qtensor<64x256, #qc.int<s4>, f32 #qc.per_block<[1, 128]>>
  %y = qc.matmul %qa, %w : !qc.qtensor<4x256, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<64x256, #qc.int<s4>, f32 #qc.per_block<[1, 128]>> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
)mlir";

struct Lowered {
  bool ok = false;
  OwningOpRef<ModuleOp> module;
  std::vector<std::string> diagnostics;
};

Lowered lower(MLIRContext &ctx, const mlir::qc::CPUPipelineOptions &options) {
  Lowered out;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    out.diagnostics.push_back(d.str());
    return success();
  });
  out.module = parseSourceString<ModuleOp>(kProgram, &ctx);
  if (!out.module)
    return out;
  PassManager pm(&ctx);
  mlir::qc::buildCPUPipeline(pm, options);
  out.ok = succeeded(pm.run(*out.module));
  return out;
}

MLIRContext *contextOfQCOnly() {
  DialectRegistry registry;
  ::mlir::qc::registerAllDialects(registry);
  return new MLIRContext(registry);
}

TEST(CPUPipeline, LowersToLLVMWithOnlyQCRegistrations) {
  std::unique_ptr<MLIRContext> ctx(contextOfQCOnly());
  mlir::qc::CPUPipelineOptions options;
  options.targetTriple = "x86_64-unknown-linux-gnu";
  options.targetFeatures = "avx2,fma,ssse3,sse2";
  Lowered l = lower(*ctx, options);
  ASSERT_TRUE(l.module);
  ASSERT_TRUE(l.ok) << (l.diagnostics.empty() ? "" : l.diagnostics[0]);
  // Everything is LLVM dialect, and both kernels are there, with the
  // intrinsics the integer kernel is made of.
  // (The kernels' threads stay omp ops on LLVM types, which LLVM IR
  // translation turns into OpenMP runtime calls.)
  std::set<std::string> foreign;
  int intrinsics = 0;
  std::vector<std::string> functions;
  l.module->walk([&](Operation *op) {
    if (auto fn = dyn_cast<LLVM::LLVMFuncOp>(op))
      functions.push_back(fn.getName().str());
    if (isa<LLVM::CallIntrinsicOp>(op))
      ++intrinsics;
    if (!isa<ModuleOp>(op) && !isa<LLVM::LLVMDialect>(op->getDialect()) &&
        op->getDialect()->getNamespace() != "omp")
      foreign.insert(op->getName().getStringRef().str());
  });
  EXPECT_TRUE(foreign.empty()) << *foreign.begin();
  EXPECT_GT(intrinsics, 0);
  auto has = [&](const std::string &prefix) {
    for (const std::string &f : functions)
      if (f.rfind(prefix, 0) == 0)
        return true;
    return false;
  };
  EXPECT_TRUE(has("qc_cpu_w4a8_n64_k256_g128_f32_arow"));
  EXPECT_TRUE(has("qc_cpu_hadamard_n256_q8"));
  EXPECT_TRUE(has("main"));
}

TEST(CPUPipeline, WithoutAVX2TheMatmulKeepsTheReferenceLowering) {
  std::unique_ptr<MLIRContext> ctx(contextOfQCOnly());
  mlir::qc::CPUPipelineOptions options;
  options.targetTriple = "x86_64-unknown-linux-gnu";
  options.targetFeatures = "sse2,ssse3";
  Lowered l = lower(*ctx, options);
  ASSERT_TRUE(l.ok);
  int intrinsics = 0;
  bool intKernel = false, hadamard = false;
  l.module->walk([&](Operation *op) {
    if (isa<LLVM::CallIntrinsicOp>(op))
      ++intrinsics;
    if (auto fn = dyn_cast<LLVM::LLVMFuncOp>(op)) {
      intKernel |= fn.getName().starts_with("qc_cpu_w4a8");
      hadamard |= fn.getName().starts_with("qc_cpu_hadamard");
    }
  });
  // The integer kernel needs AVX2's vpmaddubsw; the Hadamard kernel needs
  // no x86 instruction of its own.
  EXPECT_FALSE(intKernel);
  EXPECT_TRUE(hadamard);
  EXPECT_EQ(intrinsics, 0);
}

TEST(CPUPipeline, MalformedFeaturesAreAnError) {
  std::unique_ptr<MLIRContext> ctx(contextOfQCOnly());
  mlir::qc::CPUPipelineOptions options;
  options.targetFeatures = "avx2,+";
  Lowered l = lower(*ctx, options);
  EXPECT_FALSE(l.ok);
  ASSERT_FALSE(l.diagnostics.empty());
  EXPECT_NE(l.diagnostics[0].find("is not a feature name"), std::string::npos)
      << l.diagnostics[0];
}

TEST(ReferencePipeline, LowersToLLVMWithOnlyQCRegistrations) {
  std::unique_ptr<MLIRContext> ctx(contextOfQCOnly());
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kProgram, ctx.get());
  ASSERT_TRUE(module);
  PassManager pm(ctx.get());
  mlir::qc::buildReferencePipeline(pm, mlir::qc::ReferencePipelineOptions());
  ASSERT_TRUE(succeeded(pm.run(*module)));
  int foreign = 0;
  module->walk([&](Operation *op) {
    if (!isa<ModuleOp>(op) && !isa<LLVM::LLVMDialect>(op->getDialect()))
      ++foreign;
  });
  EXPECT_EQ(foreign, 0);
}

} // namespace
