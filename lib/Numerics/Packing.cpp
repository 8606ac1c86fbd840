//===- Packing.cpp - Sub-byte code packing --------------------------------===//

#include "qc/Numerics/Packing.h"

#include <cstddef>

using namespace mlir::qc::numerics;

std::vector<uint8_t> mlir::qc::numerics::packCodes(const std::vector<uint8_t> &codes,
                                             unsigned bits) {
  std::vector<uint8_t> out(packedBytes(int64_t(codes.size()), bits), 0);
  uint32_t mask = (1u << bits) - 1;
  int64_t bit = 0;
  for (uint8_t code : codes) {
    uint32_t v = code & mask;
    int64_t byte = bit / 8;
    unsigned shift = unsigned(bit % 8);
    out[byte] |= uint8_t(v << shift);
    if (shift + bits > 8)
      out[byte + 1] |= uint8_t(v >> (8 - shift));
    bit += bits;
  }
  return out;
}

std::vector<uint8_t> mlir::qc::numerics::unpackCodes(const uint8_t *bytes,
                                               int64_t count, unsigned bits) {
  std::vector<uint8_t> out(count);
  uint32_t mask = (1u << bits) - 1;
  int64_t bit = 0;
  for (int64_t i = 0; i < count; ++i, bit += bits) {
    int64_t byte = bit / 8;
    unsigned shift = unsigned(bit % 8);
    uint32_t v = uint32_t(bytes[byte]) >> shift;
    if (shift + bits > 8)
      v |= uint32_t(bytes[byte + 1]) << (8 - shift);
    out[i] = uint8_t(v & mask);
  }
  return out;
}

std::vector<uint8_t> mlir::qc::numerics::tileRows(const uint8_t *bytes,
                                            int64_t numRows, int64_t rowBytes,
                                            int64_t rows, int64_t chunkBytes) {
  std::vector<uint8_t> out(std::size_t(numRows * rowBytes));
  for (int64_t n = 0; n < numRows; ++n)
    for (int64_t i = 0; i < rowBytes; ++i)
      out[std::size_t(tiledByteIndex(n, i, rowBytes, rows, chunkBytes))] =
          bytes[n * rowBytes + i];
  return out;
}

std::vector<uint8_t>
mlir::qc::numerics::packBitPlanes(const std::vector<uint8_t> &codes,
                                  const std::vector<int64_t> &widths,
                                  PlaneTiling tile) {
  std::vector<uint8_t> out, field(codes.size());
  unsigned offset = 0;
  for (int64_t w : widths) {
    for (std::size_t i = 0; i < codes.size(); ++i)
      field[i] = uint8_t(codes[i] >> offset);
    std::vector<uint8_t> plane = packCodes(field, unsigned(w));
    if (tile.rows > 0)
      plane = tileRows(plane.data(), tile.numRows,
                       int64_t(plane.size()) / tile.numRows, tile.rows,
                       tile.chunkBytes);
    out.insert(out.end(), plane.begin(), plane.end());
    offset += unsigned(w);
  }
  return out;
}

std::vector<uint8_t>
mlir::qc::numerics::unpackBitPlanes(const uint8_t *bytes, int64_t count,
                                    const std::vector<int64_t> &widths,
                                    PlaneTiling tile) {
  std::vector<uint8_t> out(std::size_t(count), 0);
  unsigned offset = 0;
  for (int64_t w : widths) {
    int64_t planeBytes = packedBytes(count, unsigned(w));
    std::vector<uint8_t> plane(bytes, bytes + planeBytes);
    if (tile.rows > 0) {
      // Row n's byte i is at tiledByteIndex(n, i, ...) of the tiled plane.
      int64_t rowBytes = planeBytes / tile.numRows;
      for (int64_t n = 0; n < tile.numRows; ++n)
        for (int64_t i = 0; i < rowBytes; ++i)
          plane[std::size_t(n * rowBytes + i)] = bytes[tiledByteIndex(
              n, i, rowBytes, tile.rows, tile.chunkBytes)];
    }
    std::vector<uint8_t> field = unpackCodes(plane.data(), count, unsigned(w));
    for (int64_t i = 0; i < count; ++i)
      out[std::size_t(i)] |= uint8_t(field[std::size_t(i)] << offset);
    bytes += planeBytes;
    offset += unsigned(w);
  }
  return out;
}

std::vector<uint8_t> mlir::qc::numerics::packMMAFragments(const std::vector<uint8_t> &codes,
                                      int64_t numRows, int64_t numCols,
                                      bool offsetBinary) {
  std::vector<uint8_t> out(size_t(numRows * numCols / 2), 0);
  for (int64_t n = 0; n < numRows; ++n)
    for (int64_t k = 0; k < numCols; ++k) {
      uint8_t code = codes[size_t(n * numCols + k)] & 0xf;
      if (offsetBinary)
        code ^= 0x8;
      MMAFragmentPosition at = mmaFragmentPosition(n, k, numCols);
      out[size_t(at.byte)] |= uint8_t(code << at.shift);
    }
  return out;
}
