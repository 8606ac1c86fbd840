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
//   and a subtracted min mn per weight block (w = s u - mn; llama.cpp's
//   Q4_1 has mn = -m) adds mn * sum_k a s_a to the correction;
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
// With VNNI (DotISA::VNNI256, VNNI512) the chunks, their layout and the
// permuted activations are the same; what changes is how they meet:
//
// * Steps. A step is VB bytes of permuted activations (VB = 32 or 64, one
//   ymm or zmm), made of VB/16 slices of 16 bytes. Slice L of the step at
//   code k holds phase j of bytes 16h .. 16h + 15 of the chunk that
//   contains code k + 16L (j and h follow from the position in the
//   chunk). The weight vector of a step is assembled from the same slices
//   of the weight chunks (a broadcast or an insert from memory; no
//   per-byte work), and vpdpbusd multiplies it with the activation vector
//   into i32 lanes, with no i16 stage and no saturation.
// * Fields in place. A slice's fields are masked where they are in the
//   byte, not shifted down: phase j's field read in place is its value
//   times 2^(B j) (at most 240 for 4-bit codes, so still an unsigned
//   byte). Each i32 lane then carries a constant power-of-two factor, which
//   the tile divides out once at the end (exact). A step whose slices all
//   have phases >= j0 is first shifted down by B j0, so that every step has
//   the same factors. 3-bit codes are shifted to bit 0 per slice (the high
//   plane's bit is added at bit 2).
// * 8-bit codes are made unsigned like narrower ones (u = q + 128, an XOR):
//   vpdpbusd cannot saturate, so neither operand needs to be narrow.
// * A superstep is max(VB, CC) codes: every step of one sees the same
//   chunks. A conversion block is a whole number of supersteps; when a
//   superstep spans several weight or activation blocks (4-bit codes in
//   blocks of 32, 8-bit in blocks of 32 or 16), the scales are per lane.
// * Tiles: 4 activation rows x 2 weight rows for GEMM (16 of the 32 zmm
//   registers hold the i32 and f32 accumulators), one activation row by
//   the tile's weight rows for GEMV.
//
// The row-lane form (rowLanes: VNNI, weights in #qc.tiled<rows = R,
// chunk_bytes = 4>, R = VB / 4) turns the vectors the other way: one load
// is 4 bytes of each of R weight rows, the activations' 4 bytes of the
// same codes are broadcast to every lane (the activations permuted in
// chunks of 4P codes, so that phase j of the weight bytes meets 4
// consecutive bytes), and i32 lane i sums weight row i. A block's scales
// are then one vector of R rows (a gather) times one activation scale, and
// the offset correction is one broadcast per block: per vpdpbusd the float
// work falls by R against the K-major form. Tiles: 4 activation rows x 2
// vectors of R rows (GEMM), one activation row x 2 vectors (GEMV).
//
//===----------------------------------------------------------------------===//

#include "IntDotKernel.h"

#include "qc/Dialect/X86/IR/X86Dialect.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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

  // VNNI (see the file comment).
  bool vnni = false;
  /// Step bytes (= codes), i32 lanes per step, superstep codes, steps and
  /// chunks per superstep, weight rows per GEMM tile.
  int vb = 0, lanes = 0;
  int64_t ss = 0, stepsPer = 0, chunksPer = 0;
  int rnGemm = 1;
  /// Whether a superstep spans several weight (activation) blocks, so
  /// that the scales differ from lane to lane.
  bool perLaneW = false, perLaneA = false;
  /// Slice L of step s: the chunk (relative to the superstep's first),
  /// phase and half it reads, and the shift applied to its bytes.
  struct Slice {
    int chunk, phase, half, shift;
  };
  SmallVector<SmallVector<Slice>> slices;
  /// The factor each i32 lane's sums carry (fields read in place).
  SmallVector<float> laneFactor;
};

/// The VNNI step structure of `sh` for `vb`-byte vectors.
void vnniShape(Shape &sh, const IntDotKernelSpec &spec) {
  sh.vnni = true;
  sh.vb = spec.isa == DotISA::VNNI512 ? 64 : 32;
  sh.lanes = sh.vb / 4;
  sh.ss = std::max<int64_t>(sh.vb, sh.cc);
  sh.stepsPer = sh.ss / sh.vb;
  sh.chunksPer = sh.ss / sh.cc;
  int64_t ga = spec.actPerRow ? spec.k : spec.actGroup;
  sh.cv = std::max(sh.ss, std::min(spec.weightGroup, ga));
  sh.perLaneW = sh.ss > spec.weightGroup;
  sh.perLaneA = !spec.actPerRow && sh.ss > ga;
  sh.rnGemm = sh.rn % 2 == 0 ? 2 : 1;
  for (int64_t st = 0; st < sh.stepsPer; ++st) {
    SmallVector<Shape::Slice> step;
    int minPhase = sh.p;
    for (int l = 0; l < sh.vb / 16; ++l) {
      int64_t pos = st * sh.vb + 16 * l;
      int64_t within = pos % sh.cc;
      Shape::Slice slice{int(pos / sh.cc), int(within / sh.cb),
                         int(within % sh.cb / 16), 0};
      minPhase = std::min(minPhase, slice.phase);
      step.push_back(slice);
    }
    for (Shape::Slice &slice : step)
      slice.shift = sh.fb * (sh.planes ? slice.phase : minPhase);
    sh.slices.push_back(step);
  }
  // Every step's lanes carry the same factors (the shifts make it so).
  for (int64_t st = 0; st < sh.stepsPer; ++st)
    for (int l = 0; l < sh.vb / 16; ++l) {
      const Shape::Slice &slice = sh.slices[st][l];
      float factor = float(1 << (sh.fb * slice.phase - slice.shift));
      for (int t = 0; t < 4; ++t) {
        if (st == 0)
          sh.laneFactor.push_back(factor);
        assert(sh.laneFactor[4 * l + t] == factor &&
               "steps of a superstep read fields with different factors");
      }
    }
}

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
  if (spec.isa != DotISA::AVX2)
    vnniShape(sh, spec);
  return sh;
}

/// The kernel function's arguments.
struct Args {
  Value qa, sa, w, s, z, mn, bias, y, ap, asum, sax;
  /// The low plane of a weight read with both planes (bothPlanes).
  Value wLow;
};

/// asum[m, i] = the activation codes of row m summed over block i of
/// `group` codes, each times its activation scale with activation blocks
/// (per row, the row's scale applies at the end): the offset correction's
/// activation side.
void activationSums(KernelBuilder &b, const IntDotKernelSpec &spec,
                    const Args &x, Value rows, int64_t group) {
  auto actScale = [&](Value row, Value k0) -> Value {
    Value ga = arith::DivUIOp::create(b, k0, b.index(spec.actGroup));
    return memref::LoadOp::create(b, x.sa, ValueRange{row, ga});
  };
  blockSums(b, x.qa, x.asum, rows, spec.k, group,
            spec.actPerRow ? nullptr
                           : function_ref<Value(Value, Value)>(actScale));
}

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
  /// AVX2: the f32 sums of every (r, c) pair of the tile, scaled per block
  /// (index r * rn + c).
  SmallVector<Value> avx2Totals(ArrayRef<Value> m, ArrayRef<Value> nr,
                                ArrayRef<Value> rowBase,
                                ArrayRef<Value> highBase);
  /// t[r rn + c] + float(sums[r rn + c]) * weightScale[c] (* actScale[r]
  /// with activation blocks): a conversion block's i32 sums into the
  /// tile's f32 totals.
  SmallVector<Value> scaleInto(ValueRange sums, ArrayRef<Value> weightScale,
                               ArrayRef<Value> actScale, ValueRange t);
  /// Weight row nr's scale of block g as f32, in every lane of `vf`.
  Value broadcastScale(Value nr, Value g, VectorType vf) {
    Value sw = memref::LoadOp::create(b, x.s, ValueRange{nr, g});
    if (!spec.scaleType.isF32())
      sw = arith::ExtFOp::create(b, b.getF32Type(), sw);
    return vector::BroadcastOp::create(b, vf, sw);
  }
  /// VNNI: the same, each lane times its factor (Shape::laneFactor).
  SmallVector<Value> vnniTotals(ArrayRef<Value> m, ArrayRef<Value> nr,
                                ArrayRef<Value> rowBase,
                                ArrayRef<Value> highBase);
  /// VNNI: the i32 sums of one superstep (codes k .. k + SS) added to `acc`.
  SmallVector<Value> superstep(ArrayRef<Value> m, ArrayRef<Value> rowBase,
                               ArrayRef<Value> highBase, Value k,
                               ValueRange acc);
  /// VNNI: the unsigned weight bytes of step `st` from a weight row's
  /// chunks (and their high-plane bytes for 3-bit codes).
  Value stepWeights(ArrayRef<Value> chunks, ArrayRef<Value> highs, int st);
  /// VNNI: the VB-byte vector whose slice L is bytes 16h .. 16h + 15 of
  /// `chunks[chunk]`, for the slices of step `st`.
  Value gatherSlices(ArrayRef<Value> chunks, int st);
  /// VNNI: `table` (lanes for consecutive blocks, `perBlock` lanes each,
  /// from the superstep's first) spread to the step's i32 lanes, lane
  /// 4L + t taking the block of slice L (`blockOf(slice)`).
  Value spreadPerLane(Value table, int perBlock,
                      function_ref<int64_t(const Shape::Slice &)> blockOf);

  KernelBuilder &b;
  const IntDotKernelSpec &spec;
  const Shape &sh;
  Args x;
  Value flip, ones, offsets;
  HighBitPlane::Constants high;
};

