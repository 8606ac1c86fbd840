//===- FloatDotKernel.cpp - weight-only CPU kernel generator --------------===//
//
// The kernel, for B-bit weight codes (P = 8 / B codes per byte) and f32
// activations:
//
// * Phase split, as in the integer-dot kernel (IntDotKernel.cpp): a chunk of
//   16 weight bytes holds 16 * P codes, byte i holding code k0 + P*i + j in
//   bit field j; the activations are permuted once per call so that phase j
//   meets 16 consecutive f32 activations.
// * Decode in registers: a field becomes its value with one vpshufb on a
//   16-byte table of integers (integer grids, E2M1 and every grid whose
//   values are small multiples of one unit: the unit joins the scale), or
//   with two vpermps on the 16 f32 values and a select (NF4 and other
//   4-bit codebooks); 8-bit codes convert directly.
// * Per weight block, the products accumulate in f32 lanes, then are
//   scaled into the row total. Zero points z: sum_k s (v - z) a =
//   sum_k s v a - s z sum_k a, with the activation sums per block computed
//   once per row in the prologue.
// * Each activation row takes up to two weight rows at a time, which share
//   its loads; weight rows are split across threads (scf.parallel, an
//   OpenMP loop late in the pipeline).
//
//===----------------------------------------------------------------------===//

#include "FloatDotKernel.h"

#include "qc/Dialect/X86/IR/X86Dialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::qc::cpu {
namespace {

/// Weight rows per tile of one activation row.
/// (3-bit codes: one, as in the integer-dot kernel; measured at M = 1,
/// N = 14336, two threads: 9.4 ms against 16.7 ms with two.)
int tileRowsOf(const FloatDotKernelSpec &spec) {
  return spec.bits != 3 && spec.n % 2 == 0 ? 2 : 1;
}

/// Bits of the phase-split field: the code's bits, or 2 for 3-bit codes
/// (#qc.bit_planes<[2, 1]>: the 2-bit plane is split, bit 2 is added).
int fieldBits(const FloatDotKernelSpec &spec) {
  return spec.bits == 3 ? 2 : spec.bits;
}

struct Args {
  Value a, w, s, z, mn, y, ap, asum;
};

/// Whether the kernel needs the activations' sums per weight block: for the
/// zero points' or the mins' correction.
bool needsBlockSums(const FloatDotKernelSpec &spec) {
  return spec.zeroPointType || spec.minType;
}

/// One weight row's chunk: its bytes and, for 3-bit codes, its high bits.
struct Chunk {
  Value bytes, highBytes;
};

class FloatDotBuilder {
public:
  FloatDotBuilder(KernelBuilder &b, const FloatDotKernelSpec &spec, Args args)
      : b(b), spec(spec), x(args), fb(fieldBits(spec)), p(8 / fb),
        high{spec.n, spec.k, 16} {
    weights.rowBytes = spec.k * fb / 8;
    weights.chunkBytes = 16;
    if (spec.tiledWeights)
      weights.tileRows = tileRowsOf(spec);
  }

  void build();

private:
  /// One activation row (m) by `rn` weight rows (nt + c).
  void tile(Value m, Value nt, int rn, Value asv);
  /// Four activation rows (mt + r) by one weight row (n0): each weight
  /// chunk is decoded once and, scaled by its block's scale, accumulated
  /// into all four rows (one accumulator level, so that four fit in
  /// registers).
  void rowTile4(Value mt, Value n0);

  /// Loads the chunk of the weight row at `rowBase` (high bits at
  /// `highBase`) that holds code k0, `chunkAt` bytes into the row.
  Chunk loadChunk(Value rowBase, Value highBase, Value chunkAt, Value k0);
  /// Phase j of a chunk as 16 f32 grid values.
  Value decodePhase(const Chunk &chunk, int j);
  /// The weight block's scale (times the table unit) of row `nr`, block g.
  Value loadScale(Value nr, Value g);
  /// Reduces `acc`, subtracts the zero points' correction (row `nr`,
  /// activation sums `asv`) and stores y[m, nr].
  void storeOutput(Value acc, Value nr, Value m, Value asv);

