//===- VectorizeLinalg.cpp - the float rest of a program, vectorized ------===//
//
// qc-cpu-vectorize-linalg: every linalg op outside qc's kernels is tiled
// (threads over its outer parallel loops, a vector over its innermost
// loops) and vectorized with masks, with upstream's tiling interface and
// linalg vectorizer; see the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "KernelSelection.h"
#include "qc/Conversion/KernelCommon/KernelCall.h"

#include "qc/Conversion/QCToCPU/QCToCPU.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/X86Vector/Transforms.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "llvm/ADT/SmallBitVector.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::qc {
#define GEN_PASS_DEF_VECTORIZECPULINALG
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;

namespace {

/// How one linalg op is tiled and vectorized; one entry per loop.
struct TilePlan {
  /// scf.forall tile sizes: 1 on the parallel loops outside the vector.
  SmallVector<int64_t> threads;
  /// scf.for tile sizes: the vector tile on a vector loop that does not fit
  /// whole, 1 on a reduction loop outside the vector, else 0 (untiled).
  SmallVector<int64_t> loops;
  /// The vector's shape over the tiled op's loops.
  SmallVector<int64_t> vector;
  /// The scf.for loops' order: parallel loops outside, reductions inside,
  /// so that a contraction's accumulators stay in registers across its
  /// reduction tiles (hoisted out of the reduction loop after
  /// vectorization).
  SmallVector<int64_t> interchange;
};

/// A vector tile for a loop of `size` (dynamic or not) of at most `cap`
/// elements: the whole loop when it fits; else the largest multiple of
/// `lanes` up to `cap` that divides it (no masked remainder); else `cap`
/// rounded down to lanes (or to a power of two under one vector).
int64_t vectorTile(int64_t size, int64_t cap, int64_t lanes) {
  cap = std::max<int64_t>(cap, 1);
  if (!ShapedType::isDynamic(size) && size <= cap)
    return size;
  if (cap < lanes)
    return int64_t(1) << llvm::Log2_64(cap);
  int64_t widest = cap / lanes * lanes;
  if (!ShapedType::isDynamic(size))
    for (int64_t t = widest; t >= lanes; t -= lanes)
      if (size % t == 0)
        return t;
  return widest;
}

/// Rows of a contraction's register block (see planTiles).
constexpr int64_t kRowBlock = 4;
/// Rows of a contraction's thread tile: whole register blocks, in an
/// scf.for that peeling splits into full blocks and one partial block.
constexpr int64_t kRowChunk = 8 * kRowBlock;

/// The loop of a contraction's register block of rows: the innermost
/// parallel loop other than `inner` that the output reads and some input
/// does not (so that input's vectors are reused across the block), and
/// that has more than one iteration (a loop that a fused chain tiled by 1,
/// SmolLM2's query rows in a decode step, leaves the block to the grouped
/// query heads).
std::optional<unsigned> rowBlockLoop(linalg::LinalgOp op, unsigned inner,
                                     unsigned reduction) {
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  for (int d = int(op.getNumLoops()) - 1; d >= 0; --d) {
    if (unsigned(d) == inner || unsigned(d) == reduction ||
        iters[d] != utils::IteratorType::parallel ||
        !out.isFunctionOfDim(d) || ranges[d] == 1)
      continue;
    for (OpOperand *input : op.getDpsInputOperands())
      if (!op.getMatchingIndexingMap(input).isFunctionOfDim(d))
        return unsigned(d);
  }
  return std::nullopt;
}

/// The plan for `op` on a target with `lanes` f32 lanes per register:
/// a vector of up to 32 registers over the innermost loop (static) or
/// 4 registers (dynamic, so that a short masked tile wastes little), and
/// for a contraction over both its innermost reduction and the output's
/// innermost loop (q.k^T: keys x head dim; p.v: keys x head dim).
FailureOr<TilePlan> planTiles(linalg::LinalgOp op, int64_t lanes) {
  unsigned n = op.getNumLoops();
  if (n == 0 || op.getNumDpsInits() == 0)
    return failure();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  const int64_t budget = 32 * lanes;
  SmallVector<int64_t> vec(n, 0);
  // The loop of a contraction's register block of rows, if any: threads
  // take whole blocks.
  std::optional<unsigned> rowLoop;
  unsigned inner = n - 1;
  bool contraction = linalg::isaContractionOpInterface(op);
  int64_t innerCap =
      ShapedType::isDynamic(ranges[inner]) || !contraction ? 4 * lanes : budget;
  vec[inner] = vectorTile(ranges[inner], innerCap, lanes);
  // A transpose (all loops parallel, one input whose innermost loop is not
  // the output's: attention's k^T): a square block of lanes x lanes over
  // both innermost loops, read as whole rows of the input and written as
  // whole rows of the output, transposed in registers by shuffles (see
  // registerTransposes); a vector over the output's rows alone would read
  // the input one strided element at a time.
  if (!contraction && op.getNumDpsInputs() == 1 &&
      op.getNumParallelLoops() == n) {
    AffineMap in = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
    AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (in.getNumResults() > 0 && out.getNumResults() > 0 &&
        in.isProjectedPermutation() && out.isPermutation()) {
      unsigned a = cast<AffineDimExpr>(in.getResults().back()).getPosition();
      unsigned b = cast<AffineDimExpr>(out.getResults().back()).getPosition();
      if (a != b) {
        vec[b] = vectorTile(ranges[b], lanes, lanes);
        vec[a] = vectorTile(ranges[a], lanes, lanes);
      }
    }
  }
  if (linalg::isaContractionOpInterface(op)) {
    AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (out.getNumResults() > 0) {
      if (auto d = dyn_cast<AffineDimExpr>(out.getResults().back())) {
        unsigned p = d.getPosition();
        // The innermost reduction loop, when the innermost loop is parallel.
        std::optional<unsigned> other;
        if (p != inner)
          other = p;
        else
          for (int i = n - 1; i >= 0; --i)
            if (iters[i] == utils::IteratorType::reduction) {
              other = i;
              break;
            }
        if (other)
          vec[*other] = vectorTile(ranges[*other], budget / vec[inner], lanes);
        // A register block of rows: a parallel loop of the output that
        // some input does not read (q's rows in q.k^T, p's rows in p.v)
        // reuses each vector that input loads for kRowBlock rows.
        if (other && iters[*other] == utils::IteratorType::reduction) {
          std::optional<unsigned> rows = rowBlockLoop(op, inner, *other);
          if (rows) {
            // Within the same budget: the innermost loop narrows to 2
            // registers, so that 4 rows of it are 8 accumulators.
            int64_t r = vectorTile(ranges[*rows], kRowBlock, 1);
            vec[*rows] = r;
            rowLoop = rows;
            vec[inner] = vectorTile(ranges[inner], std::min(vec[inner], 2 * lanes),
                                    lanes);
            vec[*other] =
                vectorTile(ranges[*other], budget / (vec[inner] * r), lanes);
          }
        }
      }
    }
  }
  TilePlan plan;
  for (unsigned i = 0; i < n; ++i)
    if (iters[i] != utils::IteratorType::reduction)
      plan.interchange.push_back(i);
  for (unsigned i = 0; i < n; ++i)
    if (iters[i] == utils::IteratorType::reduction)
      plan.interchange.push_back(i);
  for (unsigned i = 0; i < n; ++i) {
    bool parallel = iters[i] == utils::IteratorType::parallel;
    if (rowLoop && i == *rowLoop) {
      // Threads take chunks of whole register blocks; an scf.for inside
      // a chunk takes the blocks, so that peeling leaves one partial block
      // (a thread tile of one block would be partial for every block when
      // the row count is dynamic: masks throughout).
      bool fits = !ShapedType::isDynamic(ranges[i]) && ranges[i] <= kRowChunk;
      plan.threads.push_back(fits ? 0 : kRowChunk);
      plan.loops.push_back(ranges[i] == vec[i] ? 0 : vec[i]);
      plan.vector.push_back(vec[i]);
    } else if (vec[i]) {
      plan.threads.push_back(0);
      plan.loops.push_back(ranges[i] == vec[i] ? 0 : vec[i]);
      plan.vector.push_back(vec[i]);
    } else {
      plan.threads.push_back(parallel ? 1 : 0);
      plan.loops.push_back(parallel ? 0 : 1);
      plan.vector.push_back(1);
    }
  }
  return plan;
}

/// Whether loop `d` is the innermost dimension `operand` reads or writes.
bool innermostOf(linalg::LinalgOp op, OpOperand &operand, unsigned d) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  if (map.getNumResults() == 0)
    return false;
  auto e = dyn_cast<AffineDimExpr>(map.getResults().back());
  return e && e.getPosition() == d;
}

