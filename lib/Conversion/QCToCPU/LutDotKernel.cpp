//===- LutDotKernel.cpp - table-lookup (LUT) CPU kernel generator ---------===//
//
// The LUT kernel (LutDotKernel.h has the arithmetic): per activation row,
// tables of the partial sums of every 4 activations; per weight plane,
// one vpermb per table and 16 x 16 codes, whose lookups vpdpbusd adds
// into each weight row's i32 sum with the plane's power of two.
//
//===----------------------------------------------------------------------===//

#include "LutDotKernel.h"

#include "qc/Dialect/QC/IR/QCAttributes.h"
#include "qc/Dialect/X86/IR/X86Dialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <algorithm>

namespace mlir::qc::cpu {

Attribute lutWeightLayout(MLIRContext *ctx, int bits, int64_t chunkBytes) {
  auto tile = TiledLayoutAttr::get(ctx, kLutTileRows, chunkBytes);
  if (bits == 1)
    return tile;
  return BitPlanesAttr::get(ctx, SmallVector<int64_t>(size_t(bits), 1), tile);
}

int lutKernelCost(int planes, bool shuffles, int64_t chunkBytes) {
  if (shuffles)
    return 20 * planes;
  return chunkBytes == 4 ? (11 * planes + 1) / 2 : 8 * planes;
}

int64_t bestLutChunkBytes(LutDotKernelSpec spec) {
  spec.chunkBytes = 4;
  return checkLutDotKernel(spec).empty() ? 4 : 2;
}

int intDotKernelCost(int bits) {
  // 4 vpdpbusd per 16 x 16 codes, and the shifts and masks that split
  // 64 packed bytes into 4 vectors of one code per byte: 2-bit codes 3
  // shifts and 4 masks, 4-bit codes 1 shift and 2 masks, 8-bit none;
  // 3-bit codes add the high plane's shuffle, 4 masks, compares and
  // selects. 1-bit codes have no integer-dot kernel.
  switch (bits) {
  case 2:
    return 4 + 7;
  case 3:
    return 4 + 7 + 13;
  case 4:
    return 4 + 3;
  case 8:
    return 4;
  default:
    return 1 << 20;
  }
}

int64_t lutConversionBlock(const LutDotKernelSpec &spec) {
  return spec.actPerRow ? spec.weightGroup
                        : std::min(spec.weightGroup, spec.actGroup);
}

std::string checkLutDotKernel(const LutDotKernelSpec &spec) {
  if (spec.bits < 1 || spec.bits > 4)
    return "the LUT kernel reads codes of 1 to 4 bits";
  if (spec.codes == LutDotKernelSpec::Codes::Binary && spec.bits != 1)
    return "binary codes have one bit";
  if (spec.zeroPointType || spec.minType)
    return "the LUT kernel has no zero points or mins";
  if (spec.n % kLutTileRows != 0)
    return "the LUT kernel needs N to be a multiple of 16";
  if (spec.k % 16 != 0 || spec.weightGroup % 16 != 0)
    return "the LUT kernel needs K and the weight blocks to be multiples "
           "of 16";
  if (!spec.tiledWeights)
    return "the LUT kernel reads the weight in its tiled planes";
  if (spec.chunkBytes != 2 && spec.chunkBytes != 4)
    return "the LUT kernel reads chunks of 2 or 4 bytes";
  if (spec.chunkBytes == 4) {
    if (spec.shuffles)
      return "the LUT kernel's AVX2 form reads chunks of 2 bytes";
    if (spec.k % 32 != 0 || spec.weightGroup % 32 != 0 ||
        (!spec.actPerRow && spec.actGroup % 32 != 0))
      return "the LUT kernel's 4-byte chunks need K and the blocks to be "
             "multiples of 32";
  }
  if (!spec.actPerRow &&
      (spec.actGroup <= 0 || spec.actGroup % 16 != 0 ||
       spec.k % spec.actGroup != 0 ||
       (spec.actGroup % spec.weightGroup != 0 &&
        spec.weightGroup % spec.actGroup != 0)))
    return "the LUT kernel needs activation blocks of a multiple of 16 "
           "codes that divide or are divided by the weight blocks";
  return "";
}

namespace {

struct Args {
  Value qa, sa, w, s, y, tables, asum;
};

/// Builds the kernel's body.
class LutBuilder {
public:
  LutBuilder(KernelBuilder &b, const LutDotKernelSpec &spec, Args args)
      : b(b), spec(spec), x(args) {}

