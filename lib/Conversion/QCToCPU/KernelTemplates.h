//===- KernelTemplates.h - MLIR text of qc's CPU kernels --------*- C++ -*-===//
//
// Private to QCToCPU. Each kernel is a func.func on memrefs written with the
// vector dialect (and x86 intrinsics); $NAME, $K, $N, ... are substituted
// before parsing. Kernels manage their own scratch memory: they are added
// after buffer deallocation (qc-cpu-materialize-kernels).
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_KERNELTEMPLATES_H
#define QC_LIB_CONVERSION_QCTOCPU_KERNELTEMPLATES_H

#include <string>

namespace mlir::qc::cpu {

/// Weight-only signed int4 GEMM/GEMV, f32 activations, per-block scales.
///
/// The activations are first copied with every 32-element chunk split into
/// its even and odd positions, so that the low nibbles of 16 packed bytes
/// (codes k0, k0+2, ...) meet the first half and the high nibbles (k0+1,
/// k0+3, ...) the second half: no shuffles in the inner loop. Per block of
/// G codes the products accumulate in a vector<16xf32>, then are scaled and
/// added to the row total; one horizontal sum per output. Rows of the
/// weight (outputs n) are split across threads: the scf.parallel becomes an
/// OpenMP worksharing loop late in the pipeline (see lib/Pipelines).
inline constexpr const char *kW4F32Kernel = R"mlir(
func.func private @$NAME(%a: memref<?x$Kxf32>, %w: memref<$BYTESxi8>,
                         %s: memref<$Nx$NGx$ST>, %y: memref<?x$Nxf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %cK = arith.constant $K : index
  %cN = arith.constant $N : index
  %cNG = arith.constant $NG : index
  %cG = arith.constant $G : index
  %M = memref.dim %a, %c0 : memref<?x$Kxf32>
  %ap = memref.alloc(%M) : memref<?x$Kxf32>
  scf.for %m = %c0 to %M step %c1 {
    scf.for %k0 = %c0 to %cK step %c32 {
      %v = vector.load %a[%m, %k0] : memref<?x$Kxf32>, vector<32xf32>
      %e, %o = vector.deinterleave %v : vector<32xf32> -> vector<16xf32>
      vector.store %e, %ap[%m, %k0] : memref<?x$Kxf32>, vector<16xf32>
      %k16 = arith.addi %k0, %c16 : index
      vector.store %o, %ap[%m, %k16] : memref<?x$Kxf32>, vector<16xf32>
    }
  }
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %four = arith.constant dense<4> : vector<16xi8>
  scf.parallel (%n) = (%c0) to (%cN) step (%c1) {
    %rowK = arith.muli %n, %cK : index
    %rowBase = arith.divui %rowK, %c2 : index
    scf.for %m = %c0 to %M step %c1 {
      %total = scf.for %g = %c0 to %cNG step %c1
          iter_args(%t = %zero) -> (vector<16xf32>) {
        %kg = arith.muli %g, %cG : index
        %acc = scf.for %c = %c0 to %cG step %c32
            iter_args(%ac = %zero) -> (vector<16xf32>) {
          %k0 = arith.addi %kg, %c : index
          %half = arith.divui %k0, %c2 : index
          %off = arith.addi %rowBase, %half : index
          %b = vector.load %w[%off] : memref<$BYTESxi8>, vector<16xi8>
          %l4 = arith.shli %b, %four : vector<16xi8>
          %lo = arith.shrsi %l4, %four : vector<16xi8>
          %hi = arith.shrsi %b, %four : vector<16xi8>
          %lf = arith.sitofp %lo : vector<16xi8> to vector<16xf32>
          %hf = arith.sitofp %hi : vector<16xi8> to vector<16xf32>
          %ae = vector.load %ap[%m, %k0] : memref<?x$Kxf32>, vector<16xf32>
          %k16 = arith.addi %k0, %c16 : index
          %ao = vector.load %ap[%m, %k16] : memref<?x$Kxf32>, vector<16xf32>
          %a1 = vector.fma %lf, %ae, %ac : vector<16xf32>
          %a2 = vector.fma %hf, %ao, %a1 : vector<16xf32>
          scf.yield %a2 : vector<16xf32>
        }
        %swr = memref.load %s[%n, %g] : memref<$Nx$NGx$ST>
        $EXTEND
        %sb = vector.broadcast $SCALE : f32 to vector<16xf32>
        %t2 = vector.fma %acc, %sb, %t : vector<16xf32>
        scf.yield %t2 : vector<16xf32>
      }
      %r = vector.reduction <add>, %total : vector<16xf32> into f32
      memref.store %r, %y[%m, %n] : memref<?x$Nxf32>
    }
  }
  memref.dealloc %ap : memref<?x$Kxf32>
  return
}
)mlir";

