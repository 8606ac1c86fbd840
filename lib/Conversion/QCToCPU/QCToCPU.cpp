//===- QCToCPU.cpp - qc.matmul and qc.rotate to vectorized CPU kernels ----===//
//
// convert-qc-to-cpu: rewrite patterns that replace a qc.matmul (or a
// qc.rotate) that a CPU kernel covers by a call to that kernel. Kernels are
// functions on memrefs (vector, arith, scf, memref and qc_x86 ops) built by
// IntDotKernel.cpp, FloatDotKernel.cpp and HadamardKernel.cpp once per
// specialization; KernelSelection.cpp decides which kernel an op gets. The
// packed weight bytes are read directly; the kernel's scratch buffers are
// allocated at the call, so buffer deallocation frees them.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"
#include "qc/Conversion/KernelCommon/KernelCall.h"
#include "qc/Utils/ConstantUtils.h"
#include "qc/Conversion/QCToCPU/QCToCPU.h"

#include "KernelSelection.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/X86/IR/X86Dialect.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cstring>

namespace mlir::qc {
#define GEN_PASS_DEF_CONVERTQCTOCPU
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
using cpu::CPUTarget;

/// The state the patterns share: the module's kernels, the target, and why
/// each op that did not match keeps the reference lowering.
struct mlir::qc::CPUKernelContext {
  CPUKernelContext(ModuleOp module, CPUTarget target)
      : module(module), kernels(module), target(std::move(target)) {
    targetFeatures = llvm::join(this->target.codeFeatures(), ",");
  }

  ModuleOp module;
  /// The module's kernels, by spec.
  KernelTable kernels;
  CPUTarget target;
  /// The target features the kernels' code uses: part of every spec.
  std::string targetFeatures;
  /// The reason each op left to the reference lowering was given last.
  KernelReport report;
  /// Whether the pass remarks on each kernel choice.
  bool remarks = false;
};

namespace {

/// `tensor` as a kernel argument of type `memrefType`: per-row scales (N)
/// become the kernels' N x 1 blocks.
Value asKernelInput(OpBuilder &b, Location loc, Value tensor,
                    Type memrefType) {
  auto t = cast<RankedTensorType>(tensor.getType());
  if (t.getRank() == 1 && cast<MemRefType>(memrefType).getRank() == 2) {
    t = RankedTensorType::get({t.getDimSize(0), 1}, t.getElementType());
    tensor = tensor::ExpandShapeOp::create(
        b, loc, t, tensor, ArrayRef<ReassociationIndices>{{0, 1}});
  }
  return tensor;
}

/// The base of both patterns: kernel lookup and failure bookkeeping.
template <typename OpTy>
struct KernelPattern : OpRewritePattern<OpTy> {
  KernelPattern(MLIRContext *ctx, CPUKernelContext &state,
                PatternBenefit benefit = 1)
      : OpRewritePattern<OpTy>(ctx, benefit), state(state) {}

  /// Records `why` as the reason `op` keeps the reference lowering.
  LogicalResult fail(PatternRewriter &rewriter, OpTy op,
                     const std::string &why) const {
    return state.report.fail(rewriter, op, why);
  }

  /// The kernel of `spec` (whose human name is `name`), built from the
  /// spec attribute alone (cpu::buildKernelFromSpec) into a detached block
  /// the first time and added to the module when the target has its
  /// instructions; else fails with the reason in `why`. Kernels are found
  /// by spec, never by name.
  FailureOr<func::FuncOp> getOrCreateKernel(PatternRewriter &rewriter,
                                            DictionaryAttr spec,
                                            StringRef name, Location loc,
                                            std::string &why) const {
    SmallVector<NamedAttribute> entries(spec.getValue());
    entries.push_back(rewriter.getNamedAttr(
        "target_features", rewriter.getStringAttr(state.targetFeatures)));
    DictionaryAttr key = rewriter.getDictionaryAttr(entries);
    if (auto existing =
            dyn_cast_or_null<func::FuncOp>(state.kernels.lookup(key)))
      return existing;
    Block scratch;
    func::FuncOp kernel =
        cpu::buildKernelFromSpec(rewriter, loc, spec, name, scratch);
    if (!kernel) {
      why = "internal error: the kernel spec does not describe a kernel";
      return failure();
    }
    why = state.target.missingFeatures(kernel);
    if (!why.empty()) {
      kernel.erase();
      return failure();
    }
    state.target.annotate(kernel);
    kernel->remove();
    kernel.setSymName(name);
    state.kernels.insert(rewriter, kernel, key);
    state.report.emitted.push_back(kernel.getSymName().str());
    return kernel;
  }

