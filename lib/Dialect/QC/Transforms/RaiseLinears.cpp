//===- RaiseLinears.cpp - Linear layers in front ends' forms to qc.matmul -===//
//
// qc-raise-linears: a float Linear layer written the way torch-mlir
// (linalg-on-tensors) or TOSA writes it becomes one qc.matmul with an N x K
// constant weight (and its bias):
//
//   %t = linalg.transpose ins(%W : KxN...) | a transposing linalg.generic
//   %a = tensor.collapse_shape %x [[0, 1], [2]]       (3-D activations)
//   %y = linalg.matmul ins(%a, %t) outs(fill 0)       (any contraction with
//        one N and one K dim: transposed indexing maps, batch_matmul with a
//        broadcast weight, a contraction linalg.generic, tosa.matmul)
//   %e = tensor.expand_shape %y ...                   (optional)
//   %z = add %e, broadcast(%bias)                     (optional)
//
// The analysis (matchLinear) sees a weight through the transposes,
// broadcasts and reshapes between it and a constant by assigning each
// dimension of each value a role: N, K, or "one" (a dimension the weight
// must not vary along). The rewrite reads the constant's bytes once, in
// the N x K order qc.matmul wants, exactly (no arithmetic on the values).
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "LinearLayers.h"

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

namespace mlir::qc {
#define GEN_PASS_DEF_RAISELINEARS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::linear;

namespace {

/// What a dimension of a value that reaches a Linear layer's weight (or
/// bias) means: the layer's output channel, its reduction, or a dimension
/// the value must not vary along (a batch dimension the weight is broadcast
/// over, a size-1 dimension).
enum class Role { N, K, One };

/// A constant seen through the ops between it and a use: `roles[i]` is
/// what dimension `i` of the constant means.
struct ConstantView {
  Value value;
  ElementsAttr attr;
  SmallVector<Role> roles;
};

std::string opName(Operation *op) {
  return "'" + op->getName().getStringRef().str() + "'";
}

/// The roles of a reshape's source from those of its result: dimensions of
/// size 1 are dropped on both sides and the others must match one to one
/// (a reshape that only adds or removes unit dimensions).
LogicalResult reshapeRoles(ArrayRef<int64_t> source, ArrayRef<int64_t> result,
                           ArrayRef<Role> resultRoles,
                           SmallVectorImpl<Role> &sourceRoles,
                           std::string &why) {
  if (ShapedType::isDynamicShape(source) || ShapedType::isDynamicShape(result))
    return why = "a reshape of the weight with dynamic sizes", failure();
  SmallVector<std::pair<int64_t, Role>> kept;
  for (auto [size, role] : llvm::zip(result, resultRoles)) {
    if (size != 1)
      kept.push_back({size, role});
    else if (role != Role::One)
      return why = "N or K is 1", failure();
  }
  sourceRoles.clear();
  size_t next = 0;
  for (int64_t size : source) {
    if (size == 1) {
      sourceRoles.push_back(Role::One);
      continue;
    }
    if (next >= kept.size() || kept[next].first != size)
      return why = "a reshape merges or splits dimensions of the weight",
             failure();
    sourceRoles.push_back(kept[next++].second);
  }
  if (next != kept.size())
    return why = "a reshape merges or splits dimensions of the weight",
           failure();
  return success();
}

/// Whether `g` copies its only input to its only output through its
/// indexing maps (a transpose or a broadcast written as a generic).
bool isCopyGeneric(linalg::GenericOp g) {
  if (g.getNumDpsInputs() != 1 || g.getNumDpsInits() != 1 ||
      g.getNumParallelLoops() != g.getNumLoops() ||
      !g.getIndexingMapsArray().back().isIdentity())
    return false;
  Block &body = g.getRegion().front();
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  return yield && body.getOperations().size() == 1 &&
         yield.getNumOperands() == 1 &&
         yield.getOperand(0) == body.getArgument(0);
}

/// Follows `v` (whose dimensions mean `roles`) back to a float constant
/// through transposes, broadcasts, unit reshapes and casts.
FailureOr<ConstantView> traceToConstant(Value v, SmallVector<Role> roles,
                                        std::string &why) {
  for (int steps = 0; steps < 64; ++steps) {
    ElementsAttr attr;
    if (matchPattern(v, m_Constant(&attr))) {
      auto type = dyn_cast<RankedTensorType>(attr.getType());
      if (!type || !isa<FloatType>(type.getElementType()))
        return why = "its weight is a constant that is not a float tensor",
               failure();
      for (auto [size, role] : llvm::zip(type.getShape(), roles))
        if (role == Role::One && size != 1)
          return why = "its constant operand varies along a batch dimension "
                       "(a batched product, not a Linear layer)",
                 failure();
      return ConstantView{v, attr, roles};
    }
    Operation *def = v.getDefiningOp();
    if (!def)
      return why = "its weight is not a constant (a block argument)",
             failure();
    SmallVector<Role> next;
    if (auto t = dyn_cast<linalg::TransposeOp>(def)) {
      ArrayRef<int64_t> perm = t.getPermutation();
      next.assign(perm.size(), Role::One);
      for (auto [i, p] : llvm::enumerate(perm))
        next[p] = roles[i];
      v = t.getInput();
    } else if (auto t = dyn_cast<tosa::TransposeOp>(def)) {
      ArrayRef<int32_t> perm = t.getPerms();
      next.assign(perm.size(), Role::One);
      for (auto [i, p] : llvm::enumerate(perm))
        next[p] = roles[i];
      v = t.getInput1();
    } else if (auto b = dyn_cast<linalg::BroadcastOp>(def)) {
      ArrayRef<int64_t> added = b.getDimensions();
      for (auto [i, role] : llvm::enumerate(roles)) {
        if (!llvm::is_contained(added, int64_t(i)))
          next.push_back(role);
        else if (role != Role::One)
          return why = "its weight is broadcast along N or K", failure();
      }
      v = b.getInput();
    } else if (auto g = dyn_cast<linalg::GenericOp>(def);
               g && isCopyGeneric(g)) {
      AffineMap in = g.getIndexingMapsArray().front();
      SmallVector<bool> used(roles.size(), false);
      for (AffineExpr e : in.getResults()) {
        if (auto d = dyn_cast<AffineDimExpr>(e)) {
          next.push_back(roles[d.getPosition()]);
          used[d.getPosition()] = true;
        } else if (auto c = dyn_cast<AffineConstantExpr>(e);
                   c && c.getValue() == 0) {
          next.push_back(Role::One);
        } else {
          return why = "its weight passes a linalg.generic with a "
                       "non-permutation indexing map",
                 failure();
        }
      }
      for (auto [i, role] : llvm::enumerate(roles))
        if (!used[i] && role != Role::One)
          return why = "its weight is broadcast along N or K", failure();
      v = g.getDpsInputs().front();
    } else if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
                   tosa::ReshapeOp>(def)) {
      Value source = def->getOperand(0);
      if (failed(reshapeRoles(
              cast<ShapedType>(source.getType()).getShape(),
              cast<ShapedType>(v.getType()).getShape(), roles, next, why)))
        return failure();
      v = source;
    } else if (auto t = dyn_cast<tosa::TileOp>(def)) {
      // A tile of size-1 dimensions is a broadcast along them.
      auto in = cast<ShapedType>(t.getInput1().getType());
      auto out = cast<ShapedType>(v.getType());
      if (!in.hasStaticShape() || !out.hasStaticShape())
        return why = "a tosa.tile of the weight with dynamic sizes",
               failure();
      for (auto [i, role] : llvm::enumerate(roles)) {
        if (in.getDimSize(i) == out.getDimSize(i))
          next.push_back(role);
        else if (in.getDimSize(i) == 1 && role == Role::One)
          next.push_back(Role::One);
        else
          return why = "its weight is tiled along N or K", failure();
      }
      v = t.getInput1();
    } else if (auto c = dyn_cast<tensor::CastOp>(def)) {
      next = roles;
      v = c.getSource();
    } else {
      return why = "its weight comes from " + opName(def) +
                   ", which is not a constant or a transpose, broadcast or "
                   "reshape of one",
             failure();
    }
    roles = std::move(next);
  }
  return why = "its weight passes more than 64 ops", failure();
}

/// The raw bytes of a non-splat constant (dense or dense_resource) whose
/// elements are whole bytes, or failure with `why`.
FailureOr<ArrayRef<char>> rawBytes(ElementsAttr attr, std::string &why) {
  why = whyUnreadable(attr);
  if (!why.empty())
    return failure();
  auto type = cast<ShapedType>(attr.getType());
  if (type.getElementTypeBitWidth() % 8 != 0)
    return why = "its weight's elements are not whole bytes", failure();
  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr))
    return dense.getRawData();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  return why = "qc does not read this kind of constant", failure();
}