/// A contraction whose innermost loop is a reduction (q . k^T over the head
/// dimension) vectorizes into one horizontal sum per output; when the
/// output's innermost loop is the contiguous dimension of more operands
/// (k^T stored keys-innermost, and the output), it becomes the innermost
/// loop instead, and the reduction accumulates whole vectors. Returns the
/// op to tile (a new linalg.generic when the loops moved).
linalg::LinalgOp contiguousInnermost(RewriterBase &rewriter,
                                     linalg::LinalgOp op) {
  unsigned n = op.getNumLoops();
  if (n < 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op) ||
      op.getIteratorTypesArray()[n - 1] != utils::IteratorType::reduction)
    return op;
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (out.getNumResults() == 0 || !isa<AffineDimExpr>(out.getResults().back()))
    return op;
  unsigned p = cast<AffineDimExpr>(out.getResults().back()).getPosition();
  int byP = 0, byR = 0;
  for (OpOperand &operand : op->getOpOperands()) {
    byP += innermostOf(op, operand, p);
    byR += innermostOf(op, operand, n - 1);
  }
  if (byP <= byR)
    return op;
  rewriter.setInsertionPoint(op);
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic) {
    FailureOr<linalg::GenericOp> g = linalg::generalizeNamedOp(rewriter, op);
    if (failed(g))
      return op;
    generic = *g;
  }
  SmallVector<unsigned> order;
  for (unsigned i = 0; i < n; ++i)
    if (i != p)
      order.push_back(i);
  order.push_back(p);
  FailureOr<linalg::GenericOp> moved =
      linalg::interchangeGenericOp(rewriter, generic, order);
  return succeeded(moved) ? linalg::LinalgOp(*moved)
                          : linalg::LinalgOp(generic);
}

/// Tiles `op` with `sizes` (nothing when all are 0) in loops of `type`;
/// returns the tiled op and appends the loops, outermost first, to `loops`.
FailureOr<Operation *> tile(RewriterBase &rewriter, Operation *op,
                            ArrayRef<int64_t> sizes,
                            scf::SCFTilingOptions::LoopType type,
                            SmallVectorImpl<Operation *> *loops = nullptr,
                            ArrayRef<int64_t> interchange = {}) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return op;
  scf::SCFTilingOptions options;
  options.setLoopType(type);
  if (!interchange.empty())
    options.setInterchange(interchange);
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled) || tiled->tiledOps.empty())
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  if (loops)
    for (LoopLikeOpInterface loop : tiled->loops)
      loops->push_back(loop.getOperation());
  return tiled->tiledOps.back();
}

/// The attribute that carries a tiled op's vector sizes from tiling to
/// vectorization (peeling clones it with the op).
constexpr llvm::StringLiteral kVectorSizes = "qc.vector_sizes";
/// The index of the op a tile came from (for remarks and counts).
constexpr llvm::StringLiteral kVectorizeId = "qc.vectorize_id";

/// Splits each loop of `loops` (innermost first) whose step may not divide
/// its range into the full tiles and one partial tile (upstream's
/// peelForLoopAndSimplifyBounds): in the full tiles every tile size is the
/// step, a constant, so that canonicalization gives the tiled op static
/// shapes and the vectorizer needs no masks; only the partial tile keeps
/// them. (S = 128 keys over tiles of 32: four unmasked tiles.)
void peelLoops(RewriterBase &rewriter, ArrayRef<Operation *> loops) {
  for (Operation *op : llvm::reverse(loops)) {
    auto loop = dyn_cast<scf::ForOp>(op);
    if (!loop)
      continue;
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial);
  }
}

