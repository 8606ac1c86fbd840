//===- FloatOpLowering.cpp - qc ops on float tensors ----------------------===//
//
// qc.rms_norm: a sum of squares along the last axis, then one elementwise
// generic.
//
// The reference lowering of qc.rotate by #qc.hadamard: with the rotated axis
// moved last and the data in f32,
//   1. x * D                          (signs, unless transposed)
//   2. log2(m) butterfly stages        y[j] = x[j] + x[j^h]   (bit h of j 0)
//                                      y[j] = x[j^h] - x[j]   (bit h of j 1)
//      on each of the K segments of m = n / K values (x * (I_K (x) H_m));
//   3. the K x K base matrix mixing the segments (x * (H_K (x) I_m), or
//      H_K^T for the transpose), a dense step of K multiply-adds per value;
//   4. the 1/sqrt(n) scale, the signs when transposed (x * Q^T = x *
//      (H_K^T (x) H_m) * D), and the axis and element type put back.
// Every stage is one linalg.generic of O(n) per vector: O(n log n) in all.
//
//===----------------------------------------------------------------------===//

#include "Emitters.h"

#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;
namespace num = ::mlir::qc::numerics;

namespace {

LogicalResult lowerDense(RotateOp op, Value x, OrthogonalAttr dense,
                         ConversionPatternRewriter &rewriter);
LogicalResult lowerGather(RotateOp op, Value x, PermutationAttr permutation,
                          ConversionPatternRewriter &rewriter);

struct RotateOpLowering : OpConversionPattern<RotateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RotateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (auto dense = dyn_cast<OrthogonalAttr>(op.getRotation()))
      return lowerDense(op, adaptor.getInput(), dense, rewriter);
    if (auto permutation = dyn_cast<PermutationAttr>(op.getRotation()))
      return lowerGather(op, adaptor.getInput(), permutation, rewriter);
    auto hadamard = dyn_cast<HadamardAttr>(op.getRotation());
    if (!hadamard)
      return rewriter.notifyMatchFailure(op, "unknown rotation");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    const int64_t rank = type.getRank(), axis = op.getAxis(),
                  last = rank - 1;
    const bool transpose = op.getTranspose();
    num::HadamardSpec spec = hadamard.getSpec();
    const int64_t n = spec.size, k = spec.baseOrder(), m = n / k;
    Type f32 = rewriter.getF32Type();