  KernelBuilder &b;
  const FloatDotKernelSpec &spec;
  Args x;
  const int fb, p;
  HighBitPlane high;
  WeightAddressing weights;
  HighBitPlane::Constants highConsts;
  Value unit, lut, tableLo, tableHi, table16, seven, zero;
};

void FloatDotBuilder::build() {
  Type i8 = b.getI8Type(), f32 = b.getF32Type();
  unit = b.f32(spec.tableUnit);
  zero = b.splat(16, f32, 0);
  if (spec.bits != 8 && spec.decode != CodeDecode::Unsigned &&
      spec.decode != CodeDecode::FloatTable) {
    SmallVector<int64_t> table;
    for (int i = 0; i < 16; ++i) {
      int v = 0;
      if (spec.decode == CodeDecode::IntTable && i < int(spec.intTable.size()))
        v = spec.intTable[i];
      // Signed 2- and 4-bit fields: the table sign-extends.
      if (spec.decode == CodeDecode::Signed && i < (1 << spec.bits))
        v = i >= (1 << (spec.bits - 1)) ? i - (1 << spec.bits) : i;
      table.push_back(v);
    }
    lut = b.intVector(i8, table);
  }
  if (spec.decode == CodeDecode::FloatTable) {
    SmallVector<float> lo(8, 0.0f), hi(8, 0.0f);
    for (size_t i = 0; i < spec.floatTable.size(); ++i)
      (i < 8 ? lo[i] : hi[i - 8]) = spec.floatTable[i];
    tableLo = b.f32Vector(lo);
    tableHi = b.f32Vector(hi);
    seven = b.splat(8, b.getI32Type(), 7);
    SmallVector<float> all(lo);
    all.append(hi.begin(), hi.end());
    table16 = b.f32Vector(all);
  }
  if (spec.bits == 3)
    highConsts = high.constants(b);
  Value m = b.dim(x.a, 0);
  // The activations with each chunk of CC codes split into its P phases.
  permuteActivations(b, x.a, x.ap, m, spec.k, 16 * p, p);
  // asum[m, g]: the sum of the activations over weight block g, for the
  // zero points' or the mins' correction.
  if (needsBlockSums(spec))
    blockSums(b, x.a, x.asum, m, spec.k, spec.weightGroup);
  int rn = tileRowsOf(spec);
  Value mTiles = arith::MulIOp::create(
      b, arith::DivUIOp::create(b, m, b.index(4)), b.index(4));
  b.parallel(b.index(0), b.index(spec.n), b.index(rn), [&](Value nt) {
    // Tiles of four activation rows, one weight row at a time.
    b.loop(b.index(0), mTiles, b.index(4), [&](Value mt) {
      b.loop(0, rn, 1, [&](Value nc) {
        rowTile4(mt, arith::AddIOp::create(b, nt, nc));
      });
    });
    // The remaining rows: one activation row by RN weight rows.
    b.loop(mTiles, m, b.index(1), [&](Value row) {
      Value asv;
      if (needsBlockSums(spec))
        asv = vector::LoadOp::create(b, b.vec(spec.numGroups(), f32), x.asum,
                                     ValueRange{row, b.index(0)});
      tile(row, nt, rn, asv);
    });
  });
}

Chunk FloatDotBuilder::loadChunk(Value rowBase, Value highBase, Value chunkAt,
                                 Value k0) {
  Value off = arith::AddIOp::create(b, rowBase, chunkAt);
  Chunk chunk;
  chunk.bytes = vector::LoadOp::create(b, b.vec(16, b.getI8Type()), x.w,
                                       ValueRange{off});
  if (spec.bits == 3)
    chunk.highBytes = high.load(b, x.w, highBase, k0);
  return chunk;
}

Value FloatDotBuilder::decodePhase(const Chunk &chunk, int j) {
  VectorType vf = b.vec(16, b.getF32Type());
  if (spec.bits == 8) {
    if (spec.decode == CodeDecode::Unsigned)
      return arith::UIToFPOp::create(b, vf, chunk.bytes);
    return arith::SIToFPOp::create(b, vf, chunk.bytes);
  }
  // The unsigned field (with bit 2 from its plane for 3-bit codes).
  Value u = extractPhase(b, chunk.bytes, j, fb);
  if (spec.bits == 3)
    u = high.merge(b, highConsts, chunk.highBytes, j, u, /*invert=*/false);
  switch (spec.decode) {
  case CodeDecode::Unsigned:
    return arith::SIToFPOp::create(b, vf, u);
  case CodeDecode::Signed:
  case CodeDecode::IntTable: {
    Value v = x86::PShufBOp::create(b, u.getType(), lut, u);
    return arith::SIToFPOp::create(b, vf, v);
  }
  case CodeDecode::FloatTable: {
    Type i32 = b.getI32Type();
    Value wide = arith::ExtUIOp::create(b, b.vec(16, i32), u);
    if (spec.zmmTable)
      return x86::PermPSOp::create(b, vf, table16, wide);
    Value halves[2];
    for (int h = 0; h < 2; ++h) {
      Value idx = vector::ExtractStridedSliceOp::create(b, wide, {8 * h}, {8},
                                                        {1});
      VectorType v8 = b.vec(8, b.getF32Type());
      Value lo = x86::PermPSOp::create(b, v8, tableLo, idx);
      Value hi = x86::PermPSOp::create(b, v8, tableHi, idx);
      Value upper =
          arith::CmpIOp::create(b, arith::CmpIPredicate::ugt, idx, seven);
      halves[h] = arith::SelectOp::create(b, upper, hi, lo);
    }
    SmallVector<int64_t> all;
    for (int i = 0; i < 16; ++i)
      all.push_back(i);
    return vector::ShuffleOp::create(b, halves[0], halves[1], all);
  }
  }
  llvm_unreachable("unknown code decode");
}

Value FloatDotBuilder::loadScale(Value nr, Value g) {
  Value sw = memref::LoadOp::create(b, x.s, ValueRange{nr, g});
  if (!spec.scaleType.isF32())
    sw = arith::ExtFOp::create(b, b.getF32Type(), sw);
  return arith::MulFOp::create(b, sw, unit);
}

void FloatDotBuilder::storeOutput(Value acc, Value nr, Value m, Value asv) {
  auto reassoc = arith::FastMathFlags::reassoc;
  Value y =
      vector::ReductionOp::create(b, vector::CombiningKind::ADD, acc, reassoc);
  int64_t ng = spec.numGroups();
  VectorType vg = b.vec(ng, b.getF32Type());
  // The row's per-block values of `part` (elements of `type`) as f32.
  auto rowAsF32 = [&](Value part, Type type) -> Value {
    Value v = vector::LoadOp::create(b, b.vec(ng, type), part,
                                     ValueRange{nr, b.index(0)});
    if (isa<IntegerType>(type))
      return arith::SIToFPOp::create(b, vg, v);
    if (!type.isF32())
      return arith::ExtFOp::create(b, vg, v);
    return v;
  };
  // y - sum_g perBlock_g asum_g
  auto minusBlockSums = [&](Value y, Value perBlock) -> Value {
    Value cp = arith::MulFOp::create(b, perBlock, asv);
    Value cr =
        vector::ReductionOp::create(b, vector::CombiningKind::ADD, cp, reassoc);
    return arith::SubFOp::create(b, y, cr);
  };
  // - sum_g s_g z_g asum_g
  if (spec.zeroPointType) {
    Value s = rowAsF32(x.s, spec.scaleType);
    Value z = rowAsF32(x.z, spec.zeroPointType);
    y = minusBlockSums(y, arith::MulFOp::create(b, s, z));
  }
  // - sum_g m_g asum_g
  if (spec.minType)
    y = minusBlockSums(y, rowAsF32(x.mn, spec.minType));
  memref::StoreOp::create(b, y, x.y, ValueRange{m, nr});
}

void FloatDotBuilder::tile(Value m, Value nt, int rn, Value asv) {
  VectorType vf = b.vec(16, b.getF32Type());
  SmallVector<Value> nr, rowBase, highBase;
  for (int c = 0; c < rn; ++c) {
    nr.push_back(arith::AddIOp::create(b, nt, b.index(c)));
    rowBase.push_back(weights.rowBase(b, nr[c]));
    highBase.push_back(spec.bits == 3 ? high.rowBase(b, nr[c]) : Value());
  }
  SmallVector<Value> init(rn, zero);
  SmallVector<Value> totals = b.loop(
      b.index(0), b.index(spec.numGroups()), b.index(1), init,
      [&](Value g, ValueRange t) -> SmallVector<Value> {
        Value kg = arith::MulIOp::create(b, g, b.index(spec.weightGroup));
        SmallVector<Value> acc = b.loop(
            b.index(0), b.index(spec.weightGroup), b.index(16 * p), init,
            [&](Value cc, ValueRange ac) -> SmallVector<Value> {
              Value k0 = arith::AddIOp::create(b, kg, cc);
              Value boff = arith::DivUIOp::create(b, k0, b.index(p));
              Value chunkAt = weights.chunkOffset(b, boff);
              SmallVector<Value> a;
              for (int j = 0; j < p; ++j) {
                Value kj = j ? Value(arith::AddIOp::create(b, k0,
                                                           b.index(16 * j)))
                             : k0;
                a.push_back(
                    vector::LoadOp::create(b, vf, x.ap, ValueRange{m, kj}));
              }
              SmallVector<Value> out;
              for (int c = 0; c < rn; ++c) {
                Chunk chunk = loadChunk(rowBase[c], highBase[c], chunkAt, k0);
                Value sum = ac[c];
                for (int j = 0; j < p; ++j)
                  sum = vector::FMAOp::create(b, decodePhase(chunk, j), a[j],
                                              sum);
                out.push_back(sum);
              }
              return out;
            });
        SmallVector<Value> next;
        for (int c = 0; c < rn; ++c) {
          Value sw =
              vector::BroadcastOp::create(b, vf, loadScale(nr[c], g));
          next.push_back(vector::FMAOp::create(b, acc[c], sw, t[c]));
        }
        return next;
      });
  for (int c = 0; c < rn; ++c)
    storeOutput(totals[c], nr[c], m, asv);
}

void FloatDotBuilder::rowTile4(Value mt, Value n0) {
  const int rm = 4;
  VectorType vf = b.vec(16, b.getF32Type());
  Value rowBase = weights.rowBase(b, n0);
  Value highBase = spec.bits == 3 ? high.rowBase(b, n0) : Value();
  SmallVector<Value> m;
  for (int r = 0; r < rm; ++r)
    m.push_back(arith::AddIOp::create(b, mt, b.index(r)));
  SmallVector<Value> totals = b.loop(
      b.index(0), b.index(spec.numGroups()), b.index(1),
      SmallVector<Value>(rm, zero),
      [&](Value g, ValueRange t) -> SmallVector<Value> {
        Value kg = arith::MulIOp::create(b, g, b.index(spec.weightGroup));
        Value sw = vector::BroadcastOp::create(b, vf, loadScale(n0, g));
        return b.loop(
            b.index(0), b.index(spec.weightGroup), b.index(16 * p), t,
            [&](Value cc, ValueRange ac) -> SmallVector<Value> {
              Value k0 = arith::AddIOp::create(b, kg, cc);
              Value boff = arith::DivUIOp::create(b, k0, b.index(p));
              Chunk chunk = loadChunk(rowBase, highBase,
                                      weights.chunkOffset(b, boff), k0);
              SmallVector<Value> sums(ac.begin(), ac.end());
              for (int j = 0; j < p; ++j) {
                Value v = arith::MulFOp::create(b, decodePhase(chunk, j), sw);
                Value kj = j ? Value(arith::AddIOp::create(b, k0,
                                                           b.index(16 * j)))
                             : k0;
                for (int r = 0; r < rm; ++r) {
                  Value a =
                      vector::LoadOp::create(b, vf, x.ap, ValueRange{m[r], kj});
                  sums[r] = vector::FMAOp::create(b, v, a, sums[r]);
                }
              }
              return sums;
            });
      });
  for (int r = 0; r < rm; ++r) {
    Value asv;
    if (needsBlockSums(spec))
      asv = vector::LoadOp::create(b, b.vec(spec.numGroups(), b.getF32Type()),
                                   x.asum, ValueRange{m[r], b.index(0)});
    storeOutput(totals[r], n0, m[r], asv);
  }
}

} // namespace

