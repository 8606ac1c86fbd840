//===- RearrangeOutliers.cpp - Permute channels to regroup outliers -------===//
//
// qc-rearrange-outliers. A channel group is the set of values whose last
// axis holds the same channels, closed under the rules that keep the
// function exact when every value of the set is permuted by P (y = x P,
// a gather: y[j] = x[p[j]]):
//   writer   h W^T + b          -> h (P^T W)^T + b P     (rows, bias)
//   reader   x W^T              -> (x P)(W P)^T           (columns)
//   elementwise f(x, y)         -> f(x P, y P) = f(x, y) P  (arith ops and
//                                  linalg.generic ops that work lane by lane)
//   norm     rms_norm(x, g)     -> rms_norm(x P, g P) = rms_norm(x, g) P
//   accumulate  acc + x W^T     -> acc P + ...            (writer's rule)
// The pass builds each group from a reader's activation (a worklist over
// producers and users), picks P from the readers' per-channel statistics
// (numerics::rearrangeChannels), then rewrites the weights, biases, norm
// weights and constants of the set in float64. A group with a member the
// rules do not cover is left unchanged, unless it went through a norm: then
// it is rebuilt stopping at the norms, whose outputs get an explicit
// gather (qc.rotate by #qc.permutation). With a tail, each reader with a
// quantized weight is then split along K into the mixed precision form.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "qc/Numerics/Permutation.h"
#include "qc/Utils/ConstantUtils.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>