  CPUKernelContext &state;
};

/// A qc.constant weight's per-block part (scales or mins: N x K/G) in the
/// row-lane kernel's lane order, N/R x K/G x R (part[n / R, g, n % R]);
/// null when its bytes cannot be read.
static ElementsAttr laneOrder(ElementsAttr part, int64_t lanes) {
  auto type = dyn_cast<RankedTensorType>(part.getType());
  if (!type || type.getRank() != 2 || type.getDimSize(0) % lanes != 0)
    return {};
  FailureOr<std::vector<char>> bytes = readElementBytes(part);
  if (failed(bytes))
    return {};
  int64_t n = type.getDimSize(0), ng = type.getDimSize(1);
  size_t width = bytes->size() / size_t(n * ng);
  std::vector<char> out(bytes->size());
  for (int64_t r = 0; r < n; ++r)
    for (int64_t g = 0; g < ng; ++g)
      std::memcpy(out.data() + (((r / lanes) * ng + g) * lanes + r % lanes) *
                                   width,
                  bytes->data() + (r * ng + g) * width, width);
  auto laneType = RankedTensorType::get({n / lanes, ng, lanes},
                                        type.getElementType());
  return createBlobAttr(laneType, "qc_lane_order", out, 64);
}

/// The lane-order tensor L (N/R x K/G x R) that a run-time part (N x K/G)
/// was made from, when it is tensor.collapse_shape [[0, 1], [2]] of
/// linalg.transpose(L, [0, 2, 1]): a program that keeps its scales in the
/// kernels' lane order (qc-bench's weights, a loader that reorders them
/// once) passes them through, and the kernel reads L itself.
static Value laneOrderSource(Value part, int64_t lanes) {
  auto collapse = part ? part.getDefiningOp<tensor::CollapseShapeOp>()
                       : tensor::CollapseShapeOp();
  if (!collapse || collapse.getReassociationIndices() !=
                       SmallVector<ReassociationIndices>{{0, 1}, {2}})
    return {};
  auto transpose = collapse.getSrc().getDefiningOp<linalg::TransposeOp>();
  if (!transpose || transpose.getPermutation() != ArrayRef<int64_t>{0, 2, 1})
    return {};
  Value source = transpose.getInput();
  auto type = cast<RankedTensorType>(source.getType());
  if (type.getRank() != 3 || type.getDimSize(2) != lanes)
    return {};
  return source;
}

/// The row-lane kernel's scales and mins in lane order (an integer-dot
/// kernel's laneOrderParts), when the weight is a qc.constant whose parts
/// can be read: compile-time copies of them (mins null without); or, for a
/// qc.assemble, the run-time lane-order tensors its parts were transposed
/// from (laneOrderSource).
struct LaneOrderParts {
  ElementsAttr scales, mins;
  Value scaleValue, minValue;
};
static std::optional<LaneOrderParts> laneOrderParts(Value rhs, int64_t lanes) {
  if (auto assemble = rhs.getDefiningOp<AssembleOp>()) {
    if (assemble.getZeroPoints())
      return std::nullopt;
    LaneOrderParts parts;
    parts.scaleValue = laneOrderSource(assemble.getScales(), lanes);
    parts.minValue = laneOrderSource(assemble.getMins(), lanes);
    if (!parts.scaleValue || (assemble.getMins() && !parts.minValue))
      return std::nullopt;
    return parts;
  }
  auto constant = rhs.getDefiningOp<ConstantOp>();
  if (!constant || constant.getZeroPointsAttr())
    return std::nullopt;
  LaneOrderParts parts;
  parts.scales = laneOrder(constant.getScales(), lanes);
  if (constant.getMinsAttr())
    parts.mins = laneOrder(constant.getMinsAttr(), lanes);
  if (!parts.scales || (constant.getMinsAttr() && !parts.mins))
    return std::nullopt;
  return parts;
}

/// One plane of `w` (a weight in #qc.bit_planes) as a weight of its own:
/// `bits`-bit #qc.int codes (`isSigned`) in `layout`, with `w`'s blocks,
/// scale type and rotation, and mins of `minType` (null: none).
static QuantizedTensorType planeType(QuantizedTensorType w, int64_t bits,
                                     bool isSigned, LayoutAttrInterface layout,
                                     Type minType) {
  MLIRContext *ctx = w.getContext();
  return QuantizedTensorType::get(
      ctx, w.getShape(), IntGridAttr::get(ctx, bits, isSigned, false),
      w.getGranularity(), w.getScaleType(), Type(), {}, Type(), layout,
      w.getRotation(), w.getRotationAxis(), minType, Type());
}

/// The tile of a weight's planes as a layout (null without).
static LayoutAttrInterface planeTile(BitPlanesAttr planes) {
  return planes.getTile() ? cast<LayoutAttrInterface>(planes.getTile())
                          : LayoutAttrInterface();
}

/// `body` applied elementwise to `inputs` (tensors of one shape) as a
/// linalg.generic whose result has `elementType`.
static Value elementwise(
    OpBuilder &b, Location loc, ValueRange inputs, Type elementType,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  auto type = cast<RankedTensorType>(inputs[0].getType());
  SmallVector<Value> dyn;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      dyn.push_back(tensor::DimOp::create(b, loc, inputs[0], i));
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), elementType, dyn);
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init,
             SmallVector<AffineMap>(inputs.size() + 1, id),
             SmallVector<utils::IteratorType>(type.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, body(nb, nl, args));
             })
      .getResult(0);
}