/// Why the constant of `view` cannot be read (empty: it can).
std::string whyUnreadableView(const ConstantView &view) {
  if (auto dense = dyn_cast<DenseElementsAttr>(view.attr); dense &&
                                                           dense.isSplat())
    return "";
  std::string why;
  (void)rawBytes(view.attr, why);
  return why;
}

/// The constant of `view` as a tensor whose dimensions are those of
/// `order` (each role once; One dimensions are dropped), of the same
/// element type, bytes moved exactly. Reuses the constant when it already
/// has that shape.
Value materialize(RewriterBase &rewriter, Location loc,
                  const ConstantView &view, ArrayRef<Role> order) {
  auto type = cast<RankedTensorType>(view.attr.getType());
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> newShape, dims;
  for (Role r : order) {
    int64_t d = llvm::find(view.roles, r) - view.roles.begin();
    dims.push_back(d);
    newShape.push_back(shape[d]);
  }
  auto newType = RankedTensorType::get(newShape, type.getElementType());
  if (newType == type)
    if (auto c = view.value.getDefiningOp<arith::ConstantOp>()) {
      // Reused where it dominates the new op, copied otherwise (a bias
      // constant defined after the contraction, say).
      Block *block = rewriter.getInsertionBlock();
      if (c->getBlock() == block && (rewriter.getInsertionPoint() == block->end()
                                         ? true
                                         : c->isBeforeInBlock(
                                               &*rewriter.getInsertionPoint())))
        return view.value;
      return rewriter.clone(*c)->getResult(0);
    }
  TypedAttr result;
  auto dense = dyn_cast<DenseElementsAttr>(view.attr);
  if (dense && dense.isSplat()) {
    result = DenseElementsAttr::get(newType, dense.getSplatValue<Attribute>());
  } else {
    std::string why;
    ArrayRef<char> bytes = *rawBytes(view.attr, why);
    int64_t width = type.getElementTypeBitWidth() / 8;
    // Row-major strides of the source, in elements.
    SmallVector<int64_t> strides(shape.size(), 1);
    for (int i = int(shape.size()) - 2; i >= 0; --i)
      strides[i] = strides[i + 1] * shape[i + 1];
    int64_t count = newType.getNumElements();
    std::vector<char> out(count * width);
    SmallVector<int64_t> index(newShape.size(), 0);
    for (int64_t e = 0; e < count; ++e) {
      int64_t src = 0;
      for (size_t j = 0; j < dims.size(); ++j)
        src += index[j] * strides[dims[j]];
      std::memcpy(out.data() + e * width, bytes.data() + src * width, width);
      for (int j = int(index.size()) - 1; j >= 0; --j) {
        if (++index[j] < newShape[j])
          break;
        index[j] = 0;
      }
    }
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(view.attr))
      result = cast<TypedAttr>(createBlobAttr(
          newType, (resource.getRawHandle().getKey() + "_nk").str(), out,
          alignof(double)));
    else
      result = DenseElementsAttr::getFromRawBuffer(newType, out);
  }
  return arith::ConstantOp::create(rewriter, loc, newType, result);
}