namespace mlir::qc {
#define GEN_PASS_DEF_REARRANGEOUTLIERS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
namespace num = ::mlir::qc::numerics;

namespace {

/// The calibration attribute a metric reads, or "" for weight metrics.
StringRef calibrationAttrName(OutlierMetric metric) {
  switch (metric) {
  case OutlierMetric::ActMaxAbs:
    return "qc.act_max_abs";
  case OutlierMetric::ActMeanAbs:
    return "qc.act_mean_abs";
  case OutlierMetric::ActSqSum:
    return "qc.act_sq_sum";
  default:
    return "";
  }
}

const char *metricName(OutlierMetric metric) {
  switch (metric) {
  case OutlierMetric::WeightMaxAbs:
    return "weight-max-abs";
  case OutlierMetric::WeightL2:
    return "weight-l2";
  case OutlierMetric::ActMaxAbs:
    return "act-max-abs";
  case OutlierMetric::ActMeanAbs:
    return "act-mean-abs";
  case OutlierMetric::ActSqSum:
    return "act-sq-sum";
  }
  return "?";
}

/// The float constant a Linear layer's weight comes from: the weight
/// itself, or the input of the qc.quantize (used only by this layer, not
/// stored rotated, scales computed from the data) that quantizes it. Null,
/// with `why`, when there is none.
Value floatWeightOf(MatmulOp matmul, std::string &why) {
  Value w = matmul.getRhs();
  if (auto quantize = w.getDefiningOp<QuantizeOp>()) {
    if (!quantize->hasOneUse())
      why = "its weight's qc.quantize has other users";
    else if (quantize.getType().getRotation())
      why = "its weight is quantized in a rotated basis";
    else if (quantize.getScales())
      why = "its weight's qc.quantize takes its scales as operands";
    else
      w = quantize.getInput();
    if (!why.empty())
      return {};
  }
  if (!isFloatConstant(w)) {
    why = isa<QuantizedTensorType>(w.getType())
              ? "its weight is quantized already (only a float constant, or "
                "qc.quantize of one, can be permuted)"
              : "its weight is not a constant";
    return {};
  }
  if (Value bias = matmul.getBias(); bias && !isFloatConstant(bias)) {
    why = "its bias is not a constant";
    return {};
  }
  return w;
}

/// Whether permuting the rows of a weight of `type` permutes its quantized
/// values exactly: no block of scales spans some but not all rows.
bool rowsQuantizedApart(QuantizedTensorType type) {
  int64_t rows = type.getShape()[0];
  for (GranularityAttrInterface g :
       {type.getGranularity(), type.getOuterGranularity()}) {
    auto block = dyn_cast_or_null<PerBlockAttr>(g);
    if (block && block.getBlockSizes()[0] != 1 &&
        block.getBlockSizes()[0] != rows)
      return false;
  }
  return true;
}

/// Whether `v` is a splat constant (unchanged by any permutation).
bool isSplatConstant(Value v) {
  DenseElementsAttr attr;
  return matchPattern(v, m_Constant(&attr)) && attr.isSplat();
}

/// An op that maps each element to the element at the same position (a
/// tensor.cast changes only static shape information).
bool isElementwiseOnTensors(Operation *op) {
  if (isa<tensor::CastOp>(op))
    return true;
  return op->hasTrait<OpTrait::Elementwise>() && op->getNumResults() >= 1 &&
         llvm::all_of(op->getOperandTypes(),
                      [](Type t) { return isa<RankedTensorType>(t); }) &&
         llvm::all_of(op->getResultTypes(),
                      [](Type t) { return isa<RankedTensorType>(t); });
}

/// The values of an elementwise linalg.generic whose last dimension is its
/// iteration space's last dimension (the channels), when each lane's value
/// depends only on the same lane: every loop parallel, outputs indexed by
/// the identity, no linalg.index in the body, inputs indexed by projected
/// permutations that hold the last loop dimension last if at all (an input
/// without it, a per-row value broadcast across the channels, is no
/// member). Inits are members when the body reads them. Nothing when `g`
/// is not such an op.
std::optional<SmallVector<Value>> laneMembers(linalg::GenericOp g) {
  if (!g.hasPureTensorSemantics() ||
      g.getNumParallelLoops() != g.getNumLoops() || g.getNumLoops() == 0)
    return std::nullopt;
  bool usesIndex = false;
  g.getRegion().walk([&](linalg::IndexOp) { usesIndex = true; });
  if (usesIndex)
    return std::nullopt;
  unsigned last = g.getNumLoops() - 1;
  SmallVector<Value> members;
  for (OpOperand &operand : g->getOpOperands()) {
    AffineMap map = g.getMatchingIndexingMap(&operand);
    if (g.isDpsInit(&operand)) {
      if (!map.isIdentity())
        return std::nullopt;
      if (!g.getMatchingBlockArgument(&operand).use_empty())
        members.push_back(operand.get());
      continue;
    }
    if (!map.isProjectedPermutation())
      return std::nullopt;
    std::optional<unsigned> pos =
        map.getResultPosition(getAffineDimExpr(last, g.getContext()));
    if (!pos)
      continue;
    if (*pos != map.getNumResults() - 1)
      return std::nullopt;
    members.push_back(operand.get());
  }
  llvm::append_range(members, g->getResults());
  return members;
}

/// A Linear layer reading the group's channels, with the quantizer of its
/// activation when it reads `qc.quantize` of a member.
struct Reader {
  MatmulOp matmul;
  QuantizeOp activationQuantizer;
};

/// The values that carry one permutation, and everything that must change
/// with them.
struct ChannelGroup {
  int64_t channels = 0;
  llvm::SetVector<Value> values;
  SmallVector<Reader> readers;
  llvm::SetVector<Operation *> writers, norms, constants;
  /// Norms whose outputs get an explicit gather (norm-output mode).
  llvm::SetVector<Operation *> gatheredNorms;
  bool crossedNorm = false;
  /// Why the group cannot be permuted (empty: it can), and the op to blame.
  std::string blocked;
  Operation *blocker = nullptr;
};

/// Builds the group of `seed`'s channels (its last axis). With
/// `stopAtNorms`, an rms_norm that produces a member is not crossed: its
/// output gets the permutation as a gather.
ChannelGroup buildGroup(Value seed, bool stopAtNorms) {
  ChannelGroup g;
  auto seedType = cast<RankedTensorType>(seed.getType());
  g.channels = seedType.getShape().back();
  SmallVector<Value> worklist;
  auto block = [&](Operation *op, const Twine &why) {
    if (g.blocked.empty()) {
      g.blocked = why.str();
      g.blocker = op;
    }
  };
  auto add = [&](Value v, Operation *from) {
    if (isSplatConstant(v))
      return;
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (!t || t.getRank() < 1 || t.getShape().back() != g.channels) {
      block(from, "'" + from->getName().getStringRef() +
                      "' relates the channels to a value of another shape");
      return;
    }
    if (g.values.insert(v))
      worklist.push_back(v);
  };
  g.values.insert(seed);
  worklist.push_back(seed);
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    // Who produces v.
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      Operation *owner = arg.getOwner()->getParentOp();
      std::string where = "an argument of '" +
                          owner->getName().getStringRef().str() + "'";
      if (auto fn = dyn_cast<func::FuncOp>(owner))
        where = "argument #" + std::to_string(arg.getArgNumber()) +
                " of function @" + fn.getSymName().str();
      block(owner, "the channels come from " + where +
                       ", which the pass cannot permute");
    } else {
      Operation *def = v.getDefiningOp();
      if (auto matmul = dyn_cast<MatmulOp>(def)) {
        std::string why;
        if (!floatWeightOf(matmul, why))
          block(matmul, "the Linear layer that writes the channels cannot "
                        "have its rows permuted: " +
                            why);
        else if (auto q = matmul.getRhs().getDefiningOp<QuantizeOp>();
                 q && !rowsQuantizedApart(q.getType()))
          block(matmul, "the Linear layer that writes the channels "
                        "quantizes its weight in blocks of several rows, "
                        "which permuting its rows would regroup");
        g.writers.insert(matmul);
        if (Value acc = matmul.getAccumulate())
          add(acc, matmul);
      } else if (auto norm = dyn_cast<RMSNormOp>(def)) {
        if (stopAtNorms && !g.values.contains(norm.getInput())) {
          g.gatheredNorms.insert(norm);
        } else {
          g.crossedNorm = true;
          g.norms.insert(norm);
          add(norm.getInput(), norm);
        }
      } else if (auto constant = dyn_cast<arith::ConstantOp>(def)) {
        g.constants.insert(constant);
      } else if (isElementwiseOnTensors(def)) {
        for (Value operand : def->getOperands())
          add(operand, def);
        for (Value result : def->getResults())
          add(result, def);
      } else if (auto lanes = isa<linalg::GenericOp>(def)
                                  ? laneMembers(cast<linalg::GenericOp>(def))
                                  : std::nullopt) {
        for (Value member : *lanes)
          add(member, def);
      } else {
        block(def, "the channels are produced by '" +
                       def->getName().getStringRef() +
                       "', which a permutation does not pass through "
                       "(only elementwise ops, elementwise linalg.generic "
                       "ops, qc.rms_norm and Linear "
                       "layers)");
      }
    }
    // Who reads v.
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      // A shape query does not see the order of the channels.
      if (isa<tensor::DimOp>(user))
        continue;
      if (auto matmul = dyn_cast<MatmulOp>(user)) {
        if (use.getOperandNumber() == 0) { // the activation
          g.readers.push_back({matmul, {}});
        } else if (matmul.getAccumulate() == v) {
          add(matmul.getResult(), matmul);
        } else {
          block(matmul, "a Linear layer reads the channels as its weight or "
                        "bias, not as its activation");
        }
      } else if (auto quantize = dyn_cast<QuantizeOp>(user)) {
        auto gran = quantize.getType().getGranularity();
        bool staticScales = quantize.getScales() &&
                            !isa<PerTensorAttr>(gran) &&
                            !(isa<PerAxisAttr>(gran) &&
                              cast<PerAxisAttr>(gran).getAxis() == 0);
        if (staticScales || quantize.getType().getRotation())
          block(quantize, "a qc.quantize of the channels has per-channel "
                          "scales given as operands, or a rotation");
        for (Operation *qUser : quantize->getUsers()) {
          auto matmul = dyn_cast<MatmulOp>(qUser);
          if (!matmul || matmul.getLhs() != quantize.getResult())
            block(qUser, "the quantized channels are read by '" +
                             qUser->getName().getStringRef() +
                             "', not only as Linear layers' activations");
          else
            g.readers.push_back({matmul, quantize});
        }
      } else if (auto norm = dyn_cast<RMSNormOp>(user)) {
        if (norm.getWeight() == v) {
          block(norm, "the channels are an rms_norm's weight");
        } else {
          g.crossedNorm = true;
          g.norms.insert(norm);
          add(norm.getResult(), norm);
        }
      } else if (isElementwiseOnTensors(user)) {
        for (Value operand : user->getOperands())
          add(operand, user);
        for (Value result : user->getResults())
          add(result, user);
      } else if (auto lanes = isa<linalg::GenericOp>(user)
                                  ? laneMembers(cast<linalg::GenericOp>(user))
                                  : std::nullopt) {
        if (!llvm::is_contained(*lanes, v))
          block(user, "a linalg.generic reads the channels other than lane "
                      "by lane");
        for (Value member : *lanes)
          add(member, user);
      } else {
        block(user, "the channels are read by '" +
                        user->getName().getStringRef() +
                        "', which a permutation does not pass through");
      }
    }
  }
  // A gathered norm whose input joined the set afterwards is crossed.
  for (Operation *norm : llvm::to_vector(g.gatheredNorms))
    if (g.values.contains(cast<RMSNormOp>(norm).getInput())) {
      g.gatheredNorms.remove(norm);
      g.norms.insert(norm);
    }
  // Readers and writers need permutable weights; norms constant weights.
  for (Reader r : g.readers) {
    std::string why;
    if (!floatWeightOf(r.matmul, why))
      block(r.matmul, "a Linear layer reading the channels cannot have its "
                      "columns permuted: " +
                          why);
  }
  for (Operation *op : g.norms) {
    auto norm = cast<RMSNormOp>(op);
    if (norm.getWeight() && !isFloatConstant(norm.getWeight()))
      block(norm, "an rms_norm on the channels has a weight that is not a "
                  "constant");
  }
  return g;
}

