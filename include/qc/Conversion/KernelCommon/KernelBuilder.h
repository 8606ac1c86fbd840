//===- KernelBuilder.h - building kernels as IR -----------------*- C++ -*-===//
//
// What every back end's kernel generators build their IR with: constants,
// loops, a function with its arguments. Shared by QCToCPU and QCToNVVM;
// nothing here knows a target.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_KERNELCOMMON_KERNELBUILDER_H
#define QC_CONVERSION_KERNELCOMMON_KERNELBUILDER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace qc {

/// An ImplicitLocOpBuilder with the shorthands the kernels are written in.
class KernelBuilder : public ImplicitLocOpBuilder {
public:
  using ImplicitLocOpBuilder::ImplicitLocOpBuilder;

  Value index(int64_t v);
  Value f32(double v);
  /// A vector<lanes x elementType> constant with every lane `v`.
  Value splat(int64_t lanes, Type elementType, double v);
  /// A vector constant of integer lanes.
  Value intVector(Type elementType, ArrayRef<int64_t> lanes);
  /// A vector<N x f32> constant.
  Value f32Vector(ArrayRef<float> lanes);

  VectorType vec(int64_t lanes, Type elementType) {
    return VectorType::get({lanes}, elementType);
  }

  /// scf.for iv = lb to ub step `step` carrying `init`; `body` builds the
  /// loop body at this builder's insertion point and returns what it
  /// yields. Returns the loop's results.
  SmallVector<Value>
  loop(Value lb, Value ub, Value step, ValueRange init,
       function_ref<SmallVector<Value>(Value iv, ValueRange carried)> body);
  void loop(Value lb, Value ub, Value step, function_ref<void(Value iv)> body);
  void loop(int64_t lb, int64_t ub, int64_t step,
            function_ref<void(Value iv)> body) {
    loop(index(lb), index(ub), index(step), body);
  }
  /// scf.parallel iv = lb to ub step `step` (an OpenMP loop later).
  void parallel(Value lb, Value ub, Value step,
                function_ref<void(Value iv)> body);

  /// A dimension of a memref.
  Value dim(Value memref, int64_t d);
};

/// A private func.func `name` of `type` appended to `module`'s body, with
/// its entry block; `build` writes the body (before the return).
func::FuncOp
createKernelFunction(OpBuilder &builder, Location loc, Block &moduleBody,
                     StringRef name, FunctionType type,
                     function_ref<void(KernelBuilder &, ValueRange args)> build);

/// A kernel's arguments, each declared once: its type and the variable the
/// generator reads it from.
class KernelSignature {
public:
  void add(Type type, Value &slot) {
    types.push_back(type);
    slots.push_back(&slot);
  }
  /// The private kernel `name` with these arguments, appended to
  /// `moduleBody`; the slots hold the arguments while `body` runs.
  func::FuncOp build(OpBuilder &builder, Location loc, Block &moduleBody,
                     StringRef name, function_ref<void(KernelBuilder &)> body);

private:
  SmallVector<Type> types;
  SmallVector<Value *> slots;
};

} // namespace qc
} // namespace mlir

#endif // QC_CONVERSION_KERNELCOMMON_KERNELBUILDER_H
