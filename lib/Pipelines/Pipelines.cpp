//===- Pipelines.cpp - qc's registered pass pipelines ---------------------===//
//
// Built from typed pass constructors and option structs, as upstream's
// GPU-to-NVVM pipeline is: no pipeline text is parsed, so a typo is a
// compile error and a tool that registers only qc's pipelines works.
//
//===----------------------------------------------------------------------===//

#include "qc/Pipelines/Pipelines.h"

#include "qc/InitAll.h"

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/GPUCommon/GPUCommonPass.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/NVGPUToNVVM/NVGPUToNVVM.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToSCF/TosaToSCF.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

/// Whether `root` holds an op of dialect `D` (the lowering passes below run
/// their pipelines only then).
template <typename D> static bool containsOpOf(Operation *root) {
  return root
      ->walk([](Operation *op) {
        return isa_and_nonnull<D>(op->getDialect()) ? WalkResult::interrupt()
                                                    : WalkResult::advance();
      })
      .wasInterrupted();
}

/// Upstream's tensor -> loops -> LLVM path.
namespace {
/// Math ops LLVM has no intrinsic for (math.erf, in BERT's GELU, among
/// them) are left by convert-to-llvm: when there are any, they become calls
/// to libm (erff) and those calls LLVM calls. A module without them is not
/// touched (a second convert-to-llvm would reshape the kernels' address
/// arithmetic for nothing).
struct LowerLeftoverMathPass
    : PassWrapper<LowerLeftoverMathPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(LowerLeftoverMathPass)
  StringRef getArgument() const override { return "qc-lower-leftover-math"; }
  StringRef getDescription() const override {
    return "math ops convert-to-llvm left, as libm calls";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, func::FuncDialect,
                    LLVM::LLVMDialect, vector::VectorDialect>();
  }
  void runOnOperation() override {
    if (!containsOpOf<math::MathDialect>(getOperation()))
      return;
    OpPassManager pm(ModuleOp::getOperationName());
    pm.addPass(createConvertMathToLibmPass());
    pm.addPass(createConvertToLLVMPass());
    if (failed(runPipeline(pm, getOperation())))
      signalPassFailure();
  }
};
} // namespace

namespace {
/// memref.expand_shape with two or more dynamic sizes in one group
/// ([?] -> [?, ?, 64], what torch-mlir writes for [batch, seq, N] with
/// both dynamic) crashes MLIR 22's expand-strided-metadata (it derives
/// the sizes by division and builds a reinterpret_cast from a null size).
/// This rewrites such an op first to the reinterpret_cast it means, with
/// the sizes the op carries: the expanded dims of a source dim of stride s
/// get strides s, s * size(last), ... from the innermost out.
struct ExpandShapeWithSizes : OpRewritePattern<memref::ExpandShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::ExpandShapeOp op,
                                PatternRewriter &rewriter) const override {
    MemRefType result = op.getResultType();
    bool twoDynamic = llvm::any_of(
        op.getReassociationIndices(), [&](const ReassociationIndices &group) {
          return llvm::count_if(group, [&](int64_t d) {
                   return result.isDynamicDim(d);
                 }) >= 2;
        });
    int64_t resultOffset;
    SmallVector<int64_t> resultStrides;
    if (!twoDynamic ||
        failed(result.getStridesAndOffset(resultStrides, resultOffset)))
      return failure();
    Location loc = op.getLoc();
    auto meta = memref::ExtractStridedMetadataOp::create(rewriter, loc,
                                                         op.getSrc());
    SmallVector<OpFoldResult> sizes = op.getMixedOutputShape();
    SmallVector<OpFoldResult> strides(result.getRank());
    auto asValue = [&](OpFoldResult f) -> Value {
      if (auto v = dyn_cast<Value>(f))
        return v;
      return arith::ConstantIndexOp::create(
          rewriter, loc, cast<IntegerAttr>(cast<Attribute>(f)).getInt());
    };
    for (auto [srcDim, group] :
         llvm::enumerate(op.getReassociationIndices())) {
      Value stride = meta.getStrides()[srcDim];
      for (int64_t d : llvm::reverse(group)) {
        strides[d] = stride;
        stride = arith::MulIOp::create(rewriter, loc, stride,
                                       asValue(sizes[d]));
      }
    }
    // Static entries of the result type stay static.
    for (auto [i, s] : llvm::enumerate(resultStrides))
      if (!ShapedType::isDynamic(s))
        strides[i] = rewriter.getIndexAttr(s);
    OpFoldResult offset =
        ShapedType::isDynamic(resultOffset)
            ? OpFoldResult(meta.getOffset())
            : OpFoldResult(rewriter.getIndexAttr(resultOffset));
    rewriter.replaceOpWithNewOp<memref::ReinterpretCastOp>(
        op, result, meta.getBaseBuffer(), offset, sizes, strides);
    return success();
  }
};

