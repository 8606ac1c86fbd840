//===- HadamardKernel.cpp - fast Walsh-Hadamard CPU kernel ----------------===//
//
// Per row (rows split across threads), on vector<8xf32>:
// 1. load 8 values, times the signs (x D, unless transposed), and the
//    butterfly stages h = 1, 2, 4 in registers: v' = v * s_h + shuffle_h(v)
//    with shuffle_h swapping lanes j and j ^ h and s_h = +1 where bit h of
//    the lane is 0, -1 where it is 1 (one shuffle and one FMA per stage);
//    store to the work row (y without a base, the scratch t with one);
// 2. stages h = 8 .. m/2 in place on the work row (a row of a few KB stays
//    in L1): a, b = w[j], w[j + h] -> a + b, a - b, two stages per pass
//    (radix 4);
// 3. with a base of order K <= kMaxUnrolledBaseOrder, in place on y: for
//    each 8 columns b of the K x m view, load the K vectors and write
//    y[c m + b] = sum_a H[a][c] y[a m + b] (H[c][a] transposed) as adds and
//    subtracts (H is +-1), unrolled, the base baked into the code;
//    with a larger base, the dense K x K step on the K x m view of t:
//    y[c m + b] = sum_a T[c][a] t[a m + b] with the f32 table T[c][a] =
//    H[a][c] (H[c][a] transposed), a kernel argument; for each block of up
//    to 32 columns b and each pair (or quadruple) of rows c, for a = 0 ..
//    K-1: load the block's vectors of row a of t, broadcast T[c][a], one
//    FMA per vector into 8 accumulators (T is +-1, so each FMA is an exact
//    add or subtract: the sums are those of the adds in order a = 0, 1,
//    ...);
// 4. the 1/sqrt(n) scale (and the signs, transposed: x Q^T = x (H_K^T (x)
//    H_m) D / sqrt(n)), folded into step 3 or a last pass;
// 5. with `quantize`, while the row is in L1: s = max|y| / 127 and
//    q = clamp(roundeven(y / s)) (0 where s = 0), exactly qc.quantize's
//    absmax arithmetic in f32.
// O(n log n) per row, no n x n matrix.
//
//===----------------------------------------------------------------------===//

#include "HadamardKernel.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <cmath>

namespace mlir::qc::cpu {
namespace {

class HadamardBuilder {
public:
  /// The kernel's arguments.
  struct Args {
    Value x, d, table, y, codes, scales, t;
  };

  HadamardBuilder(KernelBuilder &b, const HadamardKernelSpec &spec,
                  const Args &args)
      : b(b), spec(spec), lanes(spec.lanes),
        v8(b.vec(spec.lanes, b.getF32Type())), x(args.x), d(args.d),
        table(args.table), y(args.y), codes(args.codes), scales(args.scales),
        work(spec.tableBase ? args.t : args.y) {}

  void build();

private:
  Value load(Value memref, Value i) {
    return vector::LoadOp::create(b, v8, memref, ValueRange{row, i});
  }
  void store(Value v, Value memref, Value i) {
    vector::StoreOp::create(b, v, memref, ValueRange{row, i});
  }
  /// Step 1 for the 8 columns at i: signs, stages h = 1, 2, 4, store.
  void firstStages(Value i);
  /// Stage h (>= 8) of the butterflies, in place on the row.
  void stage(int64_t h);
  /// Stages h and 2h (>= 8) in one pass: four vectors in, four out, half
  /// the stores of two radix-2 passes.
  void stagePair(int64_t h);
  /// Steps 3 and 4 with a small base, in place on y: the K vectors of 8
  /// columns in registers, adds and subtracts by H's signs, unrolled.
  void unrolledMix();
  /// Steps 3 and 4 with a table base: the K x K step, t -> y.
  void tableMix();
  /// Step 4 without a base: one pass over the row.
  void scalePass();
  /// `v` scaled (and times the signs at column `col` when transposed).
  Value finish(Value v, Value col);
  /// Step 5: the row's int8 codes and absmax scale.
  void quantizeRow();

