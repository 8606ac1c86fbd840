//===- KernelCall.h - calling generated kernels from tensor code -*- C++ -*-===//
//
// What every back end's conversion shares to replace a qc op by a call to a
// kernel it generated: the kernel table (kernels found by their typed spec
// attribute, never by name), the qc.kernel_call on tensors, the packed
// parts of a weight and the epilogue that adds bias and accumulator.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_KERNELCOMMON_KERNELCALL_H
#define QC_CONVERSION_KERNELCOMMON_KERNELCALL_H

#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::qc {

/// The attribute on a generated kernel that holds its spec.
constexpr llvm::StringLiteral kKernelSpecAttrName = "qc.kernel_spec";

/// A kernel spec as an attribute: a dictionary with the family's name
/// ("family") and every field that changes the generated code. Attributes
/// are uniqued, so two specs are the same kernel exactly when their
/// attributes are the same object.
class KernelSpecBuilder {
public:
  KernelSpecBuilder(MLIRContext *ctx, StringRef family);
  KernelSpecBuilder &addInt(StringRef name, int64_t value);
  KernelSpecBuilder &addBool(StringRef name, bool value);
  KernelSpecBuilder &addFloat(StringRef name, double value);
  KernelSpecBuilder &addString(StringRef name, StringRef value);
  /// A type, or a unit-less absence (null) recorded as such.
  KernelSpecBuilder &addType(StringRef name, Type value);
  KernelSpecBuilder &addInts(StringRef name, ArrayRef<int> values);
  KernelSpecBuilder &addFloats(StringRef name, ArrayRef<float> values);
  KernelSpecBuilder &addAttr(StringRef name, Attribute value);
  DictionaryAttr get() const;

private:
  mutable Builder builder;
  SmallVector<NamedAttribute> entries;
};

/// Reads a spec attribute's fields back (the inverse of KernelSpecBuilder):
/// kernels are built from their spec attribute, so a field the attribute
/// lacks could not change the code. `ok()` is false once a field was
/// missing or of another kind.
class KernelSpecReader {
public:
  explicit KernelSpecReader(DictionaryAttr spec) : spec(spec) {}
  StringRef family() const;
  int64_t getInt(StringRef name);
  bool getBool(StringRef name);
  double getFloat(StringRef name);
  /// A type, or null where the builder recorded none.
  Type getType(StringRef name);
  std::vector<int> getInts(StringRef name);
  std::vector<float> getFloats(StringRef name);
  bool ok() const { return valid; }

private:
  DictionaryAttr spec;
  bool valid = true;
};

/// The kernels under a symbol table op (a module or a gpu.module), by spec.
/// Kernels a previous run generated are found by the spec they carry.
class KernelTable {
public:
  explicit KernelTable(Operation *symbolTableOp);

  /// The kernel generated for `spec`, or null.
  Operation *lookup(Attribute spec) const { return bySpec.lookup(spec); }
  /// Inserts `kernel` (a symbol op not yet in the table) at the end of the
  /// table's body with `spec`; its name is made unique if taken.
  void insert(RewriterBase &rewriter, Operation *kernel, Attribute spec);

  SymbolTable &getSymbolTable() { return symbols; }

private:
  Operation *root;
  SymbolTable symbols;
  llvm::DenseMap<Attribute, Operation *> bySpec;
};

/// What a back end's patterns report: the kernels they emitted, in order,
/// and why each op they did not rewrite keeps the reference lowering.
struct KernelReport {
  SmallVector<std::string> emitted;
  llvm::DenseMap<Operation *, std::string> fallbacks;

  /// Records `why` for `op` and fails the match with it.
  LogicalResult fail(PatternRewriter &rewriter, Operation *op,
                     const std::string &why) {
    fallbacks[op] = why;
    return rewriter.notifyMatchFailure(op, why);
  }
  /// `op` got a kernel after all (an earlier attempt had failed).
  void rewritten(Operation *op) { fallbacks.erase(op); }
  /// A remark "no <target> kernel, left to the reference lowering: why" on
  /// each op under `root` that `counts` selects and a pattern gave up on;
  /// then the summary on `root`: `pass`: N kernel(s) emitted<where> (names);
  /// `left` (from the counts: e.g. "3 matmul(s) left ..."). `counts`
  /// returns the index of the counter an op adds to, or -1 to skip it.
  void emitRemarks(Operation *root, StringRef pass, StringRef target,
                   StringRef where, ArrayRef<StringRef> counterNames,
                   function_ref<int(Operation *)> counts) const;
};

/// A call of `kernel` (a function on memrefs) on the tensors `inputs`, with
/// new tensors for the kernel's remaining arguments (its outputs and
/// scratch), each of whose dynamic sizes is `rows`; a qc.kernel_call, so
/// bufferization sees what it reads and writes. Returns the call's results,
/// one per remaining argument.
SmallVector<Value> createKernelCall(OpBuilder &b, Location loc,
                                    FunctionOpInterface kernel,
                                    ValueRange inputs, Value rows);

/// The packed bytes and scales of a weight, as tensor values.
struct PackedWeight {
  Value bytes, scales, zeroPoints, mins;
};

/// The qc.matmuls under `root` whose weight is a qc.constant with packed
/// codes in row-major order (no layout yet): what a layout pass may repack
/// for its kernel. Failure when a dense_resource blob under `root` does not
/// hold its type's bytes (verifyConstantBlobs has reported it).
FailureOr<SmallVector<MatmulOp>> matmulsWithRowMajorConstants(Operation *root);

/// Whether `weight` has packed bytes a kernel can read: a qc.constant or a
/// qc.assemble with packed codes.
bool hasPackedWeight(Value weight);

/// The parts of a weight for which hasPackedWeight holds.
PackedWeight getPackedWeight(RewriterBase &b, Value weight);

/// y + bias (broadcast along the rows) + acc, either optional, as one
/// linalg.generic.
Value addEpilogue(OpBuilder &b, Location loc, Value y, Value bias, Value acc,
                  Value rows);

} // namespace mlir::qc

#endif // QC_CONVERSION_KERNELCOMMON_KERNELCALL_H