  void build() {
    Value m = b.dim(x.qa, 0);
    Type i8 = b.getI8Type();
    chunk = spec.chunkBytes;
    steps = spec.k / (8 * chunk);
    cv = lutConversionBlock(spec);
    planeBytes = spec.n * spec.k / 8;
    // Tiles of 16 weight rows per step: the GEMM's 4 activation rows take
    // 2 (their 16 tables and 8 accumulators fill the registers); the
    // GEMV's one row takes 4 on VBMI, so that each of its 4 table loads
    // serves 64 weight rows. A GEMV from DRAM is bound by the loads in
    // flight, not by the instructions: 1 + 4 / tiles loads per 64 weight
    // bytes (see Rationale.md, "What binds the W1 GEMV").
    tilesPerStep = spec.n % (2 * kLutTileRows) == 0 ? 2 : 1;
    gemvTiles = !spec.shuffles && spec.n % (4 * kLutTileRows) == 0
                    ? 4
                    : tilesPerStep;
    switch (spec.codes) {
    case LutDotKernelSpec::Codes::Unsigned:
      offset = 0;
      break;
    case LutDotKernelSpec::Codes::Signed:
      offset = -(int64_t(1) << (spec.bits - 1));
      break;
    case LutDotKernelSpec::Codes::Binary:
      offset = -1;
      break;
    }
    if (spec.shuffles) {
      low4 = b.splat(32, i8, 15);
      ones8 = b.splat(32, i8, -1);
    }
    for (int p = 0; p < spec.bits; ++p) {
      int64_t c = spec.codes == LutDotKernelSpec::Codes::Binary ? 2 : 1 << p;
      planeShift.push_back(spec.codes == LutDotKernelSpec::Codes::Binary ? 1
                                                                         : p);
      // (16 c <= 128: an unsigned byte.)
      multLo.push_back(b.splat(64, i8, double(int8_t(c))));
      multHi.push_back(b.splat(64, i8, double(int8_t(uint8_t(16 * c)))));
    }
    // Row r's 4 groups of a plane chunk in i32 lane r: the nibbles in bits
    // 0-3 of each byte, the group in bits 4-5 (which of vpermb's 4
    // 16-entry tables).
    nibbles = b.splat(16, b.getI32Type(), double(0x0F0F0F0F));
    groups = b.splat(16, b.getI32Type(), double(0x30201000));
    four = b.splat(16, b.getI32Type(), 4);
    if (!spec.laneOrderParts) {
      SmallVector<int64_t> strides;
      for (int i = 0; i < kLutTileRows; ++i)
        strides.push_back(i * spec.numGroups());
      scaleStrides = b.intVector(b.getI32Type(), strides);
      flatScales = memref::CollapseShapeOp::create(
          b, x.s, ArrayRef<ReassociationIndices>{{0, 1}});
    }
    b.parallel(b.index(0), m, b.index(1), [&](Value row) {
      buildTables(row);
      if (offset != 0)
        activationSums(row);
    });
    Value m4 = arith::MulIOp::create(
        b, arith::DivUIOp::create(b, m, b.index(4)), b.index(4));
    b.parallel(b.index(0), b.index(spec.n),
               b.index(gemvTiles * kLutTileRows), [&](Value n0) {
                 b.loop(b.index(0), m4, b.index(4), [&](Value mt) {
                   for (int c = 0; c < gemvTiles; c += tilesPerStep)
                     tile(mt,
                          arith::AddIOp::create(
                              b, n0, b.index(c * kLutTileRows)),
                          4, tilesPerStep);
                 });
                 b.loop(m4, m, b.index(1),
                        [&](Value mt) { tile(mt, n0, 1, gemvTiles); });
               });
  }

private:
  /// tables[row, 128 q ..]: for table set q (16 codes of the row: 4
  /// groups of 4), the 4 groups' T_l (64 bytes: group j's pattern i at
  /// 16 j + i), then their T_h. A chunk of C bytes per row (8 C codes)
  /// has C / 2 sets; the index in byte j of row r's lane is a nibble of
  /// one of the row's bytes, and the group is the codes that nibble holds:
  /// with C = 2, byte j / 2's nibble j % 2 (set q is codes 16 q ..
  /// 16 q + 15 in order); with C = 4, byte j's nibble s for set s.
  void buildTables(Value row) {
    Type i8 = b.getI8Type();
    const int64_t codes = 8 * chunk, sets = chunk / 2;
    VectorType va = b.vec(codes, i8);
    // Byte e of set s's table is pattern e % 16 of group e / 16: the sum
    // over t < 4 of the chunk's code 8 byte + 4 nibble + t where bit t of
    // e % 16 is set.
    SmallVector<SmallVector<SmallVector<int64_t>>> pick(
        sets, SmallVector<SmallVector<int64_t>>(4));
    SmallVector<Value> select;
    for (int t = 0; t < 4; ++t) {
      SmallVector<int64_t> bits;
      for (int e = 0; e < 64; ++e) {
        int j = e / 16;
        for (int s = 0; s < sets; ++s) {
          int byte = chunk == 4 ? j : j / 2, nibble = chunk == 4 ? s : j % 2;
          pick[s][t].push_back(8 * byte + 4 * nibble + t);
        }
        bits.push_back((e % 16) >> t & 1 ? -1 : 0);
      }
      select.push_back(b.intVector(i8, bits));
    }
    Value fifteen = b.splat(codes, i8, 15), shift = b.splat(codes, i8, 4);
    b.loop(0, steps, 1, [&](Value o) {
      Value k0 = arith::MulIOp::create(b, o, b.index(codes));
      Value a = vector::LoadOp::create(b, va, x.qa, ValueRange{row, k0});
      Value halves[2] = {arith::AndIOp::create(b, a, fifteen),
                         arith::ShRSIOp::create(b, a, shift)};
      Value at = arith::MulIOp::create(b, o, b.index(128 * sets));
      for (int s = 0; s < sets; ++s)
        for (int h = 0; h < 2; ++h) {
          Value table;
          for (int t = 0; t < 4; ++t) {
            Value spread = vector::ShuffleOp::create(b, halves[h], halves[h],
                                                     pick[s][t]);
            Value term = arith::AndIOp::create(b, spread, select[t]);
            table = t ? Value(arith::AddIOp::create(b, table, term)) : term;
          }
          vector::StoreOp::create(
              b, table, x.tables,
              ValueRange{row, arith::AddIOp::create(
                                  b, at, b.index(128 * s + 64 * h))});
        }
    });
  }

