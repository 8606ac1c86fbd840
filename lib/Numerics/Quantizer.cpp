//===- Quantizer.cpp - Scales, granularity and tensor quantization --------===//

#include "qc/Numerics/Quantizer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir::qc::numerics;

//===----------------------------------------------------------------------===//
// Shapes and blocks
//===----------------------------------------------------------------------===//

int64_t mlir::qc::numerics::numElements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t>
mlir::qc::numerics::scaleShape(const std::vector<int64_t> &shape,
                         const std::vector<int64_t> &blockShape) {
  std::vector<int64_t> out;
  for (size_t d = 0; d < shape.size(); ++d)
    out.push_back(shape[d] / blockShape[d]);
  return out;
}

std::vector<int64_t>
mlir::qc::numerics::perTensorBlocks(const std::vector<int64_t> &shape) {
  return shape;
}

std::vector<int64_t>
mlir::qc::numerics::perAxisBlocks(const std::vector<int64_t> &shape, unsigned axis) {
  std::vector<int64_t> b = shape;
  b[axis] = 1;
  return b;
}

std::vector<int64_t>
mlir::qc::numerics::perBlockAlong(const std::vector<int64_t> &shape, unsigned axis,
                            int64_t blockSize) {
  std::vector<int64_t> b(shape.size(), 1);
  b[axis] = blockSize;
  return b;
}

static std::string checkBlocks(const std::vector<int64_t> &shape,
                               const std::vector<int64_t> &blocks,
                               const char *what) {
  if (blocks.size() != shape.size())
    return std::string(what) + " has rank " + std::to_string(blocks.size()) +
           ", the tensor " + std::to_string(shape.size());
  for (size_t d = 0; d < shape.size(); ++d)
    if (blocks[d] < 1 || shape[d] % blocks[d] != 0)
      return std::string(what) + " " + std::to_string(blocks[d]) +
             " does not divide dimension " + std::to_string(d) + " (size " +
             std::to_string(shape[d]) + ")";
  return "";
}

std::string QuantScheme::check(const std::vector<int64_t> &shape) const {
  if (shape.empty())
    return "quantized tensors have rank >= 1";
  for (int64_t d : shape)
    if (d < 1)
      return "quantized tensors need a static, non-empty shape here";
  if (std::string e = checkBlocks(shape, blockShape, "block"); !e.empty())
    return e;
  bool isMX = method == ScaleMethod::MX;
  if (isMX != (scaleFormat.kind == ValueFormat::Kind::E8M0))
    return "method mx and E8M0 scales go together";
  if (scaleFormat.kind == ValueFormat::Kind::Int)
    return "scales must be stored in a float format";
  if (method == ScaleMethod::MinMax && zeroPoint == ZeroPointKind::None)
    return "method minmax needs a zero point";
  if (zeroPoint == ZeroPointKind::Int && grid.kind() != GridKind::Int)
    return "integer zero points need an integer grid";
  if (isMX && zeroPoint != ZeroPointKind::None)
    return "method mx is symmetric: no zero point";
  if (outerBlockShape) {
    if (std::string e = checkBlocks(shape, *outerBlockShape, "outer block");
        !e.empty())
      return e;
    for (size_t d = 0; d < shape.size(); ++d)
      if ((*outerBlockShape)[d] % blockShape[d] != 0)
        return "outer block must be a multiple of the block along dimension " +
               std::to_string(d);
    if (method != ScaleMethod::AbsMax && method != ScaleMethod::AbsMean)
      return "two-level scales need method absmax or absmean";
    if (scaleFormat.kind != ValueFormat::Kind::Float ||
        outerScaleFormat.kind != ValueFormat::Kind::Float)
      return "two-level scales must be float formats";
  }
  return "";
}

namespace {
/// Walks a row-major tensor and reports, for each element, the linear index
/// of the block it falls in for one or two block shapes.
class BlockWalker {
public:
  BlockWalker(const std::vector<int64_t> &shape,
              const std::vector<int64_t> &blocks,
              const std::vector<int64_t> *outer = nullptr)
      : shape(shape), blocks(blocks), outer(outer) {}