/// Signed int4 weights times int8 activations (W4A8), the integer dot
/// product on AVX2's vpmaddubsw/vpmaddwd.
///
/// Codes are made unsigned (u = q + 8, an XOR with 0x88 per byte) so that
/// vpmaddubsw can take them as its unsigned operand; the activations are the
/// signed one. The intrinsics are called directly (LLVM's matching of plain
/// vector arithmetic loses vpmaddubsw whenever it can fold the saturation
/// away), which is why kernels are materialized after buffer deallocation
/// (qc-cpu-materialize-kernels). Then sum_k q*a = sum_k u*a - 8 * sum_k a, with the activation
/// sums per common block computed once per row in the prologue. A common
/// block (C elements, the smaller of the weight and activation blocks)
/// accumulates exactly in i32 lanes, is converted to f32 once and scaled by
/// s_w * s_a.
inline constexpr const char *kW4A8Kernel = R"mlir(
func.func private @$NAME(%qa: memref<?x$Kxi8>, %sa: $SATYPE,
                         %w: memref<$BYTESxi8>, %s: memref<$Nx$NGx$ST>,
                         %y: memref<?x$Nxf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %cN = arith.constant $N : index
  %cNG = arith.constant $NG : index
  %cC = arith.constant $C : index
  %cS = arith.constant $SUB : index
  %cGW = arith.constant $GW : index
  %cGA = arith.constant $GA : index
  %cK = arith.constant $K : index
  %f0 = arith.constant 0.0 : f32
  %eight = arith.constant 8.0 : f32
  %M = memref.dim %qa, %c0 : memref<?x$Kxi8>
  // corr[m, g] = 8 * sum over weight group g of s_a * a: the correction for
  // unsigned codes (q = u - 8), per activation row and weight group.
  %corr = memref.alloc(%M) : memref<?x$NGxf32>
  scf.for %m = %c0 to %M step %c1 {
    scf.for %g = %c0 to %cNG step %c1 {
      %kg = arith.muli %g, %cGW : index
      %sum = scf.for %c = %c0 to %cGW step %c32 iter_args(%acc = %f0) -> (f32) {
        %k0 = arith.addi %kg, %c : index
        %v = vector.load %qa[%m, %k0] : memref<?x$Kxi8>, vector<32xi8>
        %wide = arith.extsi %v : vector<32xi8> to vector<32xi32>
        %r = vector.reduction <add>, %wide : vector<32xi32> into i32
        %rf = arith.sitofp %r : i32 to f32
        %ga = arith.divui %k0, %cGA : index
        %sav = $ALOAD
        %acc2 = math.fma %rf, %sav, %acc : f32
        scf.yield %acc2 : f32
      }
      %sum8 = arith.mulf %sum, %eight : f32
      memref.store %sum8, %corr[%m, %g] : memref<?x$NGxf32>
    }
  }
  %zf = arith.constant dense<0.0> : vector<8xf32>
  %zi = arith.constant dense<0> : vector<8xi32>
  %zs = arith.constant dense<0> : vector<16xi16>
  %ones = arith.constant dense<1> : vector<16xi16>
  %flip = arith.constant dense<-120> : vector<16xi8>
  %low16 = arith.constant dense<15> : vector<16xi16>
  %high16 = arith.constant dense<3840> : vector<16xi16>
  %four16 = arith.constant dense<4> : vector<16xi16>
  // The weight scales in f32, one row converted per output channel.
  %sbuf = memref.alloc() : memref<$Nx$NGxf32>
  %cR = arith.constant $ROWS : index
  %Mdiv = arith.divui %M, %cR : index
  %Mt = arith.muli %Mdiv, %cR : index
  scf.parallel (%n) = (%c0) to (%cN) step (%c1) {
    %rowK = arith.muli %n, %cK : index
    %rowBase = arith.divui %rowK, %c2 : index
    // The row's weight scales as one f32 vector, for the correction term.
    %swh = vector.load %s[%n, %c0] : memref<$Nx$NGx$ST>, vector<$NGx$ST>
    $VEXTEND
    vector.store %swv, %sbuf[%n, %c0] : memref<$Nx$NGxf32>, vector<$NGxf32>
    // Tiles of $ROWS activation rows share each unpacked weight chunk.
    scf.for %mt = %c0 to %Mt step %cR {
$TILE
    }
    // The remaining rows one at a time (the same body for one row).
    scf.for %mt = %Mt to %M step %c1 {
$ONEROW
    }
  }
  memref.dealloc %corr : memref<?x$NGxf32>
  memref.dealloc %sbuf : memref<$Nx$NGxf32>
  return
}
)mlir";