/// Blocks `g` unless every constant the rewrite reads can be read (a
/// `dense_resource` blob may be elided, a constant too large, an integer
/// constant is no channel data): the group is rewritten whole or not at all.
void requireReadableConstants(ChannelGroup &g) {
  auto check = [&](Value v, Operation *owner, StringRef what) {
    if (!g.blocked.empty() || !v)
      return;
    // Checked without reading: the values are read once, when rewritten.
    std::string why = whyUnreadableFloatConstant(v);
    if (why.empty())
      return;
    g.blocked = (what + " cannot be read: " + why).str();
    g.blocker = owner;
  };
  std::string unused;
  for (Reader r : g.readers)
    check(floatWeightOf(r.matmul, unused), r.matmul, "a reader's weight");
  for (Operation *op : g.writers) {
    auto matmul = cast<MatmulOp>(op);
    check(floatWeightOf(matmul, unused), matmul, "a writer's weight");
    check(matmul.getBias(), matmul, "a writer's bias");
  }
  for (Operation *op : g.norms)
    check(cast<RMSNormOp>(op).getWeight(), op, "an rms_norm's weight");
  for (Operation *op : g.constants)
    check(op->getResult(0), op, "a constant carrying the channels");
}

/// A constant of `like`'s type (its shape and float element type) holding
/// `values`.
Value createConstantLike(OpBuilder &b, Location loc, Type like,
                         const std::vector<double> &values) {
  auto type = cast<RankedTensorType>(like);
  if (type.getElementType().isF32())
    return createF32Constant(b, loc, type.getShape(), values);
  auto ft = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> v;
  for (double x : values) {
    APFloat f(x);
    bool lost;
    f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    v.push_back(f);
  }
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, v));
}

