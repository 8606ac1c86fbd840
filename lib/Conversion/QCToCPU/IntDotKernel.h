//===- IntDotKernel.h - integer-dot (WxA8) CPU kernel generator -*- C++ -*-===//
//
// Private to QCToCPU. Builds the kernel for 2-, 3-, 4- or 8-bit weight codes
// times int8 activation codes, on AVX2's vpmaddubsw/vpmaddwd or on VNNI's
// vpdpbusd (256- or 512-bit vectors).
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_INTDOTKERNEL_H
#define QC_LIB_CONVERSION_QCTOCPU_INTDOTKERNEL_H

#include "KernelBuilder.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace mlir::qc::cpu {

/// The instructions an integer-dot kernel multiplies with, in the order of
/// preference: the one a target gets is the last it has the features for
/// (CPUTarget::dotISA) and whose vector the shape fits (fitDotISA).
enum class DotISA {
  /// vpmaddubsw + vpmaddwd on 256-bit vectors (AVX2).
  AVX2 = 0,
  /// vpdpbusd on 256-bit vectors: AVX-VNNI (client CPUs) or AVX512-VNNI
  /// with AVX512-VL.
  VNNI256 = 1,
  /// vpdpbusd on 512-bit vectors (AVX512-F/BW/VL/VNNI: Ice Lake and later
  /// Xeons, AMD Zen 4 and 5).
  VNNI512 = 2,
};

/// What an integer-dot kernel is specialized for. The weight is N x K with
/// packed B-bit codes (lsb first) in 1 x `weightGroup` blocks; activations
/// are M x K int8 codes (M dynamic) with f32 scales per row or per
/// 1 x `actGroup` block.
/// Zero points are integers.
struct IntDotKernelSpec : WeightSpec {
  /// Whether the codes are two's complement (signed grid).
  bool signedCodes = true;
  bool actPerRow = true;
  int64_t actGroup = 0;
  /// 8-bit codes: which operands never hold -128 (narrow grids). The sign
  /// trick, |x| * sign(y, x), is applied to a narrow operand's sign; it
  /// goes on the activations when they are narrow.
  bool weightsNarrow = false, activationsNarrow = false;
  bool signOnActivations = false;
  /// The instructions (see DotISA).
  DotISA isa = DotISA::AVX2;
  /// VNNI only: the weight is in #qc.tiled<rows = R, chunk_bytes = 4> (R =
  /// 16 for zmm, 8 for ymm: rowLaneWeightTile), so that a vector holds 4
  /// bytes of each of R weight rows and each i32 lane of `vpdpbusd` sums
  /// one weight row against 4 broadcast activation bytes. Scales then
  /// apply per vector of R rows, once per block: the kernel's float work
  /// falls by R against the K-major form (tiledWeights must be set).
  bool rowLanes = false;
  /// Row-lane form only: the scales (and mins) are in lane order,
  /// memref<N/R x K/G x R x T> (part[n / R, g, n % R] = the logical
  /// part[n, g]), so a block's R scales are one vector load. Without it they
  /// are the logical N x K/G array, read by a gather (an f16 gather is 16
  /// scalar loads). Set when the parts are constants, reordered at compile
  /// time (laneOrderParts in QCToCPU.cpp).
  bool laneOrderParts = false;
  /// Row-lane form on 512-bit vectors only: blocks of 16 activation rows
  /// run on AMX tiles (tdpbssd: signed activation bytes times signed codes,
  /// which need no offset correction; tdpbsud for unsigned codes; 16 x 16
  /// i32 sums per tile) when the CPU has AMX-INT8 and the process may use
  /// it (the kernel asks Linux on each call with 16 rows or more,
  /// arch_prctl(ARCH_REQ_XCOMP_PERM)); the other rows, and every row where
  /// AMX is refused, take the vpdpbusd tiles. The weights, their layout and
  /// the f32 update are the row-lane form's: each thread unpacks 4 panels
  /// of 16 weight rows to one byte per code and reuses them for its chunk
  /// of up to 256 rows.
  bool amxTiles = false;
  /// Row-lane form only, for a nested weight (storedBits set) of a
  /// symmetric weight: d > 0 when the scales argument holds the stored
  /// weight's scales s and the kernel derives the requantized parts as it
  /// loads them, s' = s * 2^d and m' = -(s * (2^d - 1) / 2) (qc.requantize
  /// msb_slice, numerics::nestedScale / nestedMin, bit for bit), so a
  /// weight passed at run time needs no pass over its scales. There is no
  /// mins argument then; minType is the requantized one.
  int nestedShift = 0;
  /// Row-lane form only: the codes are a nested weight's full ones, stored
  /// as #qc.bit_planes<[4, 4]> in the row-lane tile of 4-bit codes (bits =
  /// 4 is the top plane's width, storedBits = 8, planeBitOffset = 4): each
  /// step loads a chunk of both planes and joins phase j's nibbles into the
  /// byte 16 h + l, read as 8-bit codes (signed: q + 128, whose offset
  /// the activation sums correct). One vpdpbusd per 4 codes, as for stored
  /// 8-bit codes, from the bytes of both planes.
  bool bothPlanes = false;
  /// Row-lane form only: an f32 bias of N values (an argument after the
  /// weight's parts) is added as each output vector is stored, instead of
  /// by a pass over y after the kernel (y + bias, the same rounding).
  bool bias = false;
};

