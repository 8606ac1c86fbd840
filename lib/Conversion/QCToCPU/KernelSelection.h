//===- KernelSelection.h - which CPU kernel a qc op gets --------*- C++ -*-===//
//
// Private to QCToCPU.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_KERNELSELECTION_H
#define QC_LIB_CONVERSION_QCTOCPU_KERNELSELECTION_H

#include "FloatDotKernel.h"
#include "HadamardKernel.h"
#include "IntDotKernel.h"
#include "LutDotKernel.h"
#include "QuantizeKernel.h"

#include "qc/Dialect/QC/IR/QCOps.h"

#include "llvm/ADT/StringSet.h"

#include <string>

namespace mlir::qc::cpu {

struct KernelSpec;
DictionaryAttr getSpecAttr(MLIRContext *ctx, const FloatDotKernelSpec &spec);
DictionaryAttr getSpecAttr(MLIRContext *ctx, const IntDotKernelSpec &spec);
DictionaryAttr getSpecAttr(MLIRContext *ctx, const LutDotKernelSpec &spec);

/// What a matmul kernel is specialized for: f32 activations (FloatDot) or
/// int8 activation codes, multiplied (IntDot) or looked up in tables of
/// partial sums (LutDot).
struct KernelSpec {
  enum class Kind { FloatDot, IntDot, LutDot } kind;
  FloatDotKernelSpec floatDot;
  IntDotKernelSpec intDot;
  LutDotKernelSpec lutDot;
  /// Why this kernel family and not the other for int8 activations (the
  /// cost model's numbers), when the selection chose between them; the
  /// remark convert-qc-to-cpu gives with `remarks`.
  std::string choice;

  const std::string &name() const {
    return kind == Kind::IntDot   ? intDot.name
           : kind == Kind::LutDot ? lutDot.name
                                  : floatDot.name;
  }
  /// The #qc.tiled<rows, chunk_bytes> layout the kernel reads best (an
  /// integer kernel's row-lane tile on VNNI when it has one).
  std::pair<int64_t, int64_t> weightTile() const {
    if (kind == Kind::FloatDot)
      return floatDotWeightTile(floatDot);
    if (kind == Kind::LutDot)
      return {kLutTileRows, lutDot.chunkBytes};
    return rowLaneWeightTile(intDot).value_or(intDotWeightTile(intDot));
  }
  /// The layout the kernel reads best: a LUT kernel's tiled 1-bit planes
  /// (lutWeightLayout); #qc.bit_planes<[2, 1]> for 3-bit codes (the only
  /// one it reads), else #qc.tiled when it computes several weight rows at
  /// once; null for row-major.
  Attribute wantedLayout(MLIRContext *ctx) const;
  DictionaryAttr getSpecAttr(MLIRContext *ctx) const {
    return kind == Kind::IntDot   ? cpu::getSpecAttr(ctx, intDot)
           : kind == Kind::LutDot ? cpu::getSpecAttr(ctx, lutDot)
                                  : cpu::getSpecAttr(ctx, floatDot);
  }
  /// The weight side of the active kernel's spec.
  WeightSpec &weight() {
    if (kind == Kind::IntDot)
      return intDot;
    if (kind == Kind::LutDot)
      return lutDot;
    return floatDot;
  }
  const WeightSpec &weight() const {
    return const_cast<KernelSpec *>(this)->weight();
  }
};

/// The spec attributes kernels are found by (KernelTable): every field of
/// the spec that changes the generated code, none that does not (the name;
/// a table base, which is the Hadamard kernel's argument).
DictionaryAttr getSpecAttr(MLIRContext *ctx, const FloatDotKernelSpec &spec);
DictionaryAttr getSpecAttr(MLIRContext *ctx, const IntDotKernelSpec &spec);
DictionaryAttr getSpecAttr(MLIRContext *ctx, const HadamardKernelSpec &spec);
DictionaryAttr getSpecAttr(MLIRContext *ctx,
                           const QuantizeRowsKernelSpec &spec);

/// The kernel of `spec` (a getSpecAttr attribute), named `name`, built
/// from the attribute alone at the end of `moduleBody`; null when `spec`
/// is no CPU kernel's (a field missing or unknown). What the patterns and
/// the CPU's KernelTargetAttrInterface model build kernels with, so that
/// every field the code depends on must be in the spec.
func::FuncOp buildKernelFromSpec(OpBuilder &builder, Location loc,
                                 DictionaryAttr spec, StringRef name,
                                 Block &moduleBody);

/// The kernel `op` can use, or why there is none (in `why`). An
/// integer-dot kernel uses the most capable instructions up to `isa` that
/// its shape fits (fitDotISA); a float-table kernel decodes with 512-bit
/// `vpermps` when `isa` is VNNI512 (whose targets all have AVX512-F).
/// With int8 activations and `vbmi` (a VNNI512 target with AVX512-VBMI),
/// codes of 1 to 4 bits and #qc.binary ones may take the LUT kernel: a
/// weight already in its layout (lutWeightLayout) always does, a row-major
/// one when the cost model (lutKernelCost against intDotKernelCost) says
/// it is cheaper or no integer-dot kernel reads it; KernelSpec::choice
/// says why.
FailureOr<KernelSpec> classifyMatmul(MatmulOp op, DotISA isa, bool vbmi,
                                     std::string &why);
/// The same for a qc.matmul with these operand and result types. `why`
/// is cleared first.
FailureOr<KernelSpec> classifyMatmul(Type lhs, QuantizedTensorType w,
                                     Type result, DotISA isa, bool vbmi,
                                     std::string &why);

/// Checks `w`'s layout against `spec`'s kernel (a one-row layout is the
/// row-major order) and records a #qc.tiled one in `spec`.
LogicalResult checkLayout(QuantizedTensorType w, KernelSpec &spec,
                          std::string &why);

/// The kernel of a qc.quantize of an M x K f32 matrix to #qc.int<s8> with
/// absmax f32 scales per row or per 1 x G block, rounding half to even, or
/// why there is none.
FailureOr<QuantizeRowsKernelSpec> classifyQuantize(QuantizeOp op,
                                                   std::string &why);

/// The only user of `op` when it quantizes the rotated rows to int8 with
/// per-row absmax f32 scales (classifyQuantize with one scale per row),
/// which the rotation kernel can do while each row is in L1; else null.
QuantizeOp fusableQuantize(RotateOp op);

/// The Hadamard kernel for `op` (with `fused` quantization when non-null),
/// on 512-bit vectors when `avx512` (the target has AVX512-F) and the size
/// allows, or why there is none.
FailureOr<HadamardKernelSpec> classifyRotation(RotateOp op, QuantizeOp fused,
                                               bool avx512, std::string &why);

/// The machine kernels are compiled for.
struct CPUTarget {
  std::string triple;
  /// LLVM's names of the features the CPU has ("avx2", "fma", ...).
  llvm::StringSet<> features;

