//===- WeightLayouts.cpp - weights in the storage kernels read ------------===//
//
// qc-materialize-layouts and materializeWeightLayouts: one loop for every
// target; the target says which type its kernel reads a weight in, the
// layout attribute says how to pack codes into it.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/KernelCommon/WeightLayouts.h"

#include "qc/Conversion/KernelCommon/KernelCall.h"
#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Numerics/Packing.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/IR/Diagnostics.h"

namespace mlir::qc {
#define GEN_PASS_DEF_MATERIALIZELAYOUTS
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

/// Whether `to` is `from` with only the layout and the scale type changed
/// (what a repacking can do without requantizing).
static bool isStorageChangeOf(QuantizedTensorType from,
                              QuantizedTensorType to) {
  return from.getShape() == to.getShape() && from.getGrid() == to.getGrid() &&
         from.getGranularity() == to.getGranularity() &&
         from.getZeroPointType() == to.getZeroPointType() &&
         from.getOuterGranularity() == to.getOuterGranularity() &&
         from.getOuterScaleType() == to.getOuterScaleType() &&
         from.getRotation() == to.getRotation() &&
         from.getMinType() == to.getMinType() &&
         from.getOuterMinType() == to.getOuterMinType() &&
         (from.getScaleType() == to.getScaleType() ||
          to.getScaleType().isF32());
}

QuantizedTensorType mlir::qc::getExactKernelForm(QuantizedTensorType type,
                                                 unsigned codeBits) {
  if (!type.hasStaticShape() || type.getLayout())
    return {};
  MLIRContext *ctx = type.getContext();
  bool fold = type.hasOuterScales() || type.hasOuterMins() ||
              isa<IntegerType>(type.getScaleType()) ||
              isa_and_present<IntegerType>(type.getMinType());
  GridAttrInterface grid = type.getGrid();
  if (codeBits) {
    auto intGrid = dyn_cast<IntGridAttr>(grid);
    if (!intGrid || intGrid.getWidth() >= codeBits ||
        isa_and_present<IntegerType>(type.getZeroPointType()))
      return {};
    grid = IntGridAttr::get(ctx, codeBits, intGrid.getIsSigned(),
                            /*narrow=*/false);
  } else if (!fold) {
    return {};
  }
  Type f32 = Float32Type::get(ctx);
  Type minType = type.getMinType();
  if (minType && fold)
    minType = f32;
  return QuantizedTensorType::get(
      ctx, type.getShape(), grid, type.getGranularity(),
      fold ? f32 : type.getScaleType(), type.getZeroPointType(),
      /*outerGranularity=*/{}, /*outerScaleType=*/{}, /*layout=*/{},
      type.getRotation(), type.getRotationAxis(), minType,
      /*outerMinType=*/{});
}

/// The values of a scale or min part as f32, reading integers by the
/// signedness of `logical` (parts hold their signless bit patterns).
static FailureOr<std::vector<float>> readPartValues(ElementsAttr attr,
                                                    Type logical) {
  auto intType = dyn_cast<IntegerType>(logical);
  if (!intType)
    return readFloatValues(attr);
  FailureOr<std::vector<int64_t>> ints = readIntegerValues(attr);
  if (failed(ints))
    return failure();
  std::vector<float> values;
  values.reserve(ints->size());
  uint64_t mask = intType.getWidth() >= 64 ? ~uint64_t(0)
                                           : (uint64_t(1) << intType.getWidth()) - 1;
  for (int64_t v : *ints)
    values.push_back(intType.isUnsigned() ? float(uint64_t(v) & mask)
                                          : float(v));
  return values;
}

/// For each inner block (row-major over the blocks, the order of its scale
/// part), the row-major index of the outer block that holds it.
static std::vector<int64_t> outerIndexOfBlocks(QuantizedTensorType type) {
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> inner = type.getGranularity().getBlockShape(shape);
  SmallVector<int64_t> outer = type.getOuterGranularity().getBlockShape(shape);
  size_t rank = shape.size();
  SmallVector<int64_t> innerCount(rank), outerCount(rank);
  int64_t total = 1;
  for (size_t d = 0; d < rank; ++d) {
    innerCount[d] = shape[d] / inner[d];
    outerCount[d] = shape[d] / outer[d];
    total *= innerCount[d];
  }
  std::vector<int64_t> result(total);
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t i = 0; i < total; ++i) {
    int64_t o = 0;
    for (size_t d = 0; d < rank; ++d)
      o = o * outerCount[d] + idx[d] * inner[d] / outer[d];
    result[i] = o;
    for (size_t d = rank; d-- > 0;) {
      if (++idx[d] < innerCount[d])
        break;
      idx[d] = 0;
    }
  }
  return result;
}