/// memref.reshape to a ranked memref with some dynamic sizes (how an
/// unranked tensor is flattened, qc-import-quant's form of upstream's
/// unranked quantized tensors, and what folding two such reshapes leaves)
/// has no LLVM lowering in MLIR 22, from an unranked source (the pattern
/// reads it as a ranked descriptor) or from a ranked one. With
/// identity layouts it is the reinterpret_cast of the contiguous buffer
/// with the shape's sizes and their suffix-product strides, which lowers.
struct ReshapeUnrankedSource : OpRewritePattern<memref::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    Type source = op.getSource().getType();
    auto ranked = dyn_cast<MemRefType>(source);
    auto result = dyn_cast<MemRefType>(op.getResult().getType());
    if (!result || !result.getLayout().isIdentity() ||
        (ranked && !ranked.getLayout().isIdentity()))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = result.getRank();
    SmallVector<OpFoldResult> sizes(rank), strides(rank);
    // The identity layout's strides: static while every inner size is.
    Value stride = arith::ConstantIndexOp::create(rewriter, loc, 1);
    int64_t staticStride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      Value size;
      if (result.isDynamicDim(d))
        size = memref::LoadOp::create(
            rewriter, loc, op.getShape(),
            ValueRange{arith::ConstantIndexOp::create(rewriter, loc, d)});
      else
        size = arith::ConstantIndexOp::create(rewriter, loc,
                                              result.getDimSize(d));
      sizes[d] = result.isDynamicDim(d)
                     ? OpFoldResult(size)
                     : OpFoldResult(rewriter.getIndexAttr(result.getDimSize(d)));
      strides[d] = staticStride > 0 ? OpFoldResult(rewriter.getIndexAttr(staticStride))
                                    : OpFoldResult(stride);
      stride = arith::MulIOp::create(rewriter, loc, stride, size);
      staticStride = result.isDynamicDim(d) || staticStride <= 0
                         ? 0
                         : staticStride * result.getDimSize(d);
    }
    rewriter.replaceOpWithNewOp<memref::ReinterpretCastOp>(
        op, result, op.getSource(), rewriter.getIndexAttr(0), sizes,
        strides);
    return success();
  }
};

/// memref.copy between buffers that are not both of identity layout or of
/// static contiguous shape (a slice of a KV cache, a tile, a row of
/// dynamic width) lowers to a call of the runtime's generic `memrefCopy`,
/// which moves one element at a time through the descriptor: measured 3.5x
/// slower than memcpy on SmolLM2's cache updates. When both sides have
/// stride 1 innermost, this copies the largest trailing block of
/// dimensions that is contiguous on both sides (a row, or a whole P x 64
/// slab of a cache) with one llvm.memcpy per block, the addresses taken from
/// the buffers' strided metadata.
struct CopyContiguousRows : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  /// Upstream's lowering already uses memcpy for this pair.
  static bool memcpyAlready(MemRefType t) {
    return t.getLayout().isIdentity() ||
           (t.hasStaticShape() && t.getNumElements() > 0 &&
            memref::isStaticShapeAndContiguousRowMajor(t));
  }
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    auto src = dyn_cast<MemRefType>(op.getSource().getType());
    auto dst = dyn_cast<MemRefType>(op.getTarget().getType());
    if (!src || !dst || src.getRank() < 1 || src.getRank() != dst.getRank())
      return failure();
    if (memcpyAlready(src) && memcpyAlready(dst))
      return failure();
    Type element = src.getElementType();
    if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
      return failure();
    int64_t rank = src.getRank();
    int64_t inner = 0; // trailing dimensions contiguous on both sides
    while (inner < rank && src.areTrailingDimsContiguous(inner + 1) &&
           dst.areTrailingDimsContiguous(inner + 1))
      ++inner;
    if (inner == 0)
      return failure();
    Location loc = op.getLoc();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto srcMeta = memref::ExtractStridedMetadataOp::create(rewriter, loc,
                                                            op.getSource());
    auto dstMeta = memref::ExtractStridedMetadataOp::create(rewriter, loc,
                                                            op.getTarget());
    // Elements per block: the product of the trailing sizes.
    Value count = one;
    for (int64_t d = rank - inner; d < rank; ++d)
      count = arith::MulIOp::create(rewriter, loc, count,
                                    srcMeta.getSizes()[d]);
    Value elementBytes = arith::ConstantIndexOp::create(
        rewriter, loc, element.getIntOrFloatBitWidth() / 8);
    auto i64 = rewriter.getI64Type();
    Value bytes = arith::IndexCastOp::create(
        rewriter, loc, i64,
        arith::MulIOp::create(rewriter, loc, count, elementBytes));
    // A loop nest over the leading dimensions.
    SmallVector<Value> ivs;
    for (int64_t d = 0; d < rank - inner; ++d) {
      auto loop = scf::ForOp::create(rewriter, loc, zero,
                                     srcMeta.getSizes()[d], one);
      rewriter.setInsertionPointToStart(loop.getBody());
      ivs.push_back(loop.getInductionVar());
    }
    auto ptrType = LLVM::LLVMPointerType::get(rewriter.getContext());
    auto address = [&](memref::ExtractStridedMetadataOp meta) -> Value {
      Value at = meta.getOffset();
      for (auto [iv, stride] : llvm::zip(ivs, meta.getStrides()))
        at = arith::AddIOp::create(rewriter, loc, at,
                                   arith::MulIOp::create(rewriter, loc, iv,
                                                         stride));
      Value base = memref::ExtractAlignedPointerAsIndexOp::create(
          rewriter, loc, meta.getBaseBuffer());
      Value byteAddress = arith::AddIOp::create(
          rewriter, loc, base,
          arith::MulIOp::create(rewriter, loc, at, elementBytes));
      Value asInt =
          arith::IndexCastOp::create(rewriter, loc, i64, byteAddress);
      return LLVM::IntToPtrOp::create(rewriter, loc, ptrType, asInt);
    };
    Value from = address(srcMeta);
    Value to = address(dstMeta);
    LLVM::MemcpyOp::create(rewriter, loc, to, from, bytes,
                           /*isVolatile=*/false);
    rewriter.eraseOp(op);
    return success();
  }
};