/// A Linear layer in a front end's form.
struct FrontEndLinear {
  Operation *contraction = nullptr;
  /// [L..., K] with L the leading (batch and M) dimensions.
  Value activation;
  ConstantView weight;
  /// The contraction's init when it is neither zero nor a bias: the
  /// product accumulates into it ([L..., N]).
  Value accumulate;
  /// A bias, from the contraction's init or from an add after it.
  std::optional<ConstantView> bias;
  /// The reshape between the contraction and the bias add, and the add.
  Operation *reshape = nullptr, *biasAdd = nullptr;
};

/// Whether `v` is zero in every element (a splat 0 constant or a
/// linalg.fill of 0).
bool isZeroTensor(Value v) {
  if (matchPattern(v, m_AnyZeroFloat()))
    return true;
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs().front(), m_AnyZeroFloat());
  return false;
}

/// `bias` as a view with one N dimension, when it is a constant broadcast
/// along every dimension but the last of a value whose last dimension is
/// N (`roles` the value's roles: N last, One elsewhere).
std::optional<ConstantView> traceBias(Value bias, SmallVector<Role> roles) {
  std::string ignored;
  FailureOr<ConstantView> view = traceToConstant(bias, roles, ignored);
  if (failed(view) || llvm::count(view->roles, Role::N) != 1 ||
      !whyUnreadableView(*view).empty())
    return std::nullopt;
  return *view;
}