  /// asum[row, c]: the sum of the row's codes over conversion block c
  /// (i32).
  void activationSums(Value row) {
    Type i32 = b.getI32Type();
    VectorType v16 = b.vec(16, b.getI8Type()), w16 = b.vec(16, i32);
    const int64_t gw = cv;
    b.loop(0, spec.k / cv, 1, [&](Value g) {
      Value k0 = arith::MulIOp::create(b, g, b.index(gw));
      Value sum = b.loop(b.index(0), b.index(gw), b.index(16),
                         ValueRange{b.splat(16, i32, 0)},
                         [&](Value kk, ValueRange acc) -> SmallVector<Value> {
                           Value a = vector::LoadOp::create(
                               b, v16, x.qa,
                               ValueRange{row,
                                          arith::AddIOp::create(b, k0, kk)});
                           return {arith::AddIOp::create(
                               b, acc[0], arith::ExtSIOp::create(b, w16, a))};
                         })[0];
      Value total =
          vector::ReductionOp::create(b, vector::CombiningKind::ADD, sum);
      memref::StoreOp::create(b, total, x.asum, ValueRange{row, g});
    });
  }

  /// Where plane `plane`'s chunk `o` in tile `tileIndex` starts (16 rows x
  /// `chunk` bytes; with 2-byte chunks, o is the quad).
  Value chunkAddress(int plane, Value tileIndex, Value o) {
    return arith::AddIOp::create(
        b, b.index(plane * planeBytes),
        arith::MulIOp::create(
            b,
            arith::AddIOp::create(
                b, arith::MulIOp::create(b, tileIndex, b.index(steps)), o),
            b.index(kLutTileRows * chunk)));
  }