/// A thread loop (scf.parallel, which convert-scf-to-openmp turns into an
/// OpenMP parallel region) with one iteration, or with less work than a
/// fork and join of threads costs (kMinParallelWork), runs on the calling
/// thread: a decode step's float ops are loops over M = 1 rows or 576
/// values. A loop whose trip count is known and below the bound becomes
/// serial; one whose trip count is dynamic gets a serial twin chosen at run
/// time (`scf.if (trips >= bound)`). Loops inside other parallel loops and
/// loops with results are left alone.
struct SerialSingleIterationLoopsPass
    : PassWrapper<SerialSingleIterationLoopsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SerialSingleIterationLoopsPass)
  StringRef getArgument() const override {
    return "qc-serial-single-iteration-loops";
  }
  StringRef getDescription() const override {
    return "scf.parallel loops of one iteration, or of too little work to "
           "pay for a fork and join of threads, run serially (a run-time "
           "twin for dynamic trip counts)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<scf::SCFDialect, arith::ArithDialect>();
  }
  /// Fewer operations than this (iterations times the body's operations,
  /// nested loops of static trip counts included) run serially: a fork and
  /// join of OpenMP's threads costs a few microseconds, about as much as
  /// this many vector operations (SmolLM2's decode step had ~400 parallel
  /// regions over 576 or 9 x 64 values).
  static constexpr int64_t kMinParallelWork = 16384;

  /// The operations one iteration of `loop` runs: its body's operations,
  /// each times the static trip counts of the loops around it inside
  /// `loop`; nullopt when a loop inside has a dynamic trip count (the work
  /// is not known: the loop stays parallel).
  static std::optional<int64_t> bodyWork(scf::ParallelOp loop) {
    int64_t work = 0;
    bool known = true;
    loop.getBody()->walk([&](Operation *op) {
      if (!known)
        return WalkResult::interrupt();
      int64_t times = 1;
      for (Operation *p = op->getParentOp(); p && p != loop.getOperation();
           p = p->getParentOp()) {
        if (auto f = dyn_cast<scf::ForOp>(p)) {
          std::optional<APInt> n = f.getStaticTripCount();
          if (!n) {
            known = false;
            return WalkResult::interrupt();
          }
          times *= std::max<int64_t>(int64_t(n->getLimitedValue(INT64_MAX)), 1);
        } else if (isa<scf::ParallelOp, scf::WhileOp>(p)) {
          known = false;
          return WalkResult::interrupt();
        }
        if (times > kMinParallelWork)
          break;
      }
      work = std::min<int64_t>(work + times, int64_t(1) << 40);
      return WalkResult::advance();
    });
    if (!known)
      return std::nullopt;
    return work;
  }
  /// The trip count of one dimension of a parallel loop, when constant.
  static std::optional<int64_t> constantTripCount(Value lb, Value ub,
                                                  Value step) {
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    return std::max<int64_t>(0, llvm::divideCeil(*u - *l, *s));
  }

  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp op) {
      if (op.getNumResults() == 0 && !op->getParentOfType<scf::ParallelOp>())
        loops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ParallelOp op : loops) {
      std::optional<int64_t> work = bodyWork(op);
      std::optional<int64_t> staticTrips = 1;
      for (auto [lb, ub, step] : llvm::zip(op.getLowerBound(), op.getUpperBound(),
                                           op.getStep())) {
        std::optional<int64_t> n = constantTripCount(lb, ub, step);
        if (n && staticTrips)
          *staticTrips *= *n;
        else
          staticTrips = std::nullopt;
      }
      // Iterations below which the loop runs serially: 2, or as many as
      // hold less than kMinParallelWork operations.
      int64_t minTrips = 2;
      if (work && *work > 0)
        minTrips = std::max<int64_t>(2, llvm::divideCeil(kMinParallelWork,
                                                         *work));
      if (staticTrips) {
        if (*staticTrips < minTrips)
          (void)scf::parallelForToNestedFors(rewriter, op);
        continue;
      }
      Location loc = op.getLoc();
      rewriter.setInsertionPoint(op);
      Value trips = arith::ConstantIndexOp::create(rewriter, loc, 1);
      for (auto [lb, ub, step] : llvm::zip(op.getLowerBound(), op.getUpperBound(),
                                           op.getStep())) {
        Value span = arith::SubIOp::create(rewriter, loc, ub, lb);
        Value n = arith::CeilDivSIOp::create(rewriter, loc, span, step);
        trips = arith::MulIOp::create(rewriter, loc, trips, n);
      }
      Value least = arith::ConstantIndexOp::create(rewriter, loc, minTrips);
      Value many = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge,
                                         trips, least);
      auto branch = scf::IfOp::create(rewriter, loc, many, /*withElse=*/true);
      rewriter.setInsertionPointToStart(&branch.getElseRegion().front());
      auto serial = cast<scf::ParallelOp>(rewriter.clone(*op));
      rewriter.moveOpBefore(op, branch.getThenRegion().front().getTerminator());
      (void)scf::parallelForToNestedFors(rewriter, serial);
    }
  }
};

