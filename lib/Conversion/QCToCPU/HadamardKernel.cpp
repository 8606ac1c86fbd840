//===- HadamardKernel.cpp - fast Walsh-Hadamard CPU kernel ----------------===//
//
// Per row (rows split across threads), on vector<8xf32>:
// 1. load 8 values, times the signs (x D, unless transposed), and the
//    butterfly stages h = 1, 2, 4 in registers: v' = v * s_h + shuffle_h(v)
//    with shuffle_h swapping lanes j and j ^ h and s_h = +1 where bit h of
//    the lane is 0, -1 where it is 1 (one shuffle and one FMA per stage);
//    store to y;
// 2. stages h = 8 .. m/2 in place on y (a row of a few KB stays in L1):
//    a, b = y[j], y[j + h] -> a + b, a - b, two stages per pass (radix 4);
// 3. with a Paley base (K > 1): for each 8 columns b of the K x m view, load
//    the K vectors and write y[c m + b] = sum_a H[a][c] y[a m + b] (H[c][a]
//    transposed): adds and subtracts only (H is +-1), unrolled;
// 4. the 1/sqrt(n) scale (and the signs, transposed: x Q^T = x (H_K^T (x)
//    H_m) D / sqrt(n)), folded into step 3 or a last pass;
// 5. with `quantize`, while the row is in L1: s = max|y| / 127 and
//    q = clamp(roundeven(y / s)) (0 where s = 0), exactly qc.quantize's
//    absmax arithmetic in f32.
// O(n log n) per row, no n x n matrix.
//
//===----------------------------------------------------------------------===//

#include "HadamardKernel.h"
#include "KernelText.h"

#include <cmath>
#include <cstdio>

namespace mlir::qc::cpu {
namespace {

std::string s(int64_t v) { return str(v); }

std::string f32(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9e", v);
  return buf;
}

std::string vec8(const int (&v)[8]) {
  std::string t = "dense<[";
  for (int i = 0; i < 8; ++i)
    t += (i ? ", " : "") + f32(v[i]);
  return t + "]> : vector<8xf32>";
}

constexpr const char *kKernel = R"mlir(
func.func private @$NAME(%x: memref<?x$Nxf32>,$DARG %y: memref<?x$Nxf32>$QARG) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %cN = arith.constant $N : index
  %cM = arith.constant $M : index
  %M = memref.dim %x, %c0 : memref<?x$Nxf32>
  %s1 = arith.constant $S1
  %s2 = arith.constant $S2
  %s4 = arith.constant $S4
  %scale = arith.constant dense<$SCALE> : vector<8xf32>
  scf.parallel (%r) = (%c0) to (%M) step (%c1) {
    scf.for %i = %c0 to %cN step %c8 {
      %v0 = vector.load %x[%r, %i] : memref<?x$Nxf32>, vector<8xf32>
$SIGNSIN
      %p1 = vector.shuffle $VIN, $VIN [1, 0, 3, 2, 5, 4, 7, 6] : vector<8xf32>, vector<8xf32>
      %v1 = vector.fma $VIN, %s1, %p1 : vector<8xf32>
      %p2 = vector.shuffle %v1, %v1 [2, 3, 0, 1, 6, 7, 4, 5] : vector<8xf32>, vector<8xf32>
      %v2 = vector.fma %v1, %s2, %p2 : vector<8xf32>
      %p4 = vector.shuffle %v2, %v2 [4, 5, 6, 7, 0, 1, 2, 3] : vector<8xf32>, vector<8xf32>
      %v3 = vector.fma %v2, %s4, %p4 : vector<8xf32>
      vector.store %v3, %y[%r, %i] : memref<?x$Nxf32>, vector<8xf32>
    }
$STAGES
$FINAL
$QUANT
  }
  return
}
)mlir";

constexpr const char *kQuantize = R"mlir(
    %qz8 = arith.constant dense<0.0> : vector<8xf32>
    %amax = scf.for %i = %c0 to %cN step %c8 iter_args(%acc = %qz8) -> (vector<8xf32>) {
      %w = vector.load %y[%r, %i] : memref<?x$Nxf32>, vector<8xf32>
      %aw = math.absf %w : vector<8xf32>
      %mx = arith.maximumf %acc, %aw : vector<8xf32>
      scf.yield %mx : vector<8xf32>
    }
    %am = vector.reduction <maximumf>, %amax : vector<8xf32> into f32
    %c127 = arith.constant 127.0 : f32
    %qs = arith.divf %am, %c127 : f32
    memref.store %qs, %scales[%r] : memref<?xf32>
    %qsv = vector.broadcast %qs : f32 to vector<8xf32>
    %qzero = arith.constant 0.0 : f32
    %isz = arith.cmpf oeq, %qs, %qzero : f32
    %lo = arith.constant dense<$QLO> : vector<8xf32>
    %hi = arith.constant dense<127.0> : vector<8xf32>
    %zi8 = arith.constant dense<0> : vector<8xi8>
    scf.for %i = %c0 to %cN step %c8 {
      %w = vector.load %y[%r, %i] : memref<?x$Nxf32>, vector<8xf32>
      %qd = arith.divf %w, %qsv : vector<8xf32>
      %qr = math.roundeven %qd : vector<8xf32>
      %ql = arith.maximumf %qr, %lo : vector<8xf32>
      %qh = arith.minimumf %ql, %hi : vector<8xf32>
      %qi = arith.fptosi %qh : vector<8xf32> to vector<8xi8>
      %qo = arith.select %isz, %zi8, %qi : vector<8xi8>
      vector.store %qo, %codes[%r, %i] : memref<?x$Nxi8>, vector<8xi8>
    })mlir";