namespace {
/// The parts of a constant weight, as attributes.
struct WeightParts {
  ElementsAttr codes, scales, zeroPoints, mins;
};
} // namespace

/// The parts of `constant` in `to` = getExactKernelForm(its type, bits), or
/// why not.
static FailureOr<WeightParts> foldExactly(ConstantOp constant,
                                          QuantizedTensorType to,
                                          std::string &why) {
  QuantizedTensorType from = constant.getType();
  WeightParts parts{constant.getCodes(), constant.getScales(),
                    constant.getZeroPointsAttr(), constant.getMinsAttr()};
  auto f32Blob = [&](RankedTensorType type, StringRef name,
                     const std::vector<float> &values) {
    return createBlobAttr(
        type, name,
        ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float)),
        8);
  };
  // Folded = inner * outer per inner block, one f32 multiply each.
  auto fold = [&](ElementsAttr innerAttr, Type innerType, ElementsAttr outerAttr,
                  Type outerType, RankedTensorType resultType, StringRef name,
                  ElementsAttr &result) -> LogicalResult {
    FailureOr<std::vector<float>> inner = readPartValues(innerAttr, innerType);
    if (failed(inner)) {
      why = whyUnreadable(innerAttr);
      return failure();
    }
    if (outerAttr) {
      FailureOr<std::vector<float>> outer = readPartValues(outerAttr, outerType);
      if (failed(outer)) {
        why = whyUnreadable(outerAttr);
        return failure();
      }
      std::vector<int64_t> at = outerIndexOfBlocks(from);
      for (size_t i = 0; i < inner->size(); ++i)
        (*inner)[i] = (*inner)[i] * (*outer)[at[i]];
    }
    result = f32Blob(resultType, name, *inner);
    return success();
  };
  if (to.getScaleType() != from.getScaleType() &&
      failed(fold(constant.getScales(), from.getScaleType(),
                  constant.getOuterScalesAttr(), from.getOuterScaleType(),
                  to.getScalesTensorType(), "qc_scales", parts.scales)))
    return failure();
  if (from.hasMins() && to.getMinType() != from.getMinType() &&
      failed(fold(constant.getMinsAttr(), from.getMinType(),
                  constant.getOuterMinsAttr(), from.getOuterMinType(),
                  to.getMinsTensorType(), "qc_mins", parts.mins)))
    return failure();
  unsigned fromBits = from.getGrid().getCodeBits();
  unsigned toBits = to.getGrid().getCodeBits();
  if (fromBits != toBits) {
    FailureOr<std::vector<uint8_t>> read = readRowMajorCodes(parts.codes, from);
    if (failed(read)) {
      why = whyUnreadable(parts.codes);
      return failure();
    }
    std::vector<uint8_t> codes = std::move(*read);
    // The same integers in wider fields: signed codes sign-extend.
    bool isSigned = cast<IntGridAttr>(from.getGrid()).getIsSigned();
    uint8_t widenMask = uint8_t((1u << toBits) - 1);
    for (uint8_t &c : codes) {
      int v = c;
      if (isSigned && (v >> (fromBits - 1)))
        v -= 1 << fromBits;
      c = uint8_t(v) & widenMask;
    }
    std::vector<uint8_t> packed = numerics::packCodes(codes, toBits);
    parts.codes = createBlobAttr(
        to.getPackedCodesTensorType(), "qc_codes",
        ArrayRef<char>(reinterpret_cast<const char *>(packed.data()),
                       packed.size()),
        16);
  }
  return parts;
}