std::string checkFloatDotKernel(const FloatDotKernelSpec &spec) {
  if (spec.bits != 2 && spec.bits != 3 && spec.bits != 4 && spec.bits != 8)
    return "weight codes are not 2, 3, 4 or 8 bits";
  if (spec.weightGroup <= 0 || spec.k % spec.weightGroup != 0 ||
      (spec.weightGroup * fieldBits(spec)) % 128 != 0)
    return spec.bits == 3
               ? "weight blocks are not 1 x G with G a multiple of 64"
               : "weight blocks are not 1 x G with G * bits a multiple of 128";
  if (spec.bits == 8 && spec.decode != CodeDecode::Signed &&
      spec.decode != CodeDecode::Unsigned)
    return "8-bit codes are not plain integers";
  if (spec.minType && !spec.minType.isF32() && !spec.minType.isF16() &&
      !spec.minType.isBF16())
    return "weight mins are not f32, f16 or bf16";
  if (spec.minType && spec.zeroPointType)
    return "weight has both zero points and mins";
  if (spec.decode == CodeDecode::FloatTable &&
      (spec.bits < 3 || spec.bits > 4 ||
       spec.floatTable.size() != (1u << spec.bits)))
    return "grid is not an integer grid, a multiple of a unit, or 3 or 4 "
           "bits";
  return "";
}