/// The operand of an elementwise float add `add` that is not `value`, with
/// the roles its dimensions have when `value`'s last dimension is N (a
/// broadcast operand through its indexing map), or nothing when `add` is
/// not such an add of `value`.
std::optional<std::pair<Value, SmallVector<Role>>>
otherAddend(Operation *add, Value value) {
  auto rank = cast<RankedTensorType>(value.getType()).getRank();
  auto lastIsN = [&](int64_t r) {
    SmallVector<Role> roles(r, Role::One);
    roles.back() = Role::N;
    return roles;
  };
  if (auto g = dyn_cast<linalg::GenericOp>(add)) {
    if (g.getNumDpsInputs() != 2 || g.getNumDpsInits() != 1 ||
        g.getNumParallelLoops() != g.getNumLoops() ||
        !g.getIndexingMapsArray().back().isIdentity() || g->getNumResults() != 1)
      return std::nullopt;
    Block &body = g.getRegion().front();
    if (body.getOperations().size() != 2)
      return std::nullopt;
    auto addf = dyn_cast<arith::AddFOp>(body.front());
    auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
    if (!addf || !yield || yield.getOperand(0) != addf.getResult())
      return std::nullopt;
    auto a0 = body.getArgument(0), a1 = body.getArgument(1);
    if (!((addf.getLhs() == a0 && addf.getRhs() == a1) ||
          (addf.getLhs() == a1 && addf.getRhs() == a0)))
      return std::nullopt;
    int self = g.getDpsInputs()[0] == value ? 0
               : g.getDpsInputs()[1] == value ? 1
                                               : -1;
    if (self < 0 || !g.getIndexingMapsArray()[self].isIdentity())
      return std::nullopt;
    AffineMap other = g.getIndexingMapsArray()[1 - self];
    SmallVector<Role> roles;
    for (AffineExpr e : other.getResults()) {
      auto d = dyn_cast<AffineDimExpr>(e);
      roles.push_back(d && d.getPosition() == unsigned(rank - 1) ? Role::N
                                                                 : Role::One);
    }
    return std::make_pair(g.getDpsInputs()[1 - self], roles);
  }
  Value lhs, rhs;
  if (auto a = dyn_cast<arith::AddFOp>(add)) {
    lhs = a.getLhs();
    rhs = a.getRhs();
  } else if (auto a = dyn_cast<linalg::AddOp>(add)) {
    lhs = a.getInputs()[0];
    rhs = a.getInputs()[1];
  } else if (auto a = dyn_cast<tosa::AddOp>(add)) {
    lhs = a.getInput1();
    rhs = a.getInput2();
  } else {
    return std::nullopt;
  }
  Value other = lhs == value ? rhs : rhs == value ? lhs : Value();
  auto otherType = other ? dyn_cast<RankedTensorType>(other.getType())
                         : RankedTensorType();
  if (!otherType || otherType.getRank() != rank ||
      add->getResult(0).getType() != value.getType())
    return std::nullopt;
  return std::make_pair(other, lastIsN(rank));
}