  template <typename Fn> void walk(Fn fn) const {
    size_t rank = shape.size();
    std::vector<int64_t> s1 = scaleShape(shape, blocks);
    std::vector<int64_t> s2 = outer ? scaleShape(shape, *outer) : s1;
    int64_t inner = shape.back();
    int64_t rows = numElements(shape) / inner;
    std::vector<int64_t> idx(rank, 0);
    int64_t e = 0;
    for (int64_t r = 0; r < rows; ++r) {
      int64_t base1 = 0, base2 = 0;
      for (size_t d = 0; d + 1 < rank; ++d) {
        base1 = base1 * s1[d] + idx[d] / blocks[d];
        if (outer)
          base2 = base2 * s2[d] + idx[d] / (*outer)[d];
      }
      base1 *= s1.back();
      base2 *= s2.back();
      int64_t b1 = blocks.back(), b2 = outer ? outer->back() : 1;
      for (int64_t j = 0; j < inner; ++j, ++e)
        fn(e, base1 + j / b1, base2 + j / b2);
      for (size_t d = rank - 1; d-- > 0;) {
        if (++idx[d] < shape[d])
          break;
        idx[d] = 0;
      }
    }
  }

private:
  const std::vector<int64_t> &shape, &blocks;
  const std::vector<int64_t> *outer;
};

struct GroupStats {
  float amax = 0.0f;
  float lo = 0.0f; // min(min x, 0)
  float hi = 0.0f; // max(max x, 0)
  double sumAbs = 0.0;
  int64_t count = 0;
};

struct Params {
  float scale;
  float zeroPoint;
};
} // namespace

double ValueFormat::round(double x) const {
  switch (kind) {
  case Kind::Float:
    return format->round(x);
  case Kind::E8M0: {
    if (!(x > 0.0))
      return std::ldexp(1.0, E8M0::kMinExponent);
    int e2;
    std::frexp(x, &e2);
    return std::ldexp(1.0, std::clamp(e2 - 1, E8M0::kMinExponent,
                                      E8M0::kMaxExponent));
  }
  case Kind::Int: {
    double lim = std::ldexp(1.0, int(intBits) - 1);
    return std::clamp(std::nearbyint(x), -lim, lim - 1);
  }
  }
  return x;
}

static const ValueFormat kF32 = ValueFormat::f32();

float mlir::qc::numerics::mseClipAlpha(int step) {
  return 1.0f - 0.05f * float(step);
}

/// floor(log2(a)) for a > 0, exactly.
static int floorLog2(double a) {
  int e2;
  std::frexp(a, &e2);
  return e2 - 1;
}

/// The scale (and zero point) of one group, shrunk by `alpha` (MSE search),
/// before two-level splitting. All arithmetic in f32, as the lowering does.
static Params groupParams(const GroupStats &g, const QuantScheme &s,
                          float alpha) {
  const Grid &grid = s.grid;
  // With two levels the inner scale is rounded only after the division by
  // the outer scale (see quantize); here it stays an exact f32 value.
  const ValueFormat &fmt = s.outerBlockShape ? kF32 : s.scaleFormat;
  switch (s.method) {
  case ScaleMethod::AbsMean: {
    float mean = float(g.sumAbs / double(g.count));
    return {float(fmt.round(std::max(mean, 1e-5f))), 0.0f};
  }
  case ScaleMethod::MX: {
    int e = g.amax == 0.0f ? E8M0::kMinExponent
                           : floorLog2(g.amax) - floorLog2(grid.maxPositive());
    e = std::clamp(e, E8M0::kMinExponent, E8M0::kMaxExponent);
    return {float(std::ldexp(1.0, e)), 0.0f};
  }
  case ScaleMethod::AbsMax:
  case ScaleMethod::MinMax:
  case ScaleMethod::MSE:
    break;
  }
  bool asymmetric = s.zeroPoint != ZeroPointKind::None &&
                    s.method != ScaleMethod::AbsMax;
  if (!asymmetric) {
    float scale = (alpha * g.amax) / float(grid.maxPositive());
    return {float(fmt.round(scale)), 0.0f};
  }
  float lo = alpha * g.lo, hi = alpha * g.hi;
  float gmin = float(grid.minValue()), gmax = float(grid.maxValue());
  float scale = float(fmt.round((hi - lo) / (gmax - gmin)));
  if (scale == 0.0f)
    return {0.0f, 0.0f};
  float z = gmin - lo / scale;
  if (s.zeroPoint == ZeroPointKind::Int)
    z = std::clamp(std::nearbyint(z), gmin, gmax);
  else
    z = float(s.zeroPointFormat.round(z));
  return {scale, z};
}

uint8_t mlir::qc::numerics::encodeValue(const Grid &grid, float x,
                                        float scale, float z) {
  float v = scale == 0.0f ? z : x / scale + z;
  return uint8_t(grid.encode(v));
}

float mlir::qc::numerics::decodeValue(const Grid &grid, uint8_t code,
                                      float scale, float z) {
  return scale * (float(grid.decode(code)) - z);
}