/// The plane widths that store B-bit codes with the top R bits in one
/// plane: the d = B - R low bits in planes of 4, 2 and 1 bits (lowest
/// first), then R. Empty when R is no plane width.
static SmallVector<int64_t> nestedPlaneWidths(unsigned b, unsigned r) {
  if (r != 1 && r != 2 && r != 4)
    return {};
  SmallVector<int64_t> widths;
  unsigned d = b - r;
  for (unsigned w : {4u, 2u, 1u})
    while (d >= w) {
      widths.push_back(w);
      d -= w;
    }
  widths.push_back(r);
  return widths;
}

/// `codes`, the row-major packed codes of a tensor of `type`, repacked in
/// `layout` (the layout's own packCodes), as a blob aligned to 16 bytes
/// (what the NVIDIA kernels' cp.async needs); failure when they cannot be
/// read.
static FailureOr<ElementsAttr> repackCodes(ElementsAttr codes,
                                           QuantizedTensorType type,
                                           LayoutAttrInterface layout) {
  FailureOr<std::vector<uint8_t>> bytes = readBytes(codes);
  if (failed(bytes))
    return failure();
  std::vector<uint8_t> repacked = layout.packCodes(
      numerics::unpackCodes(bytes->data(),
                            ShapedType::getNumElements(type.getShape()),
                            type.getGrid().getCodeBits()),
      type.getShape(), type.getGrid());
  return createBlobAttr(
      cast<ShapedType>(codes.getType()), "qc_codes",
      ArrayRef<char>(reinterpret_cast<const char *>(repacked.data()),
                     repacked.size()),
      16);
}