/// The value `kind` leaves unchanged, of type `type` (a float or an
/// integer), or null.
TypedAttr neutralElement(vector::CombiningKind kind, Type type) {
  using K = vector::CombiningKind;
  if (auto f = dyn_cast<FloatType>(type)) {
    const llvm::fltSemantics &sem = f.getFloatSemantics();
    switch (kind) {
    case K::ADD:
      return FloatAttr::get(f, APFloat::getZero(sem, /*Negative=*/true));
    case K::MUL:
      return FloatAttr::get(f, APFloat::getOne(sem));
    case K::MAXIMUMF:
    case K::MAXNUMF:
      return FloatAttr::get(f, APFloat::getInf(sem, /*Negative=*/true));
    case K::MINIMUMF:
    case K::MINNUMF:
      return FloatAttr::get(f, APFloat::getInf(sem));
    default:
      return {};
    }
  }
  auto i = dyn_cast<IntegerType>(type);
  if (!i)
    return {};
  unsigned w = i.getWidth();
  switch (kind) {
  case K::ADD:
  case K::OR:
  case K::XOR:
  case K::MAXUI:
    return IntegerAttr::get(i, APInt::getZero(w));
  case K::MUL:
    return IntegerAttr::get(i, APInt(w, 1));
  case K::AND:
  case K::MINUI:
    return IntegerAttr::get(i, APInt::getAllOnes(w));
  case K::MAXSI:
    return IntegerAttr::get(i, APInt::getSignedMinValue(w));
  case K::MINSI:
    return IntegerAttr::get(i, APInt::getSignedMaxValue(w));
  default:
    return {};
  }
}

/// `vector.mask %m { vector.multi_reduction <k>, %v, %acc }` as the
/// unmasked reduction of `select(%m, %v, neutral(k))`: upstream's
/// multi-reduction lowering does not take masked ops, and the lanes the
/// mask turns off (padding of a masked read) must not reach the result.
LogicalResult unmaskReduction(RewriterBase &rewriter, vector::MaskOp mask) {
  auto reduction =
      dyn_cast_or_null<vector::MultiDimReductionOp>(mask.getMaskableOp());
  if (!reduction || mask.hasPassthru())
    return failure();
  auto vecType = cast<VectorType>(reduction.getSource().getType());
  TypedAttr neutral =
      neutralElement(reduction.getKind(), vecType.getElementType());
  if (!neutral)
    return failure();
  rewriter.setInsertionPoint(mask);
  Location loc = mask.getLoc();
  Value fill = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(vecType, neutral));
  Value kept = arith::SelectOp::create(rewriter, loc, mask.getMask(),
                                       reduction.getSource(), fill);
  auto unmasked = vector::MultiDimReductionOp::create(
      rewriter, loc, kept, reduction.getAcc(), reduction.getReductionMask(),
      reduction.getKind());
  rewriter.replaceOp(mask, unmasked->getResults());
  return success();
}

/// A transpose of a broadcast that keeps the source's non-unit dimensions in
/// order
/// (the vectorizer's operand read along a loop it does not index: q's
/// values broadcast over the keys, vector<4x4xf32> to <16x4x4> then
/// transposed to <4x4x16>) as a shape_cast that puts unit dimensions where
/// the new ones go and a broadcast that stretches them. LLVM's lowering of
/// an n-D transpose moves one element at a time (an extract and an insert
/// each); a stretched unit dimension is a splat.
struct TransposeOfBroadcast : OpRewritePattern<vector::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto broadcast = op.getVector().getDefiningOp<vector::BroadcastOp>();
    if (!broadcast)
      return failure();
    auto source = dyn_cast<VectorType>(broadcast.getSourceType());
    VectorType result = op.getResultVectorType();
    if (!source || source.isScalable() || result.isScalable())
      return failure();
    int64_t added = result.getRank() - source.getRank();
    SmallVector<int64_t> shape;
    int64_t last = -1;
    for (int64_t d : op.getPermutation()) {
      if (d < added) {
        shape.push_back(1);
        continue;
      }
      int64_t size = source.getDimSize(d - added);
      shape.push_back(size);
      // (Unit dimensions hold one element each: they may move.)
      if (size == 1)
        continue;
      if (d <= last)
        return failure();
      last = d;
    }
    Value cast = vector::ShapeCastOp::create(
        rewriter, op.getLoc(), VectorType::get(shape, result.getElementType()),
        broadcast.getSource());
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(op, result, cast);
    return success();
  }
};

/// A transpose that moves only unit dimensions (the non-unit ones keep
/// their order): a shape_cast.
struct TransposeOfUnitDims : OpRewritePattern<vector::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    VectorType source = op.getSourceVectorType();
    VectorType result = op.getResultVectorType();
    if (source.isScalable() || result.isScalable())
      return failure();
    int64_t last = -1;
    for (int64_t d : op.getPermutation()) {
      if (source.getDimSize(d) == 1)
        continue;
      if (d <= last)
        return failure();
      last = d;
    }
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(op, result, op.getVector());
    return success();
  }
};

/// `vector.reduction <maximumf|minimumf>` of a 1-D float vector of 2^k
/// lanes as a tree of halves combined by the elementwise op, then the
/// accumulator: LLVM expands `llvm.vector.reduce.fmaximum` (NaN-propagating)
/// into a scalar chain of compares and blends per lane (softmax's row
/// maximum was 8% of MiniLM's attention), while the elementwise op on
/// vectors is a few instructions per vector. Same result: maximumf is
/// associative and commutative, NaN and -0 < +0 included.
LogicalResult treeReduction(RewriterBase &rewriter, vector::ReductionOp op) {
  using K = vector::CombiningKind;
  K kind = op.getKind();
  if ((kind != K::MAXIMUMF && kind != K::MINIMUMF) ||
      op->getParentOfType<vector::MaskOp>())
    return failure();
  auto type = cast<VectorType>(op.getVector().getType());
  int64_t n = type.getNumElements();
  if (type.getRank() != 1 || type.isScalable() || n < 2 ||
      !llvm::isPowerOf2_64(uint64_t(n)))
    return failure();
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  auto combine = [&](Value a, Value b) -> Value {
    if (kind == K::MAXIMUMF)
      return arith::MaximumFOp::create(rewriter, loc, a, b);
    return arith::MinimumFOp::create(rewriter, loc, a, b);
  };
  Value v = op.getVector();
  for (int64_t half = n / 2; half >= 1; half /= 2) {
    Value lo = vector::ExtractStridedSliceOp::create(
        rewriter, loc, v, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{half},
        ArrayRef<int64_t>{1});
    Value hi = vector::ExtractStridedSliceOp::create(
        rewriter, loc, v, ArrayRef<int64_t>{half}, ArrayRef<int64_t>{half},
        ArrayRef<int64_t>{1});
    v = combine(lo, hi);
  }
  Value r = vector::ExtractOp::create(rewriter, loc, v, ArrayRef<int64_t>{0});
  if (Value acc = op.getAcc())
    r = combine(r, acc);
  rewriter.replaceOp(op, r);
  return success();
}

