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

/// Bit planes: each code's bits split into fields of `widths` bits, lsb
/// first (plane p holds bits [o_p, o_p + widths[p]) with o_p the sum of the
/// widths before it). The result is plane 0's packed stream (packCodes of
/// every code's field p, in order), then plane 1's, ... Each width must be
/// 1, 2 or 4 and each plane must fill whole bytes (codes.size() * width a
/// multiple of 8).
std::vector<uint8_t> packBitPlanes(const std::vector<uint8_t> &codes,
                                   const std::vector<int64_t> &widths);
/// Inverse of packBitPlanes: `count` codes from `bytes`.
std::vector<uint8_t> unpackBitPlanes(const uint8_t *bytes, int64_t count,
                                     const std::vector<int64_t> &widths);

} // namespace mlir::qc::numerics

#endif // QC_NUMERICS_PACKING_H
