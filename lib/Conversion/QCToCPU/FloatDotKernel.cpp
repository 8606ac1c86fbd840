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

#include <cmath>
#include <cstdio>

namespace mlir::qc::cpu {
namespace {

std::string s(int64_t v) { return str(v); }

std::string floatLiteral(float v) {
  if (std::isnan(v))
    return "0x7FC00000";
  if (std::isinf(v))
    return v > 0 ? "0x7F800000" : "0xFF800000";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9e", double(v));
  return buf;
}

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

HighBitPlane highPlane(const FloatDotKernelSpec &spec) {
  return {spec.n, spec.k, 16};
}

/// MLIR lines defining %rb<c> (and %hb<c> for bit planes) for row %nr<c>.
std::string rowBases(const FloatDotKernelSpec &spec, int c);

WeightAddressing addressing(const FloatDotKernelSpec &spec) {
  WeightAddressing a;
  a.rowBytes = spec.k * fieldBits(spec) / 8;
  a.chunkBytes = 16;
  if (spec.tiledWeights)
    a.tileRows = tileRowsOf(spec);
  return a;
}

std::string rowBases(const FloatDotKernelSpec &spec, int c) {
  return addressing(spec).rowBase("      ", c) +
         (spec.bits == 3 ? highPlane(spec).rowBase("      ", c) : "");
}

/// MLIR lines loading chunk %boffw of row c's codes into %b<c>.
std::string loadChunk(const FloatDotKernelSpec &spec, int c,
                      const std::string &ind) {
  std::string cs = s(c);
  return ind + "%off" + cs + " = arith.addi %rb" + cs + ", %boffw : index\n" +
         ind + "%b" + cs + " = vector.load %w[%off" + cs +
         "] : memref<$BYTESxi8>, vector<16xi8>\n" +
         (spec.bits == 3 ? highPlane(spec).load(ind, c, "$BYTES") : "");
}

/// The decode of phase `j` of row c's chunk byte vector %b<c>
/// (vector<16xi8>) into `v` (vector<16xf32>), as MLIR lines. Names are
/// suffixed with `tag`.
std::string decodePhase(const FloatDotKernelSpec &spec, int c, int j,
                        const std::string &v, const std::string &tag) {
  const std::string vb = "vector<16xi8>", vf = "vector<16xf32>";
  const std::string ind = "            ", b = "%b" + s(c);
  int p = 8 / fieldBits(spec);
  std::string t;
  if (spec.bits == 8)
    return ind + v + " = arith." +
           (spec.decode == CodeDecode::Unsigned ? "uitofp " : "sitofp ") + b +
           " : " + vb + " to " + vf + "\n";
  // The unsigned field (with bit 2 from its plane for 3-bit codes).
  std::string u = "%u" + tag;
  if (spec.bits == 3)
    u += "f";
  if (j == 0) {
    t += ind + u + " = arith.andi " + b + ", %mask : " + vb + "\n";
  } else if (j == p - 1) {
    t += ind + u + " = arith.shrui " + b + ", %sh" + s(j) + " : " + vb + "\n";
  } else {
    t += ind + u + "s = arith.shrui " + b + ", %sh" + s(j) + " : " + vb +
         "\n" + ind + u + " = arith.andi " + u + "s, %mask : " + vb + "\n";
  }
  if (spec.bits == 3) {
    t += highPlane(spec).merge(ind, c, j, u, "%u" + tag, /*invert=*/false);
    u = "%u" + tag;
  }
  switch (spec.decode) {
  case CodeDecode::Unsigned:
    t += ind + v + " = arith.sitofp " + u + " : " + vb + " to " + vf + "\n";
    break;
  case CodeDecode::Signed:
  case CodeDecode::IntTable:
    t += ind + "%i" + tag +
         " = llvm.call_intrinsic \"llvm.x86.ssse3.pshuf.b.128\"(%lut, " + u +
         ") : (" + vb + ", " + vb + ") -> " + vb + "\n" + ind + v +
         " = arith.sitofp %i" + tag + " : " + vb + " to " + vf + "\n";
    break;
  case CodeDecode::FloatTable: {
    t += ind + "%x" + tag + " = arith.extui " + u + " : " + vb +
         " to vector<16xi32>\n";
    for (int h = 0; h < 2; ++h) {
      std::string ht = tag + "_" + s(h), x = "%x" + ht;
      t += ind + x + " = vector.extract_strided_slice %x" + tag +
           " {offsets = [" + s(8 * h) +
           "], sizes = [8], strides = [1]} : vector<16xi32> to "
           "vector<8xi32>\n";
      for (const char *half : {"lo", "hi"})
        t += ind + "%" + half + ht +
             " = llvm.call_intrinsic \"llvm.x86.avx2.permps\"(%t" + half +
             ", " + x + ") : (vector<8xf32>, vector<8xi32>) -> vector<8xf32>\n";
      t += ind + "%up" + ht + " = arith.cmpi ugt, " + x +
           ", %seven : vector<8xi32>\n" + ind + "%v" + ht +
           " = arith.select %up" + ht + ", %hi" + ht + ", %lo" + ht +
           " : vector<8xi1>, vector<8xf32>\n";
    }
    t += ind + v + " = vector.shuffle %v" + tag + "_0, %v" + tag +
         "_1 [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : "
         "vector<8xf32>, vector<8xf32>\n";
    break;
  }
  }
  return t;
}

/// MLIR lines that reduce accumulator `acc` (vector<16xf32>), subtract the
/// zero points' correction (row `nr` of the weight, activation sums `asv`)
/// and store y[m, nr]. Names are suffixed with `tag`.
std::string storeOutput(const FloatDotKernelSpec &spec, const std::string &acc,
                        const std::string &nr, const std::string &m,
                        const std::string &asv, const std::string &tag) {
  const bool f32Scales = spec.scaleType == "f32";
  std::string t, y = "%red" + tag;
  t += "      %red" + tag + " = vector.reduction <add>, " + acc +
       " fastmath<reassoc> : vector<16xf32> into f32\n";
  if (!spec.zeroPointType.empty()) {
    // - sum_g s_g z_g asum_g
    std::string sv = "%svh" + tag;
    t += "      %svh" + tag + " = vector.load %s[" + nr +
         ", %c0] : memref<$Nx$NGx$ST>, vector<$NGx$ST>\n";
    if (!f32Scales) {
      t += "      %sve" + tag + " = arith.extf %svh" + tag +
           " : vector<$NGx$ST> to vector<$NGxf32>\n";
      sv = "%sve" + tag;
    }
    bool intZp = spec.zeroPointType[0] == 'i';
    std::string zv = "%zh" + tag;
    t += "      %zh" + tag + " = vector.load %z[" + nr +
         ", %c0] : memref<$Nx$NGx$ZT>, vector<$NGx$ZT>\n";
    if (intZp || spec.zeroPointType != "f32") {
      t += "      %zv" + tag + " = arith." + (intZp ? "sitofp" : "extf") +
           " %zh" + tag + " : vector<$NGx$ZT> to vector<$NGxf32>\n";
      zv = "%zv" + tag;
    }
    t += "      %sz" + tag + " = arith.mulf " + sv + ", " + zv +
         " : vector<$NGxf32>\n"
         "      %cp" + tag + " = arith.mulf %sz" + tag + ", " + asv +
         " : vector<$NGxf32>\n"
         "      %cr" + tag + " = vector.reduction <add>, %cp" + tag +
         " fastmath<reassoc> : vector<$NGxf32> into f32\n"
         "      %yz" + tag + " = arith.subf %red" + tag + ", %cr" + tag +
         " : f32\n";
    y = "%yz" + tag;
  }
  return t + "      memref.store " + y + ", %y[" + m + ", " + nr +
         "] : memref<?x$Nxf32>\n";
}

/// The weight block's scale (times the table unit) of weight row `nr`
/// block %g, as %sw<tag> (f32).
std::string loadScale(const FloatDotKernelSpec &spec, const std::string &nr,
                      const std::string &tag) {
  std::string t = "        %swr" + tag + " = memref.load %s[" + nr +
                  ", %g] : memref<$Nx$NGx$ST>\n";
  std::string sw = "%swr" + tag;
  if (spec.scaleType != "f32") {
    t += "        %swe" + tag + " = arith.extf %swr" + tag + " : $ST to f32\n";
    sw = "%swe" + tag;
  }
  return t + "        %sw" + tag + " = arith.mulf " + sw +
         ", %unit : f32\n";
}

/// One activation row (%m) by `rn` weight rows (%nt + c).
std::string buildTile(const FloatDotKernelSpec &spec, int rn) {
  const int p = 8 / fieldBits(spec);
  const std::string vf = "vector<16xf32>";
  auto list = [&](const std::string &pattern) {
    std::string out;
    for (int c = 0; c < rn; ++c)
      out += (c ? ", " : "") + substitute(pattern, {{"@", s(c)}});
    return out;
  };
  std::string t;
  for (int c = 0; c < rn; ++c)
    t += "      %nr" + s(c) + " = arith.addi %nt, %ci" + s(c) + " : index\n" +
         rowBases(spec, c);
  t += "      %tt:" + s(rn) + " = scf.for %g = %c0 to %cNG step %c1 iter_args(" +
       list("%t@ = %zf") + ") -> (" + list(vf) + ") {\n";
  t += "        %kg = arith.muli %g, %cGW : index\n";
  t += "        %acc:" + s(rn) +
       " = scf.for %cc = %c0 to %cGW step %cCC iter_args(" +
       list("%ac@ = %zf") + ") -> (" + list(vf) + ") {\n";
  t += "          %k0 = arith.addi %kg, %cc : index\n"
       "          %boff = arith.divui %k0, %cP : index\n" +
       addressing(spec).chunkOffset("          ");
  for (int j = 0; j < p; ++j) {
    std::string k = "%k0";
    if (j) {
      t += "          %ka" + s(j) + " = arith.addi %k0, %cj" + s(j) +
           " : index\n";
      k = "%ka" + s(j);
    }
    t += "          %a" + s(j) + " = vector.load %ap[%m, " + k +
         "] : memref<?x$Kxf32>, " + vf + "\n";
  }
  for (int c = 0; c < rn; ++c) {
    std::string cs = s(c);
    t += loadChunk(spec, c, "          ");
    std::string prev = "%ac" + cs;
    for (int j = 0; j < p; ++j) {
      std::string tag = cs + "_" + s(j), v = "%v" + tag;
      t += decodePhase(spec, c, j, v, tag);
      t += "            %f" + tag + " = vector.fma " + v + ", %a" + s(j) +
           ", " + prev + " : " + vf + "\n";
      prev = "%f" + tag;
    }
  }
  t += "          scf.yield " + list("%f@_" + s(p - 1)) + " : " + list(vf) +
       "\n        }\n";
  for (int c = 0; c < rn; ++c) {
    std::string cs = s(c);
    t += loadScale(spec, "%nr" + cs, cs) + "        %swb" + cs +
         " = vector.broadcast %sw" + cs + " : f32 to " + vf +
         "\n"
         "        %tn" + cs + " = vector.fma %acc#" + cs + ", %swb" + cs +
         ", %t" + cs + " : " + vf + "\n";
  }
  t += "        scf.yield " + list("%tn@") + " : " + list(vf) + "\n      }\n";
  for (int c = 0; c < rn; ++c)
    t += storeOutput(spec, "%tt#" + s(c), "%nr" + s(c), "%m", "%asv", s(c));
  return t;
}

/// Four activation rows (%mt + r) by one weight row (%n0): each weight
/// chunk is decoded once and, scaled by its block's scale, accumulated
/// into all four rows (one accumulator level, so that four fit in
/// registers).
std::string buildRowTile4(const FloatDotKernelSpec &spec) {
  const int p = 8 / fieldBits(spec), rm = 4;
  const std::string vf = "vector<16xf32>";
  auto list = [&](const std::string &pattern) {
    std::string out;
    for (int r = 0; r < rm; ++r)
      out += (r ? ", " : "") + substitute(pattern, {{"@", s(r)}});
    return out;
  };
  std::string t = "      %nr0 = arith.addi %n0, %ci0 : index\n" +
                  rowBases(spec, 0);
  for (int r = 0; r < rm; ++r)
    t += "      %mr" + s(r) + " = arith.addi %mt, %ci" + s(r) + " : index\n";
  t += "      %tt:4 = scf.for %g = %c0 to %cNG step %c1 iter_args(" +
       list("%t@ = %zf") + ") -> (" + list(vf) + ") {\n";
  t += "        %kg = arith.muli %g, %cGW : index\n";
  t += loadScale(spec, "%nr0", "0") +
       "        %swb = vector.broadcast %sw0 : f32 to " + vf + "\n";
  t += "        %acc:4 = scf.for %cc = %c0 to %cGW step %cCC iter_args(" +
       list("%ac@ = %t@") + ") -> (" + list(vf) + ") {\n";
  t += "          %k0 = arith.addi %kg, %cc : index\n"
       "          %boff = arith.divui %k0, %cP : index\n" +
       addressing(spec).chunkOffset("          ") +
       loadChunk(spec, 0, "          ");
  std::vector<std::string> prev;
  for (int r = 0; r < rm; ++r)
    prev.push_back("%ac" + s(r));
  for (int j = 0; j < p; ++j) {
    std::string tag = "0_" + s(j), v = "%v" + tag, k = "%k0";
    t += decodePhase(spec, 0, j, v, tag);
    t += "          %vs" + s(j) + " = arith.mulf " + v + ", %swb : " + vf + "\n";
    if (j) {
      t += "          %ka" + s(j) + " = arith.addi %k0, %cj" + s(j) +
           " : index\n";
      k = "%ka" + s(j);
    }
    for (int r = 0; r < rm; ++r) {
      std::string rj = s(r) + "_" + s(j);
      t += "          %a" + rj + " = vector.load %ap[%mr" + s(r) + ", " + k +
           "] : memref<?x$Kxf32>, " + vf + "\n"
           "          %f" + rj + " = vector.fma %vs" + s(j) + ", %a" + rj +
           ", " + prev[r] + " : " + vf + "\n";
      prev[r] = "%f" + rj;
    }
  }
  t += "          scf.yield " + list("%f@_" + s(p - 1)) + " : " + list(vf) +
       "\n        }\n";
  t += "        scf.yield " + list("%acc#@") + " : " + list(vf) + "\n      }\n";
  for (int r = 0; r < rm; ++r) {
    std::string asv = "%asv";
    if (!spec.zeroPointType.empty()) {
      t += "      %asv" + s(r) + " = vector.load %asum[%mr" + s(r) +
           ", %c0] : memref<?x$NGxf32>, vector<$NGxf32>\n";
      asv = "%asv" + s(r);
    }
    t += storeOutput(spec, "%tt#" + s(r), "%nr0", "%mr" + s(r), asv,
                     "r" + s(r));
  }
  return t;
}

constexpr const char *kKernel = R"mlir(
func.func private @$NAME(%a: memref<?x$Kxf32>, %w: memref<$BYTESxi8>,
                         %s: memref<$Nx$NGx$ST>,$ZARG
                         %y: memref<?x$Nxf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %ci0 = arith.constant 0 : index
  %ci1 = arith.constant 1 : index
  %cj1 = arith.constant 16 : index
  %cj2 = arith.constant 32 : index
  %cj3 = arith.constant 48 : index
  %cP = arith.constant $P : index
  %cCC = arith.constant $CC : index
  %cGW = arith.constant $GW : index
  %cK = arith.constant $K : index
  %cKB = arith.constant $KB : index
  %cN = arith.constant $N : index
  %cNG = arith.constant $NG : index
  %cRN = arith.constant $RN : index
  %f0 = arith.constant 0.0 : f32
  %unit = arith.constant $UNIT : f32
  %zf = arith.constant dense<0.0> : vector<16xf32>
  %mask = arith.constant dense<$MASK> : vector<16xi8>
  %sh1 = arith.constant dense<$B> : vector<16xi8>
  %sh2 = arith.constant dense<$B2> : vector<16xi8>
  %sh3 = arith.constant dense<$B3> : vector<16xi8>
  %lut = arith.constant dense<[$LUT]> : vector<16xi8>
  %tlo = arith.constant dense<[$TLO]> : vector<8xf32>
  %thi = arith.constant dense<[$THI]> : vector<8xf32>
  %seven = arith.constant dense<7> : vector<8xi32>
$PLANECONSTS  %M = memref.dim %a, %c0 : memref<?x$Kxf32>
  // The activations with each chunk of $CC codes split into its $P phases.
  %ap = memref.alloc(%M) : memref<?x$Kxf32>
  scf.for %m = %c0 to %M step %c1 {
    scf.for %k0 = %c0 to %cK step %cCC {
      %v = vector.load %a[%m, %k0] : memref<?x$Kxf32>, vector<$CCxf32>
      %pv = vector.shuffle %v, %v [$PERM] : vector<$CCxf32>, vector<$CCxf32>
      vector.store %pv, %ap[%m, %k0] : memref<?x$Kxf32>, vector<$CCxf32>
    }
  }
$ASUM
  %cRM = arith.constant 4 : index
  %ci2 = arith.constant 2 : index
  %ci3 = arith.constant 3 : index
  %Mdiv = arith.divui %M, %cRM : index
  %Mt = arith.muli %Mdiv, %cRM : index
  scf.parallel (%nt) = (%c0) to (%cN) step (%cRN) {
    // Tiles of four activation rows, one weight row at a time.
    scf.for %mt = %c0 to %Mt step %cRM {
      scf.for %nc = %c0 to %cRN step %c1 {
        %n0 = arith.addi %nt, %nc : index
$ROWTILE4
      }
    }
    // The remaining rows: one activation row by $RN weight rows.
    scf.for %m = %Mt to %M step %c1 {
$ASUMLOAD
$TILE
    }
  }
  memref.dealloc %ap : memref<?x$Kxf32>
$ASUMDEALLOC
  return
}
)mlir";

constexpr const char *kAsum = R"mlir(
  // asum[m, g]: the sum of the activations over weight block g, for the
  // zero points' correction.
  %asum = memref.alloc(%M) : memref<?x$NGxf32>
  scf.for %m = %c0 to %M step %c1 {
    scf.for %g = %c0 to %cNG step %c1 {
      %kg = arith.muli %g, %cGW : index
      %sum = scf.for %c = %c0 to %cGW step %c16 iter_args(%acc = %f0) -> (f32) {
        %k0 = arith.addi %kg, %c : index
        %v = vector.load %a[%m, %k0] : memref<?x$Kxf32>, vector<16xf32>
        %r = vector.reduction <add>, %v, %acc fastmath<reassoc> : vector<16xf32> into f32
        scf.yield %r : f32
      }
      memref.store %sum, %asum[%m, %g] : memref<?x$NGxf32>
    }
  })mlir";

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