/// Matches a contraction with one N and one K dimension whose second
/// operand comes from a float constant. On failure `why` says what did not
/// match (empty when `op` is no contraction with a constant operand).
FailureOr<FrontEndLinear> matchLinear(Operation *op, std::string &why) {
  FrontEndLinear m;
  m.contraction = op;
  Value weight, init;
  SmallVector<Role> weightRoles;
  if (auto mm = dyn_cast<tosa::MatMulOp>(op)) {
    // [B, M, K] x [B, K, N] -> [B, M, N].
    FailureOr<int64_t> azp = mm.getAZeroPoint(), bzp = mm.getBZeroPoint();
    if (!isa<FloatType>(getElementTypeOrSelf(mm.getA().getType())))
      return why = "an integer tosa.matmul", failure();
    if (failed(azp) || failed(bzp) || *azp != 0 || *bzp != 0)
      return why = "its zero points are not constant zeros", failure();
    if (matchPattern(mm.getA(), m_Constant()))
      return why = "its constant operand is the left one", failure();
    m.activation = mm.getA();
    weight = mm.getB();
    weightRoles = {Role::One, Role::K, Role::N};
  } else if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    if (!linalgOp.hasPureTensorSemantics() ||
        !linalg::isaContractionOpInterface(linalgOp) ||
        linalgOp.getNumDpsInputs() != 2 || linalgOp.getNumDpsInits() != 1)
      return failure();
    FailureOr<linalg::ContractionDimensions> dims =
        linalg::inferContractionDims(linalgOp);
    if (failed(dims))
      return failure();
    Value lhs = linalgOp.getDpsInputs()[0], rhs = linalgOp.getDpsInputs()[1];
    init = linalgOp.getDpsInits()[0];
    if (!isa<FloatType>(getElementTypeOrSelf(init.getType())))
      return why = "an integer contraction", failure();
    if (matchPattern(lhs, m_Constant()))
      return why = "its constant operand is the left one (W x, not x W^T)",
             failure();
    if (dims->n.size() != 1 || dims->k.size() != 1)
      return why = "it has " + std::to_string(dims->n.size()) +
                   " output-channel and " + std::to_string(dims->k.size()) +
                   " reduction dimensions (a Linear layer has one of each)",
             failure();
    unsigned n = dims->n.front(), k = dims->k.front();
    SmallVector<AffineMap> maps = linalgOp.getIndexingMapsArray();
    AffineMap lhsMap = maps[0], rhsMap = maps[1], outMap = maps[2];
    if (!lhsMap.isProjectedPermutation() || !rhsMap.isProjectedPermutation() ||
        !outMap.isProjectedPermutation())
      return why = "its indexing maps are not projected permutations",
             failure();
    // out = (L..., n), lhs = (L..., k).
    unsigned leading = outMap.getNumResults() - 1;
    if (outMap.getDimPosition(leading) != n)
      return why = "its output's last dimension is not N", failure();
    if (lhsMap.getNumResults() != leading + 1 ||
        lhsMap.getDimPosition(leading) != k)
      return why = "its activation's last dimension is not K", failure();
    for (unsigned i = 0; i < leading; ++i)
      if (lhsMap.getDimPosition(i) != outMap.getDimPosition(i))
        return why = "its activation's leading dimensions are not the "
                     "output's, in the same order",
               failure();
    for (unsigned i = 0; i < rhsMap.getNumResults(); ++i) {
      unsigned d = rhsMap.getDimPosition(i);
      weightRoles.push_back(d == n ? Role::N : d == k ? Role::K : Role::One);
    }
    m.activation = lhs;
    weight = rhs;
  } else {
    return failure();
  }
  FailureOr<ConstantView> w = traceToConstant(weight, weightRoles, why);
  if (failed(w))
    return failure();
  if (llvm::count(w->roles, Role::N) != 1 ||
      llvm::count(w->roles, Role::K) != 1)
    return why = "its weight has no single N and K dimension", failure();
  why = whyUnreadableView(*w);
  if (!why.empty())
    return failure();
  m.weight = *w;
  // The init: zero, a broadcast bias, or something to accumulate into.
  if (init && !isZeroTensor(init)) {
    auto initType = cast<RankedTensorType>(init.getType());
    SmallVector<Role> roles(initType.getRank(), Role::One);
    roles.back() = Role::N;
    if (std::optional<ConstantView> b = traceBias(init, roles))
      m.bias = b;
    else
      m.accumulate = init;
  }
  // A bias added after it, possibly through one reshape.
  Value result = op->getResult(0);
  if (!m.bias && result.hasOneUse()) {
    Value value = result;
    Operation *user = *result.getUsers().begin();
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tosa::ReshapeOp>(
            user) &&
        user->getResult(0).hasOneUse()) {
      auto from = cast<RankedTensorType>(result.getType());
      auto to = cast<RankedTensorType>(user->getResult(0).getType());
      // The last dimension stays N.
      if (to.getRank() >= 1 && !from.isDynamicDim(from.getRank() - 1) &&
          to.getShape().back() == from.getShape().back() &&
          (to.getRank() < 2 || !llvm::is_contained(to.getShape().drop_back(),
                                                   ShapedType::kDynamic) ||
           !isa<tosa::ReshapeOp>(user))) {
        m.reshape = user;
        value = user->getResult(0);
        user = *value.getUsers().begin();
      }
    }
    if (auto other = otherAddend(user, value))
      if (std::optional<ConstantView> b = traceBias(other->first,
                                                    other->second)) {
        m.bias = b;
        m.biasAdd = user;
      }
    if (!m.biasAdd)
      m.reshape = nullptr;
  }
  return m;
}