    // perm swaps the rotated axis with the last one (an involution).
    SmallVector<int64_t> perm(rank);
    for (int64_t d = 0; d < rank; ++d)
      perm[d] = d == axis ? last : d == last ? axis : d;
    SmallVector<AffineExpr> permExprs;
    for (int64_t d = 0; d < rank; ++d)
      permExprs.push_back(getAffineDimExpr(perm[d], ctx));
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap permuted = AffineMap::get(rank, 0, permExprs, ctx);
    AffineMap lastOnly =
        AffineMap::get(rank, 0, {getAffineDimExpr(last, ctx)}, ctx);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);

    // The working shape (axis last) and its dynamic sizes.
    SmallVector<int64_t> shape;
    SmallVector<Value> dynSizes;
    for (int64_t d = 0; d < rank; ++d) {
      shape.push_back(type.getDimSize(perm[d]));
      if (type.isDynamicDim(perm[d]))
        dynSizes.push_back(tensor::DimOp::create(rewriter, loc, x, perm[d]));
    }
    auto empty = [&]() -> Value {
      return tensor::EmptyOp::create(rewriter, loc, shape, f32, dynSizes);
    };
    Value signs;
    if (!spec.signs.empty()) {
      SmallVector<float> values(spec.signs.begin(), spec.signs.end());
      signs = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({n}, f32),
                                 ArrayRef<float>(values)));
    }

    // 1. f32, axis last, times the signs.
    SmallVector<Value> inputs = {x};
    SmallVector<AffineMap> maps = {permuted};
    if (signs && !transpose) {
      inputs.push_back(signs);
      maps.push_back(lastOnly);
    }
    maps.push_back(id);
    Value z = buildGeneric(
        rewriter, loc, inputs, {empty()}, maps, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = floatToF32(b, l, args[0]);
          if (signs && !transpose)
            v = arith::MulFOp::create(b, l, v, args[1]);
          return SmallVector<Value>{v};
        })[0];

    // The current element's leading indices (built in the generic's body,
    // not in a loop nested in it), then `j` for the last one.
    auto leadingIndices = [&](OpBuilder &b, Location l) {
      SmallVector<Value> idx;
      for (int64_t d = 0; d < last; ++d)
        idx.push_back(linalg::IndexOp::create(b, l, d));
      return idx;
    };
    auto withLast = [](SmallVector<Value> idx, Value j) {
      idx.push_back(j);
      return idx;
    };

    // 2. Butterflies within each segment of m.
    for (int64_t h = 1; h < m; h *= 2) {
      Value src = z;
      z = buildGeneric(
          rewriter, loc, {src}, {empty()}, {id, id}, parallel,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value j = linalg::IndexOp::create(b, l, last);
            Value hv = arith::ConstantIndexOp::create(b, l, h);
            Value partner = arith::XOrIOp::create(b, l, j, hv);
            Value pv = tensor::ExtractOp::create(
                b, l, src, withLast(leadingIndices(b, l), partner));
            Value bit = arith::AndIOp::create(b, l, j, hv);
            Value upper = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::ne, bit,
                arith::ConstantIndexOp::create(b, l, 0));
            Value sum = arith::AddFOp::create(b, l, args[0], pv);
            Value diff = arith::SubFOp::create(b, l, pv, args[0]);
            return SmallVector<Value>{
                arith::SelectOp::create(b, l, upper, diff, sum)};
          })[0];
    }

    // 3. The base matrix across segments: y[c m + b] = sum_a H[a][c] z[a m
    // + b] (H[c][a] transposed).
    if (k > 1) {
      std::vector<int> hk = spec.baseChoice().matrix();
      SmallVector<float> hv(hk.begin(), hk.end());
      Value hmat = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({k, k}, f32),
                                 ArrayRef<float>(hv)));
      Value src = z;
      z = buildGeneric(
          rewriter, loc, {}, {empty()}, {id}, parallel,
          [&](OpBuilder &b, Location l, ValueRange) {
            SmallVector<Value> lead = leadingIndices(b, l);
            Value j = linalg::IndexOp::create(b, l, last);
            Value mv = arith::ConstantIndexOp::create(b, l, m);
            Value c = arith::DivUIOp::create(b, l, j, mv);
            Value bpos = arith::RemUIOp::create(b, l, j, mv);
            Value zero = arith::ConstantIndexOp::create(b, l, 0);
            Value one = arith::ConstantIndexOp::create(b, l, 1);
            Value kv = arith::ConstantIndexOp::create(b, l, k);
            Value init = arith::ConstantFloatOp::create(
                b, l, cast<FloatType>(f32), APFloat(0.0f));
            auto loop = scf::ForOp::create(
                b, l, zero, kv, one, ValueRange{init},
                [&](OpBuilder &lb, Location ll, Value a, ValueRange acc) {
                  Value h = tensor::ExtractOp::create(
                      lb, ll, hmat,
                      transpose ? ValueRange{c, a} : ValueRange{a, c});
                  Value src_j = arith::AddIOp::create(
                      lb, ll, arith::MulIOp::create(lb, ll, a, mv), bpos);
                  Value v = tensor::ExtractOp::create(lb, ll, src,
                                                      withLast(lead, src_j));
                  Value sum = arith::AddFOp::create(
                      lb, ll, acc[0], arith::MulFOp::create(lb, ll, h, v));
                  scf::YieldOp::create(lb, ll, sum);
                });
            return SmallVector<Value>{loop.getResult(0)};
          })[0];
    }

    // 4. Scale, signs (transposed), axis and element type back.
    Value out = createEmpty(rewriter, loc, type.getShape(), {}, x,
                            type.getElementType());
    inputs = {z};
    maps = {permuted};
    AffineMap axisOnly =
        AffineMap::get(rank, 0, {getAffineDimExpr(axis, ctx)}, ctx);
    if (signs && transpose) {
      inputs.push_back(signs);
      maps.push_back(axisOnly);
    }
    maps.push_back(id);
    const float scale = float(1.0 / std::sqrt(double(n)));
    Value result = buildGeneric(
        rewriter, loc, inputs, {out}, maps, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = arith::MulFOp::create(
              b, l, args[0],
              arith::ConstantFloatOp::create(b, l, cast<FloatType>(f32),
                                             APFloat(scale)));
          if (signs && transpose)
            v = arith::MulFOp::create(b, l, v, args[1]);
          return SmallVector<Value>{
              f32ToFloat(b, l, v, type.getElementType())};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// x * Q (or Q^T) along the axis with a dense matrix: one contraction,
/// y[.., j, ..] = sum_i x[.., i, ..] Q[i][j], accumulated in f32.
LogicalResult lowerDense(RotateOp op, Value x, OrthogonalAttr dense,
                         ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  const int64_t rank = type.getRank(), axis = op.getAxis();
  Type f32 = rewriter.getF32Type();
  FailureOr<std::vector<double>> entries = dense.getEntries();
  if (failed(entries))
    return rewriter.notifyMatchFailure(op, "unreadable orthogonal matrix");
  SmallVector<float> qv(entries->begin(), entries->end());
  int64_t n = dense.getSize();
  Value q = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({n, n}, f32),
                             ArrayRef<float>(qv)));
  // Loops: the result's dims d0..d(rank-1), then the reduction i.
  SmallVector<AffineExpr> xExprs, outExprs;
  AffineExpr i = getAffineDimExpr(rank, ctx), j = getAffineDimExpr(axis, ctx);
  for (int64_t d = 0; d < rank; ++d) {
    xExprs.push_back(d == axis ? i : getAffineDimExpr(d, ctx));
    outExprs.push_back(getAffineDimExpr(d, ctx));
  }
  AffineMap xMap = AffineMap::get(rank + 1, 0, xExprs, ctx);
  AffineMap qMap = AffineMap::get(
      rank + 1, 0,
      op.getTranspose() ? ArrayRef<AffineExpr>{j, i} : ArrayRef<AffineExpr>{i, j},
      ctx);
  AffineMap outMap = AffineMap::get(rank + 1, 0, outExprs, ctx);
  Value zero = createFilled(rewriter, loc, type.getShape(), {}, x, f32, 0.0);
  SmallVector<utils::IteratorType> iters(rank + 1,
                                         utils::IteratorType::parallel);
  iters[rank] = utils::IteratorType::reduction;
  Value acc = buildGeneric(
      rewriter, loc, {x, q}, {zero}, {xMap, qMap, outMap}, iters,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value prod =
            arith::MulFOp::create(b, l, floatToF32(b, l, args[0]), args[1]);
        return SmallVector<Value>{arith::AddFOp::create(b, l, args[2], prod)};
      })[0];
  rewriter.replaceOp(op,
                     convertElements(rewriter, loc, acc, type.getElementType()));
  return success();
}

