//===- IntDotKernel.cpp - integer-dot (WxA8) CPU kernel generator ---------===//
//
// The kernel, for B-bit weight codes (P = 8 / B codes per byte):
//
// * Phase split. A chunk of CB weight bytes (CB = 32, or 16 when a weight
//   block is only 16 bytes) holds CC = CB * P codes; byte i holds codes
//   k0 + P*i + j in its bit field j ("phase" j). Extracting phase j of the
//   whole chunk is one shift and one mask, with no shuffles: the kernel
//   instead permutes the activations once per call (prologue) so that
//   ap[k0 + CB*j + i] = a[k0 + P*i + j]. Then phase j of the weight chunk
//   and CB activation bytes at k0 + CB*j meet lane by lane.
// * Unsigned weights. vpmaddubsw multiplies unsigned bytes by signed
//   bytes, so signed codes are made unsigned (u = q + 2^(B-1): an XOR of
//   every field's sign bit, one op per chunk). With an offset o per weight
//   block (2^(B-1) for signed codes, plus the zero point),
//     sum_k (u - o) a s_a = sum_k u a s_a - o * sum_k a s_a,
//   and the activation sums per weight block are computed once per row in
//   the prologue; the correction is one short dot product per output.
//   8-bit codes cannot be offset (u8 x s8 pair sums saturate i16): they use
//   the sign trick |x| * sign(y, x) (vpabsb, vpsignb) on a narrow operand.
// * Accumulation. vpmaddubsw gives i16 pair sums, added in i16 over as
//   many chunks as cannot overflow (SUB codes); vpmaddwd widens to i32; each
//   conversion block (CV codes, within one weight block and one activation
//   block, or one chunk whose two 16-byte halves have their own activation
//   scales: i32 lanes 0-3 come from the first half) is converted to f32 and
//   scaled. Activation scales per row are applied once per output.
// * Tiles. Four activation rows share each unpacked weight chunk (GEMM);
//   the remaining rows (all of them for GEMV) take tiles of one activation
//   row by up to four weight rows, which share each activation load.
//   Weight rows are split across threads by an scf.parallel that becomes
//   an OpenMP loop late in the pipeline. With tiledWeights the bytes are in
//   #qc.tiled<rows = tile rows, chunk_bytes = CB> order, so that a tile's
//   weight rows are one sequential stream.
//
//===----------------------------------------------------------------------===//

#include "IntDotKernel.h"

#include "qc/Dialect/X86/IR/X86Dialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <algorithm>

namespace mlir::qc::cpu {
namespace {

/// The kernel's derived sizes.
struct Shape {
  /// Bits of the phase-split field: the code's bits, or 2 for 3-bit codes
  /// (#qc.bit_planes<[2, 1]>: the 2-bit plane is split, bit 2 is added).
  int fb;
  bool planes;
  HighBitPlane high;
  /// Codes per byte, chunk bytes, chunk codes, codes per 16-byte unit,
  /// i16 and i32/f32 lanes.
  int p, cb, cc, u, vw, vd;
  int64_t kBytes, ng, cv, sub;
  /// Weight rows per tile of one activation row.
  int rn;
  WeightAddressing weights;
};

Shape shapeOf(const IntDotKernelSpec &spec) {
  Shape sh;
  sh.planes = spec.bits == 3;
  sh.fb = sh.planes ? 2 : spec.bits;
  sh.p = 8 / sh.fb;
  int64_t groupBytes = spec.weightGroup * sh.fb / 8;
  sh.cb = groupBytes % 32 == 0 ? 32 : 16;
  sh.cc = sh.cb * sh.p;
  sh.u = 16 * sh.p;
  sh.vw = sh.cb / 2;
  sh.vd = sh.cb / 4;
  sh.kBytes = spec.k * sh.fb / 8;
  sh.ng = spec.k / spec.weightGroup;
  int64_t ga = spec.actPerRow ? spec.k : spec.actGroup;
  sh.cv = spec.actPerRow
              ? spec.weightGroup
              : std::max<int64_t>(sh.cc, std::min(spec.weightGroup, ga));
  // Chunks whose i16 pair sums cannot overflow: each chunk adds P products
  // pairs of at most 2 * (2^B - 1) * 128 to a lane.
  int64_t perChunk = int64_t(sh.p) * 2 * ((1 << spec.bits) - 1) * 128;
  int64_t maxChunks = 32767 / perChunk, chunks = sh.cv / sh.cc;
  int64_t sub = 1;
  for (int64_t d = 1; d <= std::min(maxChunks, chunks); ++d)
    if (chunks % d == 0)
      sub = d;
  sh.sub = sub * sh.cc;
  // 3-bit codes: one weight row per GEMV tile. With four, each row's two
  // planes make eight streams and the tile spills; measured (M = 1,
  // N = 14336, K = 4096, two threads): 3.8-4.7 ms against 5.9-8.0 ms.
  sh.rn = sh.planes ? 1 : spec.n % 4 == 0 ? 4 : spec.n % 2 == 0 ? 2 : 1;
  sh.high = {spec.n, spec.k, sh.cb};
  sh.weights.rowBytes = sh.kBytes;
  sh.weights.chunkBytes = sh.cb;
  if (spec.tiledWeights)
    sh.weights.tileRows = sh.rn;
  return sh;
}

/// The kernel function's arguments.
struct Args {
  Value qa, sa, w, s, z, y, ap, asum, sax;
};

/// Builds the body: the prologue, then tiles.
class IntDotBuilder {
public:
  IntDotBuilder(KernelBuilder &b, const IntDotKernelSpec &spec,
                const Shape &sh, Args args)
      : b(b), spec(spec), sh(sh), x(args) {}

