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

#include <algorithm>

namespace mlir::qc::cpu {
namespace {

std::string s(int64_t v) { return str(v); }

/// The kernel's derived sizes.
struct Shape {
  /// Bits of the phase-split field: the code's bits, or 2 for 3-bit codes
  /// (#qc.bit_planes<[2, 1]>: the 2-bit plane is split, bit 2 is added).
  int fb;
  bool planes;
  HighBitPlane high;
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

/// Comma-separated `pattern` for each (r, c) of an rm x rn tile, with "@"
/// replaced by "<r><c>", "#r" by r and "#c" by c.
std::string tileList(int rm, int rn, const std::string &pattern,
                     const char *sep = ", ") {
  std::string out;
  for (int r = 0; r < rm; ++r)
    for (int c = 0; c < rn; ++c) {
      std::string item = pattern;
      auto repl = [&](const std::string &key, const std::string &v) {
        for (size_t pos; (pos = item.find(key)) != std::string::npos;)
          item.replace(pos, key.size(), v);
      };
      repl("@", s(r) + s(c));
      repl("#r", s(r));
      repl("#c", s(c));
      out += (out.empty() ? "" : sep) + item;
    }
  return out;
}

/// Tile of `rm` activation rows (%mt + r) by `rn` weight rows (%n0 + c).
std::string buildTile(const IntDotKernelSpec &spec, const Shape &sh, int rm,
                      int rn) {
  const std::string vf = "vector<" + s(sh.vd) + "xf32>",
                    vi = "vector<" + s(sh.vd) + "xi32>",
                    vh = "vector<" + s(sh.vw) + "xi16>",
                    vb = "vector<" + s(sh.cb) + "xi8>";
  const bool wide = sh.cb == 32;
  const std::string maddubs =
      wide ? "llvm.x86.avx2.pmadd.ub.sw" : "llvm.x86.ssse3.pmadd.ub.sw.128";
  const std::string maddwd =
      wide ? "llvm.x86.avx2.pmadd.wd" : "llvm.x86.sse2.pmadd.wd";
  const int rr = rm * rn;
  auto types = [&](const std::string &t) { return tileList(rm, rn, t); };
  auto lines = [&](const std::string &pattern) {
    return tileList(rm, rn, pattern, "");
  };
  std::string t;
  for (int r = 0; r < rm; ++r)
    t += "      %m" + s(r) + " = arith.addi %mt, %ci" + s(r) + " : index\n";
  for (int c = 0; c < rn; ++c)
    t += "      %nr" + s(c) + " = arith.addi %n0, %ci" + s(c) +
         " : index\n" + sh.weights.rowBase("      ", c) +
         (sh.planes ? sh.high.rowBase("      ", c) : "");
  t += "      %tt:" + s(rr) +
       " = scf.for %cv = %c0 to %cK step %cCV iter_args(" +
       types("%t@ = %zf") + ") -> (" + types(vf) + ") {\n";
  t += "        %g = arith.divui %cv, %cGW : index\n";
  t += "        %is:" + s(rr) +
       " = scf.for %sb = %c0 to %cCV step %cSUB iter_args(" +
       types("%ia@ = %zi") + ") -> (" + types(vi) + ") {\n";
  t += "          %k1 = arith.addi %cv, %sb : index\n";
  t += "          %p:" + s(rr) +
       " = scf.for %c = %c0 to %cSUB step %cCC iter_args(" +
       types("%pa@ = %zs") + ") -> (" + types(vh) + ") {\n";
  t += "            %k0 = arith.addi %k1, %c : index\n"
       "            %boff = arith.divui %k0, %cP : index\n" +
       sh.weights.chunkOffset("            ");
  for (int c = 0; c < rn; ++c) {
    std::string cs = s(c);
    t += "            %off" + cs + " = arith.addi %rb" + cs +
         ", %boffw : index\n"
         "            %b" + cs + " = vector.load %w[%off" + cs +
         "] : memref<$BYTESxi8>, " + vb + "\n";
    if (spec.bits == 8) {
      // Sign trick (vpmaddubsw takes one unsigned operand): |w| against
      // sign(a, w), or |a| against sign(w, a); see below.
      if (spec.signOnActivations)
        t += "            %u" + cs + "_0 = math.absi %b" + cs + " : " + vb +
             "\n";
      continue;
    }
    std::string x = "%b" + cs;
    if (sh.planes)
      t += sh.high.load("            ", c, "$BYTES");
    if (spec.signedCodes && !sh.planes) {
      t += "            %x" + cs + " = arith.xori %b" + cs + ", %flip : " +
           vb + "\n";
      x = "%x" + cs;
    }
    for (int j = 0; j < sh.p; ++j) {
      std::string out = "%u" + cs + "_" + s(j), u = out + (sh.planes ? "f" : "");
      if (j == 0) {
        t += "            " + u + " = arith.andi " + x + ", %mask : " + vb +
             "\n";
      } else if (j == sh.p - 1) {
        t += "            " + u + " = arith.shrui " + x + ", %sh" + s(j) +
             " : " + vb + "\n";
      } else {
        t += "            " + u + "s = arith.shrui " + x + ", %sh" + s(j) +
             " : " + vb + "\n" + "            " + u + " = arith.andi " + u +
             "s, %mask : " + vb + "\n";
      }
      if (sh.planes)
        t += sh.high.merge("            ", c, j, u, out, spec.signedCodes);
    }
  }
  for (int r = 0; r < rm; ++r)
    for (int j = 0; j < sh.p; ++j) {
      std::string rj = s(r) + "_" + s(j);
      std::string k = "%k0";
      if (j) {
        t += "            %ka" + rj + " = arith.addi %k0, %cj" + s(j) +
             " : index\n";
        k = "%ka" + rj;
      }
      t += "            %a" + rj + " = vector.load %ap[%m" + s(r) + ", " + k +
           "] : memref<?x$Kxi8>, " + vb + "\n";
    }
  const std::string psign =
      wide ? "llvm.x86.avx2.psign.b" : "llvm.x86.ssse3.psign.b.128";
  if (spec.bits == 8 && !spec.signOnActivations)
    for (int r = 0; r < rm; ++r)
      t += "            %ua" + s(r) + " = math.absi %a" + s(r) + "_0 : " + vb +
           "\n";
  for (int r = 0; r < rm; ++r)
    for (int c = 0; c < rn; ++c) {
      std::string rc = s(r) + s(c), prev = "%pa" + rc;
      for (int j = 0; j < sh.p; ++j) {
        std::string q = "%q" + rc + "_" + s(j);
        // The unsigned and the signed operand.
        std::string uop = "%u" + s(c) + "_" + s(j),
                    sop = "%a" + s(r) + "_" + s(j);
        if (spec.bits == 8) {
          std::string signOf = spec.signOnActivations ? "%a" + s(r) + "_0, %b" + s(c)
                                                      : "%b" + s(c) + ", %a" + s(r) + "_0";
          t += "            %sg" + rc + " = llvm.call_intrinsic \"" + psign +
               "\"(" + signOf + ") : (" + vb + ", " + vb + ") -> " + vb + "\n";
          uop = spec.signOnActivations ? "%u" + s(c) + "_0" : "%ua" + s(r);
          sop = "%sg" + rc;
        }
        t += "            " + q + " = llvm.call_intrinsic \"" + maddubs +
             "\"(" + uop + ", " + sop + ") : (" + vb + ", " + vb + ") -> " +
             vh + "\n";
        std::string sum = "%ps" + rc + "_" + s(j);
        t += "            " + sum + " = arith.addi " + prev + ", " + q +
             " : " + vh + "\n";
        prev = sum;
      }
    }
  t += "            scf.yield " +
       types("%ps@_" + s(sh.p - 1)) + " : " + types(vh) + "\n";
  t += "          }\n";
  t += lines("          %pw@ = llvm.call_intrinsic \"" + maddwd +
             "\"(%p#X@, %ones) : (" + vh + ", " + vh + ") -> " + vi +
             "\n"
             "          %in@ = arith.addi %ia@, %pw@ : " +
             vi + "\n");
  t += "          scf.yield " + types("%in@") + " : " + types(vi) + "\n";
  t += "        }\n";
  const bool f32Scales = spec.scaleType == "f32";
  for (int c = 0; c < rn; ++c) {
    std::string cs = s(c);
    t += "        %swr" + cs + " = memref.load %s[%nr" + cs +
         ", %g] : memref<$Nx$NGx$ST>\n";
    if (!f32Scales)
      t += "        %sw" + cs + " = arith.extf %swr" + cs + " : $ST to f32\n";
    t += "        %swb" + cs + " = vector.broadcast %sw" +
         (f32Scales ? "r" : "") + cs + " : f32 to " + vf + "\n";
  }
  if (!spec.actPerRow) {
    t += "        %unit = arith.divui %cv, %cU : index\n"
         "        %sx = arith.muli %unit, %c4 : index\n";
    for (int r = 0; r < rm; ++r)
      t += "        %sav" + s(r) + " = vector.load %sax[%m" + s(r) +
           ", %sx] : memref<?x$NSAxf32>, " + vf + "\n";
  }
  t += lines("        %fv@ = arith.sitofp %is#X@ : " + vi + " to " + vf +
             "\n");
  if (spec.actPerRow)
    t += lines("        %tn@ = vector.fma %fv@, %swb#c, %t@ : " + vf + "\n");
  else
    t += lines("        %sc@ = arith.mulf %swb#c, %sav#r : " + vf +
               "\n"
               "        %tn@ = vector.fma %fv@, %sc@, %t@ : " +
               vf + "\n");
  t += "        scf.yield " + types("%tn@") + " : " + types(vf) + "\n";
  t += "      }\n";
  // The offset correction's weight side: scale times offset per block.
  for (int c = 0; c < rn; ++c) {
    std::string cs = s(c);
    t += "      %swh" + cs + " = vector.load %s[%nr" + cs +
         ", %c0] : memref<$Nx$NGx$ST>, vector<$NGx$ST>\n";
    std::string sw = "%swh" + cs;
    if (!f32Scales) {
      t += "      %swv" + cs + " = arith.extf %swh" + cs +
           " : vector<$NGx$ST> to vector<$NGxf32>\n";
      sw = "%swv" + cs;
    }
    std::string o = "%offv";
    if (!spec.zeroPointType.empty()) {
      t += "      %zh" + cs + " = vector.load %z[%nr" + cs +
           ", %c0] : memref<$Nx$NGx$ZT>, vector<$NGx$ZT>\n"
           "      %zv" + cs + " = arith.sitofp %zh" + cs +
           " : vector<$NGx$ZT> to vector<$NGxf32>\n"
           "      %o" + cs + " = arith.addf %offv, %zv" + cs +
           " : vector<$NGxf32>\n";
      o = "%o" + cs;
    }
    t += "      %szv" + cs + " = arith.mulf " + sw + ", " + o +
         " : vector<$NGxf32>\n";
  }
  for (int r = 0; r < rm; ++r) {
    t += "      %asv" + s(r) + " = vector.load %asum[%m" + s(r) +
         ", %c0] : memref<?x$NGxf32>, vector<$NGxf32>\n";
    if (spec.actPerRow)
      t += "      %sar" + s(r) + " = memref.load %sa[%m" + s(r) +
           "] : memref<?xf32>\n";
  }
  // (Reassociating reductions: a tree instead of a serial chain.)
  t += lines("      %red@ = vector.reduction <add>, %tt#X@ fastmath<reassoc> : " + vf +
             " into f32\n"
             "      %cp@ = arith.mulf %szv#c, %asv#r : vector<$NGxf32>\n"
             "      %cr@ = vector.reduction <add>, %cp@ fastmath<reassoc> : "
             "vector<$NGxf32> "
             "into f32\n"
             "      %d@ = arith.subf %red@, %cr@ : f32\n");
  if (spec.actPerRow)
    t += lines("      %yv@ = arith.mulf %d@, %sar#r : f32\n"
               "      memref.store %yv@, %y[%m#r, %nr#c] : memref<?x$Nxf32>\n");
  else
    t += lines("      memref.store %d@, %y[%m#r, %nr#c] : memref<?x$Nxf32>\n");
  // Result #k of an rm x rn group is at k = r * rn + c.
  for (int r = 0; r < rm; ++r)
    for (int c = 0; c < rn; ++c) {
      std::string from = "#X" + s(r) + s(c), to = "#" + s(r * rn + c);
      for (size_t pos; (pos = t.find(from)) != std::string::npos;)
        t.replace(pos, from.size(), to);
    }
  return t;
}

constexpr const char *kKernel = R"mlir(
func.func private @$NAME(%qa: memref<?x$Kxi8>, %sa: $SATYPE,
                         %w: memref<$BYTESxi8>, %s: memref<$Nx$NGx$ST>,$ZARG
                         %y: memref<?x$Nxf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %ci0 = arith.constant 0 : index
  %ci1 = arith.constant 1 : index
  %ci2 = arith.constant 2 : index
  %ci3 = arith.constant 3 : index
  %cj1 = arith.constant $CB : index
  %cj2 = arith.constant $CB2 : index
  %cj3 = arith.constant $CB3 : index
  %cP = arith.constant $P : index
  %cU = arith.constant $U : index
  %cCC = arith.constant $CC : index
  %cCV = arith.constant $CV : index
  %cSUB = arith.constant $SUB : index
  %cGW = arith.constant $GW : index
  %cGA = arith.constant $GA : index
  %cK = arith.constant $K : index
  %cKB = arith.constant $KB : index
  %cN = arith.constant $N : index
  %cNG = arith.constant $NG : index
  %cRM = arith.constant 4 : index
  %cRN = arith.constant $RN : index
  %f0 = arith.constant 0.0 : f32
  %M = memref.dim %qa, %c0 : memref<?x$Kxi8>
  // The activations with each chunk of $CC codes split into its $P phases.
  %ap = memref.alloc(%M) : memref<?x$Kxi8>
  scf.for %m = %c0 to %M step %c1 {
    scf.for %k0 = %c0 to %cK step %cCC {
      %v = vector.load %qa[%m, %k0] : memref<?x$Kxi8>, vector<$CCxi8>
      %pv = vector.shuffle %v, %v [$PERM] : vector<$CCxi8>, vector<$CCxi8>
      vector.store %pv, %ap[%m, %k0] : memref<?x$Kxi8>, vector<$CCxi8>
    }
  }
  // asum[m, g]: the sum of the activations (times their scales, per
  // block) over weight block g, for the offset correction.
  %asum = memref.alloc(%M) : memref<?x$NGxf32>
  scf.for %m = %c0 to %M step %c1 {
    scf.for %g = %c0 to %cNG step %c1 {
      %kg = arith.muli %g, %cGW : index
      %sum = scf.for %c = %c0 to %cGW step %c16 iter_args(%acc = %f0) -> (f32) {
        %k0 = arith.addi %kg, %c : index
        %v = vector.load %qa[%m, %k0] : memref<?x$Kxi8>, vector<16xi8>
        %wide = arith.extsi %v : vector<16xi8> to vector<16xi32>
        %r = vector.reduction <add>, %wide : vector<16xi32> into i32
        %rf = arith.sitofp %r : i32 to f32
        $ASUMSTEP
        scf.yield %acc2 : f32
      }
      memref.store %sum, %asum[%m, %g] : memref<?x$NGxf32>
    }
  }
$SAXPROLOGUE
  %zf = arith.constant dense<0.0> : vector<$VDxf32>
  %zi = arith.constant dense<0> : vector<$VDxi32>
  %zs = arith.constant dense<0> : vector<$VWxi16>
  %ones = arith.constant dense<1> : vector<$VWxi16>
  %flip = arith.constant dense<$FLIP> : vector<$CBxi8>
  %mask = arith.constant dense<$MASK> : vector<$CBxi8>
  %sh1 = arith.constant dense<$B> : vector<$CBxi8>
  %sh2 = arith.constant dense<$B2> : vector<$CBxi8>
  %sh3 = arith.constant dense<$B3> : vector<$CBxi8>
$PLANECONSTS  %offv = arith.constant dense<$OFFSET> : vector<$NGxf32>
  %Mdiv = arith.divui %M, %cRM : index
  %Mt = arith.muli %Mdiv, %cRM : index
  scf.parallel (%nt) = (%c0) to (%cN) step (%cRN) {
    // Tiles of four activation rows, one weight row at a time.
    scf.for %mt = %c0 to %Mt step %cRM {
      scf.for %nc = %c0 to %cRN step %c1 {
        %n0 = arith.addi %nt, %nc : index
$TILE
      }
    }
    // The remaining rows: one activation row by $RN weight rows.
    scf.for %mt = %Mt to %M step %c1 {
      %n0 = arith.addi %nt, %c0 : index
$ROWTILE
    }
  }
  memref.dealloc %ap : memref<?x$Kxi8>
  memref.dealloc %asum : memref<?x$NGxf32>
$SAXDEALLOC
  return
}
)mlir";

constexpr const char *kSaxPrologue = R"mlir(
  // sax[m, 4u + l]: the activation scale of 16-byte unit u, four times (one
  // per i32 lane that unit's products reach).
  %sax = memref.alloc(%M) : memref<?x$NSAxf32>
  %cNU = arith.constant $NU : index
  scf.for %m = %c0 to %M step %c1 {
    scf.for %u = %c0 to %cNU step %c1 {
      %ku = arith.muli %u, %cU : index
      %ga = arith.divui %ku, %cGA : index
      %sv = memref.load %sa[%m, %ga] : $SATYPE
      %sb = vector.broadcast %sv : f32 to vector<4xf32>
      %su = arith.muli %u, %c4 : index
      vector.store %sb, %sax[%m, %su] : memref<?x$NSAxf32>, vector<4xf32>
    }
  })mlir";

} // namespace

