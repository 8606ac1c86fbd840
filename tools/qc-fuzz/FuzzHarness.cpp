//===- FuzzHarness.cpp - one fuzz input through qc ------------------------===//

#include "FuzzHarness.h"

#include <cstring>

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/Transforms/Passes.h"
#include "qc/InitAll.h"
#include "qc/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <optional>
#include <vector>

using namespace mlir;

namespace {

/// `module` printed in pretty (or generic) form, resources included.
std::string print(ModuleOp module, bool generic) {
  std::string text;
  llvm::raw_string_ostream os(text);
  OpPrintingFlags flags;
  if (generic)
    flags.printGenericOpForm();
  module->print(os, flags);
  return text;
}

OwningOpRef<ModuleOp> parse(StringRef text, MLIRContext &context) {
  return parseSourceString<ModuleOp>(text, ParserConfig(&context));
}

/// `text` parsed in a context of its own (where resource names are free
/// again: the input's context would rename blob `c` to `c_1`) and printed in
/// pretty form; nullopt when it does not parse and verify.
std::optional<std::string> reparseAndPrint(const std::string &text,
                                           const DialectRegistry &registry) {
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module = parse(text, context);
  if (!module)
    return std::nullopt;
  return print(*module, /*generic=*/false);
}

/// One pass or pipeline the harness runs, added to a fresh pass manager.
using PipelineBuilder = std::function<void(OpPassManager &)>;

std::vector<PipelineBuilder> pipelines() {
  std::vector<PipelineBuilder> list;
  list.push_back([](OpPassManager &pm) { pm.addPass(createCanonicalizerPass()); });
  list.push_back(
      [](OpPassManager &pm) { pm.addPass(qc::createQuantizeConstants()); });
  list.push_back([](OpPassManager &pm) {
    qc::RaiseLinearsOptions options;
    options.remarks = true;
    pm.addPass(qc::createRaiseLinears(options));
  });
  list.push_back([](OpPassManager &pm) {
    qc::FuseRotationsOptions options;
    options.remarks = true;
    pm.addPass(qc::createFuseRotations(options));
  });
  list.push_back([](OpPassManager &pm) {
    qc::InsertRotationsOptions options;
    options.remarks = true;
    pm.addPass(qc::createInsertRotations(options));
  });
  list.push_back([](OpPassManager &pm) {
    qc::RearrangeOutliersOptions options;
    options.remarks = true;
    pm.addPass(qc::createRearrangeOutliers(options));
  });
  list.push_back([](OpPassManager &pm) {
    qc::RearrangeOutliersOptions options;
    options.method = qc::numerics::RearrangeMethod::Zigzag;
    options.tail = 2;
    options.blockSize = 2;
    pm.addPass(qc::createRearrangeOutliers(options));
  });
  list.push_back([](OpPassManager &pm) {
    qc::QuantizeLinearsOptions options;
    options.weightFormat = "#qc.int<s4>, f16 #qc.per_block<[1, 32]>";
    options.actFormat = "#qc.int<s8>, f32 #qc.per_axis<0>";
    pm.addPass(qc::createQuantizeLinears(options));
  });
  list.push_back([](OpPassManager &pm) {
    qc::AllocateBitsOptions options;
    options.formats = "#qc.int<s2>, f16 #qc.per_tensor; #qc.int<s4>, f32 "
                      "#qc.per_axis<0>; #qc.int<s8>, f16 #qc.per_block<[1, 32]>";
    options.avgBits = 5.0;
    options.remarks = true;
    pm.addPass(qc::createAllocateBits(options));
  });
  list.push_back(
      [](OpPassManager &pm) { pm.addPass(qc::createRepackCPUWeights()); });
  // The target the input names (qc.target), or the error for none.
  list.push_back([](OpPassManager &pm) {
    qc::MaterializeLayoutsOptions options;
    options.remarks = true;
    pm.addPass(qc::createMaterializeLayouts(options));
  });
  list.push_back([](OpPassManager &pm) {
    qc::QuantizeLinearsOptions options;
    options.policy = qc::QuantizePolicy::W4A8;
    options.leaveUnfit = true;
    pm.addPass(qc::createQuantizeLinears(options));
  });
  list.push_back([](OpPassManager &pm) {
    qc::ConvertQCToCPUOptions options;
    options.remarks = true;
    pm.addPass(qc::createConvertQCToCPU(options));
  });
  list.push_back(
      [](OpPassManager &pm) { pm.addPass(qc::createConvertQCToLinalg()); });
  // The NVIDIA kernels as IR (serializing them would run ptxas per input).
  list.push_back([](OpPassManager &pm) {
    pm.addPass(qc::createNVVMLayout());
    qc::ConvertQCToNVVMOptions options;
    options.chip = "sm_90";
    options.remarks = true;
    pm.addPass(qc::createConvertQCToNVVM(options));
    pm.addPass(qc::createNVVMHostFunctions());
  });
  // Upstream quant interop, both ways.
  list.push_back(
      [](OpPassManager &pm) { pm.addPass(qc::createImportQuant()); });
  list.push_back(
      [](OpPassManager &pm) { pm.addPass(qc::createExportQuant()); });
  // Bit allocation under two limits (the bounded Pareto front).
  list.push_back([](OpPassManager &pm) {
    qc::AllocateBitsOptions options;
    options.formats = "#qc.int<s2>, f16 #qc.per_tensor; #qc.int<s4>, f32 "
                      "#qc.per_axis<0>; #qc.int<u4>, f32 #qc.per_axis<0>, "
                      "zero_point i8; #qc.int<s8>, f16 #qc.per_block<[1, 32]>";
    options.avgBits = 5.0;
    options.maxBytes = 1 << 20;
    options.remarks = true;
    pm.addPass(qc::createAllocateBits(options));
  });
  // The whole-model quantization pipeline (raise, quantize, constants).
  list.push_back([](OpPassManager &pm) {
    qc::QuantizeModelPipelineOptions options;
    options.policy = qc::QuantizePolicy::W4G64;
    options.remarks = true;
    qc::buildQuantizeModelPipeline(pm, options);
  });
  // The x86 intrinsics' lowering on its own (after the CPU kernels).
  list.push_back([](OpPassManager &pm) {
    pm.addPass(qc::createConvertQCToCPU());
    pm.addPass(qc::createConvertQCX86ToLLVM());
  });
  list.push_back([](OpPassManager &pm) {
    qc::buildReferencePipeline(pm, qc::ReferencePipelineOptions());
  });
  list.push_back([](OpPassManager &pm) {
    qc::CPUPipelineOptions options;
    options.remarks = true;
    qc::buildCPUPipeline(pm, options);
  });
  return list;
}

} // namespace

