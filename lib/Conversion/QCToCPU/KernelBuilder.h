//===- KernelBuilder.h - building CPU kernels as IR -------------*- C++ -*-===//
//
// Private to QCToCPU. The pieces the integer-dot and float-dot
// kernels share: the phase permutation of the activations, per-block
// activation sums, weight addressing for #qc.tiled, the 3-bit high plane
// and the phase split of packed bytes.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOCPU_KERNELBUILDER_H
#define QC_LIB_CONVERSION_QCTOCPU_KERNELBUILDER_H

#include "qc/Conversion/KernelCommon/KernelBuilder.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <array>
#include <cstdint>
#include <string>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace qc::cpu {

using ::mlir::qc::createKernelFunction;
using ::mlir::qc::KernelBuilder;
using ::mlir::qc::KernelSignature;

/// The weight side every kernel is specialized for: N x K packed B-bit codes
/// (lsb first) in 1 x `weightGroup` blocks.
struct WeightSpec {
  /// The kernel function's name.
  std::string name;
  int64_t n = 0, k = 0;
  int bits = 4;
  int64_t weightGroup = 0;
  /// f32, f16 or bf16.
  Type scaleType;
  /// The zero points' type, or null without.
  Type zeroPointType;
  /// The mins' type (f32, f16 or bf16; subtracted per block, as in
  /// x = s * q - m), or null without.
  Type minType;
  /// Whether the packed bytes are in the kernel's #qc.tiled layout.
  bool tiledWeights = false;
  /// A nested weight (qc.requantize msb_slice of a #qc.bit_planes weight):
  /// the buffer holds `storedBits`-bit codes as planes, and the kernel reads
  /// the top plane, its `bits` bits, which starts after the planes of the
  /// `planeBitOffset` lower bits (at byte n * k * planeBitOffset / 8).
  /// storedBits 0: the buffer is the kernel's codes alone.
  int storedBits = 0, planeBitOffset = 0;

  int64_t numGroups() const { return k / weightGroup; }
  /// The bytes of codes the kernel reads.
  int64_t numBytes() const { return n * k * bits / 8; }
  /// The weight argument's bytes (all planes of a nested weight).
  int64_t bufferBytes() const {
    return n * k * (storedBits ? storedBits : bits) / 8;
  }
};

/// The codes a kernel reads in its weight argument `w` (memref of
/// bufferBytes()): `w` itself, or for a nested weight the top plane, as a
/// memref.view of numBytes() at its byte offset (no copy).
Value viewWeightCodes(KernelBuilder &b, const WeightSpec &spec, Value w);

/// The phase permutation of a chunk of `chunkCodes` values with `phases`
/// codes per byte: dest (chunkCodes/phases)*j + i takes source phases*i + j.
SmallVector<int64_t> phasePermutation(int64_t chunkCodes, int phases);

/// dst[m, :] = src[m, :] with every chunk of `chunkCodes` values put in phase
/// order (phasePermutation), for m < rows. Both are M x K memrefs.
void permuteActivations(KernelBuilder &b, Value src, Value dst, Value rows,
                        int64_t k, int64_t chunkCodes, int phases);

/// sums[m, g] = sum of src[m, k] over weight block g (`group` values), for
/// m < rows: int8 codes summed exactly in i32 then converted, or f32
/// values. With `scaleOf(m, k0)`, each 16-value slice's sum is multiplied
/// by the scale of the activation block holding k0.
void blockSums(KernelBuilder &b, Value src, Value sums, Value rows, int64_t k,
               int64_t group,
               function_ref<Value(Value m, Value k0)> scaleOf = nullptr);

/// Quantizes the f32 values src[row, k0 .. k0 + count) (count a multiple
/// of 8) to int8 codes[row, k0 ..] with the absmax scale s = max|x| / 127,
/// passed to `storeScale`: q = clamp(roundeven(x / s)) in [-128 or -127,
/// 127], 0 where s = 0 or x / s is NaN, NaNs left out of the maximum:
/// exactly qc.quantize's arithmetic in f32 (maxnum, a division, its
/// grid's encoding).
void quantizeBlockInt8(KernelBuilder &b, Value src, Value codes, Value row,
                       Value k0, int64_t count, bool narrow,
                       function_ref<void(Value scale)> storeScale);