SmallVector<Value> IntDotBuilder::scaleInto(ValueRange sums,
                                            ArrayRef<Value> weightScale,
                                            ArrayRef<Value> actScale,
                                            ValueRange t) {
  const int rn = weightScale.size(), rr = sums.size();
  auto vf = cast<VectorType>(t[0].getType());
  SmallVector<Value> next;
  for (int i = 0; i < rr; ++i) {
    int r = i / rn, c = i % rn;
    Value fv = arith::SIToFPOp::create(b, vf, sums[i]);
    Value scale = spec.actPerRow
                      ? weightScale[c]
                      : Value(arith::MulFOp::create(b, weightScale[c],
                                                    actScale[r]));
    next.push_back(vector::FMAOp::create(b, fv, scale, t[i]));
  }
  return next;
}

Value IntDotBuilder::gatherSlices(ArrayRef<Value> chunks, int st) {
  SmallVector<Value> parts(chunks);
  // Concatenate pairs until two remain (the chunk vectors are CB bytes).
  while (parts.size() > 2) {
    SmallVector<Value> next;
    for (size_t i = 0; i < parts.size(); i += 2) {
      int64_t n = cast<VectorType>(parts[i].getType()).getNumElements();
      SmallVector<int64_t> all;
      for (int64_t t = 0; t < 2 * n; ++t)
        all.push_back(t);
      next.push_back(
          vector::ShuffleOp::create(b, parts[i], parts[i + 1], all));
    }
    parts = std::move(next);
  }
  // Chunk c starts at c * CB in the concatenation of the two.
  SmallVector<int64_t> mask;
  for (const Shape::Slice &slice : sh.slices[st])
    for (int t = 0; t < 16; ++t)
      mask.push_back(slice.chunk * sh.cb + 16 * slice.half + t);
  Value lhs = parts[0], rhs = parts.size() > 1 ? parts[1] : parts[0];
  bool identity = parts.size() == 1 && sh.cb == sh.vb;
  for (int64_t i = 0; identity && i < int64_t(mask.size()); ++i)
    identity = mask[i] == i;
  if (identity)
    return lhs;
  return vector::ShuffleOp::create(b, lhs, rhs, mask);
}

Value IntDotBuilder::stepWeights(ArrayRef<Value> chunks, ArrayRef<Value> highs,
                                 int st) {
  const SmallVector<Shape::Slice> &slices = sh.slices[st];
  Type i8 = b.getI8Type(), i16 = b.getI16Type();
  Value bytes = gatherSlices(chunks, st);
  // Signed codes made unsigned: every field's sign bit flipped (the 2-bit
  // plane of 3-bit codes is unsigned; its high bit is inverted below).
  if (!sh.planes && spec.signedCodes)
    bytes = arith::XOrIOp::create(b, bytes, flip);
  // Shift each slice down (on i16 lanes: the bits that come in from the
  // next byte are above the field and masked off).
  bool anyShift = false, uniform = true;
  for (const Shape::Slice &slice : slices) {
    anyShift |= slice.shift != 0;
    uniform &= slice.shift == slices[0].shift;
  }
  if (anyShift) {
    VectorType words = b.vec(sh.vb / 2, i16);
    Value w = vector::BitCastOp::create(b, words, bytes);
    Value amount;
    if (uniform) {
      amount = b.splat(sh.vb / 2, i16, slices[0].shift);
    } else {
      SmallVector<int64_t> perLane;
      for (const Shape::Slice &slice : slices)
        perLane.append(8, slice.shift);
      amount = b.intVector(i16, perLane);
    }
    w = arith::ShRUIOp::create(b, w, amount);
    bytes = vector::BitCastOp::create(b, b.vec(sh.vb, i8), w);
  }
  if (sh.fb < 8) {
    SmallVector<int64_t> masks;
    for (const Shape::Slice &slice : slices)
      masks.append(16, int8_t(((1 << sh.fb) - 1)
                              << (sh.fb * slice.phase - slice.shift)));
    bytes = arith::AndIOp::create(b, bytes, b.intVector(i8, masks));
  }
  if (!sh.planes)
    return bytes;
  // 3-bit codes: 4 where the code's bit 2 is set (clear for signed codes,
  // which makes the bit pattern the value plus 4). Lane i of a chunk's
  // high bytes holds that bit at 4 * (i % 2) + phase.
  Value highBytes = gatherSlices(highs, st);
  SmallVector<int64_t> bits;
  for (const Shape::Slice &slice : slices)
    for (int t = 0; t < 16; ++t)
      bits.push_back(int8_t(1 << (4 * (t % 2) + slice.phase)));
  Value bit = arith::AndIOp::create(b, highBytes, b.intVector(i8, bits));
  Value zero = b.splat(sh.vb, i8, 0);
  Value set = arith::CmpIOp::create(
      b, spec.signedCodes ? arith::CmpIPredicate::eq : arith::CmpIPredicate::ne,
      bit, zero);
  Value four = arith::SelectOp::create(b, set, b.splat(sh.vb, i8, 4), zero);
  return arith::OrIOp::create(b, bytes, four);
}

SmallVector<Value> IntDotBuilder::superstep(ArrayRef<Value> m,
                                            ArrayRef<Value> rowBase,
                                            ArrayRef<Value> highBase, Value k,
                                            ValueRange acc) {
  const int rm = m.size(), rn = rowBase.size();
  Type i8 = b.getI8Type();
  VectorType vc = b.vec(sh.cb, i8), vbytes = b.vec(sh.vb, i8),
             vi = b.vec(sh.lanes, b.getI32Type());
  // Each weight row's chunks of the superstep, loaded once for its steps.
  SmallVector<SmallVector<Value>> chunks(rn), highs(rn);
  for (int c = 0; c < rn; ++c)
    for (int64_t q = 0; q < sh.chunksPer; ++q) {
      Value kq = q ? Value(arith::AddIOp::create(b, k, b.index(q * sh.cc))) : k;
      Value boff = arith::DivUIOp::create(b, kq, b.index(sh.p));
      Value off = arith::AddIOp::create(b, rowBase[c],
                                        sh.weights.chunkOffset(b, boff));
      chunks[c].push_back(vector::LoadOp::create(b, vc, x.w, ValueRange{off}));
      if (sh.planes)
        highs[c].push_back(sh.high.load(b, x.w, highBase[c], kq));
    }
  SmallVector<Value> out(acc.begin(), acc.end());
  for (int64_t st = 0; st < sh.stepsPer; ++st) {
    SmallVector<Value> weights;
    for (int c = 0; c < rn; ++c)
      weights.push_back(stepWeights(chunks[c], highs[c], int(st)));
    Value ks = st ? Value(arith::AddIOp::create(b, k, b.index(st * sh.vb))) : k;
    for (int r = 0; r < rm; ++r) {
      Value a = vector::LoadOp::create(b, vbytes, x.ap, ValueRange{m[r], ks});
      for (int c = 0; c < rn; ++c)
        out[r * rn + c] = x86::DPBUSDOp::create(b, vi, out[r * rn + c],
                                                weights[c], a);
    }
  }
  return out;
}