std::pair<int64_t, int64_t>
floatDotWeightTile(const FloatDotKernelSpec &spec) {
  return {tileRowsOf(spec), 16};
}

func::FuncOp buildFloatDotKernel(OpBuilder &builder, Location loc,
                                 Block &moduleBody,
                                 const FloatDotKernelSpec &spec) {
  MLIRContext *ctx = builder.getContext();
  int64_t dyn = ShapedType::kDynamic, ng = spec.numGroups();
  Type f32 = Float32Type::get(ctx), i8 = IntegerType::get(ctx, 8);
  auto mem = [](ArrayRef<int64_t> shape, Type t) -> Type {
    return MemRefType::get(shape, t);
  };
  Args args;
  KernelSignature signature;
  signature.add(mem({dyn, spec.k}, f32), args.a);
  signature.add(mem({spec.bufferBytes()}, i8), args.w);
  signature.add(mem({spec.n, ng}, spec.scaleType), args.s);
  if (spec.zeroPointType)
    signature.add(mem({spec.n, ng}, spec.zeroPointType), args.z);
  if (spec.minType)
    signature.add(mem({spec.n, ng}, spec.minType), args.mn);
  signature.add(mem({dyn, spec.n}, f32), args.y);
  // Scratch.
  signature.add(mem({dyn, spec.k}, f32), args.ap);
  if (needsBlockSums(spec))
    signature.add(mem({dyn, ng}, f32), args.asum);
  return signature.build(builder, loc, moduleBody, spec.name,
                         [&](KernelBuilder &b) {
                           args.w = viewWeightCodes(b, spec, args.w);
                           FloatDotBuilder(b, spec, args).build();
                         });
}

} // namespace mlir::qc::cpu