  /// The vpermb indices of plane `plane`'s 4-byte chunk `o` in tile
  /// `tileIndex` (16 rows x 4 bytes, row r in i32 lane r): sets A and B,
  /// the low and the high nibble of each byte j or'ed with its group
  /// j << 4 (complemented nibbles with `complement`).
  std::pair<Value, Value> chunkIndices(int plane, Value tileIndex, Value o,
                                       bool complement) {
    Type i8 = b.getI8Type(), i32 = b.getI32Type();
    Value raw = vector::LoadOp::create(b, b.vec(64, i8), x.w,
                                       ValueRange{chunkAddress(plane, tileIndex, o)});
    Value lanes = vector::BitCastOp::create(b, b.vec(16, i32), raw);
    // (The shift moves the next byte's low nibble into bits 4-7, which
    // the mask clears; the complement comes after it, so that one
    // vpternlogd does complement, mask and group.)
    Value nibbleSets[2] = {lanes, arith::ShRUIOp::create(b, lanes, four)};
    Value idx[2];
    for (int s = 0; s < 2; ++s) {
      Value x = nibbleSets[s];
      if (complement)
        x = arith::XOrIOp::create(b, x, b.splat(16, i32, -1));
      idx[s] = vector::BitCastOp::create(
          b, b.vec(64, i8),
          arith::OrIOp::create(b, arith::AndIOp::create(b, x, nibbles),
                               groups));
    }
    return {idx[0], idx[1]};
  }

  /// The 64 vpermb indices of plane `plane`'s chunk of quad `q` in tile
  /// `tileIndex` (16 rows x 2 bytes: row r's bytes B0, B1 become i32 lane
  /// r's bytes B0 & 15, B0 >> 4, B1 & 15, B1 >> 4, each or'ed with its
  /// group << 4; complemented nibbles with `complement`).
  Value indices(int plane, Value tileIndex, Value q, bool complement) {
    Type i8 = b.getI8Type(), i32 = b.getI32Type();
    Value at = chunkAddress(plane, tileIndex, q);
    Value raw = vector::LoadOp::create(b, b.vec(32, i8), x.w, ValueRange{at});
    Value words = arith::ExtUIOp::create(b, b.vec(32, b.getI16Type()), raw);
    Value lanes = vector::BitCastOp::create(b, b.vec(16, i32), words);
    // Bits 0-3 of byte 2j are B_j's low nibble; bits 0-3 of byte 2j + 1 its
    // high nibble (shifted down from bits 4-7 by the 4-bit shift of the
    // next byte's zero).
    Value t = arith::OrIOp::create(b, lanes,
                                   arith::ShLIOp::create(b, lanes, four));
    if (complement)
      t = arith::XOrIOp::create(b, t, nibbles);
    Value idx = arith::OrIOp::create(b, arith::AndIOp::create(b, t, nibbles),
                                     groups);
    return vector::BitCastOp::create(b, b.vec(64, i8), idx);
  }

  /// The AVX2 form's vpshufb indices of plane `plane`'s chunk of quad `q`
  /// in tile `tileIndex`: {groups 0 | 1} and {groups 2 | 3}, each 128-bit
  /// lane the nibbles of all 16 rows for one group (row r at byte r),
  /// matching the tables' 32-byte halves (group j at bytes 16 j ..).
  std::pair<Value, Value> shuffleIndices(int plane, Value tileIndex, Value q,
                                         bool complement) {
    Type i8 = b.getI8Type();
    Value at = chunkAddress(plane, tileIndex, q);
    Value raw = vector::LoadOp::create(b, b.vec(32, i8), x.w, ValueRange{at});
    // Row r's bytes B0, B1 are raw[2r], raw[2r + 1]: B0 of every row into
    // lane 0, B1 into lane 1.
    SmallVector<int64_t> split;
    for (int j = 0; j < 2; ++j)
      for (int r = 0; r < 16; ++r)
        split.push_back(2 * r + j);
    Value v = vector::ShuffleOp::create(b, raw, raw, split);
    if (complement)
      v = arith::XOrIOp::create(b, v, ones8);
    Value lo = arith::AndIOp::create(b, v, low4);
    VectorType words = b.vec(16, b.getI16Type());
    Value shifted = arith::ShRUIOp::create(
        b, vector::BitCastOp::create(b, words, v),
        b.splat(16, b.getI16Type(), 4));
    Value hi = arith::AndIOp::create(
        b, vector::BitCastOp::create(b, b.vec(32, i8), shifted), low4);
    SmallVector<int64_t> first, second;
    for (int i = 0; i < 16; ++i) {
      first.push_back(i);
      second.push_back(16 + i);
    }
    for (int i = 0; i < 16; ++i) {
      first.push_back(32 + i);
      second.push_back(48 + i);
    }
    return {vector::ShuffleOp::create(b, lo, hi, first),
            vector::ShuffleOp::create(b, lo, hi, second)};
  }

