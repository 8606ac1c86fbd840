//===- QCToCPU.cpp - qc.matmul and qc.rotate to vectorized CPU kernels ----===//
//
// convert-qc-to-cpu: rewrite patterns that replace a qc.matmul (or a
// qc.rotate) that a CPU kernel covers by a call to that kernel. Kernels are
// functions on memrefs (vector, arith, scf, memref and qc_x86 ops) built by
// IntDotKernel.cpp, FloatDotKernel.cpp and HadamardKernel.cpp once per
// specialization; KernelSelection.cpp decides which kernel an op gets. The
// packed weight bytes are read directly; the kernel's scratch buffers are
// allocated at the call, so buffer deallocation frees them.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"
#include "qc/Utils/ConstantUtils.h"
#include "qc/Conversion/QCToCPU/QCToCPU.h"

#include "KernelCall.h"
#include "KernelSelection.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/X86/IR/X86Dialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qc {
#define GEN_PASS_DEF_CONVERTQCTOCPU
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
using cpu::CPUTarget;

/// The state the patterns share: the module's kernels, the target, and why
/// each op that did not match keeps the reference lowering.
struct mlir::qc::CPUKernelContext {
  CPUKernelContext(ModuleOp module, CPUTarget target)
      : module(module), symbols(module), target(std::move(target)) {}

  ModuleOp module;
  SymbolTable symbols;
  CPUTarget target;
  /// The reason each op left to the reference lowering was given last.
  llvm::DenseMap<Operation *, std::string> fallbacks;
  /// The kernels emitted, in order.
  SmallVector<std::string> kernels;
};

namespace {

using cpu::PackedWeight;
using cpu::addEpilogue;
using cpu::getPackedWeight;
using cpu::hasPackedWeight;
using cpu::kernelArgument;
using cpu::kernelResult;

/// Allocates the arguments of `fnType` from `args.size()` on: the
/// output buffer(s) and the kernel's scratch, each with `rows` rows.
void allocateRemaining(OpBuilder &b, Location loc, FunctionType fnType,
                       Value rows, SmallVectorImpl<Value> &args) {
  while (args.size() < fnType.getNumInputs())
    args.push_back(memref::AllocOp::create(
        b, loc, cast<MemRefType>(fnType.getInput(args.size())),
        ValueRange{rows}));
}

/// The base of both patterns: kernel lookup and failure bookkeeping.
template <typename OpTy>
struct KernelPattern : OpRewritePattern<OpTy> {
  KernelPattern(MLIRContext *ctx, CPUKernelContext &state)
      : OpRewritePattern<OpTy>(ctx), state(state) {}

  /// Records `why` as the reason `op` keeps the reference lowering.
  LogicalResult fail(PatternRewriter &rewriter, OpTy op,
                     const std::string &why) const {
    state.fallbacks[op] = why;
    return rewriter.notifyMatchFailure(op, why);
  }

  /// Kernel `name`, built by `build(block)` into a detached block the first
  /// time and added to the module when the target has its instructions;
  /// else fails with the reason in `why`.
  FailureOr<func::FuncOp>
  getOrCreateKernel(PatternRewriter &rewriter, StringRef name,
                    function_ref<func::FuncOp(Block &)> build,
                    std::string &why) const {
    if (auto existing = state.symbols.lookup<func::FuncOp>(name))
      return existing;
    Block scratch;
    func::FuncOp kernel = build(scratch);
    why = state.target.missingFeatures(kernel);
    if (!why.empty()) {
      kernel.erase();
      return failure();
    }
    state.target.annotate(kernel);
    kernel->remove();
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToEnd(state.module.getBody());
    rewriter.insert(kernel);
    state.symbols.insert(kernel);
    state.kernels.push_back(name.str());
    return kernel;
  }