  KernelBuilder &b;
  const HadamardKernelSpec &spec;
  /// f32 lanes per vector (8: ymm, 16: zmm) and their vector type.
  int64_t lanes;
  VectorType v8;
  Value x, d, table, y, codes, scales;
  /// The row the butterflies work on: y, or t with a table base.
  Value work;
  Value row, scale;
};

void HadamardBuilder::build() {
  Value rows = b.dim(x, 0);
  scale = b.splat(lanes, b.getF32Type(), 1.0 / std::sqrt(double(spec.n)));
  b.parallel(b.index(0), rows, b.index(1), [&](Value r) {
    row = r;
    b.loop(0, spec.n, lanes, [&](Value i) { firstStages(i); });
    // Stages h = L .. m/2: one radix-2 pass when their number is odd, then
    // radix-4 passes (the butterflies of different stages commute, so the
    // order only has to be kept within each pair).
    int64_t h = lanes, count = 0;
    for (int64_t v = lanes; v < spec.m; v *= 2)
      ++count;
    if (count % 2) {
      stage(h);
      h *= 2;
    }
    for (; h < spec.m; h *= 4)
      stagePair(h);
    if (spec.k > 1 && spec.tableBase)
      tableMix();
    else if (spec.k > 1)
      unrolledMix();
    else
      scalePass();
    if (spec.quantize)
      quantizeRow();
  });
}

void HadamardBuilder::firstStages(Value i) {
  // Stage h < L: v' = v * s_h + shuffle_h(v), s_h = -1 where lane bit h is
  // set, the shuffle swapping lanes i and i ^ h.
  Value v = load(x, i);
  if (!spec.signs.empty() && !spec.transpose)
    v = arith::MulFOp::create(
        b, v, vector::LoadOp::create(b, v8, d, ValueRange{i}));
  for (int64_t h = 1; h < lanes; h *= 2) {
    SmallVector<float> signs;
    SmallVector<int64_t> swaps;
    for (int64_t l = 0; l < lanes; ++l) {
      signs.push_back(l & h ? -1.0f : 1.0f);
      swaps.push_back(l ^ h);
    }
    Value swapped = vector::ShuffleOp::create(b, v, v, swaps);
    v = vector::FMAOp::create(b, v, b.f32Vector(signs), swapped);
  }
  store(v, work, i);
}

void HadamardBuilder::stage(int64_t h) {
  b.loop(0, spec.n, 2 * h, [&](Value blk) {
    b.loop(0, h, lanes, [&](Value i) {
      Value ia = arith::AddIOp::create(b, blk, i);
      Value ib = arith::AddIOp::create(b, ia, b.index(h));
      Value va = load(work, ia), vb = load(work, ib);
      store(arith::AddFOp::create(b, va, vb), work, ia);
      store(arith::SubFOp::create(b, va, vb), work, ib);
    });
  });
}

void HadamardBuilder::stagePair(int64_t h) {
  b.loop(0, spec.n, 4 * h, [&](Value blk) {
    b.loop(0, h, lanes, [&](Value i) {
      Value ia = arith::AddIOp::create(b, blk, i);
      Value ib = arith::AddIOp::create(b, ia, b.index(h));
      Value ic = arith::AddIOp::create(b, ia, b.index(2 * h));
      Value id = arith::AddIOp::create(b, ia, b.index(3 * h));
      Value va = load(work, ia), vb = load(work, ib), vc = load(work, ic),
            vd = load(work, id);
      Value pa = arith::AddFOp::create(b, va, vb);
      Value pb = arith::SubFOp::create(b, va, vb);
      Value pc = arith::AddFOp::create(b, vc, vd);
      Value pd = arith::SubFOp::create(b, vc, vd);
      store(arith::AddFOp::create(b, pa, pc), work, ia);
      store(arith::AddFOp::create(b, pb, pd), work, ib);
      store(arith::SubFOp::create(b, pa, pc), work, ic);
      store(arith::SubFOp::create(b, pb, pd), work, id);
    });
  });
}

Value HadamardBuilder::finish(Value v, Value col) {
  Value out = arith::MulFOp::create(b, v, scale);
  if (spec.signs.empty() || !spec.transpose)
    return out;
  return arith::MulFOp::create(
      b, out, vector::LoadOp::create(b, v8, d, ValueRange{col}));
}

void HadamardBuilder::unrolledMix() {
  const int64_t k = spec.k;
  b.loop(0, spec.m, lanes, [&](Value bc) {
    SmallVector<Value> cols, z;
    for (int64_t a = 0; a < k; ++a) {
      cols.push_back(arith::AddIOp::create(b, bc, b.index(a * spec.m)));
      z.push_back(load(y, cols[a]));
    }
    // y[c m + b] = sum_a H[a][c] y[a m + b] (H[c][a] transposed), in the
    // order a = 0, 1, ... (the table path's sums exactly).
    for (int64_t c = 0; c < k; ++c) {
      Value acc;
      for (int64_t a = 0; a < k; ++a) {
        int h = spec.transpose ? spec.base[size_t(c * k + a)]
                               : spec.base[size_t(a * k + c)];
        if (a == 0)
          acc = h > 0 ? z[0] : Value(arith::NegFOp::create(b, z[0]));
        else if (h > 0)
          acc = arith::AddFOp::create(b, acc, z[a]);
        else
          acc = arith::SubFOp::create(b, acc, z[a]);
      }
      store(finish(acc, cols[c]), y, cols[c]);
    }
  });
}

void HadamardBuilder::tableMix() {
  // A pass computes `rowsPerPass` output rows c of a block of L * vecs
  // columns: 8 accumulators (4 when m = L), so each vector loaded from t
  // feeds rowsPerPass FMAs and each broadcast of T[c][a] feeds vecs. A
  // block of K x 4L floats stays in L1 (22 KB at K = 172, L = 8). K is a
  // multiple of 4 (checkHadamardKernel), so rowsPerPass divides it.
  const int64_t k = spec.k, vecs = std::min<int64_t>(4, spec.m / lanes);
  const int64_t rowsPerPass = vecs == 4 ? 2 : 4;
  Value zero = b.splat(lanes, b.getF32Type(), 0);
  Value m = b.index(spec.m);
  b.loop(0, spec.m, lanes * vecs, [&](Value bc) {
    b.loop(0, k, rowsPerPass, [&](Value c0) {
      // acc[r vecs + v] = sum_a T[c0 + r][a] t[a m + bc + 8 v].
      SmallVector<Value> acc = b.loop(
          b.index(0), b.index(k), b.index(1),
          SmallVector<Value>(rowsPerPass * vecs, zero),
          [&](Value a, ValueRange sums) -> SmallVector<Value> {
            Value base =
                arith::AddIOp::create(b, arith::MulIOp::create(b, a, m), bc);
            SmallVector<Value> z;
            for (int64_t v = 0; v < vecs; ++v)
              z.push_back(load(work, arith::AddIOp::create(
                                         b, base, b.index(lanes * v))));
            SmallVector<Value> next;
            for (int64_t r = 0; r < rowsPerPass; ++r) {
              Value c = arith::AddIOp::create(b, c0, b.index(r));
              Value h = vector::BroadcastOp::create(
                  b, v8, memref::LoadOp::create(b, table, ValueRange{c, a}));
              for (int64_t v = 0; v < vecs; ++v)
                next.push_back(vector::FMAOp::create(b, h, z[size_t(v)],
                                                     sums[r * vecs + v]));
            }
            return next;
          });
      for (int64_t r = 0; r < rowsPerPass; ++r) {
        Value c = arith::AddIOp::create(b, c0, b.index(r));
        Value out =
            arith::AddIOp::create(b, arith::MulIOp::create(b, c, m), bc);
        for (int64_t v = 0; v < vecs; ++v) {
          Value col = arith::AddIOp::create(b, out, b.index(lanes * v));
          store(finish(acc[r * vecs + v], col), y, col);
        }
      }
    });
  });
}

void HadamardBuilder::scalePass() {
  b.loop(0, spec.n, lanes, [&](Value i) { store(finish(load(y, i), i), y, i); });
}

void HadamardBuilder::quantizeRow() {
  quantizeBlockInt8(b, y, codes, row, b.index(0), spec.n, spec.narrow,
                    [&](Value s) {
                      memref::StoreOp::create(b, s, scales, ValueRange{row});
                    });
}

} // namespace

std::string checkHadamardKernel(const HadamardKernelSpec &spec) {
  if (spec.lanes != 8 && spec.lanes != 16)
    return "vectors of " + std::to_string(spec.lanes) + " lanes";
  if (spec.lanes == 16 && (spec.m < 16 || spec.m % 16 != 0))
    return "the power-of-two factor of the size is below 16 (zmm)";
  if (spec.m < 8 || spec.m % 8 != 0)
    return "the power-of-two factor of the size is below 8 (" +
           std::to_string(spec.n) + " = " + std::to_string(spec.k) + " * " +
           std::to_string(spec.m) +
           "; the kernel works on 8 columns of the K x m view at a time)";
  if (spec.k > 1 && spec.k % 4 != 0)
    return "the base order " + std::to_string(spec.k) +
           " is not a multiple of 4";
  return "";
}

std::vector<float> baseTable(const HadamardKernelSpec &spec) {
  const int64_t k = spec.k;
  std::vector<float> table(size_t(k * k));
  for (int64_t c = 0; c < k; ++c)
    for (int64_t a = 0; a < k; ++a)
      table[size_t(c * k + a)] = float(
          spec.transpose ? spec.base[size_t(c * k + a)]
                         : spec.base[size_t(a * k + c)]);
  return table;
}

func::FuncOp buildHadamardKernel(OpBuilder &builder, Location loc,
                                 Block &moduleBody,
                                 const HadamardKernelSpec &spec) {
  MLIRContext *ctx = builder.getContext();
  int64_t dyn = ShapedType::kDynamic;
  Type f32 = Float32Type::get(ctx);
  Type rowsType = MemRefType::get({dyn, spec.n}, f32);
  HadamardBuilder::Args args;
  KernelSignature signature;
  signature.add(rowsType, args.x);
  if (!spec.signs.empty())
    signature.add(MemRefType::get({spec.n}, f32), args.d);
  if (spec.tableBase)
    signature.add(MemRefType::get({spec.k, spec.k}, f32), args.table);
  signature.add(rowsType, args.y);
  if (spec.quantize) {
    signature.add(MemRefType::get({dyn, spec.n}, IntegerType::get(ctx, 8)),
                  args.codes);
    signature.add(MemRefType::get({dyn}, f32), args.scales);
  }
  if (spec.tableBase)
    signature.add(rowsType, args.t);
  return signature.build(builder, loc, moduleBody, spec.name,
                         [&](KernelBuilder &b) {
                           HadamardBuilder(b, spec, args).build();
                         });
}

} // namespace mlir::qc::cpu