/// A weight that a kernel reads from the top plane of a stored wider one:
/// qc.requantize msb_slice of a packed qc.constant or qc.assemble whose
/// #qc.bit_planes layout's last plane holds exactly the result's bits (the
/// top bits of each code). `kernelType` is the requantized type in the
/// plane's own layout (its tile, or row-major).
struct PlaneRead {
  RequantizeOp op;
  QuantizedTensorType kernelType;
  int storedBits = 0, planeBitOffset = 0;
};
static std::optional<PlaneRead> planeRead(Value rhs) {
  auto requantize = rhs.getDefiningOp<RequantizeOp>();
  if (!requantize || requantize.getMode() != NestingMode::msb_slice ||
      !hasPackedWeight(requantize.getInput()))
    return std::nullopt;
  QuantizedTensorType from = requantize.getInputType();
  BitPlanesAttr planes = from.getBitPlanes();
  int bits = int(requantize.getType().getGrid().getCodeBits());
  if (!planes || planes.getWidths().back() != bits)
    return std::nullopt;
  PlaneRead read;
  read.op = requantize;
  read.kernelType = requantize.getType().cloneWithLayout(planeTile(planes));
  read.storedBits = int(from.getGrid().getCodeBits());
  read.planeBitOffset = read.storedBits - bits;
  return read;
}

/// The kernel of a matmul whose weight is in #qc.bit_planes<[4, 4]> (a
/// nested 8-bit weight) in the row-lane tile, read at full width: the
/// row-lane kernel of the 4-bit top plane's type (the stored scales and
/// mins) reading both planes (bothPlanes); failure when that does not
/// apply (zero points, another tile, a target without the row-lane form).
/// `kernelType` is the type the kernel reads the weight as.
static FailureOr<cpu::KernelSpec> bothPlanesSpec(MatmulOp op,
                                                 const CPUTarget &target,
                                                 std::string &why,
                                                 QuantizedTensorType &kernelType) {
  auto w = dyn_cast<QuantizedTensorType>(op.getRhs().getType());
  BitPlanesAttr planes = w ? w.getBitPlanes() : BitPlanesAttr();
  auto grid = w ? dyn_cast<IntGridAttr>(w.getGrid()) : IntGridAttr();
  if (!planes || !grid || grid.getWidth() != 8 || !planes.getTile() ||
      planes.getWidths() != ArrayRef<int64_t>{4, 4} || w.hasZeroPoints() ||
      w.hasOuterScales() || w.hasOuterMins() || !hasPackedWeight(op.getRhs()))
    return failure();
  QuantizedTensorType top = planeType(w, 4, grid.getIsSigned(),
                                      planeTile(planes), w.getMinType());
  FailureOr<cpu::KernelSpec> spec =
      cpu::classifyMatmul(op.getLhs().getType(), top, op.getType(),
                          target.dotISA(), target.hasLutISA(), why);
  if (failed(spec) || failed(cpu::checkLayout(top, *spec, why)) ||
      spec->kind != cpu::KernelSpec::Kind::IntDot || !spec->intDot.rowLanes)
    return failure();
  spec->intDot.storedBits = 8;
  spec->intDot.planeBitOffset = 4;
  spec->intDot.bothPlanes = true;
  if (!cpu::checkIntDotKernel(spec->intDot).empty())
    return failure();
  spec->intDot.name += "_planes8";
  spec->choice = "both 4-bit planes of a nested 8-bit weight, joined by the "
                 "row-lane kernel";
  kernelType = top;
  return spec;
}

/// `value` of a float type as f32, and back.
static Value toF32(OpBuilder &b, Location loc, Value value) {
  Type t = value.getType();
  if (t.isF32())
    return value;
  if (isa<FloatType>(t))
    return arith::ExtFOp::create(b, loc, b.getF32Type(), value);
  return arith::SIToFPOp::create(b, loc, b.getF32Type(), value);
}
static Value fromF32(OpBuilder &b, Location loc, Value value, Type type) {
  return type.isF32() ? value : arith::TruncFOp::create(b, loc, type, value);
}

/// The requantized scales and mins (null without) of a plane read at run
/// time, elementwise over `scales` and the optional `zeroPoints` and `mins`
/// (tensors of one shape: the logical N x K/G parts, or their lane-order
/// forms), with RequantizeOp::buildScale / buildMin.
static std::pair<Value, Value> nestedPartsAtRunTime(OpBuilder &b,
                                                    Location loc,
                                                    RequantizeOp op,
                                                    Value scales,
                                                    Value zeroPoints,
                                                    Value mins) {
  QuantizedTensorType to = op.getType();
  Type scaleType = to.getScaleType();
  Value newScales = elementwise(b, loc, scales, scaleType,
                                [&](OpBuilder &nb, Location nl, ValueRange args) {
    return fromF32(nb, nl, op.buildScale(nb, nl, toF32(nb, nl, args[0])),
                   scaleType);
  });
  if (!to.hasMins())
    return {newScales, Value()};
  SmallVector<Value> inputs = {scales};
  if (zeroPoints)
    inputs.push_back(zeroPoints);
  if (mins)
    inputs.push_back(mins);
  Type minType = to.getMinType();
  Value newMins = elementwise(b, loc, inputs, minType,
                              [&](OpBuilder &nb, Location nl, ValueRange args) {
    unsigned i = 1;
    Value z = zeroPoints ? toF32(nb, nl, args[i++]) : Value();
    Value m = mins ? toF32(nb, nl, args[i++]) : Value();
    return fromF32(nb, nl,
                   op.buildMin(nb, nl, toF32(nb, nl, args[0]), z, m),
                   minType);
  });
  return {newScales, newMins};
}