  /// The AVX2 form's contribution of one plane to 16 rows' i32 sums: the
  /// groups' T_l and T_h lookups (tables {0 | 1} and {2 | 3} of each),
  /// c (T_l) + 16 c (T_h) in i16, the two lanes added, widened to i32.
  Value shuffleDot(Value acc, ArrayRef<Value> tables, Value idx01,
                   Value idx23, int plane) {
    Type i16 = b.getI16Type();
    VectorType w32 = b.vec(32, i16);
    Value l = arith::AddIOp::create(
        b, x86::PShufBOp::create(b, tables[0], idx01),
        x86::PShufBOp::create(b, tables[1], idx23));
    Value h = arith::AddIOp::create(
        b, x86::PShufBOp::create(b, tables[2], idx01),
        x86::PShufBOp::create(b, tables[3], idx23));
    int shift = planeShift[plane];
    Value lw = arith::ExtSIOp::create(b, w32, l);
    Value hw = arith::ExtSIOp::create(b, w32, h);
    if (shift)
      lw = arith::ShLIOp::create(b, lw, b.splat(32, i16, shift));
    hw = arith::ShLIOp::create(b, hw, b.splat(32, i16, shift + 4));
    Value both = arith::AddIOp::create(b, lw, hw);
    Value rows = arith::AddIOp::create(
        b,
        vector::ExtractStridedSliceOp::create(b, both, ArrayRef<int64_t>{0},
                                              ArrayRef<int64_t>{16},
                                              ArrayRef<int64_t>{1}),
        vector::ExtractStridedSliceOp::create(b, both, ArrayRef<int64_t>{16},
                                              ArrayRef<int64_t>{16},
                                              ArrayRef<int64_t>{1}));
    return arith::AddIOp::create(
        b, acc, arith::ExtSIOp::create(b, b.vec(16, b.getI32Type()), rows));
  }

  /// The 16 row scales of block `g` of the tile at row `row0`, in f32.
  Value blockScales(Value row0, Value g) {
    VectorType vf = b.vec(16, b.getF32Type());
    Type st = spec.scaleType;
    Value v;
    if (spec.laneOrderParts) {
      Value tileRow = arith::DivUIOp::create(b, row0, b.index(kLutTileRows));
      v = vector::LoadOp::create(b, b.vec(16, st), x.s,
                                 ValueRange{tileRow, g, b.index(0)});
    } else if (spec.numGroups() == 1) {
      // One scale per row: the tile's 16 are consecutive.
      v = vector::LoadOp::create(b, b.vec(16, st), flatScales,
                                 ValueRange{row0});
    } else {
      Value base = arith::AddIOp::create(
          b, arith::MulIOp::create(b, row0, b.index(spec.numGroups())), g);
      v = vector::GatherOp::create(b, b.vec(16, st), flatScales,
                                   ValueRange{base}, scaleStrides,
                                   b.splat(16, b.getI1Type(), 1),
                                   b.splat(16, st, 0));
    }
    return st.isF32() ? v : arith::ExtFOp::create(b, vf, v);
  }