std::string checkIntDotKernel(const IntDotKernelSpec &spec) {
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
      return "activation blocks are not a multiple of " + s(sh.cc) +
             " codes (or exactly " + s(sh.u) + ")";
  }
  return "";
}

std::pair<int64_t, int64_t> intDotWeightTile(const IntDotKernelSpec &spec) {
  Shape sh = shapeOf(spec);
  return {sh.rn, sh.cb};
}

std::string buildIntDotKernel(const IntDotKernelSpec &spec) {
  Shape sh = shapeOf(spec);
  // The permutation of a chunk: dest CB*j + i takes source P*i + j.
  std::string perm;
  for (int j = 0; j < sh.p; ++j)
    for (int i = 0; i < sh.cb; ++i)
      perm += (perm.empty() ? "" : ", ") + s(int64_t(sh.p) * i + j);
  // The sign bit of every field, as an i8 (two's complement); 8-bit codes
  // use the sign trick instead.
  int flip = 0;
  for (int j = 0; j < sh.p; ++j)
    flip |= 1 << (sh.fb * j + sh.fb - 1);
  int rn = sh.rn;
  std::string ng = s(sh.ng);
  std::string satype = spec.actPerRow
                           ? "memref<?xf32>"
                           : "memref<?x" + s(spec.k / spec.actGroup) + "xf32>";
  int64_t nsa = spec.k / sh.u * 4;
  std::string text = substitute(
      kKernel,
      {{"$TILE", buildTile(spec, sh, 4, 1)},
       {"$ROWTILE", buildTile(spec, sh, 1, rn)},
       {"$SAXPROLOGUE", spec.actPerRow ? "" : kSaxPrologue},
       {"$PLANECONSTS", sh.planes ? sh.high.constants("  ") : ""},
       {"$SAXDEALLOC",
        spec.actPerRow ? "" : "  memref.dealloc %sax : memref<?x$NSAxf32>"},
       {"$ZARG", spec.zeroPointType.empty() ? "" : " %z: memref<$Nx$NGx$ZT>,"},
       {"$ASUMSTEP",
        spec.actPerRow
            ? "%acc2 = arith.addf %rf, %acc : f32"
            : "%ga = arith.divui %k0, %cGA : index\n        %sv = "
              "memref.load %sa[%m, %ga] : $SATYPE\n        %acc2 = math.fma "
              "%rf, %sv, %acc : f32"},
       {"$PERM", perm}});
  return substitute(
      text,
      {{"$NAME", spec.name},
       {"$SATYPE", satype},
       {"$BYTES", s(spec.n * spec.k * spec.bits / 8)},
       {"$NSA", s(nsa)},
       {"$NU", s(spec.k / sh.u)},
       {"$NG", ng},
       {"$N", s(spec.n)},
       {"$KB", s(sh.kBytes)},
       {"$K", s(spec.k)},
       {"$GW", s(spec.weightGroup)},
       {"$GA", s(spec.actPerRow ? spec.k : spec.actGroup)},
       {"$ST", spec.scaleType},
       {"$ZT", spec.zeroPointType},
       {"$CB2", s(2 * sh.cb)},
       {"$CB3", s(3 * sh.cb)},
       {"$CB", s(sh.cb)},
       {"$CC", s(sh.cc)},
       {"$CV", s(sh.cv)},
       {"$SUB", s(sh.sub)},
       {"$P", s(sh.p)},
       {"$U", s(sh.u)},
       {"$VD", s(sh.vd)},
       {"$VW", s(sh.vw)},
       {"$RN", s(rn)},
       {"$FLIP", s(int8_t(flip))},
       {"$MASK", s(int8_t((1 << sh.fb) - 1))},
       {"$B2", s(2 * sh.fb % 8)},
       {"$B3", s(3 * sh.fb % 8)},
       {"$B", s(sh.fb % 8)},
       {"$OFFSET", spec.signedCodes && spec.bits < 8
                       ? s(1 << (spec.bits - 1)) + ".0"
                       : "0.0"}});
}

} // namespace mlir::qc::cpu