/// The kernel's parts of a plane read: the stored weight's bytes whole
/// (the kernel views its top plane), the requantized scales and mins, at
/// compile time for a constant; in lane order when `lanes` is nonzero and
/// they can be (the kernel's laneOrderParts), which `laneOrdered` reports.
static FailureOr<PackedWeight> planeReadParts(PatternRewriter &rewriter,
                                              PlaneRead read,
                                              int64_t lanes,
                                              bool &laneOrdered) {
  Location loc = read.op.getLoc();
  Value source = read.op.getInput();
  PackedWeight stored = getPackedWeight(rewriter, source);
  PackedWeight weight;
  weight.bytes = stored.bytes;
  laneOrdered = false;
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(read.op);
  if (auto constant = source.getDefiningOp<ConstantOp>()) {
    FailureOr<std::pair<ElementsAttr, ElementsAttr>> parts =
        read.op.computeParts(constant.getScales(),
                             constant.getZeroPointsAttr(),
                             constant.getMinsAttr());
    if (failed(parts))
      return failure();
    ElementsAttr scales = parts->first, mins = parts->second;
    if (lanes) {
      ElementsAttr laneScales = laneOrder(scales, lanes);
      ElementsAttr laneMins = mins ? laneOrder(mins, lanes) : ElementsAttr();
      if (laneScales && (!mins || laneMins)) {
        scales = laneScales;
        mins = laneMins;
        laneOrdered = true;
      }
    }
    weight.scales =
        arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(Attribute(scales)));
    if (mins)
      weight.mins =
          arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(Attribute(mins)));
    return weight;
  }
  // qc.assemble: computed from its parts at run time, from their lane-order
  // sources when every part has one.
  Value scales = stored.scales, zp = stored.zeroPoints, mins = stored.mins;
  if (lanes) {
    Value ls = laneOrderSource(scales, lanes);
    Value lz = zp ? laneOrderSource(zp, lanes) : Value();
    Value lm = mins ? laneOrderSource(mins, lanes) : Value();
    if (ls && (!zp || lz) && (!mins || lm)) {
      scales = ls;
      zp = lz;
      mins = lm;
      laneOrdered = true;
    }
  }
  std::tie(weight.scales, weight.mins) =
      nestedPartsAtRunTime(rewriter, loc, read.op, scales, zp, mins);
  return weight;
}

