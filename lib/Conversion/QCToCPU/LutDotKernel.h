//===- LutDotKernel.h - table-lookup (LUT) CPU kernel generator -*- C++ -*-===//
//
// Private to QCToCPU. Builds the kernel for weight codes stored as 1-bit
// planes times int8 activation codes, with table lookups (AVX-512 VBMI's
// vpermb) instead of multiplies: its cost is proportional to the number of
// planes, so a 1-bit or binary weight costs a quarter of a 4-bit one.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_LUTDOTKERNEL_H
#define QC_LIB_CONVERSION_QCTOCPU_LUTDOTKERNEL_H

#include "KernelBuilder.h"

#include <string>

namespace mlir::qc::cpu {

/// What a LUT kernel is specialized for. The weight is N x K codes of
/// `bits` (B) bits in 1 x `weightGroup` blocks, stored as B planes of one
/// bit (plane p = bit p of every code), each in #qc.tiled<rows = 16,
/// chunk_bytes = C> order (a 1-bit code's single plane is the codes
/// themselves; C = `chunkBytes`): 16 rows x 8 C codes of a plane are one
/// 16 C-byte load.
/// Activations are M x K int8 codes with f32 scales per row or per 1 x
/// `actGroup` block (one of the two block sizes divides the other).
///
/// The arithmetic (exact in i32; see docs/Rationale.md):
///  * A code's value is w = sum_p c_p b_p + o over its bits b_p: unsigned
///    codes c_p = 2^p, o = 0; two's complement codes take the top plane's
///    bits complemented (1 - b), c_p = 2^p, o = -2^(B-1); binary codes
///    (#qc.binary: 0 -> -1, 1 -> +1) c_0 = 2, o = -1.
///  * An activation code is a = 16 h + l with l = a & 15 in [0, 15] and
///    h = a >> 4 in [-8, 7]. For each group of 4 activations and each of
///    the 16 patterns i of 4 bits, T_l[i] = sum_t bit_t(i) l_t is in
///    [0, 60] and T_h[i] in [-32, 28]: both are int8, so a pattern's dot
///    product with 4 activations is T_l[i] + 16 T_h[i], exactly.
///  * Per activation row the kernel builds, for every 16 codes (4 groups),
///    the 64-byte vectors of the 4 groups' T_l and of their T_h. A plane's
///    32 bytes for 16 weight rows become 64 indices (row r's 4 groups in
///    i32 lane r: nibble | group << 4; the top plane of signed codes takes
///    the nibble complemented), one vpermb per table looks them all up,
///    and vpdpbusd adds each lane's 4 lookups times c_p (T_l) or 16 c_p
///    (T_h) to row r's i32 sum. A block's sum plus o times the block's
///    activation sum is the exact integer dot product; its weight scale
///    and at the end the row's activation scale apply in f32.
struct LutDotKernelSpec : WeightSpec {
  enum class Codes { Unsigned = 0, Signed = 1, Binary = 2 };
  Codes codes = Codes::Signed;
  bool actPerRow = true;
  int64_t actGroup = 0;
  /// The scales are in lane order, memref<N/16 x K/G x 16 x T> (a block's
  /// 16 row scales are one vector load), as the row-lane integer kernel
  /// reads them (IntDotKernelSpec::laneOrderParts); else the logical
  /// N x K/G array, read by a gather.
  bool laneOrderParts = false;
  /// The AVX2 form: lookups with vpshufb (16-entry tables per 128-bit lane)
  /// instead of vpermb. A 32-byte load of a plane's chunk (16 rows x 2
  /// bytes) is reordered so that each 128-bit lane holds one nibble of all
  /// 16 rows, i.e. one group of 4 codes; each lookup then gives 16 rows'
  /// partial sums of one group, which are summed across groups in bytes,
  /// widened to i16 with the plane's weights c and 16 c, added across the
  /// two lanes and widened to i32 (exact: at most 18304 in i16).
  bool shuffles = false;
  /// Bytes of a plane's row in one tile chunk (#qc.tiled<rows = 16,
  /// chunk_bytes = C>): 2 (16 codes; the AVX2 form, and any K or block
  /// that is a multiple of 16) or 4 (32 codes; AVX-512 VBMI, K and blocks
  /// multiples of 32). With 4, one 64-byte load is 16 rows x 32 codes and
  /// the indices are built in each i32 lane: the low nibbles of row r's 4
  /// bytes (raw & 15, with the group in bits 4-5) index the tables of
  /// set A, the high nibbles ((raw >> 4) & 15) those of set B, where
  /// group j of set A is the chunk's codes 8 j .. 8 j + 3 and of set B
  /// codes 8 j + 4 .. 8 j + 7 (the tables are built for that grouping).
  /// 3 instructions give 2 x 64 indices, against 4 for 64 with C = 2
  /// (which widens 32 bytes to 16-bit lanes first).
  int64_t chunkBytes = 2;
};

/// Rows of a LUT kernel's tile of one plane (#qc.tiled<rows = 16,
/// chunk_bytes = LutDotKernelSpec::chunkBytes>).
constexpr int64_t kLutTileRows = 16;

/// The weight layout a LUT kernel reads for `bits`-bit codes in chunks of
/// `chunkBytes`: #qc.tiled<16, C> for 1 bit, else #qc.bit_planes<[1, ...],
/// tile = #qc.tiled<16, C>>.
Attribute lutWeightLayout(MLIRContext *ctx, int bits, int64_t chunkBytes);

/// The chunk the LUT kernel of `spec` reads best: 4 bytes where
/// checkLutDotKernel allows it, else 2.
int64_t bestLutChunkBytes(LutDotKernelSpec spec);

/// The conversion block: the codes whose i32 sum one f32 update takes.
int64_t lutConversionBlock(const LutDotKernelSpec &spec);

/// Why `spec`'s shape has no LUT kernel, or empty if it has one.
std::string checkLutDotKernel(const LutDotKernelSpec &spec);

/// The cost model the selection uses (docs/Rationale.md): vector
/// instructions per 16 weight rows x 16 codes x one activation row, on
/// AVX-512 with VNNI and VBMI. The LUT kernel spends 8 per plane in
/// chunks of 2 bytes (4 to expand a plane's indices, 2 vpermb, 2
/// vpdpbusd) and 5.5 in chunks of 4 (11 per 16 x 32 codes: 3 for the
/// indices, 4 vpermb, 4 vpdpbusd), rounded up per weight; the integer-dot
/// kernel 4 vpdpbusd plus the shifts and masks that unpack its codes
/// (`intDotUnpackOps`). The AVX2 form (`shuffles`) spends 20 per plane (4
/// vpshufb, 2 byte adds, the widening to i16 and i32 and the lane sum), so
/// it takes only weights no integer-dot kernel reads (1-bit, binary).
int lutKernelCost(int planes, bool shuffles = false,
                  int64_t chunkBytes = 2);
int intDotKernelCost(int bits);

/// The kernel: a private func.func named `spec.name`, appended to
/// `moduleBody`, with arguments
///   (qa: memref<?xKxi8>, sa: memref<?xf32> | memref<?xK/GAxf32>,
///    w: memref<N*K*B/8 x i8>,
///    s: memref<NxK/GxT> (laneOrderParts: memref<N/16xK/Gx16xT>),
///    y: memref<?xNxf32>,
///    scratch: tables: memref<?x8Kxi8>, asum: memref<?xK/Cxi32>)
/// with C the conversion block, min(G, GA) (G with activation rows).
/// `checkLutDotKernel(spec)` must be empty.
func::FuncOp buildLutDotKernel(OpBuilder &builder, Location loc,
                               Block &moduleBody, const LutDotKernelSpec &spec);

} // namespace mlir::qc::cpu

#endif // QC_LIB_CONVERSION_QCTOCPU_LUTDOTKERNEL_H