/// Whether some `permutation = ...` or `dimensions = ...` in `input` is not
/// `[` integers separated by commas `]`.
static bool hasMalformedLinalgIntList(llvm::StringRef input) {
  for (llvm::StringRef key : {"permutation", "dimensions"}) {
    size_t at = 0;
    while ((at = input.find(key, at)) != llvm::StringRef::npos) {
      llvm::StringRef rest = input.drop_front(at + key.size()).ltrim();
      at += key.size();
      if (!rest.consume_front("="))
        continue;
      rest = rest.ltrim();
      if (!rest.consume_front("["))
        return true;
      rest = rest.ltrim();
      if (rest.consume_front("]"))
        continue;
      while (true) {
        rest = rest.ltrim();
        rest.consume_front("-");
        size_t digits = rest.find_first_not_of("0123456789");
        if (digits == 0 || digits == llvm::StringRef::npos)
          return true;
        rest = rest.drop_front(digits).ltrim();
        if (rest.consume_front("]"))
          break;
        if (!rest.consume_front(","))
          return true;
      }
    }
  }
  return false;
}

mlir::qc::fuzz::Outcome mlir::qc::fuzz::runOneInput(const uint8_t *data,
                                                    size_t size,
                                                    bool runPasses) {
  Outcome outcome;
  auto fail = [&](std::string what) {
    outcome.failure = std::move(what);
    return outcome;
  };
  if (size > kMaxInputBytes)
    return outcome;
  // A GGUF file goes through qc-import's reader and decoders instead.
  if (size >= 4 && std::memcmp(data, "GGUF", 4) == 0) {
    outcome.verified = runGGUFInput(data, size);
    return outcome;
  }
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    qc::registerAllDialects(*r);
    return r;
  }();
  // A fresh context per input: nothing one input creates (attributes,
  // types, resources) outlives it.
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) { return success(); });
  // A copy: MLIR's lexer reads up to a terminating NUL, which a file read
  // by qc-opt has and libFuzzer's buffer does not (ASan found the overread).
  std::string input(reinterpret_cast<const char *>(data), size);
  // MLIR 22's parser aborts ("Buffer allocation failed") on a hex resource
  // blob whose alignment word is 0 (it rejects other non-powers of two with
  // an error): an upstream crash before qc sees anything, so such inputs are
  // not run (test/Fuzz/regressions/blob-alignment-zero.mlir).
  if (input.find("\"0x00000000") != std::string::npos)
    return outcome;
  // MLIR 22's linalg.transpose and linalg.broadcast parsers crash (a null
  // attribute set after the error) when `permutation =` or `dimensions =`
  // is not followed by a well-formed integer list: not run either
  // (test/Fuzz/regressions/linalg-{broadcast,transpose}-bad-list.mlir).
  if (hasMalformedLinalgIntList(input))
    return outcome;
  OwningOpRef<ModuleOp> module = parse(input, context);
  if (!module)
    return outcome;
  outcome.verified = true;

  // Round trips: pretty -> parse -> pretty is a fixed point, and the generic
  // form reads back to the same module.
  std::string pretty = print(*module, /*generic=*/false);
  for (bool generic : {false, true}) {
    std::string text = generic ? print(*module, /*generic=*/true) : pretty;
    std::optional<std::string> back = reparseAndPrint(text, *registry);
    const char *form = generic ? "generic" : "pretty";
    if (!back)
      return fail(std::string("the ") + form +
                  " form of a verified module does not parse back:\n" + text);
    if (*back != pretty)
      return fail(std::string("the module changes through its ") + form +
                  " form:\n" + pretty + "\n---- became ----\n" + *back);
  }

  if (!runPasses)
    return outcome;
  // Every pass and pipeline on its own copy; failing with a diagnostic is
  // fine, crashing is not.
  static const std::vector<PipelineBuilder> all = pipelines();
  for (const PipelineBuilder &build : all) {
    OwningOpRef<ModuleOp> copy = module->clone();
    PassManager pm(&context);
    build(pm);
    (void)pm.run(*copy);
  }
  return outcome;
}