  /// `triple` (empty: the host's) with `features`: a comma list of LLVM
  /// feature names, each optionally prefixed by + or - (- removes it), and
  /// "host" for every feature of the CPU qc runs on ("host,-avx2": the
  /// host without AVX2). Fails with `error` on a malformed name.
  static FailureOr<CPUTarget> parse(StringRef triple, StringRef features,
                                    std::string &error);
  bool isX86_64() const;
  /// Whether the target has `requirement`: feature names joined by `+`
  /// (all of them), alternatives separated by `|`.
  bool hasFeatures(StringRef requirement) const;
  /// The integer-dot instructions the target has (the most capable).
  DotISA dotISA() const;
  /// Whether the target has the LUT kernel's instructions (vpdpbusd and
  /// vpermb on 512-bit vectors: VNNI512 and AVX512-VBMI).
  bool hasLutISA() const {
    return dotISA() == DotISA::VNNI512 && hasFeatures("avx512vbmi");
  }
  /// Why `kernel` cannot run on this target (the features its qc_x86 ops
  /// need that the target lacks, or a non-x86 triple), or empty.
  std::string missingFeatures(func::FuncOp kernel) const;
  /// The features of this target that a kernel's code can use (+sse2 ...
  /// +avx2, +fma, +f16c, the AVX-512 and VNNI extensions): what annotate
  /// records, and part of each kernel's spec.
  SmallVector<std::string> codeFeatures() const;
  /// Records on `kernel` (as its LLVM `target_features`) the features of
  /// this target that its code can use: the SIMD extensions from SSE2 to
  /// AVX2 and AVX-512, FMA, F16C and VNNI. So the kernel is compiled for
  /// the target chosen here whatever CPU the LLVM backend is given for the
  /// rest. Also gives it internal linkage: two modules compiled by qc and
  /// linked together each keep their own copy of a kernel they share.
  void annotate(func::FuncOp kernel) const;
};

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_KERNELSELECTION_H