/// x * P (or P^T) along the axis with a permutation: a gather,
/// y[.., j, ..] = x[.., p[j], ..] with p the permutation (its inverse for
/// P^T) read from an index table; no arithmetic.
LogicalResult lowerGather(RotateOp op, Value x, PermutationAttr permutation,
                          ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  const int64_t rank = type.getRank(), axis = op.getAxis();
  PermutationAttr source =
      op.getTranspose() ? permutation.getInverse() : permutation;
  int64_t n = source.getSize();
  Value table = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({n}, rewriter.getIndexType()),
          llvm::to_vector(llvm::map_range(source.getPerm(), [](int64_t v) {
            return APInt(64, uint64_t(v));
          }))));
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap axisOnly =
      AffineMap::get(rank, 0, {getAffineDimExpr(axis, ctx)}, ctx);
  Value init = createEmpty(rewriter, loc, type.getShape(), {}, x,
                           type.getElementType());
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  Value gathered = buildGeneric(
      rewriter, loc, {table}, {init}, {axisOnly, id}, iters,
      [&](OpBuilder &b, Location l, ValueRange args) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d)
          indices.push_back(d == axis ? args[0]
                                      : linalg::IndexOp::create(b, l, d)
                                            .getResult());
        return SmallVector<Value>{
            tensor::ExtractOp::create(b, l, x, indices).getResult()};
      })[0];
  rewriter.replaceOp(op, gathered);
  return success();
}