/// qc.matmul with a packed low-bit weight -> a call to its kernel.
struct MatmulToKernel : KernelPattern<MatmulOp> {
  using KernelPattern::KernelPattern;

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    std::string why;
    // A nested weight's top plane is read in place, as a weight of the
    // requantized type in the plane's layout.
    std::optional<PlaneRead> plane = planeRead(op.getRhs());
    if (!plane && !isa<QuantizedTensorType>(op.getRhs().getType()))
      return fail(rewriter, op,
                  "the weight is not quantized (a float Linear layer)");
    QuantizedTensorType wType =
        plane ? plane->kernelType
              : cast<QuantizedTensorType>(op.getRhs().getType());
    // A nested 8-bit weight read at full width from both its planes.
    FailureOr<cpu::KernelSpec> spec =
        plane ? FailureOr<cpu::KernelSpec>(failure())
              : bothPlanesSpec(op, state.target, why, wType);
    if (failed(spec)) {
      spec = cpu::classifyMatmul(op.getLhs().getType(), wType, op.getType(),
                                 state.target.dotISA(),
                                 state.target.hasLutISA(), why);
      if (failed(spec) || failed(cpu::checkLayout(wType, *spec, why)))
        return fail(rewriter, op, why);
    }
    if (!plane && !hasPackedWeight(op.getRhs()))
      return fail(rewriter, op,
                  "the weight is not a packed qc.constant or qc.assemble "
                  "packed");
    if (plane) {
      spec->choice = "the top " +
                     std::to_string(plane->storedBits - plane->planeBitOffset) +
                     "-bit plane of a nested " +
                     std::to_string(plane->storedBits) +
                     "-bit weight, read in place";
      spec->weight().storedBits = plane->storedBits;
      spec->weight().planeBitOffset = plane->planeBitOffset;
      spec->weight().name += "_plane" + std::to_string(plane->storedBits) +
                             "o" + std::to_string(plane->planeBitOffset);
    }
    Location loc = op.getLoc();
    std::optional<LaneOrderParts> laneParts;
    // The lanes of the kernel's lane-order parts (0: it reads N x K/G).
    int64_t partLanes = 0;
    if (spec->kind == cpu::KernelSpec::Kind::IntDot && spec->intDot.rowLanes)
      partLanes = wType.getTiledLayout().getRows();
    if (spec->kind == cpu::KernelSpec::Kind::LutDot)
      partLanes = cpu::kLutTileRows;
    std::optional<PackedWeight> planeWeight;
    auto runTimeSource =
        plane ? plane->op.getInput().getDefiningOp<AssembleOp>() : AssembleOp();
    if (plane && runTimeSource && !runTimeSource.getZeroPoints() &&
        !runTimeSource.getMins() &&
        spec->kind == cpu::KernelSpec::Kind::IntDot && spec->intDot.rowLanes) {
      // A symmetric weight at run time: the kernel derives the requantized
      // scales and mins from the stored scales as it loads them.
      spec->intDot.nestedShift = plane->planeBitOffset;
      spec->intDot.name += "_ns";
      PackedWeight stored = getPackedWeight(rewriter, runTimeSource);
      PackedWeight parts{stored.bytes, stored.scales, Value(), Value()};
      if (Value lanes = laneOrderSource(stored.scales, partLanes)) {
        parts.scales = lanes;
        laneParts = LaneOrderParts{{}, {}, lanes, Value()};
      }
      planeWeight = parts;
    } else if (plane) {
      bool laneOrdered = false;
      FailureOr<PackedWeight> parts =
          planeReadParts(rewriter, *plane, partLanes, laneOrdered);
      if (failed(parts))
        return fail(rewriter, op,
                    "the nested weight's scales or mins cannot be read or "
                    "overflow their type");
      planeWeight = *parts;
      if (laneOrdered)
        laneParts = LaneOrderParts{{}, {}, parts->scales, parts->mins};
    }
    if (spec->kind == cpu::KernelSpec::Kind::IntDot &&
        spec->intDot.rowLanes) {
      int64_t lanes = partLanes;
      if (!plane)
        laneParts = laneOrderParts(op.getRhs(), lanes);
      if (laneParts) {
        spec->intDot.laneOrderParts = true;
        spec->intDot.name += "_lo";
      }
      // The bias added as the outputs are stored (without an accumulate
      // operand, which comes first: acc + (y + bias) is the reference's
      // order only without it).
      if (op.getBias() && !op.getAccumulate() &&
          cast<RankedTensorType>(op.getBias().getType())
              .getElementType()
              .isF32()) {
        spec->intDot.bias = true;
        spec->intDot.name += "_bias";
      }
      // Blocks of 16 rows on AMX tiles where the target has them.
      cpu::IntDotKernelSpec amx = spec->intDot;
      amx.amxTiles = true;
      if (state.target.hasFeatures("amx-tile+amx-int8") &&
          cpu::checkAmxTiles(amx).empty()) {
        spec->intDot.amxTiles = true;
        spec->intDot.name += "_amx";
      }
    }
    if (spec->kind == cpu::KernelSpec::Kind::LutDot) {
      // A block's 16 row scales as one vector load.
      if (!plane)
        laneParts = laneOrderParts(op.getRhs(), cpu::kLutTileRows);
      if (laneParts) {
        spec->lutDot.laneOrderParts = true;
        spec->lutDot.name += "_lo";
      }
    }
    FailureOr<func::FuncOp> kernel = getOrCreateKernel(
        rewriter, spec->getSpecAttr(rewriter.getContext()), spec->name(),
        loc, why);
    if (failed(kernel))
      return fail(rewriter, op, why);
    if (state.remarks && !spec->choice.empty())
      op.emitRemark("convert-qc-to-cpu: ")
          << spec->choice << " (" << kernel->getSymName() << ")";
    PackedWeight weight =
        plane ? *planeWeight : getPackedWeight(rewriter, op.getRhs());
    if (plane) {
      // The parts are already the kernel's (lane order or not).
    } else if (laneParts && laneParts->scaleValue) {
      weight.scales = laneParts->scaleValue;
      if (laneParts->minValue)
        weight.mins = laneParts->minValue;
    } else if (laneParts) {
      rewriter.setInsertionPointAfterValue(weight.scales);
      weight.scales = arith::ConstantOp::create(
          rewriter, loc, cast<TypedAttr>(Attribute(laneParts->scales)));
      if (laneParts->mins)
        weight.mins = arith::ConstantOp::create(
            rewriter, loc, cast<TypedAttr>(Attribute(laneParts->mins)));
    }
    rewriter.setInsertionPoint(op);
    FunctionType fnType = kernel->getFunctionType();
    SmallVector<Value> inputs;
    auto input = [&](Value tensor) {
      inputs.push_back(asKernelInput(rewriter, loc, tensor,
                                     fnType.getInput(inputs.size())));
    };
    Value rowsOf;
    if (spec->kind == cpu::KernelSpec::Kind::FloatDot) {
      Value lhs = op.getLhs();
      // (a R^T) W_s^T for a weight stored rotated: W = W_s R.
      auto w = cast<QuantizedTensorType>(op.getRhs().getType());
      if (RotationAttrInterface rotation = w.getRotation())
        lhs = RotateOp::create(rewriter, loc, lhs, rotation,
                               rewriter.getI64IntegerAttr(1),
                               rewriter.getUnitAttr());
      input(lhs);
      rowsOf = op.getLhs();
    } else {
      auto parts = DisassembleOp::create(rewriter, loc, op.getLhs());
      input(parts.getResult(0));
      input(parts.getResult(1));
      rowsOf = parts.getResult(0);
    }
    input(weight.bytes);
    input(weight.scales);
    if (weight.zeroPoints)
      input(weight.zeroPoints);
    if (weight.mins)
      input(weight.mins);
    const bool biasInKernel =
        spec->kind == cpu::KernelSpec::Kind::IntDot && spec->intDot.bias;
    if (biasInKernel)
      input(op.getBias());
    Value rows = tensor::DimOp::create(rewriter, loc, rowsOf, 0);
    // The first remaining argument is the output; the rest is scratch.
    Value y = createKernelCall(rewriter, loc, *kernel, inputs, rows)[0];
    Value bias = biasInKernel ? Value() : op.getBias();
    if (bias || op.getAccumulate())
      y = addEpilogue(rewriter, loc, y, bias, op.getAccumulate(), rows);
    if (y.getType() != op.getType())
      y = tensor::CastOp::create(rewriter, loc, op.getType(), y);
    state.report.rewritten(op);
    rewriter.replaceOp(op, y);
    return success();
  }

};