struct CopyContiguousRowsPass
    : PassWrapper<CopyContiguousRowsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CopyContiguousRowsPass)
  StringRef getArgument() const override { return "qc-copy-contiguous-rows"; }
  StringRef getDescription() const override {
    return "memref.copy of buffers that are not contiguous as a whole, or "
           "of dynamic shape with an offset, as one memcpy per contiguous "
           "block";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<scf::SCFDialect, arith::ArithDialect,
                    memref::MemRefDialect, LLVM::LLVMDialect>();
  }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CopyContiguousRows>(&getContext());
    GreedyRewriteConfig config;
    // It creates no memref.copy: no further match.
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      signalPassFailure();
  }
};

/// Static memref.alloca ops inside an OpenMP worksharing loop's body move
/// to the start of the enclosing omp.parallel region: allocated once per
/// thread instead of once per iteration. A kernel's per-thread scratch
/// (the AMX kernels' unpacked weight panels) is written this way, as
/// allocas at the top of an scf.parallel body. convert-scf-to-openmp wraps
/// each body in a memref.alloca_scope, and upstream's hoisting pattern stops
/// at the loop wrappers (omp.wsloop's region has no terminator), so the
/// scope would otherwise reach scf-to-cf with its allocas and fail to
/// verify. Moving is safe: each thread runs its iterations one after
/// another, and an alloca without operands needs nothing from the loop.
struct HoistParallelAllocasPass
    : PassWrapper<HoistParallelAllocasPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(HoistParallelAllocasPass)
  StringRef getArgument() const override {
    return "qc-hoist-parallel-allocas";
  }
  StringRef getDescription() const override {
    return "static allocas in OpenMP loop bodies allocated once per thread";
  }
  void runOnOperation() override {
    SmallVector<memref::AllocaOp> allocas;
    getOperation().walk([&](memref::AllocaOp alloca) {
      if (alloca->getNumOperands() == 0 &&
          alloca->getParentOfType<omp::LoopNestOp>())
        allocas.push_back(alloca);
    });
    for (memref::AllocaOp alloca : allocas) {
      // Exactly: alloca_scope (the body) in omp.loop_nest in omp.wsloop in
      // omp.parallel.
      Operation *scope = alloca->getParentOp();
      if (!isa<memref::AllocaScopeOp>(scope) ||
          !isa<omp::LoopNestOp>(scope->getParentOp()) ||
          !isa<omp::WsloopOp>(scope->getParentOp()->getParentOp()))
        continue;
      auto parallel = dyn_cast<omp::ParallelOp>(
          scope->getParentOp()->getParentOp()->getParentOp());
      if (!parallel)
        continue;
      alloca->moveBefore(&parallel.getRegion().front(),
                         parallel.getRegion().front().begin());
    }
  }
};