/// The per-channel statistic of a group (combined over its readers), or
/// failure after an error on the reader at fault.
FailureOr<std::vector<double>> groupStatistic(const ChannelGroup &g,
                                              OutlierMetric metric) {
  std::vector<double> stat(size_t(g.channels), 0.0);
  StringRef attrName = calibrationAttrName(metric);
  for (Reader r : g.readers) {
    MatmulOp matmul = r.matmul;
    if (!attrName.empty()) {
      auto attr = matmul->getAttrOfType<DenseElementsAttr>(attrName);
      if (!attr || !isa<FloatType>(attr.getElementType()))
        return matmul.emitError("qc-rearrange-outliers{metric=")
               << metricName(metric) << "}: this Linear layer has no '"
               << attrName << "' attribute (a dense float attribute of its "
               << g.channels << " input channels' calibration statistic)";
      if (attr.getNumElements() != g.channels)
        return matmul.emitError("'")
               << attrName << "' has " << attr.getNumElements()
               << " values; the Linear layer has " << g.channels
               << " input channels";
      int64_t c = 0;
      for (APFloat v : attr.getValues<APFloat>()) {
        double d = v.convertToDouble();
        if (!std::isfinite(d) || d < 0)
          return matmul.emitError("'")
                 << attrName << "' value " << c << " is " << d
                 << "; calibration statistics must be finite and >= 0";
        stat[size_t(c)] = std::max(stat[size_t(c)], d);
        ++c;
      }
      continue;
    }
    std::string why;
    Value w = floatWeightOf(matmul, why);
    std::optional<std::vector<double>> values = readFloatConstant(w, &why);
    if (!values)
      return matmul.emitError("qc-rearrange-outliers: the weight cannot be "
                              "read: ")
             << why;
    int64_t rows = int64_t(values->size()) / g.channels;
    for (double v : *values)
      if (!std::isfinite(v))
        return matmul.emitError("qc-rearrange-outliers: the weight has a "
                                "non-finite value");
    if (metric == OutlierMetric::WeightMaxAbs) {
      std::vector<double> s = num::columnStatistic(
          values->data(), rows, g.channels, num::ChannelMetric::MaxAbs);
      for (int64_t c = 0; c < g.channels; ++c)
        stat[size_t(c)] = std::max(stat[size_t(c)], s[size_t(c)]);
    } else {
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < g.channels; ++c) {
          double v = (*values)[size_t(r * g.channels + c)];
          stat[size_t(c)] += v * v;
        }
    }
  }
  if (metric == OutlierMetric::WeightL2)
    for (double &s : stat)
      s = std::sqrt(s);
  return stat;
}

/// Erases `v`'s defining constant once nothing reads it.
void eraseIfDead(RewriterBase &b, Value v) {
  if (Operation *def = v.getDefiningOp();
      def && v.use_empty() && isa<arith::ConstantOp>(def))
    b.eraseOp(def);
}

/// The weight a Linear layer's float constant feeds, replaced by `values`.
void setFloatWeight(RewriterBase &b, MatmulOp matmul,
                    const std::vector<double> &values) {
  std::string why;
  Value w = floatWeightOf(matmul, why);
  Operation *user = matmul;
  if (auto quantize = matmul.getRhs().getDefiningOp<QuantizeOp>())
    user = quantize;
  b.setInsertionPoint(user);
  Value c = createConstantLike(b, matmul.getLoc(), w.getType(), values);
  if (auto quantize = dyn_cast<QuantizeOp>(user))
    b.modifyOpInPlace(quantize, [&] { quantize.getInputMutable().assign(c); });
  else
    b.modifyOpInPlace(matmul, [&] { matmul.getRhsMutable().assign(c); });
  eraseIfDead(b, w);
}