/// qc.matmul with a weight stored in two planes (#qc.bit_planes<[d, R]>, a
/// nested weight) read at its full width B = d + R, which no kernel reads
/// as it is -> two matmuls that kernels read: the top plane as
/// qc.requantize msb_slice gives it (read in place), and the low plane as
/// d-bit unsigned codes (a slice of the same bytes) whose mins put back the
/// slice offset. With q = 2^d h + l and c = (2^d - 1) / 2:
///   s (q - z) - m = [s 2^d h - ((m + s z) - s c)] + [s l - s c].
struct SplitPlanesMatmul : KernelPattern<MatmulOp> {
  SplitPlanesMatmul(MLIRContext *ctx, CPUKernelContext &state)
      : KernelPattern<MatmulOp>(ctx, state, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto w = dyn_cast<QuantizedTensorType>(op.getRhs().getType());
    BitPlanesAttr planes = w ? w.getBitPlanes() : BitPlanesAttr();
    auto grid = w ? dyn_cast<IntGridAttr>(w.getGrid()) : IntGridAttr();
    if (!planes || planes.getWidths().size() != 2 || !grid ||
        !hasPackedWeight(op.getRhs()) || w.hasOuterScales() ||
        w.hasOuterMins() || !isa<FloatType>(w.getScaleType()) ||
        (w.hasMins() && !isa<FloatType>(w.getMinType())) || w.getRotation())
      return failure();
    std::string why;
    cpu::DotISA isa = state.target.dotISA();
    bool vbmi = state.target.hasLutISA();
    // A kernel that reads the planes as they are goes first.
    FailureOr<cpu::KernelSpec> direct = cpu::classifyMatmul(op, isa, vbmi, why);
    QuantizedTensorType joined;
    if ((succeeded(direct) && succeeded(cpu::checkLayout(w, *direct, why))) ||
        succeeded(bothPlanesSpec(op, state.target, why, joined)))
      return failure();
    MLIRContext *ctx = rewriter.getContext();
    int64_t d = planes.getWidths()[0], r = planes.getWidths()[1];
    Type f32 = rewriter.getF32Type();
    LayoutAttrInterface tile = planeTile(planes);
    // The top plane as qc.requantize gives it (no layout), the low plane in
    // the planes' tile.
    QuantizedTensorType topType =
        planeType(w, r, grid.getIsSigned(), LayoutAttrInterface(), f32);
    QuantizedTensorType lowType = planeType(w, d, false, tile, f32);
    for (QuantizedTensorType part : {topType.cloneWithLayout(tile), lowType}) {
      FailureOr<cpu::KernelSpec> spec = cpu::classifyMatmul(
          op.getLhs().getType(), part, op.getType(), isa, vbmi, why);
      if (failed(spec) || failed(cpu::checkLayout(part, *spec, why)))
        return fail(rewriter, op,
                    "the weight's planes have no kernel read by read (" +
                        why + ")");
    }
    Location loc = op.getLoc();
    PackedWeight stored = getPackedWeight(rewriter, op.getRhs());
    rewriter.setInsertionPoint(op);
    auto top = RequantizeOp::create(
        rewriter, loc, topType, op.getRhs(),
        NestingModeAttr::get(ctx, NestingMode::msb_slice));
    // The low plane: the first N * K * d / 8 bytes.
    int64_t lowBytes = ShapedType::getNumElements(w.getShape()) * d / 8;
    Value bytes = tensor::ExtractSliceOp::create(
        rewriter, loc, stored.bytes, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(lowBytes)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
    // Its mins: s * c in f32; with the scales, in the row-lane kernels'
    // lane order when the plane is in their tile and the scales can be
    // (constants reordered here, run-time scales that come in that order),
    // passed as collapse_shape(linalg.transpose(L)), which the kernel
    // pattern sees through (laneOrderSource).
    float c = numerics::sliceOffset(unsigned(d));
    int64_t lanes = planes.getTile() ? planes.getTile().getRows() : 0;
    auto inLogicalOrder = [&](Value laneOrdered) -> Value {
      auto type = cast<RankedTensorType>(laneOrdered.getType());
      int64_t tiles = type.getDimSize(0), groups = type.getDimSize(1);
      Value init = tensor::EmptyOp::create(
          rewriter, loc, ArrayRef<int64_t>{tiles, lanes, groups},
          type.getElementType());
      Value t = linalg::TransposeOp::create(rewriter, loc, laneOrdered, init,
                                            ArrayRef<int64_t>{0, 2, 1})
                    .getResult()[0];
      return tensor::CollapseShapeOp::create(
          rewriter, loc, t, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    };
    auto timesOffset = [&](Value scales) -> Value {
      return elementwise(rewriter, loc, scales, f32,
                         [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                           return arith::MulFOp::create(
                               b, l, toF32(b, l, args[0]),
                               arith::ConstantOp::create(b, l,
                                                         b.getF32FloatAttr(c)));
                         });
    };
    Value scales = stored.scales, mins;
    if (auto constant = op.getRhs().getDefiningOp<ConstantOp>()) {
      FailureOr<std::vector<float>> values =
          readFloatValues(constant.getScales());
      if (failed(values))
        return fail(rewriter, op, "the weight's scales cannot be read");
      for (float &v : *values)
        v *= c;
      ElementsAttr minsAttr = createBlobAttr(
          lowType.getMinsTensorType(), "qc_mins",
          ArrayRef<char>(reinterpret_cast<const char *>(values->data()),
                         values->size() * sizeof(float)),
          8);
      ElementsAttr laneScales =
          lanes ? laneOrder(constant.getScales(), lanes) : ElementsAttr();
      ElementsAttr laneMins = lanes ? laneOrder(minsAttr, lanes) : ElementsAttr();
      auto constantOf = [&](ElementsAttr attr) -> Value {
        return arith::ConstantOp::create(rewriter, loc,
                                         cast<TypedAttr>(Attribute(attr)));
      };
      if (laneScales && laneMins) {
        scales = inLogicalOrder(constantOf(laneScales));
        mins = inLogicalOrder(constantOf(laneMins));
      } else {
        mins = constantOf(minsAttr);
      }
    } else if (Value laneScales = lanes ? laneOrderSource(stored.scales, lanes)
                                        : Value()) {
      mins = inLogicalOrder(timesOffset(laneScales));
    } else {
      mins = timesOffset(stored.scales);
    }
    auto low = AssembleOp::create(rewriter, loc, lowType, bytes, scales,
                                  Value(), Value(), mins, Value());
    auto yLow = MatmulOp::create(rewriter, loc, op.getType(), op.getLhs(),
                                 low.getResult(), Value(), op.getAccumulate());
    auto y = MatmulOp::create(rewriter, loc, op.getType(), op.getLhs(),
                              top.getResult(), op.getBias(), yLow.getResult());
    if (state.remarks)
      op.emitRemark("convert-qc-to-cpu: the weight's ")
          << planes << " read as two matmuls: the top plane (qc.requantize "
          << "msb_slice) and the low plane with the slice offset as mins";
    state.report.rewritten(op);
    rewriter.replaceOp(op, y.getResult());
    return success();
  }
};

/// qc.rotate by #qc.hadamard along the last axis of an M x n f32 matrix ->
/// the fast Walsh-Hadamard kernel, fused with its int8 quantizer when that
/// is its only user.
struct RotateToKernel : KernelPattern<RotateOp> {
  using KernelPattern::KernelPattern;

  LogicalResult matchAndRewrite(RotateOp op,
                                PatternRewriter &rewriter) const override {
    std::string why;
    QuantizeOp fused = cpu::fusableQuantize(op);
    FailureOr<cpu::HadamardKernelSpec> spec =
        cpu::classifyRotation(op, fused,
                              state.target.hasFeatures("avx512f"), why);
    if (failed(spec))
      return fail(rewriter, op, why);
    Location loc = op.getLoc();
    FailureOr<func::FuncOp> kernel = getOrCreateKernel(
        rewriter, cpu::getSpecAttr(rewriter.getContext(), *spec), spec->name,
        loc, why);
    if (failed(kernel))
      return fail(rewriter, op, why);
    rewriter.setInsertionPoint(op);
    SmallVector<Value> inputs = {op.getInput()};
    if (!spec->signs.empty()) {
      SmallVector<float> d(spec->signs.begin(), spec->signs.end());
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({spec->n}, rewriter.getF32Type()),
              ArrayRef<float>(d))));
    }
    if (spec->tableBase) {
      std::vector<float> table = cpu::baseTable(*spec);
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({spec->k, spec->k},
                                                       rewriter.getF32Type()),
                                 ArrayRef<float>(table))));
    }
    Value rows = tensor::DimOp::create(rewriter, loc, op.getInput(), 0);
    // The rotated rows, then (with `quantize`) their codes and scales, then
    // scratch.
    SmallVector<Value> results =
        createKernelCall(rewriter, loc, *kernel, inputs, rows);
    state.report.rewritten(op);
    if (!spec->quantize) {
      Value y = results[0];
      if (y.getType() != op.getType())
        y = tensor::CastOp::create(rewriter, loc, op.getType(), y);
      rewriter.replaceOp(op, y);
      return success();
    }
    // The quantized rows (codes, then scales), assembled into the
    // quantizer's type.
    QuantizedTensorType qType = fused.getType();
    auto castTo = [&](Value v, Type t) -> Value {
      return v.getType() == t ? v : tensor::CastOp::create(rewriter, loc, t, v);
    };
    Value assembled = AssembleOp::create(
        rewriter, loc, qType,
        castTo(results[1], qType.getCodesTensorType()),
        castTo(results[2], qType.getScalesTensorType()), Value(), Value(),
        Value(), Value());
    rewriter.replaceOp(fused, assembled);
    rewriter.eraseOp(op);
    return success();
  }
};