/// The most capable ISA, at most `best`, that `spec`'s shape has a kernel
/// for (spec.isa is ignored): VNNI needs K and the blocks to tile its
/// vectors, AVX2 is the fallback.
DotISA fitDotISA(IntDotKernelSpec spec, DotISA best);

/// The #qc.tiled<rows, chunk_bytes> layout of the K-major kernel: rows > 1
/// when it computes several weight rows at once. Every instruction set
/// reads it.
std::pair<int64_t, int64_t> intDotWeightTile(const IntDotKernelSpec &spec);

/// The layout of the row-lane form (IntDotKernelSpec::rowLanes), when
/// `spec` has one: a VNNI `isa`, 2-, 4- or 8-bit codes without zero points,
/// N a multiple of R, blocks that hold whole 4-byte chunks.
std::optional<std::pair<int64_t, int64_t>>
rowLaneWeightTile(const IntDotKernelSpec &spec);

/// Why `spec` (a row-lane kernel) cannot take AMX tiles, or empty.
std::string checkAmxTiles(const IntDotKernelSpec &spec);

/// Why `spec`'s shape has no integer-dot kernel, or empty if it has one.
std::string checkIntDotKernel(const IntDotKernelSpec &spec);

/// The kernel: a private func.func named `spec.name`, appended to
/// `moduleBody`, with arguments
///   (qa: memref<?xKxi8>, sa: memref<?xf32> | memref<?xK/GAxf32>,
///    w: memref<N*K*B/8 x i8>, s: memref<NxK/GxST>[, z: memref<NxK/GxZT>]
///    [, mn: memref<NxK/GxMT>: subtracted mins, w = s u - mn]
///    [, bias: memref<Nxf32>],
///    (with laneOrderParts, s and mn are memref<N/RxK/GxRxT>)
///    y: memref<?xNxf32>,
///    scratch: ap: memref<?xKxi8>, asum: memref<?xK/Gxf32>
///             [, sax: memref<?x(4K/U)xf32> with activation blocks,
///             U = 16 codes per byte]).
/// The row-lane form's asum is per conversion block (min(G, GA) codes:
/// memref<?xK/min(G,GA)xf32>) and it has no sax.
/// The scratch buffers have M rows; the caller allocates them.
/// `checkIntDotKernel(spec)` must be empty.
func::FuncOp buildIntDotKernel(OpBuilder &builder, Location loc,
                               Block &moduleBody, const IntDotKernelSpec &spec);

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_INTDOTKERNEL_H