Value IntDotBuilder::spreadPerLane(
    Value table, int perBlock,
    function_ref<int64_t(const Shape::Slice &)> blockOf) {
  SmallVector<int64_t> mask;
  for (const Shape::Slice &slice : sh.slices[0])
    for (int t = 0; t < 4; ++t)
      mask.push_back(blockOf(slice) * perBlock + (perBlock == 4 ? t : 0));
  return vector::ShuffleOp::create(b, table, table, mask);
}

SmallVector<Value> IntDotBuilder::vnniTotals(ArrayRef<Value> m,
                                             ArrayRef<Value> nr,
                                             ArrayRef<Value> rowBase,
                                             ArrayRef<Value> highBase) {
  const int rm = m.size(), rn = nr.size(), rr = rm * rn;
  Type f32 = b.getF32Type();
  VectorType vf = b.vec(sh.lanes, f32);
  const bool f32Scales = spec.scaleType.isF32();
  const int64_t gw = spec.weightGroup;
  const int64_t ga = spec.actPerRow ? spec.k : spec.actGroup;
  // The codes of slice L start at chunk * CC + 16 * half * P in the
  // superstep.
  auto firstCode = [&](const Shape::Slice &slice) {
    return slice.chunk * sh.cc + 16 * slice.half * sh.p;
  };
  return b.loop(
      b.index(0), b.index(spec.k), b.index(sh.cv),
      SmallVector<Value>(rr, b.splat(sh.lanes, f32, 0)),
      [&](Value cv, ValueRange t) -> SmallVector<Value> {
        SmallVector<Value> sums = b.loop(
            b.index(0), b.index(sh.cv), b.index(sh.ss),
            SmallVector<Value>(rr, b.splat(sh.lanes, b.getI32Type(), 0)),
            [&](Value so, ValueRange acc) {
              Value k = arith::AddIOp::create(b, cv, so);
              return superstep(m, rowBase, highBase, k, acc);
            });
        // Scales: one per conversion block, or per lane when a superstep
        // (= the conversion block) spans several blocks.
        Value g = arith::DivUIOp::create(b, cv, b.index(gw));
        SmallVector<Value> weightScale;
        for (int c = 0; c < rn; ++c) {
          if (!sh.perLaneW) {
            weightScale.push_back(broadcastScale(nr[c], g, vf));
            continue;
          }
          int64_t groups = sh.ss / gw;
          Value sw = vector::LoadOp::create(b, b.vec(groups, spec.scaleType),
                                            x.s, ValueRange{nr[c], g});
          if (!f32Scales)
            sw = arith::ExtFOp::create(b, b.vec(groups, f32), sw);
          weightScale.push_back(spreadPerLane(
              sw, 1, [&](const Shape::Slice &s) { return firstCode(s) / gw; }));
        }
        SmallVector<Value> actScale;
        if (!spec.actPerRow) {
          for (int r = 0; r < rm; ++r) {
            if (!sh.perLaneA) {
              Value ba = arith::DivUIOp::create(b, cv, b.index(ga));
              Value sa = memref::LoadOp::create(b, x.sa, ValueRange{m[r], ba});
              actScale.push_back(vector::BroadcastOp::create(b, vf, sa));
              continue;
            }
            // sax holds each 16-byte unit's scale four times.
            int64_t units = sh.ss / sh.u;
            Value unit = arith::DivUIOp::create(b, cv, b.index(sh.u));
            Value at = arith::MulIOp::create(b, unit, b.index(4));
            Value sa = vector::LoadOp::create(b, b.vec(4 * units, f32), x.sax,
                                              ValueRange{m[r], at});
            actScale.push_back(spreadPerLane(
                sa, 4, [&](const Shape::Slice &s) { return firstCode(s) / sh.u; }));
          }
        }
        return scaleInto(sums, weightScale, actScale, t);
      });
}