/// `operand`, a constant per-channel vector (a bias, a norm weight),
/// replaced by its gather by `perm`.
void permuteVectorOperand(RewriterBase &b, OpOperand &operand,
                          const std::vector<int64_t> &perm) {
  Value old = operand.get();
  std::vector<double> v = *readFloatConstant(old);
  num::permuteRows(v.data(), 1, perm, false);
  Operation *owner = operand.getOwner();
  b.setInsertionPoint(owner);
  Value permuted = createConstantLike(b, owner->getLoc(), old.getType(), v);
  b.modifyOpInPlace(owner, [&] { operand.set(permuted); });
  eraseIfDead(b, old);
}

/// Applies the permutation to every member of the group.
void permuteGroup(RewriterBase &b, ChannelGroup &g,
                  const std::vector<int64_t> &perm) {
  int64_t C = g.channels;
  std::string why;
  // Readers: columns (each row gathered).
  for (Reader r : g.readers) {
    std::vector<double> w =
        *readFloatConstant(floatWeightOf(r.matmul, why));
    num::permuteRows(w.data(), int64_t(w.size()) / C, perm, false);
    setFloatWeight(b, r.matmul, w);
  }
  // Writers: rows and bias.
  for (Operation *op : g.writers) {
    auto matmul = cast<MatmulOp>(op);
    std::vector<double> w =
        *readFloatConstant(floatWeightOf(matmul, why));
    int64_t k = int64_t(w.size()) / C;
    std::vector<double> rows(w.size());
    for (int64_t j = 0; j < C; ++j)
      std::copy_n(&w[size_t(perm[size_t(j)] * k)], k, &rows[size_t(j * k)]);
    setFloatWeight(b, matmul, rows);
    if (matmul.getBias())
      permuteVectorOperand(b, matmul.getBiasMutable()[0], perm);
  }
  for (Operation *op : g.norms)
    if (auto norm = cast<RMSNormOp>(op); norm.getWeight())
      permuteVectorOperand(b, norm.getWeightMutable()[0], perm);
  // Constants: replaced where the group reads them (all their uses).
  for (Operation *op : g.constants) {
    auto constant = cast<arith::ConstantOp>(op);
    // (Readable: requireReadableConstants.)
    std::optional<std::vector<double>> v =
        readFloatConstant(constant.getResult());
    num::permuteRows(v->data(), int64_t(v->size()) / C, perm, false);
    b.setInsertionPoint(constant);
    Value permuted =
        createConstantLike(b, constant.getLoc(), constant.getType(), *v);
    b.replaceOp(constant, permuted);
  }
  // Norm outputs: an explicit gather.
  auto attr = PermutationAttr::get(b.getContext(), perm);
  for (Operation *op : g.gatheredNorms) {
    auto norm = cast<RMSNormOp>(op);
    b.setInsertionPointAfter(norm);
    auto type = cast<RankedTensorType>(norm.getType());
    auto gather = RotateOp::create(
        b, norm.getLoc(), norm.getResult(), attr,
        b.getI64IntegerAttr(type.getRank() - 1), UnitAttr());
    b.replaceAllUsesExcept(norm.getResult(), gather.getResult(), gather);
  }
  // Calibration attributes follow the channels.
  for (Reader r : g.readers)
    for (OutlierMetric m : {OutlierMetric::ActMaxAbs, OutlierMetric::ActMeanAbs,
                            OutlierMetric::ActSqSum}) {
      auto attr = r.matmul->getAttrOfType<DenseElementsAttr>(
          calibrationAttrName(m));
      if (!attr || attr.getNumElements() != C ||
          !isa<FloatType>(attr.getElementType()))
        continue;
      SmallVector<APFloat> old(attr.getValues<APFloat>());
      SmallVector<APFloat> v;
      for (int64_t j = 0; j < C; ++j)
        v.push_back(old[size_t(perm[size_t(j)])]);
      b.modifyOpInPlace(r.matmul, [&] {
        r.matmul->setAttr(calibrationAttrName(m),
                          DenseElementsAttr::get(attr.getType(), v));
      });
    }
}