/// Nested weights. A row-major constant read at fewer bits by
/// qc.requantize msb_slice into matmuls is stored once, as #qc.bit_planes
/// whose top plane holds the narrow codes in the layout the target's
/// kernel reads them in (qc.requantize then reads that plane in place);
/// every other qc.requantize of a row-major constant is folded into a
/// constant of its own, which the loop after this repacks.
static void nestWeights(Operation *root, KernelTargetAttrInterface target,
                        RewriterBase &rewriter, bool remarks, StringRef pass) {
  SmallVector<ConstantOp> constants;
  root->walk([&](RequantizeOp op) {
    auto constant = op.getInput().getDefiningOp<ConstantOp>();
    if (constant && constant.hasPackedCodes() &&
        !constant.getType().getLayout() && !llvm::is_contained(constants, constant))
      constants.push_back(constant);
  });
  MLIRContext *ctx = root->getContext();
  for (ConstantOp constant : constants) {
    QuantizedTensorType type = constant.getType();
    BitPlanesAttr chosen;
    RequantizeOp reader;
    // Full-width readers (a matmul on the constant itself) read two planes
    // as the top and the low plane; more planes have no kernel.
    bool fullWidthReaders = llvm::any_of(
        constant->getUsers(), [](Operation *u) { return !isa<RequantizeOp>(u); });
    for (Operation *user : constant->getUsers()) {
      auto op = dyn_cast<RequantizeOp>(user);
      if (!op || op.getMode() != NestingMode::msb_slice || op->use_empty() ||
          type.getRank() != 2 || !type.hasStaticShape())
        continue;
      SmallVector<int64_t> widths =
          nestedPlaneWidths(type.getGrid().getCodeBits(),
                            op.getType().getGrid().getCodeBits());
      if (fullWidthReaders && widths.size() != 2)
        continue;
      auto matmul = dyn_cast<MatmulOp>(*op->getUsers().begin());
      if (widths.empty() || !matmul || matmul.getRhs() != op.getResult())
        continue;
      std::string why;
      FailureOr<Type> wanted = target.getKernelWeightType(matmul, why);
      auto want = succeeded(wanted) ? dyn_cast<QuantizedTensorType>(*wanted)
                                    : QuantizedTensorType();
      if (!want || (want.getLayout() && !want.getTiledLayout()))
        continue;
      auto planes = BitPlanesAttr::get(ctx, widths, want.getTiledLayout());
      // The planes must fit the shape (whole bytes, whole chunks).
      ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });
      if (failed(planes.verifyForType(
              [&] { return mlir::emitError(constant.getLoc()); },
              type.getShape(), type.getGrid())))
        continue;
      chosen = planes;
      reader = op;
      break;
    }
    // Every reader the planes do not serve (a rounding shift, another
    // width) gets a folded constant of its own.
    int64_t top = chosen ? chosen.getWidths().back() : 0;
    Attribute value = constant.fold(ConstantOp::FoldAdaptor({}, constant))
                          .dyn_cast<Attribute>();
    for (Operation *user : llvm::make_early_inc_range(constant->getUsers())) {
      auto op = dyn_cast<RequantizeOp>(user);
      if (!op || (op.getMode() == NestingMode::msb_slice &&
                  int64_t(op.getType().getGrid().getCodeBits()) == top))
        continue;
      SmallVector<OpFoldResult> folded;
      if (!value || failed(op->fold(ArrayRef<Attribute>{value}, folded)) ||
          folded.size() != 1 || !isa<Attribute>(folded[0]))
        continue;
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(op);
      Operation *replacement = op->getDialect()->materializeConstant(
          rewriter, cast<Attribute>(folded[0]), op.getType(), op.getLoc());
      if (!replacement)
        continue;
      if (remarks)
        op.emitRemark(pass) << ": requantization folded into a constant of "
                               "its own (no kernel reads it from planes)";
      rewriter.replaceOp(op, replacement->getResults());
    }
    if (chosen && !constant->use_empty()) {
      FailureOr<ElementsAttr> bytes =
          repackCodes(constant.getCodes(), type, chosen);
      if (failed(bytes)) {
        reader.emitWarning(pass)
            << ": cannot read the weight's packed codes to store them in "
               "planes: "
            << whyUnreadable(constant.getCodes());
        continue;
      }
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(constant);
      auto nested = ConstantOp::create(
          rewriter, constant.getLoc(), type.cloneWithLayout(chosen), *bytes,
          constant.getScales(), constant.getZeroPointsAttr(),
          constant.getOuterScalesAttr(), constant.getMinsAttr(),
          constant.getOuterMinsAttr());
      if (remarks)
        reader.emitRemark(pass)
            << ": weight stored once as " << chosen << ", whose top plane "
            << "this matmul's kernel reads in place";
      rewriter.replaceOp(constant, nested.getResult());
      continue;
    }
    if (constant->use_empty())
      rewriter.eraseOp(constant);
  }
}

