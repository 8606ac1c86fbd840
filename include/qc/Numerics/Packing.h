//===- Packing.h - Sub-byte code packing ------------------------*- C++ -*-===//
//
// Codes of b bits are stored as one little-endian bit stream: code i occupies
// bits [i*b, (i+1)*b) of the stream, and stream bit j is bit (j % 8) of byte
// j / 8 ("lsb first"). For b = 4 this is two codes per byte, the first in the
// low nibble. The last byte is zero-padded.
//
//===----------------------------------------------------------------------===//

#ifndef QC_NUMERICS_PACKING_H
#define QC_NUMERICS_PACKING_H

#include <cstdint>
#include <vector>

namespace mlir::qc::numerics {

/// Bytes needed for `count` codes of `bits` bits.
inline int64_t packedBytes(int64_t count, unsigned bits) {
  return (count * int64_t(bits) + 7) / 8;
}

/// Pack the low `bits` bits of each code (1 <= bits <= 8).
std::vector<uint8_t> packCodes(const std::vector<uint8_t> &codes,
                               unsigned bits);
/// Inverse of packCodes: `count` codes from `bytes`.
std::vector<uint8_t> unpackCodes(const uint8_t *bytes, int64_t count,
                                 unsigned bits);

/// Row tiles: the packed stream of a matrix whose rows are `rowBytes` bytes
/// each, reordered so that each group of `rows` consecutive rows is stored
/// chunk by chunk: chunk c (bytes [c*chunkBytes, (c+1)*chunkBytes) of a row)
/// of the group's rows 0..rows-1, then chunk c+1, ... A kernel that works on
/// `rows` rows at once then reads one sequential stream. Byte `i` of row `n`
/// of the row-major stream is at tiledByteIndex(n, i, ...).
inline int64_t tiledByteIndex(int64_t n, int64_t i, int64_t rowBytes,
                              int64_t rows, int64_t chunkBytes) {
  return ((n / rows) * (rowBytes / chunkBytes) + i / chunkBytes) * rows *
             chunkBytes +
         (n % rows) * chunkBytes + i % chunkBytes;
}

/// The row-tiled stream of `bytes` (numRows * rowBytes bytes; rows divides
/// numRows and chunkBytes divides rowBytes).
std::vector<uint8_t> tileRows(const uint8_t *bytes, int64_t numRows,
                              int64_t rowBytes, int64_t rows,
                              int64_t chunkBytes);

/// Tensor-core fragment order for 4-bit codes (#qc_nvvm.mma_fragments), the
/// layout the NVIDIA W4A16 kernel reads. An N x K matrix (N % 16 == 0,
/// K % 64 == 0) is cut into tiles of 16 rows x 64 codes, stored tile after
/// tile, row tiles outer (tile (t, c) at byte ((t * K/64) + c) * 512). A
/// tile is 32 lanes x 4 words: word s of lane l (bytes l*16 + s*4 .. +3,
/// little endian) holds the 8 codes lane l of a warp needs as the B
/// operand of two mma.m16n8k16 (rows 0-7 and 8-15 of the tile) at k step
/// s (codes s*16 .. s*16+15 of the tile). Nibble p of the word (bits
/// 4p .. 4p+3) is row 8*(p % 2) + l/4, code s*16 + 2*(l % 4) + d with
/// d = {0, 8, 1, 9}[p / 2]: the pairs (nibble p, nibble p + 4) are what
/// the magic-number conversion turns into one f16x2 register.
/// `offsetBinary` stores code + 8 (signed 4-bit codes as 0..15).
///
/// The one definition of the layout: mmaFragmentIndex is written once over
/// any index type `I` with `+` (I, I) and `*`, `/`, `%` by int64_t on
/// non-negative values, and instantiated with int64_t here (packing) and
/// with IR values in the reference lowering (unpacking).
template <typename I> struct MMAFragmentIndex {
  I byte;
  /// 0 (low nibble) or 4.
  I shift;
};
template <typename I>
MMAFragmentIndex<I> mmaFragmentIndex(I n, I k, int64_t numCols) {
  I tile = (n / 16) * (numCols / 64) + k / 64;
  I r = n % 16, kk = k % 64;
  I s = kk / 16, kr = kk % 16;
  I lane = (r % 8) * 4 + (kr % 8) / 2;
  // d = 0, 8, 1, 9 -> nibble pair index 0, 1, 2, 3.
  I pair = kr / 8 + (kr % 2) * 2;
  I p = pair * 2 + r / 8;
  return {tile * 512 + lane * 16 + s * 4 + p / 2, (p % 2) * 4};
}
struct MMAFragmentPosition {
  int64_t byte;
  /// 0 (low nibble) or 4.
  int shift;
};
inline MMAFragmentPosition mmaFragmentPosition(int64_t n, int64_t k,
                                               int64_t numCols) {
  MMAFragmentIndex<int64_t> at = mmaFragmentIndex<int64_t>(n, k, numCols);
  return {at.byte, int(at.shift)};
}
/// The #qc_nvvm.mma_fragments stream of an N x K matrix of 4-bit codes given
/// one per byte (low nibble), row-major.
std::vector<uint8_t> packMMAFragments(const std::vector<uint8_t> &codes,
                                      int64_t numRows, int64_t numCols,
                                      bool offsetBinary);

/// Bit planes: each code's bits split into fields of `widths` bits, lsb
/// first (plane p holds bits [o_p, o_p + widths[p]) with o_p the sum of the
/// widths before it). The result is plane 0's packed stream (packCodes of
/// every code's field p, in order), then plane 1's, ... Each width must be
/// 1, 2 or 4 and each plane must fill whole bytes (codes.size() * width a
/// multiple of 8).
///
/// With `tile.rows > 0`, the codes are a matrix of `tile.numRows` rows and
/// each plane's stream is row-tiled (tileRows with `tile.rows`,
/// `tile.chunkBytes`; a plane's row is its K * width / 8 bytes).
struct PlaneTiling {
  int64_t numRows = 0, rows = 0, chunkBytes = 0;
};
std::vector<uint8_t> packBitPlanes(const std::vector<uint8_t> &codes,
                                   const std::vector<int64_t> &widths,
                                   PlaneTiling tile = {});
/// Inverse of packBitPlanes: `count` codes from `bytes`.
std::vector<uint8_t> unpackBitPlanes(const uint8_t *bytes, int64_t count,
                                     const std::vector<int64_t> &widths,
                                     PlaneTiling tile = {});

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_PACKING_H