std::string buildFloatDotKernel(const FloatDotKernelSpec &spec) {
  const int fb = fieldBits(spec), p = 8 / fb, cc = 16 * p;
  std::string perm;
  for (int j = 0; j < p; ++j)
    for (int i = 0; i < 16; ++i)
      perm += (perm.empty() ? "" : ", ") + s(int64_t(p) * i + j);
  std::string lut, tlo, thi;
  for (int i = 0; i < 16; ++i) {
    int v = 0;
    if (spec.decode == CodeDecode::IntTable && i < int(spec.intTable.size()))
      v = spec.intTable[i];
    // Signed 2- and 4-bit fields: the table sign-extends.
    if (spec.decode == CodeDecode::Signed && spec.bits < 8 &&
        i < (1 << spec.bits))
      v = i >= (1 << (spec.bits - 1)) ? i - (1 << spec.bits) : i;
    lut += (i ? ", " : "") + s(v);
  }
  for (int i = 0; i < 8; ++i) {
    bool ft = spec.decode == CodeDecode::FloatTable;
    size_t hi = 8 + size_t(i);
    tlo += (i ? ", " : "") + floatLiteral(ft ? spec.floatTable[i] : 0.0f);
    thi += (i ? ", " : "") +
           floatLiteral(ft && hi < spec.floatTable.size() ? spec.floatTable[hi]
                                                          : 0.0f);
  }
  int rn = tileRowsOf(spec);
  bool zp = !spec.zeroPointType.empty();
  std::string text = substitute(
      kKernel,
      {{"$TILE", buildTile(spec, rn)},
       {"$ROWTILE4", buildRowTile4(spec)},
       {"$ASUMLOAD", zp ? "      %asv = vector.load %asum[%m, %c0] : "
                          "memref<?x$NGxf32>, vector<$NGxf32>"
                        : ""},
       {"$ASUMDEALLOC", zp ? "  memref.dealloc %asum : memref<?x$NGxf32>" : ""},
       {"$ASUM", zp ? kAsum : ""},
       {"$ZARG", zp ? " %z: memref<$Nx$NGx$ZT>," : ""},
       {"$PERM", perm},
       {"$PLANECONSTS", spec.bits == 3 ? highPlane(spec).constants("  ") : ""},
       {"$LUT", lut},
       {"$TLO", tlo},
       {"$THI", thi}});
  return substitute(
      text, {{"$NAME", spec.name},
             {"$BYTES", s(spec.n * spec.k * spec.bits / 8)},
             {"$NG", s(spec.k / spec.weightGroup)},
             {"$N", s(spec.n)},
             {"$KB", s(spec.k * fb / 8)},
             {"$K", s(spec.k)},
             {"$GW", s(spec.weightGroup)},
             {"$ST", spec.scaleType},
             {"$ZT", spec.zeroPointType},
             {"$CC", s(cc)},
             {"$P", s(p)},
             {"$RN", s(rn)},
             {"$UNIT", floatLiteral(float(spec.tableUnit))},
             {"$MASK", s(fb == 8 ? 0 : (1 << fb) - 1)},
             {"$B2", s(2 * fb % 8)},
             {"$B3", s(3 * fb % 8)},
             {"$B", s(fb % 8)}});
}

} // namespace mlir::qc::cpu