/// qc.quantize of an M x K f32 matrix to int8 codes with absmax f32 scales
/// per row or per 1 x G block (the integer-dot kernels' activations) -> the
/// vectorized quantization kernel, unless its rotation's kernel quantizes
/// the rows itself. Not counted in the summary: the reference lowering of
/// any other qc.quantize is correct, only slower.
struct QuantizeToKernel : KernelPattern<QuantizeOp> {
  using KernelPattern::KernelPattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    std::string why;
    if (auto rotate = op.getInput().getDefiningOp<RotateOp>())
      if (cpu::fusableQuantize(rotate) == op &&
          succeeded(cpu::classifyRotation(
              rotate, op, state.target.hasFeatures("avx512f"), why)))
        return rewriter.notifyMatchFailure(op, "fused into its rotation");
    FailureOr<cpu::QuantizeRowsKernelSpec> spec =
        cpu::classifyQuantize(op, why);
    if (failed(spec))
      return rewriter.notifyMatchFailure(op, why);
    Location loc = op.getLoc();
    FailureOr<func::FuncOp> kernel = getOrCreateKernel(
        rewriter, cpu::getSpecAttr(rewriter.getContext(), *spec), spec->name,
        loc, why);
    if (failed(kernel))
      return rewriter.notifyMatchFailure(op, why);
    rewriter.setInsertionPoint(op);
    Value rows = tensor::DimOp::create(rewriter, loc, op.getInput(), 0);
    // The codes, then the scales.
    SmallVector<Value> results =
        createKernelCall(rewriter, loc, *kernel, {op.getInput()}, rows);
    QuantizedTensorType qType = op.getType();
    auto castTo = [&](Value v, Type t) -> Value {
      return v.getType() == t ? v : tensor::CastOp::create(rewriter, loc, t, v);
    };
    rewriter.replaceOpWithNewOp<AssembleOp>(
        op, qType, castTo(results[0], qType.getCodesTensorType()),
        castTo(results[1], qType.getScalesTensorType()), Value(), Value(),
        Value(), Value());
    return success();
  }
};