LogicalResult mlir::qc::materializeWeightLayouts(
    Operation *root, KernelTargetAttrInterface target, RewriterBase &rewriter,
    bool remarks, StringRef pass) {
  nestWeights(root, target, rewriter, remarks, pass);
  // A dense_resource blob whose size is not its type's is an error here,
  // before anything reads it.
  FailureOr<SmallVector<MatmulOp>> matmuls =
      matmulsWithRowMajorConstants(root);
  if (failed(matmuls))
    return failure();
  for (MatmulOp op : *matmuls) {
    auto constant = op.getRhs().getDefiningOp<ConstantOp>();
    QuantizedTensorType type = constant.getType();
    std::string why;
    FailureOr<Type> wanted = target.getKernelWeightType(op, why);
    if (failed(wanted)) {
      if (remarks)
        op.emitRemark(pass) << ": weight left as it is: " << why;
      continue;
    }
    auto want = dyn_cast<QuantizedTensorType>(*wanted);
    // The target may ask for an exactly folded form first.
    QuantizedTensorType from = type;
    for (unsigned codeBits : {0u, 8u}) {
      QuantizedTensorType folded = getExactKernelForm(type, codeBits);
      if (want && folded && !isStorageChangeOf(type, want) &&
          isStorageChangeOf(folded, want)) {
        from = folded;
        break;
      }
    }
    if (!want || !isStorageChangeOf(from, want))
      return op.emitError(pass) << ": target "
             << target << " asks for the weight as " << *wanted
             << ", which is not a storage change of " << type;
    if (want == type)
      continue;
    WeightParts parts{constant.getCodes(), constant.getScales(),
                      constant.getZeroPointsAttr(), constant.getMinsAttr()};
    if (from != type) {
      std::string why;
      FailureOr<WeightParts> folded = foldExactly(constant, from, why);
      if (failed(folded)) {
        op.emitWarning(pass)
            << ": cannot read the weight to fold it for the kernel, left as "
               "is: "
            << why;
        continue;
      }
      parts = *folded;
      if (remarks)
        op.emitRemark(pass) << ": weight " << type
                            << " folded exactly into " << from
                            << " for the kernel (every value bit-identical)";
    }
    ElementsAttr codes = parts.codes, scales = parts.scales;
    if (want.getLayout() != from.getLayout()) {
      FailureOr<ElementsAttr> repacked =
          repackCodes(codes, from, want.getLayout());
      if (failed(repacked)) {
        op.emitWarning(pass)
            << ": cannot read the weight's packed codes, left as is: "
            << whyUnreadable(codes);
        continue;
      }
      codes = *repacked;
    }
    if (want.getScaleType() != from.getScaleType()) {
      FailureOr<std::vector<float>> values = readFloatValues(scales);
      if (failed(values)) {
        op.emitWarning(pass)
            << ": cannot read the weight's scales, left as is: "
            << whyUnreadable(scales);
        continue;
      }
      scales = createBlobAttr(
          RankedTensorType::get(cast<ShapedType>(scales.getType()).getShape(),
                                want.getScaleType()),
          "qc_scales",
          ArrayRef<char>(reinterpret_cast<const char *>(values->data()),
                         values->size() * sizeof(float)),
          8);
    }
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(constant);
    auto replacement = ConstantOp::create(
        rewriter, constant.getLoc(), want, codes, scales, parts.zeroPoints,
        from == type ? constant.getOuterScalesAttr() : ElementsAttr(),
        parts.mins,
        from == type ? constant.getOuterMinsAttr() : ElementsAttr());
    rewriter.modifyOpInPlace(op,
                             [&] { op.getRhsMutable().assign(replacement); });
    if (constant->use_empty())
      rewriter.eraseOp(constant);
  }
  return success();
}

LogicalResult mlir::qc::materializeWeightLayouts(Operation *root,
                                                Attribute target, bool remarks,
                                                StringRef pass) {
  auto kernels = dyn_cast<KernelTargetAttrInterface>(target);
  if (!kernels)
    return mlir::emitError(root->getLoc(), pass)
           << ": " << target
           << " is no target qc has kernels for here (its back end's "
              "KernelTargetAttrInterface model is not registered: "
              "registerCPUKernelTargetInterface, "
              "registerNVVMKernelTargetInterface)";
  IRRewriter rewriter(root->getContext());
  return materializeWeightLayouts(root, kernels, rewriter, remarks, pass);
}

namespace {

struct MaterializeLayoutsPass
    : mlir::qc::impl::MaterializeLayoutsBase<MaterializeLayoutsPass> {
  using MaterializeLayoutsBase::MaterializeLayoutsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Attribute attr = module->getAttr(kTargetAttrName);
    if (!attr) {
      mlir::emitError(module.getLoc(), "qc-materialize-layouts: the module has no ")
          << kTargetAttrName
          << " attribute naming its target (#llvm.target<...> for a CPU, "
             "#nvvm.target<...> for an NVIDIA GPU)";
      return signalPassFailure();
    }
    if (failed(materializeWeightLayouts(module, attr, remarks,
                                        "qc-materialize-layouts")))
      signalPassFailure();
  }
};

} // namespace