/// `math.erf` of a vector of f32 as one rational function of the input
/// clamped to [-4, 4] (beyond which erf rounds to +-1 in f32): x P(x^2) /
/// Q(x^2), P of degree 6 and Q of degree 4, the minimax fit that Eigen and
/// XLA use for f32 erf. 12 fused multiply-adds, a clamp and a division per
/// vector, where upstream's approximation blends the coefficients of three
/// intervals (about 40 vector operations per vector): GELU's erf was the
/// whole cost of MiniLM's GELU (compute-bound: 0.55 ns per element from
/// memory and from L2 alike). Error at most 7 ulp (4.2e-7 absolute) against
/// float64 erf (python/tests/test_erf.py); NaN stays NaN (the clamp's
/// maximumf and minimumf propagate it).
LogicalResult rationalErf(RewriterBase &rewriter, math::ErfOp op) {
  auto type = dyn_cast<VectorType>(op.getType());
  if (!type || !type.getElementType().isF32())
    return failure();
  static constexpr double kNumerator[] = {
      -2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
      -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
      -1.60960333262415e-02};
  static constexpr double kDenominator[] = {
      -1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
      -7.37332916720468e-03, -1.42647390514189e-02};
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  auto splat = [&](double v) -> Value {
    return arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(type, rewriter.getF32FloatAttr(float(v))));
  };
  Value x = arith::MaximumFOp::create(
      rewriter, loc,
      arith::MinimumFOp::create(rewriter, loc, op.getOperand(), splat(4.0)),
      splat(-4.0));
  Value x2 = arith::MulFOp::create(rewriter, loc, x, x);
  auto horner = [&](ArrayRef<double> coefficients) {
    Value acc = splat(coefficients.front());
    for (double c : coefficients.drop_front())
      acc = math::FmaOp::create(rewriter, loc, x2, acc, splat(c));
    return acc;
  };
  Value p = arith::MulFOp::create(rewriter, loc, x, horner(kNumerator));
  Value q = horner(kDenominator);
  rewriter.replaceOpWithNewOp<arith::DivFOp>(op, p, q);
  return success();
}

/// The 2-D transposes of blocks that moved more than unit dimensions (a
/// transpose's lanes x lanes tile, see planTiles), their unit dimensions
/// dropped, as shuffles: 16 x 16 by upstream's Shuffle16x16 lowering
/// (AVX-512), 8 x 8 by the x86vector dialect's AVX2 lowering; LLVM's own
/// lowering of vector.transpose is one extract and one insert per element.
LogicalResult registerTransposes(func::FuncOp fn, int64_t lanes) {
  SmallVector<Operation *> transposes;
  fn.walk([&](vector::TransposeOp op) {
    VectorType type = op.getSourceVectorType();
    int64_t big = llvm::count_if(type.getShape(),
                                 [](int64_t d) { return d != 1; });
    if (big == 2 && type.getNumElements() == lanes * lanes &&
        type.getElementType().isF32())
      transposes.push_back(op);
  });
  if (transposes.empty())
    return success();
  MLIRContext *ctx = fn.getContext();
  RewritePatternSet patterns(ctx);
  vector::populateDropUnitDimWithShapeCastPatterns(patterns);
  vector::populateVectorTransposeLoweringPatterns(
      patterns, lanes == 16 ? vector::VectorTransposeLowering::Shuffle16x16
                            : vector::VectorTransposeLowering::EltWise);
  if (lanes == 8)
    x86vector::avx2::populateSpecializedTransposeLoweringPatterns(
        patterns, x86vector::avx2::LoweringOptions().setTransposeOptions(
                      x86vector::avx2::TransposeLoweringOptions().lower8x8xf32()));
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  return applyOpPatternsGreedily(transposes, std::move(patterns), config);
}

/// Whether every tensor `op` reads or writes has elements of whole bytes:
/// a vector of i1 or i4 is bit-packed in memory while a memref of them
/// holds one element per byte, so vector loads of them read wrong values.
bool hasByteElements(linalg::LinalgOp op) {
  return llvm::all_of(op->getOpOperands(), [](OpOperand &operand) {
    Type t = getElementTypeOrSelf(operand.get().getType());
    return t.isIndex() || (t.isIntOrFloat() && t.getIntOrFloatBitWidth() % 8 == 0);
  });
}

bool isKernel(func::FuncOp fn) { return fn->hasAttr(qc::kKernelSpecAttrName); }

/// Every loaded dialect's and registered op's canonicalization patterns.
RewritePatternSet canonicalizationPatterns(MLIRContext *ctx) {
  RewritePatternSet patterns(ctx);
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
  return patterns;
}

/// A fill that several ops take as their destination (CSE merges the equal
/// zero and -inf fills of every layer's attention into one) is filled again
/// for each: bufferization would otherwise copy the shared buffer before
/// each op writes it (a read and a write of every element, where a fill is
/// a write).
void unshareFills(RewriterBase &rewriter, Operation *root) {
  SmallVector<linalg::FillOp> fills;
  root->walk([&](linalg::FillOp fill) {
    if (fill.hasPureTensorSemantics())
      fills.push_back(fill);
  });
  for (linalg::FillOp fill : fills) {
    if (fill.getResult(0).hasOneUse())
      continue;
    SmallVector<OpOperand *> inits;
    for (OpOperand &use : fill.getResult(0).getUses()) {
      auto reader = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
      if (reader && reader.isDpsInit(&use))
        inits.push_back(&use);
    }
    for (OpOperand *use : inits) {
      rewriter.setInsertionPoint(use->getOwner());
      // (With its own empty destination, when the fill had one.)
      IRMapping map;
      if (auto empty = fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
        map.map(empty.getResult(), rewriter.clone(*empty)->getResult(0));
      Operation *copy = rewriter.clone(*fill, map);
      rewriter.modifyOpInPlace(use->getOwner(),
                               [&] { use->set(copy->getResult(0)); });
    }
    if (fill->use_empty())
      rewriter.eraseOp(fill);
  }
}

//===----------------------------------------------------------------------===//
// Chains fused per batch (attention per sentence and head)
//===----------------------------------------------------------------------===//

/// The loops of an op that one `scf.forall` tiles by 1: loop -> the index of
/// the forall's induction variable.
using BatchTiles = llvm::SmallDenseMap<unsigned, unsigned>;

/// The slice of `operand` that one iteration of `op`'s tiles reads or
/// writes: per dimension of the operand, the induction variable's index, or
/// -1 where the slice takes the whole dimension; nullopt when a dimension is
/// not indexed by one loop alone.
std::optional<SmallVector<int>> batchSlice(linalg::LinalgOp op,
                                           OpOperand &operand,
                                           const BatchTiles &tiles) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  SmallVector<int> slice;
  for (AffineExpr e : map.getResults()) {
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d)
      return std::nullopt;
    auto it = tiles.find(d.getPosition());
    slice.push_back(it == tiles.end() ? -1 : int(it->second));
  }
  return slice;
}