/// Collapses `v` ([L..., X]) to [prod(L), X]; a 1-D `v` becomes [1, X].
Value toMatrix(RewriterBase &rewriter, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t rank = type.getRank();
  if (rank == 2)
    return v;
  if (rank == 1)
    return tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({1, type.getDimSize(0)}, type.getElementType()),
        v, ArrayRef<ReassociationIndices>{{0, 1}});
  ReassociationIndices leadingDims =
      llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
  return tensor::CollapseShapeOp::create(
      rewriter, loc, v,
      ArrayRef<ReassociationIndices>{leadingDims, {rank - 1}});
}

/// `m` ([prod(L), N]) back to `like`'s leading dimensions: [L..., N], with
/// the dynamic sizes of `shapeSource`'s leading dimensions.
Value fromMatrix(RewriterBase &rewriter, Location loc, Value m,
                 RankedTensorType like, Value shapeSource) {
  auto mType = cast<RankedTensorType>(m.getType());
  int64_t rank = like.getRank();
  if (rank == 2)
    return m;
  if (rank == 1)
    return tensor::CollapseShapeOp::create(
        rewriter, loc, m, ArrayRef<ReassociationIndices>{{0, 1}});
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < rank - 1; ++i)
    sizes.push_back(tensor::getMixedSize(rewriter, loc, shapeSource, i));
  sizes.push_back(rewriter.getIndexAttr(mType.getDimSize(1)));
  ReassociationIndices leadingDims =
      llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
  auto type = RankedTensorType::get(like.getShape(), mType.getElementType());
  return tensor::ExpandShapeOp::create(
      rewriter, loc, type, m,
      ArrayRef<ReassociationIndices>{leadingDims, {rank - 1}}, sizes);
}