  /// Activation rows mt .. mt + rm - 1 times the rc tiles of 16 weight
  /// rows at n0.
  void tile(Value mt, Value n0, int rm, int rc) {
    // One activation row: each table's lookups (T_l and T_h of each set)
    // in a chain of their own (the AVX2 form sums them before its
    // accumulator).
    const int sets = chunk / 2;
    const int chains = rm == 1 && !spec.shuffles ? 2 * sets : 1;
    Type f32 = b.getF32Type(), i32 = b.getI32Type(), i8 = b.getI8Type();
    VectorType vf = b.vec(16, f32), vi = b.vec(16, i32), v64 = b.vec(64, i8);
    SmallVector<Value> rows, rows0, tileIndex;
    for (int r = 0; r < rm; ++r)
      rows.push_back(arith::AddIOp::create(b, mt, b.index(r)));
    for (int c = 0; c < rc; ++c) {
      rows0.push_back(arith::AddIOp::create(b, n0, b.index(c * kLutTileRows)));
      tileIndex.push_back(
          arith::DivUIOp::create(b, rows0[c], b.index(kLutTileRows)));
    }
    // Conversion block c: codes c * cv ..; its weight block and (blocked
    // activations) its activation block.
    const int64_t stepsPerBlock = cv / (8 * chunk);
    const int accs = rm * rc * chains;
    SmallVector<Value> totals = b.loop(
        b.index(0), b.index(spec.k / cv), b.index(1),
        SmallVector<Value>(rm * rc, b.splat(16, f32, 0)),
        [&](Value cb, ValueRange t) -> SmallVector<Value> {
          Value q0 = arith::MulIOp::create(b, cb, b.index(stepsPerBlock));
          Value k0 = arith::MulIOp::create(b, cb, b.index(cv));
          Value g = arith::DivUIOp::create(b, k0, b.index(spec.weightGroup));
          SmallVector<Value> sums = b.loop(
              b.index(0), b.index(stepsPerBlock), b.index(1),
              SmallVector<Value>(accs, b.splat(16, i32, 0)),
              [&](Value qq, ValueRange acc) -> SmallVector<Value> {
                Value q = arith::AddIOp::create(b, q0, qq);
                Value at = arith::MulIOp::create(b, q, b.index(128 * sets));
                SmallVector<Value> out(acc.begin(), acc.end());
                if (spec.shuffles) {
                  // Each row's T_l {0 | 1}, T_l {2 | 3}, T_h {0 | 1},
                  // T_h {2 | 3}.
                  SmallVector<SmallVector<Value>> tables(rm);
                  for (int r = 0; r < rm; ++r)
                    for (int part = 0; part < 4; ++part)
                      tables[r].push_back(vector::LoadOp::create(
                          b, b.vec(32, i8), x.tables,
                          ValueRange{rows[r], arith::AddIOp::create(
                                                  b, at,
                                                  b.index(32 * part))}));
                  for (int p = 0; p < spec.bits; ++p) {
                    bool complement =
                        spec.codes == LutDotKernelSpec::Codes::Signed &&
                        p == spec.bits - 1;
                    SmallVector<std::pair<Value, Value>> idx;
                    for (int c = 0; c < rc; ++c)
                      idx.push_back(
                          shuffleIndices(p, tileIndex[c], q, complement));
                    for (int r = 0; r < rm; ++r)
                      for (int c = 0; c < rc; ++c) {
                        int i = r * rc + c;
                        out[i] = shuffleDot(out[i], tables[r], idx[c].first,
                                            idx[c].second, p);
                      }
                  }
                  return out;
                }
                // tables[r][2 s + h]: row r's set s, T_l (h = 0) or T_h.
                SmallVector<SmallVector<Value>> tables(rm);
                for (int r = 0; r < rm; ++r)
                  for (int th = 0; th < 2 * sets; ++th)
                    tables[r].push_back(vector::LoadOp::create(
                        b, v64, x.tables,
                        ValueRange{rows[r], arith::AddIOp::create(
                                                b, at, b.index(64 * th))}));
                for (int p = 0; p < spec.bits; ++p) {
                  bool complement =
                      spec.codes == LutDotKernelSpec::Codes::Signed &&
                      p == spec.bits - 1;
                  // idx[c][s]: tile c's indices into set s.
                  SmallVector<SmallVector<Value>> idx(rc);
                  for (int c = 0; c < rc; ++c) {
                    if (chunk == 4) {
                      auto [a, bb] =
                          chunkIndices(p, tileIndex[c], q, complement);
                      idx[c] = {a, bb};
                    } else {
                      idx[c] = {indices(p, tileIndex[c], q, complement)};
                    }
                  }
                  for (int r = 0; r < rm; ++r)
                    for (int c = 0; c < rc; ++c)
                      for (int s = 0; s < sets; ++s)
                        for (int h = 0; h < 2; ++h) {
                          int i = (r * rc + c) * chains +
                                  (chains == 1 ? 0 : 2 * s + h);
                          Value l = x86::PermBOp::create(
                              b, tables[r][2 * s + h], idx[c][s]);
                          out[i] = x86::DPBUSDOp::create(
                              b, vi, out[i], h ? multHi[p] : multLo[p], l);
                        }
                }
                return out;
              });
          SmallVector<Value> scales;
          for (int c = 0; c < rc; ++c)
            scales.push_back(blockScales(rows0[c], g));
          SmallVector<Value> next;
          for (int r = 0; r < rm; ++r) {
            Value correction, blockScale;
            if (!spec.actPerRow)
              blockScale = vector::BroadcastOp::create(
                  b, vf,
                  memref::LoadOp::create(
                      b, x.sa,
                      ValueRange{rows[r],
                                 arith::DivUIOp::create(
                                     b, k0, b.index(spec.actGroup))}));
            if (offset != 0) {
              Value as = memref::LoadOp::create(b, x.asum,
                                                ValueRange{rows[r], cb});
              correction = vector::BroadcastOp::create(
                  b, vi,
                  arith::MulIOp::create(
                      b, as,
                      arith::ConstantIntOp::create(b, i32, offset)));
            }
            for (int c = 0; c < rc; ++c) {
              int i = (r * rc + c) * chains;
              Value dot = sums[i];
              for (int j = 1; j < chains; ++j)
                dot = arith::AddIOp::create(b, dot, sums[i + j]);
              if (correction)
                dot = arith::AddIOp::create(b, dot, correction);
              Value f = arith::SIToFPOp::create(b, vf, dot);
              if (blockScale)
                f = arith::MulFOp::create(b, f, blockScale);
              next.push_back(
                  vector::FMAOp::create(b, f, scales[c], t[r * rc + c]));
            }
          }
          return next;
        });
    storeRowTotals(b, totals, rows, rows0, x.y,
                   spec.actPerRow ? x.sa : Value());
  }