/// The tiles of the producer of `result` that compute `slice` of it: each
/// induction variable on exactly one of its loops (a slice that some
/// induction variable does not index would be computed again in every
/// iteration of that variable); nullopt when there are none such.
std::optional<BatchTiles> producerTiles(linalg::LinalgOp producer,
                                        OpResult result, ArrayRef<int> slice,
                                        unsigned numIVs) {
  AffineMap map = producer.getIndexingMapMatchingResult(result);
  if (!map.isProjectedPermutation() || map.getNumResults() != slice.size())
    return std::nullopt;
  BatchTiles tiles;
  llvm::SmallBitVector seen(numIVs);
  for (auto [k, e] : llvm::enumerate(map.getResults())) {
    if (slice[k] < 0)
      continue;
    if (seen.test(slice[k]))
      return std::nullopt;
    seen.set(slice[k]);
    tiles[cast<AffineDimExpr>(e).getPosition()] = unsigned(slice[k]);
  }
  if (!seen.all())
    return std::nullopt;
  return tiles;
}

/// Whether `op` may join a fused chain: linalg on tensors of whole bytes
/// with a tiling model.
bool fusable(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.hasPureTensorSemantics() &&
         isa<TilingInterface>(op) && hasByteElements(linalgOp) &&
         linalgOp.getNumLoops() > 0;
}

/// A chain of ops fused into one loop over batch dimensions: the root (the
/// last op) and its tiles, and every op of the chain.
struct BatchChain {
  Operation *root = nullptr;
  BatchTiles rootTiles;
  llvm::SetVector<Operation *> ops;
};

/// The chain around contraction `anchor` (attention's p . v): its batch
/// loops are the parallel loops its output and every input that an op of
/// the function computes index, other than the output's innermost loop and
/// the contraction's register block of rows (see planTiles), which stay
/// whole inside an iteration. The root is the anchor, or its one reader
/// when that is elementwise (the softmax's normalization after p . v). The
/// chain is every op before the root in its block whose every reader is in
/// the chain, whose slices all readers take alike and which is computed
/// once per iteration (each induction variable indexes its slice). Empty
/// when the anchor has no batch loop or no producer joins.
BatchChain batchChain(linalg::LinalgOp anchor,
                      const llvm::DenseSet<Operation *> &taken) {
  BatchChain chain;
  unsigned n = anchor.getNumLoops();
  if (anchor.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(anchor))
    return chain;
  AffineMap out = anchor.getMatchingIndexingMap(anchor.getDpsInitOperand(0));
  if (out.getNumResults() == 0 || !out.isProjectedPermutation())
    return chain;
  SmallVector<utils::IteratorType> iters = anchor.getIteratorTypesArray();
  unsigned inner = cast<AffineDimExpr>(out.getResults().back()).getPosition();
  std::optional<unsigned> reduction;
  for (int i = int(n) - 1; i >= 0 && !reduction; --i)
    if (iters[i] == utils::IteratorType::reduction)
      reduction = unsigned(i);
  if (!reduction)
    return chain;
  std::optional<unsigned> rows = rowBlockLoop(anchor, inner, *reduction);
  SmallVector<OpOperand *> computed;
  for (OpOperand *input : anchor.getDpsInputOperands()) {
    Operation *def = input->get().getDefiningOp();
    if (def && fusable(def) && !taken.contains(def) &&
        def->getBlock() == anchor->getBlock())
      computed.push_back(input);
  }
  if (computed.empty())
    return chain;
  SmallVector<unsigned> batch;
  for (unsigned d = 0; d < n; ++d) {
    if (iters[d] != utils::IteratorType::parallel || d == inner ||
        (rows && d == *rows) || !out.isFunctionOfDim(d))
      continue;
    if (llvm::all_of(computed, [&](OpOperand *input) {
          return anchor.getMatchingIndexingMap(input).isFunctionOfDim(d);
        }))
      batch.push_back(d);
  }
  if (batch.empty())
    return chain;
  BatchTiles anchorTiles;
  for (auto [iv, d] : llvm::enumerate(batch))
    anchorTiles[d] = unsigned(iv);
  unsigned numIVs = batch.size();

  // The root: the anchor's one elementwise reader, if any.
  chain.root = anchor;
  chain.rootTiles = anchorTiles;
  Value result = anchor->getResult(0);
  if (result.hasOneUse()) {
    OpOperand &use = *result.getUses().begin();
    Operation *user = use.getOwner();
    auto reader = dyn_cast<linalg::LinalgOp>(user);
    if (reader && fusable(user) && !taken.contains(user) &&
        user->getBlock() == anchor->getBlock() &&
        reader.getNumLoops() == reader.getNumParallelLoops() &&
        reader.getMatchingIndexingMap(&use).isPermutation()) {
      std::optional<SmallVector<int>> slice =
          batchSlice(anchor, *anchor.getDpsInitOperand(0), anchorTiles);
      BatchTiles readerTiles;
      AffineMap map = reader.getMatchingIndexingMap(&use);
      for (auto [k, e] : llvm::enumerate(map.getResults()))
        if ((*slice)[k] >= 0)
          readerTiles[cast<AffineDimExpr>(e).getPosition()] =
              unsigned((*slice)[k]);
      chain.root = user;
      chain.rootTiles = readerTiles;
    }
  }

  llvm::DenseMap<Operation *, BatchTiles> tilesOf;
  chain.ops.insert(chain.root);
  tilesOf[chain.root] = chain.rootTiles;
  for (Operation *op = chain.root->getPrevNode(); op; op = op->getPrevNode()) {
    if (!fusable(op) || taken.contains(op))
      continue;
    auto producer = cast<linalg::LinalgOp>(op);
    std::optional<BatchTiles> tiles;
    bool joins = !op->use_empty();
    for (OpResult r : op->getResults()) {
      for (OpOperand &use : r.getUses()) {
        Operation *user = use.getOwner();
        if (!chain.ops.contains(user)) {
          joins = false;
          break;
        }
        std::optional<SmallVector<int>> slice =
            batchSlice(cast<linalg::LinalgOp>(user), use, tilesOf[user]);
        std::optional<BatchTiles> t =
            slice ? producerTiles(producer, r, *slice, numIVs) : std::nullopt;
        if (!t || (tiles && *t != *tiles)) {
          joins = false;
          break;
        }
        tiles = t;
      }
      if (!joins)
        break;
    }
    if (!joins || !tiles)
      continue;
    chain.ops.insert(op);
    tilesOf[op] = *tiles;
  }
  // Worth a loop of its own only when the anchor's computed inputs joined.
  if (!llvm::all_of(computed, [&](OpOperand *input) {
        return chain.ops.contains(input->get().getDefiningOp());
      }))
    return BatchChain();
  return chain;
}