/// The granularity of a part of `k` channels (of the split axis 1) of a
/// tensor whose granularity is `gran`: blocks of G along K become blocks of
/// min(G, k). Null, with `why`, when they do not divide k.
GranularityAttrInterface partGranularity(GranularityAttrInterface gran,
                                         int64_t k, std::string &why) {
  auto block = dyn_cast_or_null<PerBlockAttr>(gran);
  if (!block)
    return gran;
  SmallVector<int64_t> sizes(block.getBlockSizes());
  if (sizes.size() != 2)
    return gran;
  sizes[1] = std::min(sizes[1], k);
  if (k % sizes[1] != 0) {
    why = "blocks of " + std::to_string(sizes[1]) + " along K do not divide " +
          "a part of " + std::to_string(k) + " channels";
    return {};
  }
  return PerBlockAttr::get(gran.getContext(), sizes);
}

/// `type` for a part of `k` channels (axis 1), with grid `grid` (or its
/// own); null after an error on `at` when the part cannot have that type.
QuantizedTensorType partType(QuantizedTensorType type, int64_t k,
                             GridAttrInterface grid, Operation *at,
                             StringRef what) {
  std::string why;
  GranularityAttrInterface gran =
      partGranularity(type.getGranularity(), k, why);
  GranularityAttrInterface outer;
  if (gran && type.getOuterGranularity())
    outer = partGranularity(type.getOuterGranularity(), k, why);
  if (!why.empty()) {
    at->emitError("qc-rearrange-outliers: cannot split ")
        << what << " " << type << " at the tail: " << why;
    return {};
  }
  SmallVector<int64_t> shape(type.getShape());
  shape[1] = k;
  return QuantizedTensorType::getChecked(
      [&] {
        InFlightDiagnostic d = at->emitError("qc-rearrange-outliers: the ");
        d << what << " part of " << k << " channels cannot be quantized as "
          << "requested: ";
        return d;
      },
      type.getContext(), ArrayRef<int64_t>(shape),
      grid ? grid : type.getGrid(), gran, type.getScaleType(),
      type.getZeroPointType(), outer, type.getOuterScaleType(),
      type.getLayout(), RotationAttrInterface(), std::optional<int64_t>(),
      type.getMinType(), type.getOuterMinType());
}

/// The types of the two parts a reader's split gives: its weight's (and
/// its activation quantizer's) first C - T and last T channels.
struct TailSplit {
  QuantizedTensorType w0, w1, a0, a1;
};

/// How a reader with a qc.quantize'd weight splits at a tail of `tail`
/// channels in `tailGrid`, or failure after an error on the reader (a
/// block that does not divide a part, a type the grid cannot take, an
/// activation quantized with given scales). Changes nothing.
FailureOr<TailSplit> planTailSplit(Reader r, int64_t tail,
                                   GridAttrInterface tailGrid) {
  MatmulOp matmul = r.matmul;
  auto wq = matmul.getRhs().getDefiningOp<QuantizeOp>();
  QuantizedTensorType wt = wq.getType();
  int64_t c = wt.getShape()[1], k0 = c - tail;
  TailSplit split;
  split.w0 = partType(wt, k0, {}, matmul, "weight");
  split.w1 = split.w0 ? partType(wt, tail, tailGrid, matmul, "weight")
                      : QuantizedTensorType();
  if (!split.w0 || !split.w1)
    return failure();
  if (QuantizeOp aq = r.activationQuantizer) {
    split.a0 = partType(aq.getType(), k0, {}, matmul, "activation");
    split.a1 = split.a0 ? partType(aq.getType(), tail, {}, matmul, "activation")
                        : QuantizedTensorType();
    if (!split.a0 || !split.a1)
      return failure();
    if (aq.getScales())
      return matmul.emitError("qc-rearrange-outliers: cannot split an "
                              "activation quantized with given scales");
  }
  return split;
}