struct RMSNormOpLowering : OpConversionPattern<RMSNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RMSNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    const int64_t rank = type.getRank(), last = rank - 1;
    Type f32 = rewriter.getF32Type();
    auto f32Const = [&](OpBuilder &b, Location l, float v) -> Value {
      return arith::ConstantFloatOp::create(b, l, cast<FloatType>(f32),
                                            APFloat(v));
    };
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<AffineExpr> leading;
    for (int64_t d = 0; d < last; ++d)
      leading.push_back(getAffineDimExpr(d, ctx));
    AffineMap rows = AffineMap::get(rank, 0, leading, ctx);
    AffineMap lastOnly =
        AffineMap::get(rank, 0, {getAffineDimExpr(last, ctx)}, ctx);
    // (createEmpty follows the source's dimensions by index: the leading
    // ones here.)
    SmallVector<int64_t> rowShape(type.getShape().drop_back());
    Value zero = createFilled(rewriter, loc, rowShape, {}, x, f32, 0.0);
    SmallVector<utils::IteratorType> iters(rank,
                                           utils::IteratorType::parallel);
    iters[last] = utils::IteratorType::reduction;
    Value sumSq = buildGeneric(
        rewriter, loc, {x}, {zero}, {id, rows}, iters,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = floatToF32(b, l, args[0]);
          return SmallVector<Value>{arith::AddFOp::create(
              b, l, args[1], arith::MulFOp::create(b, l, v, v))};
        })[0];
    // n as f32 (the last axis may be dynamic).
    Value n = arith::UIToFPOp::create(
        rewriter, loc, f32,
        arith::IndexCastUIOp::create(
            rewriter, loc, rewriter.getI64Type(),
            tensor::DimOp::create(rewriter, loc, x, last)));
    Value eps = f32Const(rewriter, loc, op.getEpsilon().convertToFloat());
    SmallVector<Value> inputs = {x, sumSq};
    SmallVector<AffineMap> maps = {id, rows};
    if (Value w = adaptor.getWeight()) {
      inputs.push_back(w);
      maps.push_back(lastOnly);
    }
    maps.push_back(id);
    Value out = createEmpty(rewriter, loc, type.getShape(), {}, x,
                            type.getElementType());
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Value y = buildGeneric(
        rewriter, loc, inputs, {out}, maps, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value mean = arith::DivFOp::create(b, l, args[1], n);
          Value inv = math::RsqrtOp::create(
              b, l, arith::AddFOp::create(b, l, mean, eps));
          Value v = arith::MulFOp::create(b, l, floatToF32(b, l, args[0]), inv);
          if (inputs.size() == 3)
            v = arith::MulFOp::create(b, l, v, floatToF32(b, l, args[2]));
          return SmallVector<Value>{
              f32ToFloat(b, l, v, type.getElementType())};
        })[0];
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void mlir::qc::lowering::populateRotateLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<RotateOpLowering, RMSNormOpLowering>(patterns.getContext());
}