QuantizedTensor mlir::qc::numerics::quantize(const float *data,
                                       const std::vector<int64_t> &shape,
                                       const QuantScheme &scheme) {
  assert(scheme.check(shape).empty() && "invalid scheme");
  const Grid &grid = scheme.grid;
  QuantizedTensor out;
  out.shape = shape;
  int64_t n = numElements(shape);
  int64_t numGroups = numElements(scaleShape(shape, scheme.blockShape));
  const std::vector<int64_t> *outer =
      scheme.outerBlockShape ? &*scheme.outerBlockShape : nullptr;
  BlockWalker walker(shape, scheme.blockShape, outer);

  std::vector<GroupStats> stats(numGroups);
  std::vector<int64_t> outerOf(numGroups, 0);
  walker.walk([&](int64_t e, int64_t g, int64_t g2) {
    float x = data[e];
    GroupStats &s = stats[g];
    s.amax = std::max(s.amax, std::fabs(x));
    s.lo = std::min(s.lo, x);
    s.hi = std::max(s.hi, x);
    s.sumAbs += std::fabs(double(x));
    ++s.count;
    outerOf[g] = g2;
  });

  std::vector<Params> params(numGroups);
  for (int64_t g = 0; g < numGroups; ++g)
    params[g] = groupParams(stats[g], scheme, 1.0f);

  if (scheme.method == ScaleMethod::MSE) {
    std::vector<double> bestErr(numGroups,
                                std::numeric_limits<double>::infinity());
    std::vector<Params> candidate(numGroups);
    std::vector<double> err(numGroups);
    for (int i = 0; i < kMseClipSteps; ++i) {
      float alpha = mseClipAlpha(i);
      for (int64_t g = 0; g < numGroups; ++g)
        candidate[g] = groupParams(stats[g], scheme, alpha);
      std::fill(err.begin(), err.end(), 0.0);
      walker.walk([&](int64_t e, int64_t g, int64_t) {
        const Params &p = candidate[g];
        float y = decodeValue(grid, encodeValue(grid, data[e], p.scale,
                                            p.zeroPoint),
                            p.scale, p.zeroPoint);
        double d = double(y) - double(data[e]);
        err[g] += d * d;
      });
      for (int64_t g = 0; g < numGroups; ++g)
        if (err[g] < bestErr[g]) {
          bestErr[g] = err[g];
          params[g] = candidate[g];
        }
    }
  }

  // Effective f32 scale per group; with two levels, split it into a stored
  // inner scale and an f32 outer scale per outer block.
  std::vector<float> effective(numGroups);
  out.scales.resize(numGroups);
  if (outer) {
    int64_t numOuter = numElements(scaleShape(shape, *outer));
    std::vector<float> outerMax(numOuter, 0.0f);
    for (int64_t g = 0; g < numGroups; ++g)
      outerMax[outerOf[g]] = std::max(outerMax[outerOf[g]], params[g].scale);
    const FloatFormat &inner = *scheme.scaleFormat.format;
    out.outerScales.resize(numOuter);
    for (int64_t o = 0; o < numOuter; ++o)
      out.outerScales[o] = float(scheme.outerScaleFormat.round(
          outerMax[o] / float(inner.maxFinite())));
    for (int64_t g = 0; g < numGroups; ++g) {
      float o = out.outerScales[outerOf[g]];
      float stored = o == 0.0f ? 0.0f : float(inner.round(params[g].scale / o));
      out.scales[g] = stored;
      effective[g] = stored * o;
    }
  } else {
    for (int64_t g = 0; g < numGroups; ++g)
      out.scales[g] = effective[g] = params[g].scale;
  }
  if (scheme.zeroPoint != ZeroPointKind::None) {
    out.zeroPoints.resize(numGroups);
    for (int64_t g = 0; g < numGroups; ++g)
      out.zeroPoints[g] = params[g].zeroPoint;
  }

  out.codes.resize(n);
  walker.walk([&](int64_t e, int64_t g, int64_t) {
    out.codes[e] =
        encodeValue(grid, data[e], effective[g], params[g].zeroPoint);
  });
  return out;
}

std::vector<float> mlir::qc::numerics::dequantize(const QuantizedTensor &q,
                                            const QuantScheme &scheme) {
  std::vector<float> out(numElements(q.shape));
  const std::vector<int64_t> *outer =
      scheme.outerBlockShape ? &*scheme.outerBlockShape : nullptr;
  BlockWalker walker(q.shape, scheme.blockShape, outer);
  walker.walk([&](int64_t e, int64_t g, int64_t g2) {
    float s = q.scales[g];
    if (outer)
      s = s * q.outerScales[g2];
    float z = q.zeroPoints.empty() ? 0.0f : q.zeroPoints[g];
    out[e] = decodeValue(scheme.grid, q.codes[e], s, z);
  });
  return out;
}

double mlir::qc::numerics::sqnrDb(const std::vector<float> &x,
                            const std::vector<float> &y) {
  double signal = 0.0, noise = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    signal += double(x[i]) * double(x[i]);
    double d = double(x[i]) - double(y[i]);
    noise += d * d;
  }
  return 10.0 * std::log10(signal / noise);
}