  CPUKernelContext &state;
};

/// qc.matmul with a packed low-bit weight -> a call to its kernel.
struct MatmulToKernel : KernelPattern<MatmulOp> {
  using KernelPattern::KernelPattern;

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    std::string why;
    FailureOr<cpu::KernelSpec> spec = cpu::classifyMatmul(op, why);
    if (failed(spec) ||
        failed(cpu::checkLayout(
            cast<QuantizedTensorType>(op.getRhs().getType()), *spec, why)))
      return fail(rewriter, op, why);
    if (!hasPackedWeight(op.getRhs()))
      return fail(rewriter, op,
                  "the weight is not a packed qc.constant or qc.assemble "
                  "packed");
    Location loc = op.getLoc();
    FailureOr<func::FuncOp> kernel = getOrCreateKernel(
        rewriter, spec->name(),
        [&](Block &block) {
          return spec->kind == cpu::KernelSpec::Kind::IntDot
                     ? cpu::buildIntDotKernel(rewriter, loc, block,
                                              spec->intDot)
                     : cpu::buildFloatDotKernel(rewriter, loc, block,
                                                spec->floatDot);
        },
        why);
    if (failed(kernel))
      return fail(rewriter, op, why);
    PackedWeight weight = getPackedWeight(rewriter, op.getRhs());
    rewriter.setInsertionPoint(op);
    FunctionType fnType = kernel->getFunctionType();
    auto buffer = [&](Value tensor, Type memrefType) -> Value {
      auto t = cast<RankedTensorType>(tensor.getType());
      // Per-row scales (N) are the kernels' N x 1 blocks.
      if (t.getRank() == 1 && cast<MemRefType>(memrefType).getRank() == 2) {
        t = RankedTensorType::get({t.getDimSize(0), 1}, t.getElementType());
        tensor = tensor::ExpandShapeOp::create(
            rewriter, loc, t, tensor, ArrayRef<ReassociationIndices>{{0, 1}});
      }
      return kernelArgument(rewriter, loc, tensor, memrefType);
    };
    SmallVector<Value> args;
    Value rowsOf;
    if (spec->kind == cpu::KernelSpec::Kind::FloatDot) {
      Value lhs = op.getLhs();
      // (a R^T) W_s^T for a weight stored rotated: W = W_s R.
      auto w = cast<QuantizedTensorType>(op.getRhs().getType());
      if (RotationAttrInterface rotation = w.getRotation())
        lhs = RotateOp::create(rewriter, loc, lhs, rotation,
                               rewriter.getI64IntegerAttr(1),
                               rewriter.getUnitAttr());
      args.push_back(buffer(lhs, fnType.getInput(0)));
      rowsOf = op.getLhs();
    } else {
      auto parts = DisassembleOp::create(rewriter, loc, op.getLhs());
      args.push_back(buffer(parts.getResult(0), fnType.getInput(0)));
      args.push_back(buffer(parts.getResult(1), fnType.getInput(1)));
      rowsOf = parts.getResult(0);
    }
    unsigned next = args.size();
    args.push_back(buffer(weight.bytes, fnType.getInput(next)));
    args.push_back(buffer(weight.scales, fnType.getInput(next + 1)));
    if (weight.zeroPoints)
      args.push_back(buffer(weight.zeroPoints, fnType.getInput(next + 2)));
    Value rows = tensor::DimOp::create(rewriter, loc, rowsOf, 0);
    unsigned output = args.size();
    allocateRemaining(rewriter, loc, fnType, rows, args);
    func::CallOp::create(rewriter, loc, *kernel, args);
    auto yType = cast<MemRefType>(fnType.getInput(output));
    int64_t n = yType.getDimSize(1);
    Value y = kernelResult(
        rewriter, loc, args[output],
        RankedTensorType::get({ShapedType::kDynamic, n}, rewriter.getF32Type()));
    if (op.getBias() || op.getAccumulate())
      y = addEpilogue(rewriter, loc, y, op.getBias(), op.getAccumulate(),
                      rows);
    if (y.getType() != op.getType())
      y = tensor::CastOp::create(rewriter, loc, op.getType(), y);
    state.fallbacks.erase(op);
    rewriter.replaceOp(op, y);
    return success();
  }

};

/// qc.rotate by #qc.hadamard along the last axis of an M x n f32 matrix ->
/// the fast Walsh-Hadamard kernel, fused with its int8 quantizer when that
/// is its only user.
struct RotateToKernel : KernelPattern<RotateOp> {
  using KernelPattern::KernelPattern;