/// Each thread of an OpenMP region computes its own share of a worksharing
/// loop: an omp.wsloop (static schedule, no clauses) that is the last
/// operation of its omp.parallel becomes an scf.for over the thread's
/// contiguous block of the collapsed iteration space, the same blocks as
/// OpenMP's static schedule (the first `trips % threads` threads take one
/// more iteration), with the loop nest's indices carried from one
/// iteration to the next (an odometer, no division per iteration).
///
/// Why: the libomp that Debian ships is built with KMP_DEBUG, and its
/// __kmpc_for_static_init formats a trace string (malloc, vsnprintf, free)
/// on every call, traced or not: about 0.5 us per thread per region, on
/// top of a fork and join of about 1 us (measured at 2 threads). A decode
/// step of SmolLM2 enters about 480 regions. The wsloop's implicit barrier
/// is the region's closing one, so nothing waits less than before.
struct StaticThreadChunksPass
    : PassWrapper<StaticThreadChunksPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(StaticThreadChunksPass)
  StringRef getArgument() const override { return "qc-static-thread-chunks"; }
  StringRef getDescription() const override {
    return "OpenMP worksharing loops as per-thread scf.for loops over "
           "static blocks (no __kmpc_for_static_init call)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<scf::SCFDialect, arith::ArithDialect, func::FuncDialect>();
  }

  /// Whether `loop` is a plain static worksharing loop this pass replaces.
  static omp::LoopNestOp replaceable(omp::WsloopOp loop) {
    auto parallel = dyn_cast<omp::ParallelOp>(loop->getParentOp());
    if (!parallel || !loop.getReductionVars().empty() ||
        !loop.getPrivateVars().empty() || !loop.getLinearVars().empty() ||
        !loop.getAllocateVars().empty() || loop.getScheduleChunk() ||
        loop.getOrdered() ||
        (loop.getScheduleKind() &&
         *loop.getScheduleKind() != omp::ClauseScheduleKind::Static))
      return {};
    // The region's last operation: the wsloop's barrier is the region's.
    Operation *next = loop->getNextNode();
    if (!next || !isa<omp::TerminatorOp>(next))
      return {};
    auto nest = dyn_cast<omp::LoopNestOp>(loop.getWrappedLoop());
    if (!nest || nest.getLoopInclusive() || !nest.getRegion().hasOneBlock() ||
        !isa<omp::YieldOp>(nest.getRegion().front().getTerminator()) ||
        nest.getRegion().front().getTerminator()->getNumOperands() != 0)
      return {};
    for (Value v : nest.getIVs())
      if (!v.getType().isIndex())
        return {};
    return nest;
  }

  /// `name` as a `() -> i32` function; null when the module already has
  /// another symbol of that name (the loops are then left as they are).
  static func::FuncOp declare(ModuleOp module, StringRef name,
                              OpBuilder &b) {
    if (Operation *existing = module.lookupSymbol(name)) {
      auto fn = dyn_cast<func::FuncOp>(existing);
      if (fn && fn.getFunctionType() ==
                    b.getFunctionType({}, {b.getI32Type()}))
        return fn;
      return {};
    }
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                   b.getFunctionType({}, {b.getI32Type()}));
    fn.setPrivate();
    return fn;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<omp::WsloopOp, omp::LoopNestOp>> loops;
    module.walk([&](omp::WsloopOp loop) {
      if (omp::LoopNestOp nest = replaceable(loop))
        loops.push_back({loop, nest});
    });
    if (loops.empty())
      return;
    IRRewriter b(&getContext());
    func::FuncOp threadNum = declare(module, "omp_get_thread_num", b);
    func::FuncOp numThreads = declare(module, "omp_get_num_threads", b);
    if (!threadNum || !numThreads)
      return;
    for (auto [loop, nest] : loops) {
      Location loc = loop.getLoc();
      b.setInsertionPoint(loop);
      auto index = [&](Value i32) -> Value {
        return arith::IndexCastOp::create(b, loc, b.getIndexType(), i32);
      };
      Value tid = index(func::CallOp::create(b, loc, threadNum).getResult(0));
      Value nt = index(func::CallOp::create(b, loc, numThreads).getResult(0));
      Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
      Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
      // Trips per dimension and in all.
      SmallVector<Value> trips;
      Value total = c1;
      for (auto [lb, ub, step] :
           llvm::zip(nest.getLoopLowerBounds(), nest.getLoopUpperBounds(),
                     nest.getLoopSteps())) {
        Value span = arith::MaxSIOp::create(
            b, loc, arith::SubIOp::create(b, loc, ub, lb), c0);
        Value n = arith::CeilDivSIOp::create(b, loc, span, step);
        trips.push_back(n);
        total = arith::MulIOp::create(b, loc, total, n);
      }
      // This thread's block [begin, end) of the collapsed iterations.
      Value q = arith::DivUIOp::create(b, loc, total, nt);
      Value r = arith::RemUIOp::create(b, loc, total, nt);
      Value begin = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, tid, q),
          arith::MinUIOp::create(b, loc, tid, r));
      Value extra = arith::SelectOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, tid, r), c1,
          c0);
      Value end = arith::AddIOp::create(
          b, loc, begin, arith::AddIOp::create(b, loc, q, extra));
      // The indices of `begin` (innermost dimension last).
      unsigned rank = trips.size();
      SmallVector<Value> start(rank);
      Value rest = begin;
      for (int d = rank - 1; d >= 0; --d) {
        if (d == 0) {
          start[d] = rest;
          break;
        }
        // (A dimension of no trips leaves the thread no iterations; its
        // divisor is 1 so that nothing divides by zero.)
        Value n = arith::MaxUIOp::create(b, loc, trips[d], c1);
        start[d] = arith::RemUIOp::create(b, loc, rest, n);
        rest = arith::DivUIOp::create(b, loc, rest, n);
      }
      ValueRange lbs = nest.getLoopLowerBounds(), steps = nest.getLoopSteps();
      auto forOp = scf::ForOp::create(b, loc, begin, end, c1,
                                      rank > 1 ? ValueRange(start)
                                               : ValueRange());
      Block *body = forOp.getBody();
      // (With iteration arguments the builder leaves the body without its
      // terminator.)
      if (rank > 1) {
        b.setInsertionPointToEnd(body);
        scf::YieldOp::create(b, loc, body->getArguments().drop_front());
      }
      b.setInsertionPointToStart(body);
      SmallVector<Value> ivs;
      for (unsigned d = 0; d < rank; ++d) {
        Value i = rank > 1 ? body->getArgument(1 + d) : forOp.getInductionVar();
        ivs.push_back(arith::AddIOp::create(
            b, loc, lbs[d], arith::MulIOp::create(b, loc, i, steps[d])));
      }
      Block &nestBody = nest.getRegion().front();
      b.eraseOp(nestBody.getTerminator());
      Operation *yield = body->getTerminator();
      b.inlineBlockBefore(&nestBody, yield, ivs);
      if (rank > 1) {
        // The next iteration's indices: the innermost one steps, and each
        // that wraps to 0 carries into the one outside it.
        b.setInsertionPoint(yield);
        SmallVector<Value> next(rank);
        Value carry;
        for (int d = rank - 1; d >= 0; --d) {
          Value i = body->getArgument(1 + d);
          Value stepped = arith::AddIOp::create(b, loc, i, c1);
          if (d != int(rank) - 1)
            stepped = arith::SelectOp::create(b, loc, carry, stepped, i);
          if (d == 0) {
            next[d] = stepped;
            break;
          }
          Value wraps = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                              stepped, trips[d]);
          next[d] = arith::SelectOp::create(b, loc, wraps, c0, stepped);
          carry = wraps;
        }
        b.modifyOpInPlace(yield, [&] { yield->setOperands(next); });
      }
      b.eraseOp(loop);
    }
  }
};

