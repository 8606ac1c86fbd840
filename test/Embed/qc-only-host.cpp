//===- qc-only-host.cpp - qc's pipelines in a host that registered little -===//
//
// A host that registers only the qc dialect and the dialects its input is
// written in (func, arith), none of the interface models the lowering
// needs, runs qc-cpu-pipeline and qc-reference-pipeline through their typed
// builders: the pipelines load what they need (qc-pipeline-dependencies).
// A pass pipeline naming something never registered is a diagnostic. Each
// check prints PASS or FAIL; the exit code counts failures.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using namespace mlir;

static const char *kProgram = R"mlir(
func.func @linear(%x: tensor<?x64xf32>) -> tensor<?x8xf32> {
  %w = arith.constant dense<0.5> : tensor<8x64xf32>
  %qw = qc.quantize %w : tensor<8x64xf32> -> !qc.qtensor<8x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
  %qx = qc.quantize %x : tensor<?x64xf32> -> !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_axis<0>>
  %y = qc.matmul %qx, %qw : !qc.qtensor<?x64, #qc.int<s8>, f32 #qc.per_axis<0>>, !qc.qtensor<8x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}
)mlir";

static int failures = 0;
static void check(bool ok, const std::string &what) {
  llvm::outs() << (ok ? "PASS " : "FAIL ") << what << "\n";
  failures += !ok;
}

/// Whether every op of `module` (but the module) is in the LLVM dialect (or
/// OpenMP, which LLVM IR translation takes as it is).
static bool allLLVM(ModuleOp module) {
  bool ok = true;
  module.walk([&](Operation *op) {
    if (op != module.getOperation() &&
        (!op->getDialect() || (op->getDialect()->getNamespace() != "llvm" &&
                             op->getDialect()->getNamespace() != "omp"))) {
      if (ok)
        llvm::outs() << "  not LLVM: " << op->getName() << "\n";
      ok = false;
    }
  });
  return ok;
}

template <typename Build>
static void runPipeline(const char *name, Build build) {
  DialectRegistry registry;
  registry.insert<qc::QCDialect, func::FuncDialect, arith::ArithDialect>();
  MLIRContext ctx(registry);
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kProgram, &ctx);
  check(bool(module), std::string(name) + ": the program parses");
  if (!module)
    return;
  PassManager pm(&ctx);
  build(pm);
  bool ran = succeeded(pm.run(*module));
  check(ran, std::string(name) + ": runs in a qc+func+arith host" +
                 (ran ? "" : " (" + diagnostics + ")"));
  check(ran && allLLVM(*module),
        std::string(name) + ": leaves only the LLVM dialect");
}

int main() {
  runPipeline("qc-cpu-pipeline", [](PassManager &pm) {
    qc::buildCPUPipeline(pm, qc::CPUPipelineOptions());
  });
  runPipeline("qc-reference-pipeline", [](PassManager &pm) {
    qc::buildReferencePipeline(pm, qc::ReferencePipelineOptions());
  });

  // A pass that no one registered: an error, not an abort.
  MLIRContext ctx;
  PassManager pm(&ctx);
  std::string error;
  llvm::raw_string_ostream os(error);
  bool parsed = succeeded(parsePassPipeline("no-such-pass", pm, os));
  check(!parsed && error.find("'no-such-pass' does not refer to a registered "
                              "pass") != std::string::npos,
        "an unregistered pass is a diagnostic: " + error);
  return failures;
}