  KernelBuilder &b;
  const LutDotKernelSpec &spec;
  Args x;
  /// steps: the weight chunks of a row, K / (8 chunk).
  int64_t steps = 0, chunk = 2, planeBytes = 0, offset = 0, cv = 0;
  /// Tiles of 16 weight rows per step of the GEMM (4 activation rows) and
  /// of the GEMV (one).
  int tilesPerStep = 1, gemvTiles = 1;
  SmallVector<Value> multLo, multHi;
  /// log2 of each plane's weight c (the AVX2 form's shifts).
  SmallVector<int> planeShift;
  Value nibbles, groups, four, scaleStrides, flatScales, low4, ones8;
};

} // namespace

func::FuncOp buildLutDotKernel(OpBuilder &builder, Location loc,
                               Block &moduleBody,
                               const LutDotKernelSpec &spec) {
  MLIRContext *ctx = builder.getContext();
  int64_t dyn = ShapedType::kDynamic, ng = spec.numGroups();
  Type f32 = Float32Type::get(ctx), i8 = IntegerType::get(ctx, 8),
       i32 = IntegerType::get(ctx, 32);
  auto mem = [](ArrayRef<int64_t> shape, Type t) -> Type {
    return MemRefType::get(shape, t);
  };
  Args args;
  KernelSignature signature;
  addInt8MatmulInputs(signature, spec, spec.actPerRow, spec.actGroup, args.qa,
                      args.sa, args.w);
  SmallVector<int64_t> partShape = {spec.n, ng};
  if (spec.laneOrderParts)
    partShape = {spec.n / kLutTileRows, ng, kLutTileRows};
  signature.add(mem(partShape, spec.scaleType), args.s);
  signature.add(mem({dyn, spec.n}, f32), args.y);
  // Scratch.
  signature.add(mem({dyn, 8 * spec.k}, i8), args.tables);
  signature.add(mem({dyn, spec.k / lutConversionBlock(spec)}, i32),
                args.asum);
  return signature.build(builder, loc, moduleBody, spec.name,
                         [&](KernelBuilder &b) {
                           args.w = viewWeightCodes(b, spec, args.w);
                           LutBuilder(b, spec, args).build();
                         });
}

} // namespace mlir::qc::cpu