void IntDotBuilder::build() {
  Value m = b.dim(x.qa, 0);
  // The activations with each chunk of CC codes split into its P phases.
  permuteActivations(b, x.qa, x.ap, m, spec.k, sh.cc, sh.p);
  // asum[m, g]: the sum of the activations (times their scales, per
  // block) over weight block g, for the offset correction.
  activationSums(b, spec, x, m, spec.weightGroup);
  if (!spec.actPerRow) {
    // sax[m, 4u + l]: the activation scale of 16-byte unit u, four times
    // (one per i32 lane that unit's products reach).
    b.loop(b.index(0), m, b.index(1), [&](Value row) {
      b.loop(0, spec.k / sh.u, 1, [&](Value unit) {
        Value ku = arith::MulIOp::create(b, unit, b.index(sh.u));
        Value ga = arith::DivUIOp::create(b, ku, b.index(spec.actGroup));
        Value sv = memref::LoadOp::create(b, x.sa, ValueRange{row, ga});
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
  flip = b.splat(sh.vnni ? sh.vb : sh.cb, i8, int8_t(sign));
  ones = b.splat(sh.vw, b.getI16Type(), 1);
  offsets = b.splat(sh.ng, b.getF32Type(),
                    spec.signedCodes && (spec.bits < 8 || sh.vnni)
                        ? 1 << (spec.bits - 1)
                        : 0);
  if (sh.planes)
    high = sh.high.constants(b);
  Value mTiles = arith::MulIOp::create(
      b, arith::DivUIOp::create(b, m, b.index(4)), b.index(4));
  b.parallel(b.index(0), b.index(spec.n), b.index(sh.rn), [&](Value nt) {
    // Tiles of four activation rows by one weight row (VNNI: two) at a
    // time.
    int rnGemm = sh.vnni ? sh.rnGemm : 1;
    b.loop(b.index(0), mTiles, b.index(4), [&](Value mt) {
      b.loop(0, sh.rn, rnGemm, [&](Value nc) {
        tile(mt, arith::AddIOp::create(b, nt, nc), 4, rnGemm);
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

SmallVector<Value> IntDotBuilder::avx2Totals(ArrayRef<Value> m,
                                             ArrayRef<Value> nr,
                                             ArrayRef<Value> rowBase,
                                             ArrayRef<Value> highBase) {
  const int rm = m.size(), rn = nr.size(), rr = rm * rn;
  Type f32 = b.getF32Type();
  VectorType vf = b.vec(sh.vd, f32), vi = b.vec(sh.vd, b.getI32Type()),
             vh = b.vec(sh.vw, b.getI16Type());
  auto zeros = [&](Type t, double v = 0) {
    return SmallVector<Value>(rr, b.splat(cast<VectorType>(t).getNumElements(),
                                          cast<VectorType>(t).getElementType(),
                                          v));
  };
  // Conversion blocks of CV codes: i32 sums converted to f32 and scaled.
  return b.loop(
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
          weightScale.push_back(broadcastScale(nr[c], g, vf));
        }
        SmallVector<Value> actScale;
        if (!spec.actPerRow) {
          Value unit = arith::DivUIOp::create(b, cv, b.index(sh.u));
          Value at = arith::MulIOp::create(b, unit, b.index(4));
          for (int r = 0; r < rm; ++r)
            actScale.push_back(
                vector::LoadOp::create(b, vf, x.sax, ValueRange{m[r], at}));
        }
        return scaleInto(sums, weightScale, actScale, t);
      });
}

void IntDotBuilder::tile(Value mt, Value n0, int rm, int rn) {
  Type f32 = b.getF32Type();
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
  SmallVector<Value> totals = sh.vnni
                                  ? vnniTotals(m, nr, rowBase, highBase)
                                  : avx2Totals(m, nr, rowBase, highBase);
  // VNNI: the factors of fields read in place divided out (powers of two:
  // exact).
  if (sh.vnni && llvm::any_of(sh.laneFactor, [](float f) { return f != 1; })) {
    SmallVector<float> inverse;
    for (float f : sh.laneFactor)
      inverse.push_back(1.0f / f);
    Value v = b.f32Vector(inverse);
    for (Value &total : totals)
      total = arith::MulFOp::create(b, total, v);
  }
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
    Value so = arith::MulFOp::create(b, sw, o);
    // Mins (w = s u - mn, the qtensor's subtracted mins; llama.cpp's Q4_1
    // is mn = -m): sum_k mn a s_a = mn * asum, a scaled offset of its own.
    if (spec.minType) {
      Value mn = vector::LoadOp::create(b, b.vec(sh.ng, spec.minType), x.mn,
                                        ValueRange{nr[c], b.index(0)});
      if (!spec.minType.isF32())
        mn = arith::ExtFOp::create(b, vg, mn);
      so = arith::AddFOp::create(b, so, mn);
    }
    scaledOffsets.push_back(so);
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


/// Whether this process may use AMX tiles (an i1), asked of Linux: it
/// gives a process the AMX tile state only on request
/// (arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA), Linux 5.16 and
/// later), and a tile instruction without it is a SIGILL. The request is
/// the `syscall` instruction itself (inline assembly: the kernel needs no
/// symbol from the C library), about 0.1 us; the permission is the
/// process's, for every thread, and asking again is harmless, so the kernel
/// asks on every call that has a block of 16 rows.
Value requestAmxPermission(KernelBuilder &b) {
  Type i64 = b.getI64Type();
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, i64, v);
  };
  // SYS_arch_prctl = 158, ARCH_REQ_XCOMP_PERM = 0x1023,
  // XFEATURE_XTILEDATA = 18; the kernel clobbers rcx and r11.
  auto call = LLVM::InlineAsmOp::create(
      b, i64, ValueRange{constant(158), constant(0x1023), constant(18)},
      "syscall", "={rax},{rax},{rdi},{rsi},~{rcx},~{r11},~{memory}",
      /*has_side_effects=*/true, /*is_align_stack=*/false,
      LLVM::tailcallkind::TailCallKind::None, /*asm_dialect=*/LLVM::AsmDialectAttr(),
      /*operand_attrs=*/ArrayAttr());
  return arith::CmpIOp::create(b, arith::CmpIPredicate::eq, call.getResult(0),
                               constant(0));
}

/// The row-lane form's sizes.
struct RowLaneShape {
  /// Vector bytes; weight rows per vector (= i32 lanes).
  int vb, lanes;
  /// Codes per byte, field bits, codes per 4-byte chunk.
  int p, fb;
  int64_t cq;
  /// Conversion block: min(G, GA) codes; vectors of R rows per tile.
  int64_t cv;
  int groups;
  int64_t kBytes;
};

RowLaneShape rowLaneShapeOf(const IntDotKernelSpec &spec) {
  RowLaneShape r;
  r.vb = spec.isa == DotISA::VNNI512 ? 64 : 32;
  r.lanes = r.vb / 4;
  r.fb = spec.bits;
  r.p = 8 / spec.bits;
  r.cq = 4 * r.p;
  int64_t ga = spec.actPerRow ? spec.k : spec.actGroup;
  r.cv = std::min(spec.weightGroup, ga);
  r.groups = spec.n % (2 * r.lanes) == 0 ? 2 : 1;
  r.kBytes = spec.k * spec.bits / 8;
  return r;
}

/// Builds the row-lane form's body.
class RowLaneBuilder {
public:
  RowLaneBuilder(KernelBuilder &b, const IntDotKernelSpec &spec,
                 const RowLaneShape &sh, Args args)
      : b(b), spec(spec), sh(sh), x(args) {}

  void build() {
    Value m = b.dim(x.qa, 0);
    act = x.qa;
    if (sh.p > 1) {
      // Chunks of 4P codes in phase order: phase j of a weight chunk's 4
      // bytes meets activation bytes 4j .. 4j + 3 of the chunk.
      permuteActivations(b, x.qa, x.ap, m, spec.k, sh.cq, sh.p);
      act = x.ap;
    }
    // Signed codes are read as unsigned ones, code + offset (with both
    // planes: the 8-bit code's).
    int codeBits = spec.bothPlanes ? spec.storedBits : spec.bits;
    offset = spec.signedCodes ? double(1 << (codeBits - 1)) : 0.0;
    if (offset != 0 || spec.minType) {
      // asum[m, b]: the activations (times their scales, per block) summed
      // over conversion block b, for the offset and min corrections.
      activationSums(b, spec, x, m, sh.cv);
    }
    Type i8 = b.getI8Type();
    int sign = 0;
    for (int j = 0; j < sh.p; ++j)
      sign |= 1 << (sh.fb * j + sh.fb - 1);
    flip = b.splat(sh.vb, i8, int8_t(sign));
    mask = b.splat(sh.vb, i8, int8_t((1 << sh.fb) - 1));
    // The scales of a vector's R rows in one block: stride K/G apart
    // (lane-order parts: one vector).
    int64_t ng = spec.k / spec.weightGroup;
    SmallVector<int64_t> strides;
    for (int i = 0; i < sh.lanes; ++i)
      strides.push_back(i * ng);
    scaleStrides = b.intVector(b.getI32Type(), strides);
    if (!spec.laneOrderParts) {
      flatScales = memref::CollapseShapeOp::create(
          b, x.s, ArrayRef<ReassociationIndices>{{0, 1}});
      if (spec.minType && !spec.nestedShift)
        flatMins = memref::CollapseShapeOp::create(
            b, x.mn, ArrayRef<ReassociationIndices>{{0, 1}});
    }
    // AMX takes the whole blocks of 16 rows when the process may use it;
    // the vpdpbusd tiles the rest, 4 rows at a time, then one.
    Value mAmx = b.index(0);
    if (spec.amxTiles) {
      Value enough = arith::CmpIOp::create(b, arith::CmpIPredicate::uge, m,
                                           b.index(16));
      auto ask = scf::IfOp::create(b, TypeRange{b.getI1Type()}, enough, true);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ask.thenBlock());
        scf::YieldOp::create(b, requestAmxPermission(b));
        b.setInsertionPointToStart(ask.elseBlock());
        scf::YieldOp::create(
            b, ValueRange{arith::ConstantIntOp::create(b, b.getI1Type(), 0)});
      }
      Value ready = ask.getResult(0);
      Value whole = arith::MulIOp::create(
          b, arith::DivUIOp::create(b, m, b.index(16)), b.index(16));
      mAmx = arith::SelectOp::create(b, ready, whole, b.index(0));
    }
    Value mTiles = arith::AddIOp::create(
        b, mAmx,
        arith::MulIOp::create(
            b,
            arith::DivUIOp::create(b, arith::SubIOp::create(b, m, mAmx),
                                   b.index(4)),
            b.index(4)));
    if (spec.amxTiles) {
      // A parallel loop of its own, over chunks of rows.
      Value any = arith::CmpIOp::create(b, arith::CmpIPredicate::ugt, mAmx,
                                        b.index(0));
      auto ifOp = scf::IfOp::create(b, any, false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      amxRows(mAmx);
    }
    // The GEMV's vectors of R rows per step: with phase chains, 4 on
    // AVX-512 where N allows, so that each activation broadcast (one load
    // per phase) serves 4 weight loads. A GEMV from DRAM is bound by the
    // loads in flight, and the P broadcasts per weight vector kept the
    // 2-bit GEMV at 56-60% of the stream bandwidth on Emerald Rapids
    // (Rationale.md, "What binds the W1 GEMV"). The GEMM's 4 activation
    // rows keep sh.groups vectors (their accumulators fill the registers)
    // and run once per sh.groups vectors of the step.
    // (N a multiple of 4 R is a multiple of 2 R: sh.groups is 2 then.)
    const int gemvVectors =
        phaseChains(1) > 1 && sh.vb == 64 && spec.n % (4 * sh.lanes) == 0
            ? 4
            : sh.groups;
    b.parallel(b.index(0), b.index(spec.n), b.index(sh.lanes * gemvVectors),
               [&](Value nt) {
                 b.loop(mAmx, mTiles, b.index(4), [&](Value mt) {
                   for (int c = 0; c < gemvVectors; c += sh.groups)
                     tile(mt,
                          arith::AddIOp::create(b, nt,
                                                b.index(c * sh.lanes)),
                          4, sh.groups);
                 });
                 b.loop(mTiles, m, b.index(1), [&](Value mt) {
                   if (phaseChains(1) == 1 || gemvVectors == 4) {
                     tile(mt, nt, 1, gemvVectors);
                     return;
                   }
                   // The phase chains are independent enough: one vector
                   // of R rows at a time, so that the weight is read as
                   // one sequential stream (measured faster from DRAM
                   // than two interleaved ones on Zen 4).
                   for (int c = 0; c < sh.groups; ++c)
                     tile(mt,
                          arith::AddIOp::create(b, nt,
                                                b.index(c * sh.lanes)),
                          1, 1);
                 });
               });
  }

private:
  /// 4 activation bytes at (row, k) in every i32 lane.
  Value broadcastWord(Value row, Value k) {
    Value four = vector::LoadOp::create(b, b.vec(4, b.getI8Type()), act,
                                        ValueRange{row, k});
    Value word = vector::BitCastOp::create(b, b.vec(1, b.getI32Type()), four);
    Value w = vector::ExtractOp::create(b, word, ArrayRef<int64_t>{0});
    Value all = vector::BroadcastOp::create(b, b.vec(sh.lanes, b.getI32Type()), w);
    return vector::BitCastOp::create(b, b.vec(sh.vb, b.getI8Type()), all);
  }

  /// Phase j's unsigned fields of a vector of weight bytes: shifted down,
  /// or (`inPlace`) masked where they are, i.e. the code times 2^(fb j)
  /// (one mask, no shift).
  Value field(Value bytes, int j, bool inPlace = false) {
    if (sh.fb == 8)
      return bytes;
    if (inPlace)
      return arith::AndIOp::create(
          b, bytes,
          b.splat(sh.vb, b.getI8Type(),
                  double(int8_t(uint8_t(((1 << sh.fb) - 1) << (sh.fb * j))))));
    if (j > 0) {
      // (On i16 lanes: the bits shifted in from the next byte are masked.)
      VectorType words = b.vec(sh.vb / 2, b.getI16Type());
      Value w = vector::BitCastOp::create(b, words, bytes);
      w = arith::ShRUIOp::create(
          b, w, b.splat(sh.vb / 2, b.getI16Type(), sh.fb * j));
      bytes = vector::BitCastOp::create(b, b.vec(sh.vb, b.getI8Type()), w);
    }
    return arith::AndIOp::create(b, bytes, mask);
  }

  /// Phase j of a chunk of both planes (bothPlanes) as one byte per code:
  /// the high plane's nibble j (already offset by the sign flip) times 16
  /// plus the low plane's nibble j. Shifts on i16 lanes, then masks.
  Value joinedField(Value high, Value low, int j) {
    VectorType words = b.vec(sh.vb / 2, b.getI16Type());
    VectorType bytes = b.vec(sh.vb, b.getI8Type());
    auto shift = [&](Value v, bool left) -> Value {
      Value w = vector::BitCastOp::create(b, words, v);
      Value four = b.splat(sh.vb / 2, b.getI16Type(), 4);
      w = left ? Value(arith::ShLIOp::create(b, w, four))
               : Value(arith::ShRUIOp::create(b, w, four));
      return vector::BitCastOp::create(b, bytes, w);
    };
    Value hiMask = b.splat(sh.vb, b.getI8Type(), double(int8_t(0xF0)));
    Value loMask = b.splat(sh.vb, b.getI8Type(), 0x0F);
    Value hi = arith::AndIOp::create(b, j == 0 ? shift(high, true) : high,
                                     hiMask);
    Value lo = arith::AndIOp::create(b, j == 0 ? low : shift(low, false),
                                     loMask);
    return arith::OrIOp::create(b, hi, lo);
  }

  /// `yv` (R outputs from row `row0`) plus the bias, when the kernel adds it.
  Value addBias(Value yv, Value row0) {
    if (!spec.bias)
      return yv;
    Value bias = vector::LoadOp::create(
        b, b.vec(sh.lanes, b.getF32Type()), x.bias, ValueRange{row0});
    return arith::AddFOp::create(b, yv, bias);
  }

  /// The AMX form's weight bytes: phase j's fields as the codes' values,
  /// signed codes back to two's complement (u - offset, wrapping in i8:
  /// exact for 2-, 4- and 8-bit codes), so that tdpbssd needs no offset
  /// correction; unsigned codes stay unsigned (tdpbsud).
  Value signedField(Value bytes, int j) {
    Value u = field(bytes, j);
    if (!spec.signedCodes)
      return u;
    return arith::SubIOp::create(
        b, u, b.splat(sh.vb, b.getI8Type(), double(int8_t(int64_t(offset)))));
  }

  /// The i32 chains per vector of R rows of a tile of `rm` activation
  /// rows: one per phase for one row (see tile), else one.
  int phaseChains(int rm) const {
    return rm == 1 && sh.p > 1 ? sh.p : 1;
  }

  /// Activation rows mt .. mt + rm - 1 times `rc` vectors of R weight rows
  /// from nt.
  void tile(Value mt, Value nt, int rm, int rc) {
    const int rr = rm * rc;
    // One activation row: each phase in an i32 chain of its own, its fields
    // read in place (times 2^(fb j)) and shifted back once per block. The
    // GEMV's vpdpbusd then do not wait on each other (a block's P * cv /
    // (4P) products into one register were a latency-bound chain), and a
    // field costs a mask instead of a shift and a mask. (Exact: a chain's
    // sum is 2^(fb j) times an integer; |sum| <= cv * 255 * 128 < 2^31
    // for cv <= 65536.) Joined planes (bothPlanes) keep their fields and
    // get the chains alone.
    const int chains = phaseChains(rm);
    Type f32 = b.getF32Type(), i32 = b.getI32Type();
    VectorType vi = b.vec(sh.lanes, i32), vbytes = b.vec(sh.vb, b.getI8Type());
    SmallVector<Value> m, rows0, tileBase;
    for (int r = 0; r < rm; ++r)
      m.push_back(arith::AddIOp::create(b, mt, b.index(r)));
    for (int c = 0; c < rc; ++c) {
      rows0.push_back(arith::AddIOp::create(b, nt, b.index(c * sh.lanes)));
      // Tile t = rows0 / R holds its R rows' chunks one after another.
      tileBase.push_back(arith::MulIOp::create(b, rows0[c],
                                               b.index(sh.kBytes)));
    }
    SmallVector<Value> totals = b.loop(
        b.index(0), b.index(spec.k), b.index(sh.cv),
        SmallVector<Value>(rr, b.splat(sh.lanes, f32, 0)),
        [&](Value cv, ValueRange t) -> SmallVector<Value> {
          SmallVector<Value> sums = b.loop(
              b.index(0), b.index(sh.cv), b.index(sh.cq),
              SmallVector<Value>(rr * chains, b.splat(sh.lanes, i32, 0)),
              [&](Value kc, ValueRange acc) -> SmallVector<Value> {
                Value k = arith::AddIOp::create(b, cv, kc);
                // Chunk q of a tile is R x 4 bytes at q * VB.
                Value at = arith::MulIOp::create(
                    b, arith::DivUIOp::create(b, k, b.index(sh.cq)),
                    b.index(sh.vb));
                SmallVector<Value> bytes, lowBytes;
                for (int c = 0; c < rc; ++c) {
                  Value off = arith::AddIOp::create(b, tileBase[c], at);
                  Value v = vector::LoadOp::create(b, vbytes, x.w,
                                                   ValueRange{off});
                  if (spec.signedCodes)
                    v = arith::XOrIOp::create(b, v, flip);
                  bytes.push_back(v);
                  if (spec.bothPlanes)
                    lowBytes.push_back(vector::LoadOp::create(
                        b, vbytes, x.wLow, ValueRange{off}));
                }
                SmallVector<Value> out(acc.begin(), acc.end());
                for (int j = 0; j < sh.p; ++j) {
                  SmallVector<Value> u;
                  for (int c = 0; c < rc; ++c)
                    u.push_back(spec.bothPlanes
                                    ? joinedField(bytes[c], lowBytes[c], j)
                                : field(bytes[c], j, chains > 1));
                  Value kj = j ? Value(arith::AddIOp::create(
                                     b, k, b.index(4 * j)))
                               : k;
                  for (int r = 0; r < rm; ++r) {
                    Value a = broadcastWord(m[r], kj);
                    for (int c = 0; c < rc; ++c) {
                      int i = (r * rc + c) * chains + (chains > 1 ? j : 0);
                      out[i] = x86::DPBUSDOp::create(b, vi, out[i], u[c], a);
                    }
                  }
                }
                return out;
              });
          if (chains > 1) {
            // sum_j chain_j >> fb j (arithmetic: exact on multiples).
            SmallVector<Value> joined;
            for (int i = 0; i < rr; ++i) {
              Value s = sums[i * chains];
              for (int j = 1; j < chains; ++j) {
                Value chain = sums[i * chains + j];
                // (Joined fields are whole codes already.)
                if (!spec.bothPlanes)
                  chain = arith::ShRSIOp::create(
                      b, chain, b.splat(sh.lanes, i32, sh.fb * j));
                s = arith::AddIOp::create(b, s, chain);
              }
              joined.push_back(s);
            }
            sums = joined;
          }
          SmallVector<Value> weightScale, negMins;
          blockWeightParts(cv, rows0, weightScale, negMins);
          SmallVector<Value> next;
          for (int r = 0; r < rm; ++r) {
            RowTerms terms = rowTerms(m[r], cv);
            for (int c = 0; c < rc; ++c) {
              int i = r * rc + c;
              next.push_back(accumulate(sums[i], terms, weightScale[c],
                                        spec.minType ? negMins[c] : Value(),
                                        t[i]));
            }
          }
          return next;
        });
    storeRowTotals(b, totals, m, rows0, x.y, spec.actPerRow ? x.sa : Value(),
                   [&](Value yv, Value col) { return addBias(yv, col); });
  }

  /// The per-block weight parts of the vectors of R rows at `rows0`, for
  /// the conversion block at code `cv`: R rows' scales (one vector load in
  /// lane order, else a gather) and, with mins, their negations (w = s u -
  /// mn: - mn * asum per block).
  void blockWeightParts(Value cv, ArrayRef<Value> rows0,
                        SmallVector<Value> &weightScale,
                        SmallVector<Value> &negMins) {
    VectorType vf = b.vec(sh.lanes, b.getF32Type());
    const int64_t gw = spec.weightGroup;
    Value g = arith::DivUIOp::create(b, cv, b.index(gw));
    auto gatherRows = [&](Value flat, Type type, Value base) -> Value {
      Value all = b.splat(sh.lanes, b.getI1Type(), 1);
      Value pass = b.splat(sh.lanes, type, 0);
      Value v = vector::GatherOp::create(b, b.vec(sh.lanes, type), flat,
                                         ValueRange{base}, scaleStrides, all,
                                         pass);
      return type.isF32() ? v : arith::ExtFOp::create(b, vf, v);
    };
    auto loadRows = [&](Value part, Type type, Value tileRow) -> Value {
      Value v = vector::LoadOp::create(b, b.vec(sh.lanes, type), part,
                                       ValueRange{tileRow, g, b.index(0)});
      return type.isF32() ? v : arith::ExtFOp::create(b, vf, v);
    };
    for (Value row0 : rows0) {
      Value scale, min;
      const bool loadMins = spec.minType && !spec.nestedShift;
      if (spec.laneOrderParts) {
        Value tileRow = arith::DivUIOp::create(b, row0, b.index(sh.lanes));
        scale = loadRows(x.s, spec.scaleType, tileRow);
        if (loadMins)
          min = loadRows(x.mn, spec.minType, tileRow);
      } else {
        Value base = arith::AddIOp::create(
            b, arith::MulIOp::create(b, row0, b.index(spec.k / gw)), g);
        scale = gatherRows(flatScales, spec.scaleType, base);
        if (loadMins)
          min = gatherRows(flatMins, spec.minType, base);
      }
      if (spec.nestedShift) {
        // The stored scale s: s' = s * 2^d, -m' = s * (2^d - 1) / 2.
        int d = spec.nestedShift;
        negMins.push_back(arith::MulFOp::create(
            b, scale, b.splat(sh.lanes, b.getF32Type(),
                              double((1 << d) - 1) / 2.0)));
        weightScale.push_back(arith::MulFOp::create(
            b, scale, b.splat(sh.lanes, b.getF32Type(), double(1 << d))));
        continue;
      }
      weightScale.push_back(scale);
      if (spec.minType)
        negMins.push_back(arith::NegFOp::create(b, min));
    }
  }

  /// What one activation row contributes to a conversion block's update:
  /// its block scale (activation blocks), the offset correction - offset *
  /// asum, and asum itself (for the mins).
  struct RowTerms {
    Value sa, correction, asumVector;
  };
  RowTerms rowTerms(Value row, Value cv, bool withOffset = true) {
    VectorType vf = b.vec(sh.lanes, b.getF32Type());
    RowTerms terms;
    const double offset = withOffset ? this->offset : 0.0;
    if (!spec.actPerRow) {
      Value ba = arith::DivUIOp::create(b, cv, b.index(spec.actGroup));
      terms.sa = vector::BroadcastOp::create(
          b, vf, memref::LoadOp::create(b, x.sa, ValueRange{row, ba}));
    }
    if (offset != 0 || spec.minType) {
      Value blockIndex = arith::DivUIOp::create(b, cv, b.index(sh.cv));
      Value as = memref::LoadOp::create(b, x.asum, ValueRange{row, blockIndex});
      terms.asumVector = vector::BroadcastOp::create(b, vf, as);
      if (offset != 0)
        terms.correction = vector::BroadcastOp::create(
            b, vf, arith::MulFOp::create(b, as, b.f32(-offset)));
    }
    return terms;
  }

  /// acc + sw * (sa * dot - offset * asum) [- mn * asum]: one block's i32
  /// sums of R rows (`sums`) added to their f32 totals (sa = 1 per row:
  /// the row's scale applies at the end).
  Value accumulate(Value sums, const RowTerms &terms, Value weightScale,
                   Value negMin, Value acc) {
    VectorType vf = b.vec(sh.lanes, b.getF32Type());
    Value inner = arith::SIToFPOp::create(b, vf, sums);
    if (terms.sa && terms.correction)
      inner = vector::FMAOp::create(b, inner, terms.sa, terms.correction);
    else if (terms.sa)
      inner = arith::MulFOp::create(b, inner, terms.sa);
    else if (terms.correction)
      inner = arith::AddFOp::create(b, inner, terms.correction);
    acc = vector::FMAOp::create(b, inner, weightScale, acc);
    if (negMin)
      acc = vector::FMAOp::create(b, negMin, terms.asumVector, acc);
    return acc;
  }

  /// Weight panels (of R = 16 rows) per pass of the AMX form: each A tile
  /// load serves this many tile products (4 C tiles, the A tile and a B tile of
  /// AMX's 8 registers).
  int amxPanels() const {
    return spec.n % 64 == 0 ? 4 : spec.n % 32 == 0 ? 2 : 1;
  }

  /// AMX (spec.amxTiles): rows [0, mAmx), a multiple of 16. Threads take
  /// chunks of rows (at most 256, so that a chunk's activations stay in L2
  /// while every weight panel passes). Per pass of P panels of 16 weight
  /// rows the thread unpacks them once (bs: row p * K/4 + q of panel p
  /// holds, for each of its 16 weight rows, the 4 codes, signedField, that
  /// meet permuted activation bytes 4q .. 4q + 3: an AMX B tile's row).
  /// Then per block of 16 rows and panel, the tile products' i32 sums of
  /// each conversion block go through cs to the vpdpbusd tiles' f32 update
  /// (accumulate), the 16 rows' totals in registers, and are stored in y.
  void amxRows(Value mAmx) {
    // Rows per chunk: 16 * ceil(mAmx / 16 / 8), at most 256: 8 chunks
    // or more to share between threads.
    Value tiles = arith::DivUIOp::create(b, mAmx, b.index(16));
    Value perChunk = arith::MinUIOp::create(
        b,
        arith::MulIOp::create(
            b,
            arith::DivUIOp::create(b, arith::AddIOp::create(b, tiles,
                                                            b.index(7)),
                                   b.index(8)),
            b.index(16)),
        b.index(256));
    Value chunks = arith::DivUIOp::create(
        b,
        arith::AddIOp::create(
            b, mAmx, arith::SubIOp::create(b, perChunk, b.index(1))),
        perChunk);
    b.parallel(b.index(0), chunks, b.index(1), [&](Value ci) {
      Value m0 = arith::MulIOp::create(b, ci, perChunk);
      Value m1 = arith::MinUIOp::create(
          b, arith::AddIOp::create(b, m0, perChunk), mAmx);
      amxChunk(m0, m1);
    });
  }

  /// K codes per tile op: 64, or 32 or 16 when a conversion block is
  /// shorter.
  int64_t amxStep() const {
    return sh.cv % 64 == 0 ? 64 : sh.cv % 32 == 0 ? 32 : 16;
  }
  /// Codes per pass over a C tile: up to 4 tile ops, dividing the block.
  int64_t amxPassCodes() const {
    int64_t kt = amxStep();
    int64_t sub = kt * std::min<int64_t>(4, sh.cv / kt);
    while (sh.cv % sub != 0)
      sub -= kt;
    return sub;
  }

  /// Conversion blocks per step of the AMX form (independent C tiles):
  /// 4, 2 or 1, dividing K's blocks; 1 when a block takes several tile ops.
  int64_t amxUnroll() const {
    int64_t blocks = spec.k / sh.cv;
    if (amxPassCodes() != sh.cv)
      return 1;
    return blocks % 4 == 0 ? 4 : blocks % 2 == 0 ? 2 : 1;
  }

  void amxChunk(Value m0, Value m1) {
    const int rc = amxPanels();
    const int64_t quads = spec.k / 4;
    Type i8 = b.getI8Type(), i32 = b.getI32Type();
    // Per thread: allocas at the top of the parallel body (once per thread
    // after qc-hoist-parallel-allocas).
    Value bs = memref::AllocaOp::create(
        b, MemRefType::get({rc * quads, 64}, i8), ValueRange{},
        b.getI64IntegerAttr(64));
    Value cs = memref::AllocaOp::create(
        b, MemRefType::get({16 * amxUnroll(), 16}, i32), ValueRange{},
        b.getI64IntegerAttr(64));
    b.loop(b.index(0), b.index(spec.n), b.index(16 * rc),
           [&](Value nt) { amxPass(nt, m0, m1, bs, cs); });
  }

  void amxPass(Value nt, Value m0, Value m1, Value bs, Value cs) {
    const int rc = amxPanels();
    const int64_t quads = spec.k / 4;
    Type i8 = b.getI8Type(), i32 = b.getI32Type();
    SmallVector<Value> rows0;
    VectorType vbytes = b.vec(sh.vb, i8);
    for (int c = 0; c < rc; ++c) {
      rows0.push_back(arith::AddIOp::create(b, nt, b.index(c * sh.lanes)));
      Value base = arith::MulIOp::create(b, rows0[c], b.index(sh.kBytes));
      b.loop(b.index(0), b.index(spec.k / sh.cq), b.index(1), [&](Value q) {
        Value at = arith::AddIOp::create(
            b, base, arith::MulIOp::create(b, q, b.index(sh.vb)));
        Value v = vector::LoadOp::create(b, vbytes, x.w, ValueRange{at});
        if (spec.signedCodes)
          v = arith::XOrIOp::create(b, v, flip);
        Value row = arith::AddIOp::create(
            b, arith::MulIOp::create(b, q, b.index(sh.p)),
            b.index(c * quads));
        for (int j = 0; j < sh.p; ++j)
          vector::StoreOp::create(
              b, signedField(v, j), bs,
              ValueRange{arith::AddIOp::create(b, row, b.index(j)),
                         b.index(0)});
      });
    }
    int64_t kt = amxStep(), sub = amxPassCodes();
    auto aTile = amx::TileType::get({16, kt}, i8);
    auto bTile = amx::TileType::get({kt / 4, 64}, i8);
    auto cTile = amx::TileType::get({16, 16}, i32);
    VectorType vf = b.vec(sh.lanes, b.getF32Type());
    Value csAt = b.index(0);
    const int64_t unroll = amxUnroll();
    // Per block of 16 rows and panel: the 16 rows' f32 totals stay in
    // registers (16 of the 32 zmm) across the conversion blocks.
    b.loop(m0, m1, b.index(16), [&](Value mt) {
      SmallVector<Value> rows;
      for (int r = 0; r < 16; ++r)
        rows.push_back(arith::AddIOp::create(b, mt, b.index(r)));
      for (int c = 0; c < rc; ++c) {
        Value bRow0 = b.index(c * quads);
        // U conversion blocks per step, each in its own C tile, their
        // tile product chains interleaved: tile registers are not renamed, so
        // chains that shared one would run one after another.
        auto pass = [&](ArrayRef<Value> k0s, bool fromZero) {
          SmallVector<Value> acc;
          for (size_t u = 0; u < k0s.size(); ++u)
            acc.push_back(fromZero
                              ? Value(amx::TileZeroOp::create(b, cTile))
                              : Value(amx::TileLoadOp::create(
                                    b, cTile, cs,
                                    ValueRange{b.index(16 * u), csAt})));
          for (int64_t step = 0; step < sub; step += kt) {
            for (size_t u = 0; u < k0s.size(); ++u) {
              Value k = arith::AddIOp::create(b, k0s[u], b.index(step));
              Value a =
                  amx::TileLoadOp::create(b, aTile, act, ValueRange{mt, k});
              Value q = arith::AddIOp::create(
                  b, arith::DivUIOp::create(b, k, b.index(4)), bRow0);
              Value w = amx::TileLoadOp::create(b, bTile, bs,
                                                ValueRange{q, b.index(0)});
              auto mul = amx::TileMulIOp::create(b, cTile, a, w, acc[u]);
              mul.setIsZextRhs(!spec.signedCodes);
              acc[u] = mul;
            }
          }
          for (size_t u = 0; u < k0s.size(); ++u)
            amx::TileStoreOp::create(b, cs, ValueRange{b.index(16 * u), csAt},
                                     acc[u]);
        };
        SmallVector<Value> totals = b.loop(
            b.index(0), b.index(spec.k), b.index(unroll * sh.cv),
            SmallVector<Value>(16, b.splat(sh.lanes, b.getF32Type(), 0)),
            [&](Value cv0, ValueRange t) -> SmallVector<Value> {
              // The blocks' i32 sums, 16 x 16 each, in cs.
              SmallVector<Value> starts;
              for (int64_t u = 0; u < unroll; ++u)
                starts.push_back(
                    arith::AddIOp::create(b, cv0, b.index(u * sh.cv)));
              if (sub == sh.cv) {
                pass(starts, true);
              } else {
                amx::TileStoreOp::create(b, cs, ValueRange{csAt, csAt},
                                         amx::TileZeroOp::create(b, cTile));
                b.loop(cv0, arith::AddIOp::create(b, cv0, b.index(sh.cv)),
                       b.index(sub),
                       [&](Value k0) { pass(ArrayRef<Value>(k0), false); });
              }
              SmallVector<Value> next(t.begin(), t.end());
              for (int64_t u = 0; u < unroll; ++u) {
                SmallVector<Value> weightScale, negMins;
                blockWeightParts(starts[u], ArrayRef<Value>(rows0[c]),
                                 weightScale, negMins);
                for (int r = 0; r < 16; ++r) {
                  RowTerms terms =
                      rowTerms(rows[r], starts[u], /*withOffset=*/false);
                  Value sums = vector::LoadOp::create(
                      b, b.vec(sh.lanes, i32), cs,
                      ValueRange{b.index(16 * u + r), b.index(0)});
                  next[r] = accumulate(sums, terms, weightScale[0],
                                       spec.minType ? negMins[0] : Value(),
                                       next[r]);
                }
              }
              return next;
            });
        for (int r = 0; r < 16; ++r) {
          Value yv = totals[r];
          if (spec.actPerRow)
            yv = arith::MulFOp::create(
                b, yv,
                vector::BroadcastOp::create(
                    b, vf, memref::LoadOp::create(b, x.sa,
                                                  ValueRange{rows[r]})));
          vector::StoreOp::create(b, addBias(yv, rows0[c]), x.y,
                                  ValueRange{rows[r], rows0[c]});
        }
      }
    });
  }

  KernelBuilder &b;
  const IntDotKernelSpec &spec;
  const RowLaneShape &sh;
  Args x;
  Value act, flip, mask, scaleStrides, flatScales, flatMins;
  double offset = 0;
};

std::string checkRowLanes(const IntDotKernelSpec &spec) {
  if (spec.isa == DotISA::AVX2)
    return "the row-lane form needs VNNI";
  if (spec.bits != 2 && spec.bits != 4 && spec.bits != 8)
    return "the row-lane form reads 2-, 4- or 8-bit codes";
  if (spec.zeroPointType)
    return "the row-lane form has no zero points";
  RowLaneShape sh = rowLaneShapeOf(spec);
  if (spec.n % sh.lanes != 0)
    return "N is not a multiple of " + std::to_string(sh.lanes);
  if (sh.cv % sh.cq != 0 || sh.cv % 16 != 0)
    return "blocks do not hold whole chunks";
  return "";
}

} // namespace

std::string checkAmxTiles(const IntDotKernelSpec &spec) {
  if (!spec.rowLanes || spec.isa != DotISA::VNNI512)
    return "AMX tiles extend the row-lane form on 512-bit vectors";
  if (spec.bothPlanes || spec.nestedShift)
    return "AMX tiles read stored codes, not a nested weight's planes";
  return checkRowLanes(spec);
}

std::string checkIntDotKernel(const IntDotKernelSpec &spec) {
  const bool vnni = spec.isa != DotISA::AVX2;
  if (spec.minType && !spec.minType.isF32() && !spec.minType.isF16() &&
      !spec.minType.isBF16())
    return "the weight's mins are not f32, f16 or bf16";
  if (spec.minType && spec.zeroPointType)
    return "the weight has both mins and zero points";
  if (spec.bits != 2 && spec.bits != 3 && spec.bits != 4 && spec.bits != 8)
    return "weight codes are not 2, 3, 4 or 8 bits";
  if (spec.bits == 8 && !spec.signedCodes && !vnni)
    return "8-bit weight codes are unsigned (vpmaddubsw's pair sums of "
           "u8 x s8 products would saturate; a VNNI target has no such "
           "limit)";
  if (spec.bits == 8 && !vnni && !spec.activationsNarrow &&
      !spec.weightsNarrow)
    return "8-bit weights need #qc.int<s8, narrow> weights or activations "
           "(the sign trick negates one operand; -128 has no negation; a "
           "VNNI target has no such limit)";
  // (3-bit codes: the 2-bit plane's chunks.)
  int fb = spec.bits == 3 ? 2 : spec.bits;
  if (spec.weightGroup <= 0 || spec.k % spec.weightGroup != 0 ||
      (spec.weightGroup * fb) % 128 != 0)
    return spec.bits == 3
               ? "weight blocks are not 1 x G with G a multiple of 64"
               : "weight blocks are not 1 x G with G * bits a multiple of 128";
  Shape sh = shapeOf(spec);
  int64_t ga = spec.actPerRow ? spec.k : spec.actGroup;
  if (!spec.actPerRow) {
    int64_t gw = spec.weightGroup;
    if (ga <= 0 || spec.k % ga != 0 || std::max(ga, gw) % std::min(ga, gw))
      return "activation blocks do not nest with the weight blocks";
    if (ga % sh.cc != 0 && ga != sh.u)
      return "activation blocks are not a multiple of " +
             std::to_string(sh.cc) + " codes (or exactly " +
             std::to_string(sh.u) + ")";
  }
  if (spec.rowLanes) {
    std::string why = checkRowLanes(spec);
    if (!why.empty())
      return why;
  } else if (spec.laneOrderParts) {
    return "parts in lane order need the row-lane form";
  }
  if (spec.amxTiles) {
    std::string why = checkAmxTiles(spec);
    if (!why.empty())
      return why;
  }
  if ((spec.bothPlanes || spec.nestedShift) && !spec.rowLanes)
    return "a nested weight's planes are read whole by the row-lane form "
           "only";
  if (spec.bothPlanes &&
      (spec.bits != 4 || spec.storedBits != 8 || spec.planeBitOffset != 4))
    return "both planes are read for #qc.bit_planes<[4, 4]> only";
  if (spec.bias && !spec.rowLanes)
    return "a bias in the kernel needs the row-lane form";
  if (!vnni)
    return "";
  std::string step = std::to_string(sh.ss) + " codes (a " +
                     std::to_string(8 * sh.vb) + "-bit vector of chunks)";
  if (spec.k % sh.ss != 0)
    return "K is not a multiple of " + step;
  auto nests = [&](int64_t g) { return g % sh.ss == 0 || sh.ss % g == 0; };
  if (!nests(spec.weightGroup))
    return "weight blocks do not nest with " + step;
  if (!nests(ga))
    return "activation blocks do not nest with " + step;
  // i32 lanes of a conversion block: 4 products of at most 255 * 128 per
  // step.
  if (sh.cv / sh.vb * 4 * 255 * 128 >= (int64_t(1) << 31))
    return "blocks of " + std::to_string(sh.cv) +
           " codes could overflow the i32 sums";
  return "";
}

DotISA fitDotISA(IntDotKernelSpec spec, DotISA best) {
  for (int isa = int(best); isa > int(DotISA::AVX2); --isa) {
    spec.isa = DotISA(isa);
    if (checkIntDotKernel(spec).empty())
      return spec.isa;
  }
  return DotISA::AVX2;
}

std::pair<int64_t, int64_t> intDotWeightTile(const IntDotKernelSpec &spec) {
  Shape sh = shapeOf(spec);
  return {sh.rn, sh.cb};
}

std::optional<std::pair<int64_t, int64_t>>
rowLaneWeightTile(const IntDotKernelSpec &spec) {
  IntDotKernelSpec rowLanes = spec;
  rowLanes.rowLanes = true;
  rowLanes.tiledWeights = true;
  if (!checkIntDotKernel(rowLanes).empty())
    return std::nullopt;
  return std::make_pair(int64_t(rowLaneShapeOf(spec).lanes), int64_t(4));
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
  addInt8MatmulInputs(signature, spec, spec.actPerRow, spec.actGroup, args.qa,
                      args.sa, args.w);
  SmallVector<int64_t> partShape = {spec.n, ng};
  if (spec.laneOrderParts) {
    int64_t lanes = rowLaneShapeOf(spec).lanes;
    partShape = {spec.n / lanes, ng, lanes};
  }
  signature.add(mem(partShape, spec.scaleType), args.s);
  if (spec.zeroPointType)
    signature.add(mem({spec.n, ng}, spec.zeroPointType), args.z);
  if (spec.minType && !spec.nestedShift)
    signature.add(mem(partShape, spec.minType), args.mn);
  if (spec.bias)
    signature.add(mem({spec.n}, f32), args.bias);
  signature.add(mem({dyn, spec.n}, f32), args.y);
  if (spec.rowLanes) {
    RowLaneShape rl = rowLaneShapeOf(spec);
    signature.add(mem({dyn, spec.k}, i8), args.ap);
    signature.add(mem({dyn, spec.k / rl.cv}, f32), args.asum);
    return signature.build(builder, loc, moduleBody, spec.name,
                           [&](KernelBuilder &b) {
                             if (spec.bothPlanes) {
                               // The low plane: the bytes below the top.
                               WeightSpec low = spec;
                               low.planeBitOffset = 0;
                               args.wLow = viewWeightCodes(b, low, args.w);
                             }
                             args.w = viewWeightCodes(b, spec, args.w);
                             RowLaneBuilder(b, spec, rl, args).build();
                           });
  }
  // Scratch.
  signature.add(mem({dyn, spec.k}, i8), args.ap);
  signature.add(mem({dyn, ng}, f32), args.asum);
  if (!spec.actPerRow)
    signature.add(mem({dyn, spec.k / sh.u * 4}, f32), args.sax);
  return signature.build(builder, loc, moduleBody, spec.name,
                         [&](KernelBuilder &b) {
                           args.w = viewWeightCodes(b, spec, args.w);
                           IntDotBuilder(b, spec, sh, args).build();
                         });
}

} // namespace mlir::qc::cpu