struct ExpandShapeWithSizesPass
    : PassWrapper<ExpandShapeWithSizesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ExpandShapeWithSizesPass)
  StringRef getArgument() const override {
    return "qc-expand-shape-with-sizes";
  }
  StringRef getDescription() const override {
    return "memref.expand_shape with several dynamic sizes in one group, "
           "and memref.reshape of an unranked source, as the "
           "reinterpret_cast they mean";
  }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandShapeWithSizes, ReshapeUnrankedSource>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

/// TOSA programs (torch-mlir's TOSA export, say) run through upstream's
/// TOSA lowering: tosa-to-linalg's pipeline (decompositions, shape
/// inference, named ops, elementwise ops), then tosa-to-tensor (reshapes,
/// slices), tosa-to-arith (tosa.const) and tosa-to-scf. A module without
/// TOSA ops is not touched.
struct LowerTosaPass
    : PassWrapper<LowerTosaPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(LowerTosaPass)
  StringRef getArgument() const override { return "qc-lower-tosa"; }
  StringRef getDescription() const override {
    return "TOSA ops through upstream's TOSA-to-linalg lowering";
  }
  static OpPassManager buildLowering() {
    OpPassManager pm(ModuleOp::getOperationName());
    // No TOSA profile validation: front ends emit f64 constants and casts
    // (torch-mlir for attention masks) that lower and run fine.
    tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions(),
                                TosaToLinalgNamedOptions(), std::nullopt);
    OpPassManager &fn = pm.nest<func::FuncOp>();
    fn.addPass(createTosaToTensorPass());
    fn.addPass(createTosaToArithPass());
    fn.addPass(createTosaToSCFPass());
    return pm;
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    buildLowering().getDependentDialects(registry);
  }
  void runOnOperation() override {
    if (!containsOpOf<tosa::TosaDialect>(getOperation()))
      return;
    OpPassManager pm = buildLowering();
    if (failed(runPipeline(pm, getOperation())))
      signalPassFailure();
  }
};

/// The first pass of qc's pipelines: it does nothing, but declares as its
/// dependent dialects everything the pipeline lowers through, with the
/// bufferization, deallocation and convert-to-llvm interface models, so
/// that the pass manager adds them to the context before anything runs. A
/// host that registered only qc's dialects (or only the dialects of its
/// input) runs the pipelines all the same.
struct PipelineDependenciesPass
    : PassWrapper<PipelineDependenciesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PipelineDependenciesPass)
  StringRef getArgument() const override { return "qc-pipeline-dependencies"; }
  StringRef getDescription() const override {
    return "loads what qc's pipelines need";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    qc::registerPipelineDependencies(registry);
  }
  void runOnOperation() override {}
};
} // namespace

namespace {
/// Marks every tensor argument of every function with a body
/// `bufferization.writable = false` unless the program marked it: a
/// function's caller owns its inputs, so bufferization copies a buffer it
/// would otherwise write in place (a JIT caller's numpy array, a C caller's
/// data). A program that wants an argument written in place says so with
/// `bufferization.writable = true`.
struct ReadOnlyArgumentsPass
    : PassWrapper<ReadOnlyArgumentsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ReadOnlyArgumentsPass)
  StringRef getArgument() const override { return "qc-read-only-arguments"; }
  StringRef getDescription() const override {
    return "function arguments are not written unless the program says so";
  }
  void runOnOperation() override {
    Builder b(&getContext());
    getOperation().walk([&](func::FuncOp fn) {
      if (fn.isExternal())
        return;
      for (unsigned i = 0; i < fn.getNumArguments(); ++i)
        if (isa<TensorType>(fn.getArgument(i).getType()) &&
            !fn.getArgAttr(i, "bufferization.writable"))
          fn.setArgAttr(i, "bufferization.writable", b.getBoolAttr(false));
    });
  }
};
} // namespace