/// Splits a reader with a qc.quantize'd weight into two matmuls along K:
/// the first C - T channels in the weight's format, the last T in the
/// tail's (`split`, from planTailSplit; the mixed precision form of
/// qc.matmul).
void splitTail(RewriterBase &b, Reader r, int64_t tail,
               const TailSplit &split) {
  MatmulOp matmul = r.matmul;
  auto wq = matmul.getRhs().getDefiningOp<QuantizeOp>();
  QuantizedTensorType wt = wq.getType();
  int64_t n = wt.getShape()[0], c = wt.getShape()[1], k0 = c - tail;
  QuantizedTensorType w0 = split.w0, w1 = split.w1, a0 = split.a0,
                      a1 = split.a1;
  QuantizeOp aq = r.activationQuantizer;
  std::string why;
  std::vector<double> w = *readFloatConstant(floatWeightOf(matmul, why));
  std::vector<double> part0, part1;
  for (int64_t row = 0; row < n; ++row) {
    auto at = w.begin() + row * c;
    part0.insert(part0.end(), at, at + k0);
    part1.insert(part1.end(), at + k0, at + c);
  }
  Location loc = matmul.getLoc();
  b.setInsertionPoint(matmul);
  Value x = aq ? aq.getInput() : matmul.getLhs();
  auto xType = cast<RankedTensorType>(x.getType());
  OpFoldResult rows =
      xType.isDynamicDim(0)
          ? OpFoldResult(tensor::DimOp::create(b, loc, x, 0).getResult())
          : OpFoldResult(b.getIndexAttr(xType.getDimSize(0)));
  auto slice = [&](int64_t offset, int64_t size) -> Value {
    return tensor::ExtractSliceOp::create(
        b, loc, x,
        ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(offset)},
        ArrayRef<OpFoldResult>{rows, b.getIndexAttr(size)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
  };
  auto quantize = [&](Value v, QuantizedTensorType type,
                      QuantizeOp like) -> Value {
    return QuantizeOp::create(b, loc, type, v, Value(), Value(), Value(),
                              like.getMethodAttr(), like.getRoundingAttr());
  };
  Type floatType = wq.getInput().getType();
  auto partConst = [&](int64_t k, const std::vector<double> &v) {
    return createConstantLike(
        b, loc,
        RankedTensorType::get(
            {n, k}, cast<RankedTensorType>(floatType).getElementType()),
        v);
  };
  Value x0 = slice(0, k0), x1 = slice(k0, tail);
  Value lhs0 = aq ? quantize(x0, a0, aq) : x0;
  Value lhs1 = aq ? quantize(x1, a1, aq) : x1;
  Value rhs0 = quantize(partConst(k0, part0), w0, wq);
  Value rhs1 = quantize(partConst(tail, part1), w1, wq);
  auto first = MatmulOp::create(b, loc, matmul.getType(), lhs0, rhs0,
                                matmul.getBias(), matmul.getAccumulate());
  auto second = MatmulOp::create(b, loc, matmul.getType(), lhs1, rhs1,
                                 Value(), first.getResult());
  b.replaceOp(matmul, second.getResult());
  Value oldWeight = wq.getInput();
  b.eraseOp(wq);
  eraseIfDead(b, oldWeight);
  if (aq && aq->use_empty())
    b.eraseOp(aq);
}

/// The activation a reader's channels are: its float lhs, or the float
/// input of the qc.quantize it reads. Null when the activation is quantized
/// some other way.
Value activationOf(MatmulOp matmul) {
  if (auto quantize = matmul.getLhs().getDefiningOp<QuantizeOp>())
    return quantize.getInput();
  if (isa<RankedTensorType>(matmul.getLhs().getType()))
    return matmul.getLhs();
  return {};
}

/// The group of `activation` with every check made (members the rules do
/// not cover, integer constants, constants that cannot be read); when it is
/// blocked but went through a norm, the group that stops at the norms if
/// that one is not (`atNorms`).
ChannelGroup buildCheckedGroup(Value activation, bool &atNorms) {
  auto finish = [](ChannelGroup &g) {
    // Integer constants in the set (a mask, say) are not rewritten.
    for (Operation *op : g.constants)
      if (g.blocked.empty() && !isFloatConstant(op->getResult(0))) {
        g.blocked = "the channels meet a constant that is not a float "
                    "tensor";
        g.blocker = op;
      }
    requireReadableConstants(g);
  };
  atNorms = false;
  ChannelGroup g = buildGroup(activation, /*stopAtNorms=*/false);
  if (!g.blocked.empty() && g.crossedNorm) {
    ChannelGroup retry = buildGroup(activation, /*stopAtNorms=*/true);
    if (retry.blocked.empty()) {
      g = std::move(retry);
      atNorms = true;
    }
  }
  finish(g);
  return g;
}

/// What the analysis decided for one group: its seed (a reader), whether it
/// stops at the norms, the permutation, and the readers to split at the
/// tail with their parts' types.
struct GroupPlan {
  MatmulOp seed;
  bool atNorms = false;
  std::vector<int64_t> perm;
  SmallVector<std::pair<MatmulOp, TailSplit>> splits;
};

struct RearrangeOutliersPass
    : mlir::qc::impl::RearrangeOutliersBase<RearrangeOutliersPass> {
  using RearrangeOutliersBase::RearrangeOutliersBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(verifyConstantBlobs(module)))
      return signalPassFailure();
    MLIRContext *ctx = &getContext();
    GridAttrInterface grid;
    if (tail > 0) {
      Attribute parsed = parseAttribute(tailGrid, ctx);
      grid = dyn_cast_or_null<GridAttrInterface>(parsed);
      if (!grid) {
        mlir::emitError(module.getLoc(), "qc-rearrange-outliers: tail-grid '")
            << std::string(tailGrid) << "' is not a qc grid attribute (such as "
            << "#qc.int<s8, narrow>)";
        return signalPassFailure();
      }
    }
    if (tail < 0 || blockSize < 0) {
      mlir::emitError(module.getLoc(), "qc-rearrange-outliers: tail and block-size must be "
                       ">= 0");
      return signalPassFailure();
    }
    SmallVector<MatmulOp> matmuls;
    module.walk([&](MatmulOp op) { matmuls.push_back(op); });
    llvm::DenseSet<Operation *> done;
    // Analysis: every group, its permutation and its tail splits are
    // decided, and every error found, before anything is rewritten; a
    // failing pass leaves the module as it was.
    SmallVector<GroupPlan> plans;
    int64_t left = 0;
    for (MatmulOp seed : matmuls) {
      if (done.contains(seed))
        continue;
      Value activation = activationOf(seed);
      auto type = activation ? dyn_cast<RankedTensorType>(activation.getType())
                             : RankedTensorType();
      if (!type || type.getRank() != 2 || type.isDynamicDim(1)) {
        done.insert(seed);
        continue;
      }
      bool atNorms = false;
      ChannelGroup g = buildCheckedGroup(activation, atNorms);
      for (Reader r : g.readers)
        done.insert(r.matmul);
      done.insert(seed);
      if (!g.blocked.empty()) {
        ++left;
        if (remarks) {
          InFlightDiagnostic d = seed.emitRemark(
              "qc-rearrange-outliers: input channels left in place: ");
          d << g.blocked;
          if (g.blocker && g.blocker != seed.getOperation())
            d.attachNote(g.blocker->getLoc()) << "blocked here";
        }
        continue;
      }
      num::RearrangeSpec spec;
      spec.method = method;
      spec.tail = tail;
      spec.blockSize = blockSize;
      if (blockSize == 0) {
        spec.blockSize = 128;
        for (Reader r : g.readers)
          if (auto q = r.matmul.getRhs().getDefiningOp<QuantizeOp>())
            if (auto block =
                    dyn_cast<PerBlockAttr>(q.getType().getGranularity());
                block && block.getBlockSizes().size() == 2) {
              spec.blockSize = block.getBlockSizes()[1];
              break;
            }
      }
      if (std::string why = spec.check(g.channels); !why.empty()) {
        seed.emitError("qc-rearrange-outliers{method=")
            << num::rearrangeMethodName(method) << "}: " << why;
        return signalPassFailure();
      }
      FailureOr<std::vector<double>> stat = groupStatistic(g, metric);
      if (failed(stat))
        return signalPassFailure();
      GroupPlan plan{seed, atNorms, num::rearrangeChannels(*stat, spec), {}};
      if (tail > 0)
        for (Reader r : g.readers) {
          if (!r.matmul.getRhs().getDefiningOp<QuantizeOp>())
            continue; // a float weight has no format to raise
          FailureOr<TailSplit> split = planTailSplit(r, tail, grid);
          if (failed(split))
            return signalPassFailure();
          plan.splits.push_back({r.matmul, *split});
        }
      plans.push_back(std::move(plan));
    }
    // Rewriting. A group is found again from its seed (earlier groups'
    // rewrites replaced some of the operations the analysis saw, never
    // this group's channels or what decides them).
    IRRewriter b(ctx);
    int64_t rearranged = 0;
    for (GroupPlan &plan : plans) {
      MatmulOp seed = plan.seed;
      Location seedLoc = seed.getLoc();
      bool atNorms = plan.atNorms;
      ChannelGroup g = plan.atNorms
                           ? buildGroup(activationOf(seed), /*stopAtNorms=*/true)
                           : buildGroup(activationOf(seed), false);
      requireReadableConstants(g);
      if (!g.blocked.empty()) {
        seed.emitError("qc-rearrange-outliers: internal error: the group "
                       "changed between analysis and rewrite: ")
            << g.blocked;
        return signalPassFailure();
      }
      permuteGroup(b, g, plan.perm);
      for (Reader r : g.readers)
        for (auto &[matmul, split] : plan.splits)
          if (r.matmul == matmul)
            splitTail(b, r, tail, split);
      ++rearranged;
      if (remarks) {
        InFlightDiagnostic d = emitRemark(seedLoc, "qc-rearrange-outliers: ");
        d << g.channels << " input channels rearranged ("
          << num::rearrangeMethodName(method) << " by " << metricName(metric)
          << ") for " << g.readers.size() << " Linear layer(s), with "
          << g.writers.size() << " writer(s), " << g.norms.size()
          << " norm(s) and " << g.values.size() << " value(s) permuted";
        if (atNorms)
          d << "; applied as a gather at " << g.gatheredNorms.size()
            << " norm output(s) (the channels upstream of the norms could "
               "not be permuted)";
        if (tail > 0)
          d << "; " << plan.splits.size()
            << " Linear layer(s) split with a tail of " << int64_t(tail)
            << " channels in " << grid;
      }
    }
    if (remarks)
      mlir::emitRemark(module.getLoc(), "qc-rearrange-outliers: ")
          << rearranged << " channel group(s) rearranged, " << left
          << " left in place";
  }
};

} // namespace