/// Rewrites `m` to a qc.matmul.
MatmulOp raise(RewriterBase &rewriter, const FrontEndLinear &m) {
  Operation *op = m.contraction;
  Location loc = op->getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Value a = toMatrix(rewriter, loc, m.activation);
  Value w = materialize(rewriter, loc, m.weight, {Role::N, Role::K});
  Value bias =
      m.bias ? materialize(rewriter, loc, *m.bias, {Role::N}) : Value();
  Value acc = m.accumulate ? toMatrix(rewriter, loc, m.accumulate) : Value();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  auto aType = cast<RankedTensorType>(a.getType());
  auto mmType = RankedTensorType::get(
      {aType.getDimSize(0), cast<RankedTensorType>(w.getType()).getDimSize(0)},
      resultType.getElementType());
  if (acc && acc.getType() != mmType)
    acc = tensor::CastOp::create(rewriter, loc, mmType, acc);
  auto matmul = MatmulOp::create(rewriter, loc, mmType, a, w, bias, acc);
  Value y = fromMatrix(rewriter, loc, matmul.getResult(), resultType,
                       m.activation);
  if (y.getType() != resultType)
    y = tensor::CastOp::create(rewriter, loc, resultType, y);
  rewriter.replaceOp(op, y);
  if (m.biasAdd) {
    // The add's other operand is the bias: its result is what reaches it.
    Value reached = m.reshape ? m.reshape->getResult(0) : y;
    Type addType = m.biasAdd->getResult(0).getType();
    rewriter.setInsertionPoint(m.biasAdd);
    if (reached.getType() != addType)
      reached = tensor::CastOp::create(rewriter, loc, addType, reached);
    rewriter.replaceOp(m.biasAdd, reached);
  }
  return matmul;
}

/// The ops that look like products with a constant: contractions (linalg,
/// tosa.matmul) with an operand that comes from a constant.
bool isContractionCandidate(Operation *op) {
  if (isa<tosa::MatMulOp>(op))
    return true;
  auto l = dyn_cast<linalg::LinalgOp>(op);
  return l && l.hasPureTensorSemantics() && linalg::isaContractionOpInterface(l);
}

/// Whether `v` is computed from constants alone (no block argument in its
/// backward slice, looked at up to 256 ops deep): what a weight is.
bool dependsOnlyOnConstants(Value v) {
  SmallVector<Value> worklist = {v};
  DenseSet<Operation *> seen;
  while (!worklist.empty()) {
    Value x = worklist.pop_back_val();
    Operation *def = x.getDefiningOp();
    if (!def)
      return false;
    if (!seen.insert(def).second)
      continue;
    if (seen.size() > 256)
      return false;
    if (matchPattern(x, m_Constant()))
      continue;
    llvm::append_range(worklist, def->getOperands());
  }
  return true;
}

/// Whether `op` multiplies by a float matrix computed from constants.
bool readsConstant(Operation *op) {
  SmallVector<Value> inputs;
  if (auto mm = dyn_cast<tosa::MatMulOp>(op))
    inputs = {mm.getA(), mm.getB()};
  else if (auto l = dyn_cast<linalg::LinalgOp>(op))
    inputs = l.getDpsInputs();
  return llvm::any_of(inputs, [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.getRank() >= 2 && isa<FloatType>(t.getElementType()) &&
           dependsOnlyOnConstants(v);
  });
}

/// Erases the ops of `roots` that nothing reads, and then their producers
/// that nothing reads any more.
void eraseDeadProducers(RewriterBase &rewriter,
                        SmallVector<Operation *> worklist) {
  DenseSet<Operation *> erased;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op) || !isOpTriviallyDead(op))
      continue;
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp())
        worklist.push_back(def);
    erased.insert(op);
    rewriter.eraseOp(op);
  }
}