  void build();

private:
  /// A tile of `rm` activation rows (mt + r) by `rn` weight rows (n0 + c).
  void tile(Value mt, Value n0, int rm, int rn);
  /// The i16 pair sums of one chunk (codes k0 .. k0 + CC) for every (r, c),
  /// added to `acc` (index r * rn + c).
  SmallVector<Value> chunk(ArrayRef<Value> m, ArrayRef<Value> rowBase,
                           ArrayRef<Value> highBase, Value k0, ValueRange acc);

  KernelBuilder &b;
  const IntDotKernelSpec &spec;
  const Shape &sh;
  Args x;
  Value flip, ones, offsets;
  HighBitPlane::Constants high;
};

void IntDotBuilder::build() {
  Value m = b.dim(x.qa, 0);
  // The activations with each chunk of CC codes split into its P phases.
  permuteActivations(b, x.qa, x.ap, m, spec.k, sh.cc, sh.p);
  // asum[m, g]: the sum of the activations (times their scales, per
  // block) over weight block g, for the offset correction.
  auto actScale = [&](Value row, Value k0) -> Value {
    Value ga = arith::DivUIOp::create(b, k0, b.index(spec.actGroup));
    return memref::LoadOp::create(b, x.sa, ValueRange{row, ga});
  };
  blockSums(b, x.qa, x.asum, m, spec.k, spec.weightGroup,
            spec.actPerRow ? nullptr
                           : function_ref<Value(Value, Value)>(actScale));
  if (!spec.actPerRow) {
    // sax[m, 4u + l]: the activation scale of 16-byte unit u, four times
    // (one per i32 lane that unit's products reach).
    b.loop(b.index(0), m, b.index(1), [&](Value row) {
      b.loop(0, spec.k / sh.u, 1, [&](Value unit) {
        Value ku = arith::MulIOp::create(b, unit, b.index(sh.u));
        Value sv = actScale(row, ku);
        Value lanes = vector::BroadcastOp::create(b, b.vec(4, b.getF32Type()), sv);
        Value at = arith::MulIOp::create(b, unit, b.index(4));
        vector::StoreOp::create(b, lanes, x.sax, ValueRange{row, at});
      });
    });
  }
  Type i8 = b.getI8Type();
  // The sign bit of every field, as an i8 (two's complement); 8-bit codes
  // use the sign trick instead.
  int sign = 0;
  for (int j = 0; j < sh.p; ++j)
    sign |= 1 << (sh.fb * j + sh.fb - 1);
  flip = b.splat(sh.cb, i8, int8_t(sign));
  ones = b.splat(sh.vw, b.getI16Type(), 1);
  offsets = b.splat(sh.ng, b.getF32Type(),
                    spec.signedCodes && spec.bits < 8 ? 1 << (spec.bits - 1)
                                                      : 0);
  if (sh.planes)
    high = sh.high.constants(b);
  Value mTiles = arith::MulIOp::create(
      b, arith::DivUIOp::create(b, m, b.index(4)), b.index(4));
  b.parallel(b.index(0), b.index(spec.n), b.index(sh.rn), [&](Value nt) {
    // Tiles of four activation rows, one weight row at a time.
    b.loop(b.index(0), mTiles, b.index(4), [&](Value mt) {
      b.loop(0, sh.rn, 1, [&](Value nc) {
        tile(mt, arith::AddIOp::create(b, nt, nc), 4, 1);
      });
    });
    // The remaining rows: one activation row by RN weight rows.
    b.loop(mTiles, m, b.index(1), [&](Value mt) { tile(mt, nt, 1, sh.rn); });
  });
}

SmallVector<Value> IntDotBuilder::chunk(ArrayRef<Value> m,
                                        ArrayRef<Value> rowBase,
                                        ArrayRef<Value> highBase, Value k0,
                                        ValueRange acc) {
  const int rm = m.size(), rn = rowBase.size();
  VectorType vb = b.vec(sh.cb, b.getI8Type()),
             vh = b.vec(sh.vw, b.getI16Type());
  Value boff = arith::DivUIOp::create(b, k0, b.index(sh.p));
  Value chunkAt = sh.weights.chunkOffset(b, boff);
  // The weight side: each row's unsigned fields per phase (u[c][j]), or
  // for 8-bit codes the bytes themselves (bytes[c]).
  SmallVector<Value> bytes;
  SmallVector<SmallVector<Value>> u(rn);
  for (int c = 0; c < rn; ++c) {
    Value off = arith::AddIOp::create(b, rowBase[c], chunkAt);
    bytes.push_back(vector::LoadOp::create(b, vb, x.w, ValueRange{off}));
    if (spec.bits == 8) {
      // Sign trick (vpmaddubsw takes one unsigned operand): |w| against
      // sign(a, w), or |a| against sign(w, a); see below.
      if (spec.signOnActivations)
        u[c].push_back(math::AbsIOp::create(b, bytes[c]));
      continue;
    }
    Value fields = bytes[c], highBytes;
    if (sh.planes)
      highBytes = sh.high.load(b, x.w, highBase[c], k0);
    else if (spec.signedCodes)
      fields = arith::XOrIOp::create(b, fields, flip);
    for (int j = 0; j < sh.p; ++j) {
      Value field = extractPhase(b, fields, j, sh.fb);
      if (sh.planes)
        field = sh.high.merge(b, high, highBytes, j, field, spec.signedCodes);
      u[c].push_back(field);
    }
  }
  // The activation side: phase j of row r is CB bytes at k0 + CB * j.
  SmallVector<SmallVector<Value>> a(rm);
  for (int r = 0; r < rm; ++r)
    for (int j = 0; j < sh.p; ++j) {
      Value kj = j ? Value(arith::AddIOp::create(b, k0, b.index(sh.cb * j)))
                   : k0;
      a[r].push_back(vector::LoadOp::create(b, vb, x.ap, ValueRange{m[r], kj}));
    }
  SmallVector<Value> absA;
  if (spec.bits == 8 && !spec.signOnActivations)
    for (int r = 0; r < rm; ++r)
      absA.push_back(math::AbsIOp::create(b, a[r][0]));
  SmallVector<Value> out;
  for (int r = 0; r < rm; ++r)
    for (int c = 0; c < rn; ++c) {
      Value sum = acc[r * rn + c];
      for (int j = 0; j < sh.p; ++j) {
        // The unsigned and the signed operand.
        Value uop = spec.bits == 8 ? Value() : u[c][j], sop = a[r][j];
        if (spec.bits == 8) {
          sop = spec.signOnActivations
                    ? x86::PSignBOp::create(b, vb, a[r][0], bytes[c])
                    : x86::PSignBOp::create(b, vb, bytes[c], a[r][0]);
          uop = spec.signOnActivations ? u[c][0] : absA[r];
        }
        Value q = x86::PMAddUBSWOp::create(b, vh, uop, sop);
        sum = arith::AddIOp::create(b, sum, q);
      }
      out.push_back(sum);
    }
  return out;
}

void IntDotBuilder::tile(Value mt, Value n0, int rm, int rn) {
  const int rr = rm * rn;
  Type f32 = b.getF32Type();
  VectorType vf = b.vec(sh.vd, f32), vi = b.vec(sh.vd, b.getI32Type()),
             vh = b.vec(sh.vw, b.getI16Type());
  const bool f32Scales = spec.scaleType.isF32();
  SmallVector<Value> m, nr, rowBase, highBase;
  for (int r = 0; r < rm; ++r)
    m.push_back(arith::AddIOp::create(b, mt, b.index(r)));
  for (int c = 0; c < rn; ++c) {
    nr.push_back(arith::AddIOp::create(b, n0, b.index(c)));
    rowBase.push_back(sh.weights.rowBase(b, nr[c]));
    if (sh.planes)
      highBase.push_back(sh.high.rowBase(b, nr[c]));
  }
  auto zeros = [&](Type t, double v = 0) {
    return SmallVector<Value>(rr, b.splat(cast<VectorType>(t).getNumElements(),
                                          cast<VectorType>(t).getElementType(),
                                          v));
  };
  // Conversion blocks of CV codes: i32 sums converted to f32 and scaled.
  SmallVector<Value> totals = b.loop(
      b.index(0), b.index(spec.k), b.index(sh.cv), zeros(vf),
      [&](Value cv, ValueRange t) -> SmallVector<Value> {
        Value g = arith::DivUIOp::create(b, cv, b.index(spec.weightGroup));
        // Sub-blocks of SUB codes: i16 sums that cannot overflow, widened.
        SmallVector<Value> sums = b.loop(
            b.index(0), b.index(sh.cv), b.index(sh.sub), zeros(vi),
            [&](Value sb, ValueRange ia) -> SmallVector<Value> {
              Value k1 = arith::AddIOp::create(b, cv, sb);
              SmallVector<Value> pairs = b.loop(
                  b.index(0), b.index(sh.sub), b.index(sh.cc), zeros(vh),
                  [&](Value c, ValueRange pa) {
                    Value k0 = arith::AddIOp::create(b, k1, c);
                    return chunk(m, rowBase, highBase, k0, pa);
                  });
              SmallVector<Value> next;
              for (int i = 0; i < rr; ++i) {
                Value wide = x86::PMAddWDOp::create(b, vi, pairs[i], ones);
                next.push_back(arith::AddIOp::create(b, ia[i], wide));
              }
              return next;
            });
        SmallVector<Value> weightScale;
        for (int c = 0; c < rn; ++c) {
          Value sw = memref::LoadOp::create(b, x.s, ValueRange{nr[c], g});
          if (!f32Scales)
            sw = arith::ExtFOp::create(b, f32, sw);
          weightScale.push_back(vector::BroadcastOp::create(b, vf, sw));
        }
        SmallVector<Value> actScale;
        if (!spec.actPerRow) {
          Value unit = arith::DivUIOp::create(b, cv, b.index(sh.u));
          Value at = arith::MulIOp::create(b, unit, b.index(4));
          for (int r = 0; r < rm; ++r)
            actScale.push_back(
                vector::LoadOp::create(b, vf, x.sax, ValueRange{m[r], at}));
        }
        SmallVector<Value> next;
        for (int r = 0; r < rm; ++r)
          for (int c = 0; c < rn; ++c) {
            int i = r * rn + c;
            Value fv = arith::SIToFPOp::create(b, vf, sums[i]);
            Value scale = spec.actPerRow
                              ? weightScale[c]
                              : Value(arith::MulFOp::create(b, weightScale[c],
                                                            actScale[r]));
            next.push_back(vector::FMAOp::create(b, fv, scale, t[i]));
          }
        return next;
      });
  // The offset correction's weight side: scale times offset per block.
  VectorType vg = b.vec(sh.ng, f32);
  auto reassoc = arith::FastMathFlags::reassoc;
  SmallVector<Value> scaledOffsets;
  for (int c = 0; c < rn; ++c) {
    Value sw = vector::LoadOp::create(b, b.vec(sh.ng, spec.scaleType), x.s,
                                      ValueRange{nr[c], b.index(0)});
    if (!f32Scales)
      sw = arith::ExtFOp::create(b, vg, sw);
    Value o = offsets;
    if (spec.zeroPointType) {
      Value z = vector::LoadOp::create(b, b.vec(sh.ng, spec.zeroPointType),
                                       x.z, ValueRange{nr[c], b.index(0)});
      o = arith::AddFOp::create(b, offsets, arith::SIToFPOp::create(b, vg, z));
    }
    scaledOffsets.push_back(arith::MulFOp::create(b, sw, o));
  }
  for (int r = 0; r < rm; ++r) {
    Value asv =
        vector::LoadOp::create(b, vg, x.asum, ValueRange{m[r], b.index(0)});
    Value rowScale;
    if (spec.actPerRow)
      rowScale = memref::LoadOp::create(b, x.sa, ValueRange{m[r]});
    for (int c = 0; c < rn; ++c) {
      // (Reassociating reductions: a tree instead of a serial chain.)
      Value total = vector::ReductionOp::create(
          b, vector::CombiningKind::ADD, totals[r * rn + c], reassoc);
      Value product = arith::MulFOp::create(b, scaledOffsets[c], asv);
      Value correction = vector::ReductionOp::create(
          b, vector::CombiningKind::ADD, product, reassoc);
      Value d = arith::SubFOp::create(b, total, correction);
      if (spec.actPerRow)
        d = arith::MulFOp::create(b, d, rowScale);
      memref::StoreOp::create(b, d, x.y, ValueRange{m[r], nr[c]});
    }
  }
}

} // namespace

std::string checkIntDotKernel(const IntDotKernelSpec &spec) {
  if (spec.minType)
    return "weight has mins (int8 activations)";
  if (spec.bits != 2 && spec.bits != 3 && spec.bits != 4 && spec.bits != 8)
    return "weight codes are not 2, 3, 4 or 8 bits";
  if (spec.bits == 8 && !spec.signedCodes)
    return "8-bit weight codes are unsigned (vpmaddubsw's pair sums of "
           "u8 x s8 products would saturate)";
  if (spec.bits == 8 && !spec.activationsNarrow && !spec.weightsNarrow)
    return "8-bit weights need #qc.int<s8, narrow> weights or activations "
           "(the sign trick negates one operand; -128 has no negation)";
  // (3-bit codes: the 2-bit plane's chunks.)
  int fb = spec.bits == 3 ? 2 : spec.bits;
  if (spec.weightGroup <= 0 || spec.k % spec.weightGroup != 0 ||
      (spec.weightGroup * fb) % 128 != 0)
    return spec.bits == 3
               ? "weight blocks are not 1 x G with G a multiple of 64"
               : "weight blocks are not 1 x G with G * bits a multiple of 128";
  Shape sh = shapeOf(spec);
  if (!spec.actPerRow) {
    int64_t ga = spec.actGroup, gw = spec.weightGroup;
    if (ga <= 0 || spec.k % ga != 0 || std::max(ga, gw) % std::min(ga, gw))
      return "activation blocks do not nest with the weight blocks";
    if (ga % sh.cc != 0 && ga != sh.u)
      return "activation blocks are not a multiple of " +
             std::to_string(sh.cc) + " codes (or exactly " +
             std::to_string(sh.u) + ")";
  }
  return "";
}

std::pair<int64_t, int64_t> intDotWeightTile(const IntDotKernelSpec &spec) {
  Shape sh = shapeOf(spec);
  return {sh.rn, sh.cb};
}

func::FuncOp buildIntDotKernel(OpBuilder &builder, Location loc,
                               Block &moduleBody,
                               const IntDotKernelSpec &spec) {
  Shape sh = shapeOf(spec);
  MLIRContext *ctx = builder.getContext();
  int64_t dyn = ShapedType::kDynamic, ng = sh.ng;
  Type f32 = Float32Type::get(ctx), i8 = IntegerType::get(ctx, 8);
  auto mem = [](ArrayRef<int64_t> shape, Type t) -> Type {
    return MemRefType::get(shape, t);
  };
  Args args;
  KernelSignature signature;
  signature.add(mem({dyn, spec.k}, i8), args.qa);
  signature.add(spec.actPerRow ? mem({dyn}, f32)
                               : mem({dyn, spec.k / spec.actGroup}, f32),
                args.sa);
  signature.add(mem({spec.numBytes()}, i8), args.w);
  signature.add(mem({spec.n, ng}, spec.scaleType), args.s);
  if (spec.zeroPointType)
    signature.add(mem({spec.n, ng}, spec.zeroPointType), args.z);
  signature.add(mem({dyn, spec.n}, f32), args.y);
  // Scratch.
  signature.add(mem({dyn, spec.k}, i8), args.ap);
  signature.add(mem({dyn, ng}, f32), args.asum);
  if (!spec.actPerRow)
    signature.add(mem({dyn, spec.k / sh.u * 4}, f32), args.sax);
  return signature.build(builder, loc, moduleBody, spec.name,
                         [&](KernelBuilder &b) {
                           IntDotBuilder(b, spec, sh, args).build();
                         });
}

} // namespace mlir::qc::cpu