struct ConvertQCToCPUPass
    : mlir::qc::impl::ConvertQCToCPUBase<ConvertQCToCPUPass> {
  using ConvertQCToCPUBase::ConvertQCToCPUBase;

  void runOnOperation() override {
    // A dense_resource blob whose size is not its type's is an error here,
    // before anything reads it.
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    ModuleOp module = getOperation();
    std::string error;
    CPUKernelContextPtr context =
        createCPUKernelContext(module, targetTriple, targetFeatures, error);
    if (!context) {
      mlir::emitError(module.getLoc(), "convert-qc-to-cpu: ") << error;
      return signalPassFailure();
    }
    CPUKernelContext &state = *context;
    state.remarks = remarks;
    // The module says which machine its code is for (LLVM's module triple
    // after translation), unless it already says so.
    if (!module->hasAttr(LLVM::LLVMDialect::getTargetTripleAttrName()))
      module->setAttr(LLVM::LLVMDialect::getTargetTripleAttrName(),
                      StringAttr::get(&getContext(), state.target.triple));
    RewritePatternSet patterns(&getContext());
    populateQCToCPUPatterns(patterns, state);
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<MatmulOp, RotateOp, QuantizeOp>(op))
        ops.push_back(op);
    });
    // Only these ops and what the patterns create (the rotations a matmul
    // with a rotated weight puts on its activations); nothing is folded.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps)
        .enableFolding(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    (void)applyOpPatternsGreedily(ops, std::move(patterns), config);
    if (!remarks)
      return;
    state.report.emitRemarks(module, "convert-qc-to-cpu", "CPU", "",
                             {"matmul(s)", "rotation(s)"},
                             [](Operation *op) {
                               return isa<MatmulOp>(op)   ? 0
                                      : isa<RotateOp>(op) ? 1
                                                          : -1;
                             });
  }
};

} // namespace

void mlir::qc::populateQCToCPUPatterns(RewritePatternSet &patterns,
                                       CPUKernelContext &context) {
  patterns.add<MatmulToKernel, SplitPlanesMatmul, RotateToKernel,
               QuantizeToKernel>(patterns.getContext(), context);
}

CPUKernelContextPtr mlir::qc::createCPUKernelContext(ModuleOp module,
                                                     StringRef targetTriple,
                                                     StringRef targetFeatures,
                                                     std::string &error) {
  FailureOr<CPUTarget> target =
      CPUTarget::parse(targetTriple, targetFeatures, error);
  if (failed(target))
    return nullptr;
  return CPUKernelContextPtr(new CPUKernelContext(module, std::move(*target)));
}

void mlir::qc::CPUKernelContextDeleter::operator()(CPUKernelContext *c) const {
  delete c;
}