/// Stage h (>= 8) of the butterflies, in place on row %r of %y.
std::string stage(int64_t h) {
  std::string hs = s(h);
  return substitute(R"mlir(
    %cH@ = arith.constant @ : index
    %c2H@ = arith.constant # : index
    scf.for %blk = %c0 to %cN step %c2H@ {
      scf.for %i = %c0 to %cH@ step %c8 {
        %ia = arith.addi %blk, %i : index
        %ib = arith.addi %ia, %cH@ : index
        %a = vector.load %y[%r, %ia] : memref<?x$Nxf32>, vector<8xf32>
        %b = vector.load %y[%r, %ib] : memref<?x$Nxf32>, vector<8xf32>
        %sum = arith.addf %a, %b : vector<8xf32>
        %dif = arith.subf %a, %b : vector<8xf32>
        vector.store %sum, %y[%r, %ia] : memref<?x$Nxf32>, vector<8xf32>
        vector.store %dif, %y[%r, %ib] : memref<?x$Nxf32>, vector<8xf32>
      }
    })mlir",
                    {{"@", hs}, {"#", s(2 * h)}});
}

/// Lines that scale `v` (and multiply by the signs at column `col` when
/// transposed) into `out`.
std::string finish(const HadamardKernelSpec &spec, const std::string &v,
                   const std::string &col, const std::string &out,
                   const std::string &ind) {
  if (spec.signs.empty() || !spec.transpose)
    return ind + out + " = arith.mulf " + v + ", %scale : vector<8xf32>\n";
  return ind + out + "s = arith.mulf " + v + ", %scale : vector<8xf32>\n" +
         ind + out + "d = vector.load %d[" + col +
         "] : memref<$Nxf32>, vector<8xf32>\n" + ind + out + " = arith.mulf " +
         out + "s, " + out + "d : vector<8xf32>\n";
}

/// Step 3 and 4 with a Paley base: the K x K mix of every 8 columns.
std::string baseMix(const HadamardKernelSpec &spec) {
  const int64_t k = spec.k;
  const std::string ind = "        ";
  std::string t = "    scf.for %bc = %c0 to %cM step %c8 {\n";
  for (int64_t a = 0; a < k; ++a) {
    std::string as = s(a);
    t += ind + "%ca" + as + " = arith.constant " + s(a * spec.m) +
         " : index\n" + ind + "%ja" + as + " = arith.addi %bc, %ca" + as +
         " : index\n" + ind + "%z" + as + " = vector.load %y[%r, %ja" + as +
         "] : memref<?x$Nxf32>, vector<8xf32>\n";
  }
  for (int64_t c = 0; c < k; ++c) {
    std::string cs = s(c), acc;
    for (int64_t a = 0; a < k; ++a) {
      int h = spec.transpose ? spec.base[size_t(c * k + a)]
                             : spec.base[size_t(a * k + c)];
      std::string z = "%z" + s(a), next = "%m" + cs + "_" + s(a);
      if (a == 0) {
        if (h > 0) {
          acc = z;
          continue;
        }
        t += ind + next + " = arith.negf " + z + " : vector<8xf32>\n";
      } else {
        t += ind + next + " = arith." + (h > 0 ? "addf " : "subf ") + acc +
             ", " + z + " : vector<8xf32>\n";
      }
      acc = next;
    }
    t += finish(spec, acc, "%ja" + cs, "%o" + cs, ind);
    t += ind + "vector.store %o" + cs + ", %y[%r, %ja" + cs +
         "] : memref<?x$Nxf32>, vector<8xf32>\n";
  }
  return t + "    }";
}

/// Step 4 without a base: one pass over the row.
std::string scalePass(const HadamardKernelSpec &spec) {
  const std::string ind = "      ";
  return "    scf.for %i = %c0 to %cN step %c8 {\n" + ind +
         "%w = vector.load %y[%r, %i] : memref<?x$Nxf32>, vector<8xf32>\n" +
         finish(spec, "%w", "%i", "%o", ind) + ind +
         "vector.store %o, %y[%r, %i] : memref<?x$Nxf32>, vector<8xf32>\n" +
         "    }";
}

} // namespace