/// Tiles `chain`'s root by 1 on its batch loops into one `scf.forall` and
/// fuses the chain's other ops into it (upstream's
/// tileConsumerAndFuseProducersUsingSCF): each iteration computes one
/// batch's slice of every op (attention: one sentence's and head's scores,
/// softmax and p . v), so that its intermediates stay in the core's cache
/// between the ops instead of each op passing over all of them. Equal
/// slices fused twice (an op with two readers) are merged again, and slices
/// of empty tensors become empty tensors of the slice's size (buffers of
/// one iteration). Returns the forall, or null.
Operation *fuseBatchChain(RewriterBase &rewriter, const BatchChain &chain,
                          const FrozenRewritePatternSet &cleanup) {
  auto root = cast<linalg::LinalgOp>(chain.root);
  SmallVector<int64_t> sizes(root.getNumLoops(), 0);
  for (auto [loop, iv] : chain.rootTiles)
    sizes[loop] = 1;
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (chain.ops.contains(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(chain.root);
  FailureOr<scf::SCFTileAndFuseResult> fused =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(chain.root), options);
  if (failed(fused) || fused->loops.size() != 1)
    return nullptr;
  for (OpResult r : chain.root->getResults())
    rewriter.replaceAllUsesWith(r, fused->replacements.lookup(r));
  Operation *loop = fused->loops.front().getOperation();

  // The fused ops' operands that tiling computed twice (tensor.dim of
  // different values of one size), then the ops themselves; the sizes
  // tiling took from the chain's own results (tensor.dim of them before
  // the loop), from their destinations, so that nothing reads the chain's
  // ops outside the loop (`cleanup`: canonicalization and slices of empty
  // tensors folded).
  for (int round = 0; round < 2; ++round) {
    SmallVector<Operation *> inLoop;
    loop->walk([&](Operation *op) {
      if (op != loop)
        inLoop.push_back(op);
    });
    for (Operation *op : chain.ops)
      for (Operation *user : op->getUsers())
        if (isa<tensor::DimOp>(user))
          inLoop.push_back(user);
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    (void)applyOpPatternsGreedily(inLoop, cleanup, config);
    DominanceInfo dominance;
    eliminateCommonSubExpressions(rewriter, dominance, loop);
  }
  // (Readers first: the chain lists the root, then each op after its
  // readers.)
  bool whole = true;
  for (Operation *op : chain.ops) {
    if (op->use_empty())
      rewriter.eraseOp(op);
    else
      whole = false;
  }
  return whole ? loop : nullptr;
}

struct VectorizeCPULinalgPass
    : qc::impl::VectorizeCPULinalgBase<VectorizeCPULinalgPass> {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    qc::registerVectorizeLinalgDependencies(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    std::string error;
    FailureOr<qc::cpu::CPUTarget> cpu =
        qc::cpu::CPUTarget::parse(targetTriple, targetFeatures, error);
    if (failed(cpu)) {
      mlir::emitError(module.getLoc(), "qc-cpu-vectorize-linalg: ") << error;
      return signalPassFailure();
    }
    const int64_t lanes = cpu->hasFeatures("avx512f") ? 16 : 8;

    SmallVector<func::FuncOp> functions;
    module.walk([&](func::FuncOp fn) {
      if (!fn.isExternal() && !isKernel(fn))
        functions.push_back(fn);
    });

    IRRewriter rewriter(ctx);
    // 0. Fills shared as destinations, each filled again (unshareFills).
    for (func::FuncOp fn : functions)
      unshareFills(rewriter, fn);

    // 1. Elementwise producers with one reader fuse into it.
    for (func::FuncOp fn : functions) {
      RewritePatternSet fusion(ctx);
      linalg::populateElementwiseOpsFusionPatterns(
          fusion, [](OpOperand *operand) {
            Operation *producer = operand->get().getDefiningOp();
            if (!producer || !producer->hasOneUse())
              return false;
            // Only where the reader visits each produced element once: a
            // reader with loops the producer lacks (a contraction reading
            // softmax's probabilities) would recompute each element (its
            // exp) once per iteration of those loops.
            auto reader = dyn_cast<linalg::LinalgOp>(operand->getOwner());
            return reader &&
                   reader.getMatchingIndexingMap(operand).isPermutation();
          });
      if (failed(applyPatternsGreedily(fn, std::move(fusion))))
        return signalPassFailure();
    }

    // 1b. Chains around contractions of computed values (attention: the
    // scores, softmax and p . v of a sentence and head) fused into one
    // scf.forall over their batch loops.
    for (func::FuncOp fn : fuseChains ? functions : SmallVector<func::FuncOp>()) {
      llvm::DenseSet<Operation *> taken;
      SmallVector<linalg::LinalgOp> anchors;
      fn.walk([&](linalg::LinalgOp op) {
        if (op.hasPureTensorSemantics() && fusable(op) &&
            linalg::isaContractionOpInterface(op))
          anchors.push_back(op);
      });
      bool any = false;
      std::optional<FrozenRewritePatternSet> cleanup;
      for (linalg::LinalgOp anchor : llvm::reverse(anchors)) {
        if (taken.contains(anchor))
          continue;
        BatchChain chain = batchChain(anchor, taken);
        if (chain.ops.size() < 2)
          continue;
        Location loc = chain.root->getLoc();
        std::string rootName = chain.root->getName().getStringRef().str();
        size_t count = chain.ops.size();
        size_t loops = chain.rootTiles.size();
        for (Operation *op : chain.ops)
          taken.insert(op);
        if (!cleanup) {
          RewritePatternSet patterns = canonicalizationPatterns(ctx);
          tensor::populateFoldTensorEmptyPatterns(patterns);
          cleanup.emplace(std::move(patterns));
        }
        if (!fuseBatchChain(rewriter, chain, *cleanup)) {
          if (remarks)
            mlir::emitRemark(loc)
                << "qc-cpu-vectorize-linalg: the chain of " << count
                << " ops ending in this " << rootName
                << " could not be fused whole; what is left outside the "
                   "loop is tiled op by op";
          continue;
        }
        any = true;
        if (remarks)
          mlir::emitRemark(loc)
              << "qc-cpu-vectorize-linalg: " << count
              << " ops ending in this " << rootName
              << " fused into one loop over " << loops
              << " batch dimension(s), computed one batch at a time";
      }
      // (The fused loops' CSE may share a fill again.)
      if (any)
        unshareFills(rewriter, fn);
    }

    // 2-3. Tile each op on tensors (threads, then loops, peeled); the
    // tiled op and its peeled clones carry the vector sizes and the index
    // of the op they came from.
    unsigned vectorized = 0, scalar = 0;
    struct Tiled {
      std::string name;
      Location loc;
      bool vectorized = true;
    };
    SmallVector<Tiled> tiledOps;
    for (func::FuncOp fn : functions) {
      SmallVector<linalg::LinalgOp> ops;
      fn.walk([&](linalg::LinalgOp op) {
        if (op.hasPureTensorSemantics())
          ops.push_back(op);
      });
      for (linalg::LinalgOp op : ops) {
        if (isa<TilingInterface>(*op) && hasByteElements(op))
          op = contiguousInnermost(rewriter, op);
        FailureOr<TilePlan> plan = planTiles(op, lanes);
        if (failed(plan))
          continue;
        if (!hasByteElements(op)) {
          if (remarks)
            mlir::emitRemark(op.getLoc())
                << "qc-cpu-vectorize-linalg: " << op->getName()
                << " reads or writes sub-byte elements (i1, i4, ...), which "
                   "vectors and memrefs lay out differently; left as it is";
          ++scalar;
          continue;
        }
        if (!isa<TilingInterface>(*op)) {
          // The host registered linalg without its tiling models (the
          // pass's dependent dialects add them; a hand-built context may
          // not have).
          mlir::emitWarning(op.getLoc())
              << "qc-cpu-vectorize-linalg: " << op->getName()
              << " has no TilingInterface model in this context; left as it "
                 "is (register linalg::registerTilingInterfaceExternalModels)";
          ++scalar;
          continue;
        }
        Location loc = op.getLoc();
        std::string name = op->getName().getStringRef().str();
        // Inside a fused chain's loop (1b), which the threads take: no
        // threads of its own, loops over its batches' parallel loops.
        if (op->getParentOfType<scf::ForallOp>()) {
          SmallVector<int64_t> ranges = op.getStaticLoopRanges();
          for (auto [t, l, r] : llvm::zip(plan->threads, plan->loops, ranges)) {
            if (t && !l && r != 1)
              l = t;
            t = 0;
          }
        }
        SmallVector<Operation *> loops;
        FailureOr<Operation *> tiled =
            tile(rewriter, op, plan->threads,
                 scf::SCFTilingOptions::LoopType::ForallOp);
        if (succeeded(tiled))
          tiled = tile(rewriter, *tiled, plan->loops,
                       scf::SCFTilingOptions::LoopType::ForOp, &loops,
                       plan->interchange);
        if (failed(tiled)) {
          if (remarks)
            mlir::emitRemark(loc) << "qc-cpu-vectorize-linalg: " << name
                                  << " could not be tiled; left as it is";
          ++scalar;
          continue;
        }
        (*tiled)->setAttr(kVectorSizes,
                          rewriter.getDenseI64ArrayAttr(plan->vector));
        (*tiled)->setAttr(kVectorizeId,
                          rewriter.getI64IntegerAttr(tiledOps.size()));
        tiledOps.push_back({name, loc});
        peelLoops(rewriter, loops);
      }
    }

    // The tiles' sizes as static types where the peeling made them
    // constants: the canonicalizer's patterns, on the tile loop nests only.
    {
      FrozenRewritePatternSet frozen(canonicalizationPatterns(ctx));
      for (func::FuncOp fn : functions) {
        llvm::SetVector<Operation *> nests;
        fn.walk([&](Operation *op) {
          if (!op->hasAttr(kVectorSizes))
            return;
          Operation *top = op;
          while (top->getParentOp() != fn.getOperation())
            top = top->getParentOp();
          if (top != op)
            nests.insert(top);
        });
        SmallVector<Operation *> inNests;
        for (Operation *top : nests)
          top->walk([&](Operation *op) { inNests.push_back(op); });
        if (inNests.empty())
          continue;
        GreedyRewriteConfig config;
        config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
        (void)applyOpPatternsGreedily(inNests, frozen, config);
      }
    }

    // 4. Each tile, full or partial, through linalg's vectorizer.
    for (func::FuncOp fn : functions) {
      SmallVector<linalg::LinalgOp> marked;
      fn.walk([&](linalg::LinalgOp op) {
        if (op->hasAttr(kVectorSizes))
          marked.push_back(op);
      });
      for (linalg::LinalgOp op : marked) {
        SmallVector<int64_t> sizes(
            cast<DenseI64ArrayAttr>(op->getAttr(kVectorSizes)).asArrayRef());
        Tiled &from =
            tiledOps[cast<IntegerAttr>(op->getAttr(kVectorizeId)).getInt()];
        op->removeAttr(kVectorSizes);
        op->removeAttr(kVectorizeId);
        // Explicitly not scalable: an empty list makes the vectorizer build
        // mask types that print alike but differ from the ones the
        // transfer ops infer (a verifier error in MLIR 22).
        SmallVector<bool> scalable(sizes.size(), false);
        if (failed(linalg::vectorizeOpPrecondition(op, sizes, scalable,
                                                   /*vectorizeNDExtract=*/false))) {
          if (remarks && from.vectorized)
            mlir::emitRemark(from.loc)
                << "qc-cpu-vectorize-linalg: " << from.name
                << " is not vectorizable by linalg's vectorizer; it stays "
                   "a threaded scalar loop nest";
          from.vectorized = false;
          continue;
        }
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
            rewriter, op, sizes, scalable, /*vectorizeNDExtract=*/false);
        if (failed(result)) {
          if (remarks && from.vectorized)
            mlir::emitRemark(from.loc) << "qc-cpu-vectorize-linalg: " << from.name
                                       << " failed to vectorize; it stays a "
                                          "threaded scalar loop nest";
          from.vectorized = false;
          continue;
        }
        rewriter.replaceOp(op, result->replacements);
      }
    }
    for (const Tiled &t : tiledOps)
      ++(t.vectorized ? vectorized : scalar);

    // Vector forms the LLVM lowering takes well: masks folded into the
    // transfers, permutation maps as broadcasts and transposes, each
    // multi-reduction the way its data lies (elementwise accumulation
    // when its innermost dimension is parallel, horizontal reductions
    // otherwise).
    for (func::FuncOp fn : functions) {
      RewritePatternSet lowering(ctx);
      vector::populateVectorMaskLoweringPatternsForSideEffectingOps(lowering);
      vector::populateVectorTransferPermutationMapLoweringPatterns(lowering);
      vector::populateCastAwayVectorLeadingOneDimPatterns(lowering);
      vector::populateVectorTransferDropUnitDimsPatterns(lowering);
      lowering.add<TransposeOfBroadcast, TransposeOfUnitDims>(ctx);
      if (failed(applyPatternsGreedily(fn, std::move(lowering))))
        return signalPassFailure();

      SmallVector<vector::MaskOp> masks;
      fn.walk([&](vector::MaskOp mask) { masks.push_back(mask); });
      for (vector::MaskOp mask : masks)
        (void)unmaskReduction(rewriter, mask);

      SmallVector<Operation *> innerParallel, innerReduction;
      fn.walk([&](vector::MultiDimReductionOp op) {
        ArrayRef<bool> reduced = op.getReductionMask();
        (reduced.back() ? innerReduction : innerParallel).push_back(op);
      });
      for (auto [ops, kind] :
           {std::pair(innerParallel,
                      vector::VectorMultiReductionLowering::InnerParallel),
            std::pair(innerReduction,
                      vector::VectorMultiReductionLowering::InnerReduction)}) {
        if (ops.empty())
          continue;
        RewritePatternSet patterns(ctx);
        vector::populateVectorMultiReductionLoweringPatterns(patterns, kind);
        GreedyRewriteConfig config;
        config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
        if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
          return signalPassFailure();
      }

      // (The multi-reduction lowering's own transposes, too.)
      {
        RewritePatternSet transposes(ctx);
        transposes.add<TransposeOfBroadcast, TransposeOfUnitDims>(ctx);
        if (failed(applyPatternsGreedily(fn, std::move(transposes))))
          return signalPassFailure();
      }
      if (failed(registerTransposes(fn, lanes)))
        return signalPassFailure();

      // Reductions of floats may reassociate (a tree of vector adds),
      // and math functions on vectors take polynomial approximations
      // instead of one libm call per lane.
      auto reassoc = arith::FastMathFlagsAttr::get(
          ctx, arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
      SmallVector<vector::ReductionOp> reductions;
      fn.walk([&](vector::ReductionOp op) {
        if (isa<FloatType>(op.getType()))
          op.setFastmathAttr(reassoc);
        reductions.push_back(op);
      });
      // (Only maxima and minima change.)
      for (vector::ReductionOp op : reductions)
        (void)treeReduction(rewriter, op);
      // A vector multiply feeding an add may fuse into one FMA (one
      // rounding instead of two, as a BLAS does): the contractions'
      // multiply-accumulate chains run at twice the rate.
      fn.walk([&](Operation *op) {
        if (!isa<arith::MulFOp, arith::AddFOp, arith::SubFOp>(op) ||
            !isa<VectorType>(op->getResult(0).getType()))
          return;
        auto fmf = cast<arith::ArithFastMathInterface>(op);
        arith::FastMathFlags flags = fmf.getFastMathFlagsAttr().getValue();
        op->setAttr(fmf.getFastMathAttrName(),
                    arith::FastMathFlagsAttr::get(
                        ctx, flags | arith::FastMathFlags::contract));
      });
      // erf of f32 vectors: one rational function (rationalErf) instead of
      // upstream's three intervals of blended coefficients.
      SmallVector<math::ErfOp> erfs;
      fn.walk([&](math::ErfOp op) { erfs.push_back(op); });
      for (math::ErfOp op : erfs)
        (void)rationalErf(rewriter, op);
      SmallVector<Operation *> math;
      fn.walk([&](Operation *op) {
        if (isa_and_nonnull<math::MathDialect>(op->getDialect()) &&
            op->getNumResults() == 1 && isa<VectorType>(op->getResult(0).getType()))
          math.push_back(op);
      });
      if (!math.empty()) {
        RewritePatternSet approx(ctx);
        populateMathPolynomialApproximationPatterns(
            approx, [](StringRef name) {
              return llvm::is_contained(
                  {"math.exp", "math.erf", "math.tanh", "math.expm1",
                   "math.log", "math.log1p", "math.log2"},
                  name);
            });
        GreedyRewriteConfig config;
        config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
        if (failed(applyOpPatternsGreedily(math, std::move(approx), config)))
          return signalPassFailure();
      }
    }
    // A reduction loop reads and writes its accumulators (a slice of the
    // output at the same offsets in every iteration) once, outside the
    // loop: they become the loop's vector iter_args (registers).
    for (func::FuncOp fn : functions) {
      SmallVector<scf::ForOp> loops;
      fn.walk([&](scf::ForOp loop) { loops.push_back(loop); });
      // (Each hoisting adds an iter_arg: the output's slice, then the
      // vector read from that slice; repeated until none is added.)
      for (scf::ForOp loop : loops) {
        LoopLikeOpInterface current = loop;
        for (size_t args = 0; args != current.getRegionIterArgs().size();) {
          args = current.getRegionIterArgs().size();
          current = hoistLoopInvariantSubsets(rewriter, current);
        }
      }
    }

    if (remarks)
      mlir::emitRemark(module.getLoc())
          << "qc-cpu-vectorize-linalg: " << vectorized
          << " linalg op(s) tiled and vectorized, " << scalar
          << " left scalar";
  }
};

} // namespace

void mlir::qc::registerVectorizeLinalgDependencies(DialectRegistry &registry) {
  affine::registerValueBoundsOpInterfaceExternalModels(registry);
  arith::registerValueBoundsOpInterfaceExternalModels(registry);
  linalg::registerTilingInterfaceExternalModels(registry);
  linalg::registerSubsetOpInterfaceExternalModels(registry);
  linalg::registerValueBoundsOpInterfaceExternalModels(registry);
  scf::registerValueBoundsOpInterfaceExternalModels(registry);
  tensor::registerTilingInterfaceExternalModels(registry);
  tensor::registerSubsetOpInterfaceExternalModels(registry);
  tensor::registerValueBoundsOpInterfaceExternalModels(registry);
  vector::registerSubsetOpInterfaceExternalModels(registry);
}