/// The body of the W4A8 kernel's row-tile loop (induction variable %mt):
/// the single-row computation for `rows` rows, with one accumulator per row
/// and the weight unpacking shared.
/// `actScaleLoad` loads row @'s activation scale of block %ga.
inline std::string buildW4A8RowTile(int rows, const std::string &actScaleLoad) {
  auto each = [&](const std::string &pattern) {
    // pattern uses @ for the row index
    std::string out;
    for (int r = 0; r < rows; ++r) {
      std::string line = pattern;
      for (size_t pos; (pos = line.find('@')) != std::string::npos;)
        line.replace(pos, 1, std::to_string(r));
      out += line;
    }
    return out;
  };
  auto list = [&](const std::string &pattern, const char *sep = ", ") {
    std::string out;
    for (int r = 0; r < rows; ++r) {
      std::string item = pattern;
      for (size_t pos; (pos = item.find('@')) != std::string::npos;)
        item.replace(pos, 1, std::to_string(r));
      out += (r ? sep : "") + item;
    }
    return out;
  };
  std::string n = std::to_string(rows);
  std::string t;
  t += each("      %ro@ = arith.constant @ : index\n"
            "      %m@ = arith.addi %mt, %ro@ : index\n");
  t += "      %tt:" + n +
       " = scf.for %g = %c0 to %cNG step %c1 iter_args(" +
       list("%t@ = %zf") + ") -> (" + list("vector<8xf32>") + ") {\n";
  t += "        %kg = arith.muli %g, %cGW : index\n";
  t += "        %tg:" + n +
       " = scf.for %cb = %c0 to %cGW step %cC iter_args(" +
       list("%tgv@ = %zf") + ") -> (" + list("vector<8xf32>") + ") {\n";
  t += "          %kc = arith.addi %kg, %cb : index\n";
  t += "          %is:" + n +
       " = scf.for %sb = %c0 to %cC step %cS iter_args(" + list("%ia@ = %zi") +
       ") -> (" + list("vector<8xi32>") + ") {\n";
  t += "            %k1 = arith.addi %kc, %sb : index\n";
  t += "            %p:" + n +
       " = scf.for %c = %c0 to %cS step %c32 iter_args(" +
       list("%pa@ = %zs") + ") -> (" + list("vector<16xi16>") + ") {\n";
  t += R"mlir(              %k0 = arith.addi %k1, %c : index
              %half = arith.divui %k0, %c2 : index
              %off = arith.addi %rowBase, %half : index
              %b = vector.load %w[%off] : memref<$BYTESxi8>, vector<16xi8>
              %u = arith.xori %b, %flip : vector<16xi8>
              %x = arith.extui %u : vector<16xi8> to vector<16xi16>
              %xl = arith.andi %x, %low16 : vector<16xi16>
              %xs = arith.shli %x, %four16 : vector<16xi16>
              %xh = arith.andi %xs, %high16 : vector<16xi16>
              %w16 = arith.ori %xl, %xh : vector<16xi16>
              %wv = vector.bitcast %w16 : vector<16xi16> to vector<32xi8>
)mlir";
  t += each("              %av@ = vector.load %qa[%m@, %k0] : memref<?x$Kxi8>, vector<32xi8>\n"
            "              %q@ = llvm.call_intrinsic \"llvm.x86.avx2.pmadd.ub.sw\"(%wv, %av@) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>\n"
            "              %pn@ = arith.addi %pa@, %q@ : vector<16xi16>\n");
  t += "              scf.yield " + list("%pn@") + " : " + list("vector<16xi16>") + "\n";
  t += "            }\n";
  t += each("            %pw@ = llvm.call_intrinsic \"llvm.x86.avx2.pmadd.wd\"(%p#@, %ones) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>\n"
            "            %in@ = arith.addi %ia@, %pw@ : vector<8xi32>\n");
  t += "            scf.yield " + list("%in@") + " : " + list("vector<8xi32>") + "\n";
  t += "          }\n";
  t += "          %ga = arith.divui %kc, %cGA : index\n";
  t += each("          %sav@ = " + actScaleLoad + "\n"
            "          %fv@ = arith.sitofp %is#@ : vector<8xi32> to vector<8xf32>\n"
            "          %sab@ = vector.broadcast %sav@ : f32 to vector<8xf32>\n"
            "          %tgn@ = vector.fma %fv@, %sab@, %tgv@ : vector<8xf32>\n");
  t += "          scf.yield " + list("%tgn@") + " : " + list("vector<8xf32>") + "\n";
  t += "        }\n";
  t += "        %sw = memref.load %sbuf[%n, %g] : memref<$Nx$NGxf32>\n";
  t += "        %swb = vector.broadcast %sw : f32 to vector<8xf32>\n";
  t += each("        %tn@ = vector.fma %tg#@, %swb, %t@ : vector<8xf32>\n");
  t += "        scf.yield " + list("%tn@") + " : " + list("vector<8xf32>") +
       "\n";
  t += "      }\n";
  t += each(
      "      %r@ = vector.reduction <add>, %tt#@ : vector<8xf32> into f32\n"
      "      %cv@ = vector.load %corr[%m@, %c0] : memref<?x$NGxf32>, vector<$NGxf32>\n"
      "      %cp@ = arith.mulf %swv, %cv@ : vector<$NGxf32>\n"
      "      %crt@ = vector.reduction <add>, %cp@ : vector<$NGxf32> into f32\n"
      "      %yv@ = arith.subf %r@, %crt@ : f32\n"
      "      memref.store %yv@, %y[%m@, %n] : memref<?x$Nxf32>\n");
  return t;
}

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_KERNELTEMPLATES_H