std::string checkHadamardKernel(const HadamardKernelSpec &spec) {
  if (spec.m < 8 || spec.m % 8 != 0)
    return "the power-of-two factor of the size is below 8";
  if (spec.k > 64)
    return "the Paley base has more than 64 rows";
  return "";
}

/// Stages h and 2h (>= 8) in one pass: four vectors in, four out, half the
/// stores of two radix-2 passes.
std::string stagePair(int64_t h) {
  return substitute(R"mlir(
    %cQ@ = arith.constant @ : index
    %cQ4@ = arith.constant # : index
    %cQ2@ = arith.constant $2H : index
    %cQ3@ = arith.constant $3H : index
    scf.for %blk = %c0 to %cN step %cQ4@ {
      scf.for %i = %c0 to %cQ@ step %c8 {
        %ia = arith.addi %blk, %i : index
        %ib = arith.addi %ia, %cQ@ : index
        %ic = arith.addi %ia, %cQ2@ : index
        %id = arith.addi %ia, %cQ3@ : index
        %va = vector.load %y[%r, %ia] : memref<?x$Nxf32>, vector<8xf32>
        %vb = vector.load %y[%r, %ib] : memref<?x$Nxf32>, vector<8xf32>
        %vc = vector.load %y[%r, %ic] : memref<?x$Nxf32>, vector<8xf32>
        %vd = vector.load %y[%r, %id] : memref<?x$Nxf32>, vector<8xf32>
        %pa = arith.addf %va, %vb : vector<8xf32>
        %pb = arith.subf %va, %vb : vector<8xf32>
        %pc = arith.addf %vc, %vd : vector<8xf32>
        %pd = arith.subf %vc, %vd : vector<8xf32>
        %qa = arith.addf %pa, %pc : vector<8xf32>
        %qc = arith.subf %pa, %pc : vector<8xf32>
        %qb = arith.addf %pb, %pd : vector<8xf32>
        %qd = arith.subf %pb, %pd : vector<8xf32>
        vector.store %qa, %y[%r, %ia] : memref<?x$Nxf32>, vector<8xf32>
        vector.store %qb, %y[%r, %ib] : memref<?x$Nxf32>, vector<8xf32>
        vector.store %qc, %y[%r, %ic] : memref<?x$Nxf32>, vector<8xf32>
        vector.store %qd, %y[%r, %id] : memref<?x$Nxf32>, vector<8xf32>
      }
    })mlir",
                    {{"$2H", s(2 * h)}, {"$3H", s(3 * h)}, {"@", s(h)},
                     {"#", s(4 * h)}});
}

std::string buildHadamardKernel(const HadamardKernelSpec &spec) {
  // Stages h = 8 .. m/2: one radix-2 pass when their number is odd, then
  // radix-4 passes (the butterflies of different stages commute, so the
  // order only has to be kept within each pair).
  std::string stages;
  int64_t h = 8, count = 0;
  for (int64_t v = 8; v < spec.m; v *= 2)
    ++count;
  if (count % 2) {
    stages += stage(h) + "\n";
    h *= 2;
  }
  for (; h < spec.m; h *= 4)
    stages += stagePair(h) + "\n";
  const bool signs = !spec.signs.empty();
  const bool signsFirst = signs && !spec.transpose;
  std::string signsIn =
      signsFirst
          ? "      %dv = vector.load %d[%i] : memref<$Nxf32>, vector<8xf32>\n"
            "      %v = arith.mulf %v0, %dv : vector<8xf32>"
          : "";
  const int sg1[8] = {1, -1, 1, -1, 1, -1, 1, -1},
            sg2[8] = {1, 1, -1, -1, 1, 1, -1, -1},
            sg4[8] = {1, 1, 1, 1, -1, -1, -1, -1};
  std::string text = substitute(
      kKernel, {{"$STAGES", stages},
                {"$FINAL", spec.k > 1 ? baseMix(spec) : scalePass(spec)},
                {"$SIGNSIN", signsIn},
                {"$VIN", signsFirst ? "%v" : "%v0"},
                {"$DARG", signs ? " %d: memref<$Nxf32>," : ""},
                {"$QUANT", spec.quantize ? kQuantize : ""},
                {"$QARG", spec.quantize ? ", %codes: memref<?x$Nxi8>, "
                                          "%scales: memref<?xf32>"
                                        : ""},
                {"$QLO", spec.narrow ? "-127.0" : "-128.0"},
                {"$S1", vec8(sg1)},
                {"$S2", vec8(sg2)},
                {"$S4", vec8(sg4)}});
  return substitute(text,
                    {{"$NAME", spec.name},
                     {"$N", s(spec.n)},
                     {"$M", s(spec.m)},
                     {"$SCALE", f32(1.0 / std::sqrt(double(spec.n)))}});
}

} // namespace mlir::qc::cpu