  LogicalResult matchAndRewrite(RotateOp op,
                                PatternRewriter &rewriter) const override {
    std::string why;
    QuantizeOp fused = cpu::fusableQuantize(op);
    FailureOr<cpu::HadamardKernelSpec> spec =
        cpu::classifyRotation(op, fused, why);
    if (failed(spec))
      return fail(rewriter, op, why);
    Location loc = op.getLoc();
    FailureOr<func::FuncOp> kernel = getOrCreateKernel(
        rewriter, spec->name,
        [&](Block &block) {
          return cpu::buildHadamardKernel(rewriter, loc, block, *spec);
        },
        why);
    if (failed(kernel))
      return fail(rewriter, op, why);
    rewriter.setInsertionPoint(op);
    FunctionType fnType = kernel->getFunctionType();
    SmallVector<Value> args = {
        kernelArgument(rewriter, loc, op.getInput(), fnType.getInput(0))};
    if (!spec->signs.empty()) {
      SmallVector<float> d(spec->signs.begin(), spec->signs.end());
      Value signs = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({spec->n}, rewriter.getF32Type()),
              ArrayRef<float>(d)));
      args.push_back(kernelArgument(rewriter, loc, signs,
                                    fnType.getInput(args.size())));
    }
    if (spec->tableBase) {
      std::vector<float> table = cpu::baseTable(*spec);
      Value tableValue = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({spec->k, spec->k},
                                                       rewriter.getF32Type()),
                                 ArrayRef<float>(table)));
      args.push_back(kernelArgument(rewriter, loc, tableValue,
                                    fnType.getInput(args.size())));
    }
    unsigned output = args.size();
    Value rows = tensor::DimOp::create(rewriter, loc, op.getInput(), 0);
    allocateRemaining(rewriter, loc, fnType, rows, args);
    func::CallOp::create(rewriter, loc, *kernel, args);
    state.fallbacks.erase(op);
    if (!spec->quantize) {
      rewriter.replaceOp(
          op, kernelResult(rewriter, loc, args[output], op.getType()));
      return success();
    }
    // The quantized rows (codes, then scales), assembled into the
    // quantizer's type.
    QuantizedTensorType qType = fused.getType();
    Value assembled = AssembleOp::create(
        rewriter, loc, qType,
        kernelResult(rewriter, loc, args[output + 1],
                     qType.getCodesTensorType()),
        kernelResult(rewriter, loc, args[output + 2],
                     qType.getScalesTensorType()),
        Value(), Value());
    rewriter.replaceOp(fused, assembled);
    rewriter.eraseOp(op);
    return success();
  }
};

struct ConvertQCToCPUPass
    : mlir::qc::impl::ConvertQCToCPUBase<ConvertQCToCPUPass> {
  using ConvertQCToCPUBase::ConvertQCToCPUBase;

  void runOnOperation() override {
    // A dense_resource blob whose size is not its type's is an error here,
    // before anything reads it.
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    ModuleOp module = getOperation();
    std::string error;
    CPUKernelContextPtr context =
        createCPUKernelContext(module, targetTriple, targetFeatures, error);
    if (!context) {
      module.emitError("convert-qc-to-cpu: ") << error;
      return signalPassFailure();
    }
    CPUKernelContext &state = *context;
    RewritePatternSet patterns(&getContext());
    populateQCToCPUPatterns(patterns, state);
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<MatmulOp, RotateOp>(op))
        ops.push_back(op);
    });
    // Only these ops and what the patterns create (the rotations a matmul
    // with a rotated weight puts on its activations); nothing is folded.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps)
        .enableFolding(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    (void)applyOpPatternsGreedily(ops, std::move(patterns), config);
    if (!remarks)
      return;
    int64_t matmulsLeft = 0, rotationsLeft = 0;
    module.walk([&](Operation *op) {
      if (!isa<MatmulOp, RotateOp>(op))
        return;
      (isa<MatmulOp>(op) ? matmulsLeft : rotationsLeft) += 1;
      auto it = state.fallbacks.find(op);
      if (it != state.fallbacks.end())
        op->emitRemark("no CPU kernel, left to the reference lowering: ")
            << it->second;
    });
    InFlightDiagnostic summary = module.emitRemark("convert-qc-to-cpu: ");
    summary << state.kernels.size() << " kernel(s) emitted";
    if (!state.kernels.empty()) {
      summary << " (";
      llvm::interleaveComma(state.kernels, summary);
      summary << ")";
    }
    summary << "; " << matmulsLeft << " matmul(s) and " << rotationsLeft
            << " rotation(s) left to the reference lowering";
  }
};

} // namespace

void mlir::qc::populateQCToCPUPatterns(RewritePatternSet &patterns,
                                       CPUKernelContext &context) {
  patterns.add<MatmulToKernel, RotateToKernel>(patterns.getContext(), context);
}

CPUKernelContextPtr mlir::qc::createCPUKernelContext(ModuleOp module,
                                                     StringRef targetTriple,
                                                     StringRef targetFeatures,
                                                     std::string &error) {
  FailureOr<CPUTarget> target =
      CPUTarget::parse(targetTriple, targetFeatures, error);
  if (failed(target))
    return nullptr;
  return CPUKernelContextPtr(new CPUKernelContext(module, std::move(*target)));
}

void mlir::qc::CPUKernelContextDeleter::operator()(CPUKernelContext *c) const {
  delete c;
}