struct RaiseLinearsPass : mlir::qc::impl::RaiseLinearsBase<RaiseLinearsPass> {
  using RaiseLinearsBase::RaiseLinearsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Analyse everything, then rewrite.
    SmallVector<FrontEndLinear> found;
    SmallVector<std::pair<Operation *, std::string>> unmatched;
    DenseSet<Operation *> claimed;
    module.walk([&](Operation *op) {
      std::string why;
      FailureOr<FrontEndLinear> m = matchLinear(op, why);
      if (succeeded(m)) {
        // An add claimed by two layers (x W1^T + x W2^T) keeps its first.
        if (m->biasAdd && !claimed.insert(m->biasAdd).second) {
          m->biasAdd = nullptr;
          m->reshape = nullptr;
          m->bias.reset();
        }
        found.push_back(*m);
      } else if (isContractionCandidate(op) && readsConstant(op)) {
        if (why.empty())
          why = "it is not a contraction with one N and one K dimension";
        unmatched.push_back({op, why});
      }
    });
    IRRewriter rewriter(&getContext());
    // What fed the raised layers (transposes, fills, the old constants) is
    // erased once nothing reads it.
    llvm::SetVector<Operation *> fed;
    for (const FrontEndLinear &m : found)
      for (Operation *op : {m.contraction, m.biasAdd})
        for (Value v : op ? op->getOperands() : OperandRange(nullptr, 0))
          if (Operation *def = v.getDefiningOp())
            fed.insert(def);
    // The raise erases the contractions and bias adds themselves (one
    // layer's add may feed the next layer).
    for (const FrontEndLinear &m : found) {
      fed.remove(m.contraction);
      if (m.biasAdd)
        fed.remove(m.biasAdd);
    }
    // Last layer first: a layer's activation may be an earlier layer's
    // bias add, which raising the earlier layer erases (a later layer's
    // match refers to nothing the earlier one's raise keeps alive, and
    // replacing the add updates the later layer's new qc.matmul).
    SmallVector<std::pair<MatmulOp, std::string>> raised;
    for (const FrontEndLinear &m : llvm::reverse(found)) {
      std::string form = m.contraction->getName().getStringRef().str() +
                         (m.bias ? " with its bias" : "");
      raised.push_back({raise(rewriter, m), form});
    }
    if (remarks)
      for (auto &[matmul, form] : llvm::reverse(raised))
        matmul.emitRemark("qc-raise-linears: ")
            << form << " raised to qc.matmul";
    eraseDeadProducers(rewriter, fed.takeVector());
    for (auto &[op, why] : unmatched)
      op->emitWarning("qc-raise-linears: ")
          << "a product with a constant that is not raised to a Linear "
             "layer: "
          << why;
    if (remarks)
      mlir::emitRemark(module.getLoc(), "qc-raise-linears: ")
          << found.size() << " Linear layer(s) raised, " << unmatched.size()
          << " product(s) with a constant left";
  }
};

} // namespace

SmallVector<linear::UnraisedProduct>
linear::findUnraisedProducts(ModuleOp module) {
  SmallVector<UnraisedProduct> result;
  module.walk([&](Operation *op) {
    if (!isContractionCandidate(op) || !readsConstant(op))
      return;
    std::string why;
    if (succeeded(matchLinear(op, why)))
      why = "it is a Linear layer in a front end's form: run "
            "qc-raise-linears first (qc-quantize-model does)";
    result.push_back({op, why});
  });
  return result;
}

size_t linear::warnUnraisedProducts(ModuleOp module, StringRef pass) {
  SmallVector<UnraisedProduct> products = findUnraisedProducts(module);
  for (const UnraisedProduct &p : products)
    p.op->emitWarning(pass) << ": a product with a constant matrix that is "
                               "not a Linear layer this pass knows (left "
                               "float): "
                            << p.why;
  return products.size();
}