/// The arguments an int8-activation matmul kernel starts with: qa
/// (memref<?xKxi8> codes), sa (their f32 scales: memref<?xf32> per row,
/// else memref<?xK/GAxf32>) and w (the weight's packed bytes).
void addInt8MatmulInputs(KernelSignature &signature, const WeightSpec &weight,
                         bool actPerRow, int64_t actGroup, Value &qa,
                         Value &sa, Value &w);

/// The end of a kernel's tile: totals[r * cols.size() + c] (an f32 vector
/// of output columns cols[c].. for activation row rows[r]) stored into
/// y[rows[r], cols[c]], each times the row's scale sa[rows[r]] when `sa`
/// is given (activations with one scale per row), then through `finish`
/// (e.g. a bias added) when given.
void storeRowTotals(KernelBuilder &b, ArrayRef<Value> totals,
                    ArrayRef<Value> rows, ArrayRef<Value> cols, Value y,
                    Value sa,
                    function_ref<Value(Value yv, Value col)> finish = nullptr);

/// A kernel's view of the weight's packed bytes: rows of `rowBytes` bytes,
/// row-major, or in `#qc.tiled<rows = tileRows, chunk_bytes = chunkBytes>`
/// order (tileRows > 1).
struct WeightAddressing {
  int64_t rowBytes = 0, tileRows = 1, chunkBytes = 0;

  bool tiled() const { return tileRows > 1; }
  /// Where weight row `nr`'s chunk 0 starts.
  Value rowBase(KernelBuilder &b, Value nr) const;
  /// The distance from a row's chunk 0 to the chunk holding row byte
  /// `byteOffset` (a multiple of the chunk size).
  Value chunkOffset(KernelBuilder &b, Value byteOffset) const;
};

/// Phase j of a chunk of packed B-bit fields (`phases` = 8 / B per byte):
/// field j of every byte, as bytes (a shift and a mask).
Value extractPhase(KernelBuilder &b, Value bytes, int j, int fieldBits);

/// 3-bit codes stored as #qc.bit_planes<[2, 1]>: the N x K/4 bytes of the
/// 2-bit plane (bits 0-1), then the N x K/8 bytes of the 1-bit plane (bit
/// 2). The kernels phase-split a chunk of the 2-bit plane as they do 2-bit
/// codes (lane i of phase j of the chunk that starts at code k0 holds code
/// k0 + 4i + j) and take bit 2 from the 1-bit plane, where that code's bit
/// is bit 4 * (i % 2) + j of byte k0/8 + i/2: one load of lanes/2 bytes per
/// chunk, a byte shuffle that gives each lane its byte, and per phase a
/// mask, a compare and a select.
struct HighBitPlane {
  int64_t n = 0, k = 0;
  /// Bytes of the 2-bit plane per chunk (16 or 32).
  int lanes = 32;

  struct Constants {
    /// Each lane's bit of phase j.
    std::array<Value, 4> phaseBit;
    Value four, zero;
  };
  Constants constants(KernelBuilder &b) const;
  /// Where weight row `nr`'s high bits start.
  Value rowBase(KernelBuilder &b, Value nr) const;
  /// Byte k0/8 + i/2 of the row's high plane (at `rowBase`) in lane i, for
  /// the chunk at code `k0` of memref `w`.
  Value load(KernelBuilder &b, Value w, Value rowBase, Value k0) const;
  /// `field` (phase j's 2-bit fields) plus 4 where the code's bit 2 is set
  /// (`invert`: where it is clear, which makes a signed code's bit pattern
  /// its value plus 4).
  Value merge(KernelBuilder &b, const Constants &c, Value highBytes, int j,
              Value field, bool invert) const;
};

} // namespace qc::cpu
} // namespace mlir

#endif // QC_LIB_CONVERSION_QCTOCPU_KERNELBUILDER_H
