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

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_KERNELTEMPLATES_H