/// Tensors to buffers on the host: bufferization, loops, deallocation.
/// Without `cse` when the pipeline ran CSE before its float ops were tiled
/// (qc-cpu-pipeline): CSE would merge the tile loops that fill equal
/// destinations (every layer's zero-initialized attention scores) back into
/// one buffer, which bufferization then copies before each writer.
static void addBufferization(OpPassManager &pm, bool cse = true) {
  pm.addPass(std::make_unique<ReadOnlyArgumentsPass>());
  pm.addPass(createCanonicalizerPass());
  if (cse)
    pm.addPass(createCSEPass());
  pm.addPass(createConvertElementwiseToLinalgPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // qc-cpu-vectorize-linalg's thread loops.
  pm.addPass(createForallToParallelLoopPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(std::make_unique<CopyContiguousRowsPass>());
}

/// Buffers, loops and vectors on the host to the LLVM dialect; with
/// `launchesKernels`, gpu.alloc/memcpy/launch_func too (gpu-to-llvm).
static void addHostToLLVM(OpPassManager &pm, bool launchesKernels) {
  pm.addPass(std::make_unique<ExpandShapeWithSizesPass>());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  expand.includeF8E8M0 = true;
  expand.includeF4E2M1 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createSCFToControlFlowPass());
  // amx: the AMX kernels' tile ops (IntDotKernelSpec::amxTiles) become
  // LLVM's AMX intrinsics; a module without them is unaffected.
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.amx = true;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  if (launchesKernels)
    pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(std::make_unique<LowerLeftoverMathPass>());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

static void addLoweringToLLVM(OpPassManager &pm, bool cse = true) {
  addBufferization(pm, cse);
  // The CPU kernels' qc_x86 ops become LLVM intrinsic calls after buffer
  // deallocation (which rejects their unknown memory effects); their
  // scf.parallel loops then become OpenMP loops (after deallocation, whose
  // ownership constants would break the omp.wsloop wrapper); canonicalize
  // inlines the memref.alloca_scope that convert-scf-to-openmp wraps each
  // body in (scf-to-cf cannot lower a multi-block one).
  pm.addPass(qc::createConvertQCX86ToLLVM());
  pm.addPass(std::make_unique<SerialSingleIterationLoopsPass>());
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.addPass(std::make_unique<HoistParallelAllocasPass>());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(std::make_unique<StaticThreadChunksPass>());
  // n-D vector transfers (the vectorized linalg ops' tiles) as unrolled
  // 1-D ones.
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  addHostToLLVM(pm, /*launchesKernels=*/false);
}

void mlir::qc::buildReferencePipeline(OpPassManager &pm,
                                      const ReferencePipelineOptions &options) {
  pm.addPass(std::make_unique<PipelineDependenciesPass>());
  pm.addPass(std::make_unique<LowerTosaPass>());
  // Upstream quant programs first: a pair no pass may fold away.
  pm.addPass(createImportQuant());
  if (options.quantizeConstants)
    pm.addPass(createQuantizeConstants());
  pm.addPass(createConvertQCToLinalg());
  addLoweringToLLVM(pm);
}

void mlir::qc::buildCPUPipeline(OpPassManager &pm,
                                const CPUPipelineOptions &options) {
  pm.addPass(std::make_unique<PipelineDependenciesPass>());
  pm.addPass(std::make_unique<LowerTosaPass>());
  pm.addPass(createImportQuant());
  if (options.quantizeConstants)
    pm.addPass(createQuantizeConstants());
  RepackCPUWeightsOptions repack;
  repack.targetTriple = options.targetTriple;
  repack.targetFeatures = options.targetFeatures;
  pm.addPass(createRepackCPUWeights(repack));
  ConvertQCToCPUOptions cpu;
  cpu.remarks = options.remarks;
  cpu.targetTriple = options.targetTriple;
  cpu.targetFeatures = options.targetFeatures;
  pm.addPass(createConvertQCToCPU(cpu));
  // The float rest of the program (attention, norms, activations): tiled,
  // vectorized and threaded before qc's own ops take the reference
  // lowering, so that the reference stays the reference.
  pm.addPass(createConvertElementwiseToLinalgPass());
  // Equal values computed once (the kernel calls that quantize one
  // activation for attention's q, k and v projections), before the float
  // ops are tiled: see addBufferization.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  VectorizeCPULinalgOptions vectorize;
  vectorize.targetTriple = options.targetTriple;
  vectorize.targetFeatures = options.targetFeatures;
  vectorize.remarks = options.remarks;
  vectorize.fuseChains = options.fuseChains;
  pm.addPass(createVectorizeCPULinalg(vectorize));
  pm.addPass(createConvertQCToLinalg());
  addLoweringToLLVM(pm, /*cse=*/false);
}

void mlir::qc::buildNVVMPipeline(OpPassManager &pm,
                                 const NVVMPipelineOptions &options) {
  pm.addPass(std::make_unique<PipelineDependenciesPass>());
  pm.addPass(std::make_unique<LowerTosaPass>());
  pm.addPass(createImportQuant());
  if (options.quantizeConstants)
    pm.addPass(createQuantizeConstants());
  pm.addPass(createNVVMLayout());
  ConvertQCToNVVMOptions nvvm;
  nvvm.chip = options.chip;
  nvvm.remarks = options.remarks;
  pm.addPass(createConvertQCToNVVM(nvvm));
  pm.addPass(createConvertQCToLinalg());
  addBufferization(pm);
  pm.addPass(createNVVMHostFunctions());
  // The kernels (gpu.module): nvgpu and nvvm ops, loops, then everything
  // to the LLVM dialect with NVVM intrinsics.
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createSCFToControlFlowPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps());
  pm.addNestedPass<gpu::GPUModuleOp>(createCanonicalizerPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createReconcileUnrealizedCastsPass());
  // The host: the gpu.alloc/memcpy/launch_func of the kernels' host
  // functions on one stream each, then the usual host lowering.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  addHostToLLVM(pm, /*launchesKernels=*/true);
  if (!options.toolkit.empty() && options.format != GPUBinaryFormat::PTX) {
    CheckCUDAToolkitOptions check;
    check.toolkit = options.toolkit;
    pm.addPass(createCheckCUDAToolkit(check));
  }
  GpuModuleToBinaryPassOptions binary;
  switch (options.format) {
  case GPUBinaryFormat::Cubin:
    binary.compilationTarget = "bin";
    break;
  case GPUBinaryFormat::PTX:
    binary.compilationTarget = "isa";
    break;
  case GPUBinaryFormat::Fatbin:
    binary.compilationTarget = "fatbin";
    break;
  }
  binary.toolkitPath = options.toolkit;
  pm.addPass(createGpuModuleToBinaryPass(binary));
  if (!options.dumpDir.empty()) {
    WriteGPUBinariesOptions write;
    write.dir = options.dumpDir;
    pm.addPass(createWriteGPUBinaries(write));
  }
}

void mlir::qc::buildQuantizeModelPipeline(
    OpPassManager &pm, const QuantizeModelPipelineOptions &options) {
  // Linear layers as front ends write them (torch-mlir, TOSA) first.
  RaiseLinearsOptions raise;
  raise.remarks = options.remarks;
  pm.addPass(createRaiseLinears(raise));
  QuantizeLinearsOptions linears;
  // A typed value: the pass builds the format from attributes.
  linears.policy = options.policy;
  linears.skip = options.skip;
  linears.leaveUnfit = true;
  linears.gptq = options.gptq;
  linears.remarks = options.remarks;
  pm.addPass(createQuantizeLinears(linears));
  if (options.rotations) {
    InsertRotationsOptions insert;
    insert.weightsOnly = options.policy != QuantizePolicy::W4A8 &&
                         options.policy != QuantizePolicy::W8A8;
    insert.seed = options.seed;
    insert.remarks = options.remarks;
    pm.addPass(createInsertRotations(insert));
    FuseRotationsOptions fuse;
    fuse.remarks = options.remarks;
    pm.addPass(createFuseRotations(fuse));
  }
  QuantizeConstantsOptions constants;
  constants.remarks = options.remarks;
  pm.addPass(createQuantizeConstants(constants));
}

void mlir::qc::registerPipelines() {
  // The pipelines' own small passes, for lit tests.
  PassRegistration<SerialSingleIterationLoopsPass>();
  PassRegistration<CopyContiguousRowsPass>();
  // Registered by hand (not PassPipelineRegistration) to reject options
  // that do not combine, with a message.
  registerPassPipeline(
      "qc-quantize-model",
      "Quantize every float Linear layer of a model by a named policy "
      "(w4g128, w4g64, nf4g64, w4a8, w8a8; optionally with Hadamard rotations, "
      "or by GPTQ with calibration statistics) into "
      "qc.constant blobs, with a remark per layer saying its format or why "
      "it stays float",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        QuantizeModelPipelineOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        if (options.gptq && options.rotations)
          return errorHandler(
              "qc-quantize-model: gptq=true and rotations=true do not "
              "combine: GPTQ quantizes each weight when its layer is "
              "quantized, before rotations would change the weights and "
              "their calibration statistics");
        buildQuantizeModelPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const ::mlir::detail::PassOptions &)> optHandler) {
        optHandler(QuantizeModelPipelineOptions());
      });
  PassPipelineRegistration<ReferencePipelineOptions>(
      "qc-reference-pipeline",
      "Lower qc programs to the LLVM dialect through the reference lowering "
      "(quantize constant weights, convert-qc-to-linalg, bufferize, loops), "
      "ready for mlir-runner",
      buildReferencePipeline);
  PassPipelineRegistration<NVVMPipelineOptions>(
      "qc-nvvm-pipeline",
      "Lower qc programs for NVIDIA GPUs: quantized matmuls with a "
      "tensor-core kernel for the chip (qc-nvvm-layout, convert-qc-to-nvvm) "
      "become kernels in a gpu.module compiled to a cubin (or PTX) and "
      "host code that launches them through qc's CUDA runtime "
      "(libqc_cuda_runtime.so); everything else takes the reference "
      "lowering on the host",
      buildNVVMPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "qc-cpu-pipeline",
      "Lower qc programs to the LLVM dialect for x86-64 CPUs: constant "
      "weights are quantized and repacked for their kernel "
      "(qc-cpu-repack-weights), quantized matmuls and Hadamard rotations "
      "with a CPU kernel for the target (convert-qc-to-cpu) become "
      "vectorized kernels that read packed weights, the program's own "
      "linalg ops (attention, softmax, norms, activations) are tiled, "
      "vectorized and threaded (qc-cpu-vectorize-linalg), other qc ops "
      "take the reference lowering",
      buildCPUPipeline);
}
