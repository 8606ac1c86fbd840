//===- KernelSpecTest.cpp - a kernel's identity is its whole spec ---------===//
//
// The CPU kernels are found by their spec attribute (KernelTable). Each test
// starts from a spec with every field set, changes one field at a time and
// checks that the attribute changes, so that two specs that generate
// different code can never share a kernel; fields that do not change the
// code (the name; a table base or sign vector, which are arguments) leave it
// alone. A field added to a spec struct changes its size and fails the
// static_asserts below until it is added to getSpecAttr and to the list.
//
//===----------------------------------------------------------------------===//

#include "KernelSelection.h"
#include "KernelSpecs.h"

#include "qc/Conversion/QCToCPU/QCToCPU.h"
#include "qc/Dialect/QC/IR/QCAttributes.h"
#include "qc/Dialect/X86/IR/X86Dialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include <functional>
#include <gtest/gtest.h>
#include <utility>
#include <vector>

using namespace mlir;
using namespace mlir::qc::cpu;
namespace nvvm = ::mlir::qc::nvvm;

static_assert(sizeof(WeightSpec) == 104,
              "WeightSpec changed: update getSpecAttr and KernelSpecTest");
static_assert(sizeof(FloatDotKernelSpec) == 168,
              "FloatDotKernelSpec changed: update getSpecAttr and "
              "KernelSpecTest");
static_assert(sizeof(IntDotKernelSpec) == 136,
              "IntDotKernelSpec changed: update getSpecAttr and "
              "KernelSpecTest");
static_assert(sizeof(LutDotKernelSpec) == 136,
              "LutDotKernelSpec changed: update getSpecAttr and "
              "KernelSpecTest");
static_assert(sizeof(nvvm::W4A16KernelSpec) == 72,
              "W4A16KernelSpec changed: update getSpecAttr and KernelSpecTest");
static_assert(sizeof(nvvm::W8A8KernelSpec) == 48,
              "W8A8KernelSpec changed: update getSpecAttr and KernelSpecTest");
static_assert(sizeof(nvvm::QuantizeRowsSpec) == 48,
              "QuantizeRowsSpec changed: update getSpecAttr and "
              "KernelSpecTest");
static_assert(sizeof(QuantizeRowsKernelSpec) == 56,
              "QuantizeRowsKernelSpec changed: update getSpecAttr and "
              "KernelSpecTest");
static_assert(sizeof(HadamardKernelSpec) == 128,
              "HadamardKernelSpec changed: update getSpecAttr and "
              "KernelSpecTest");

namespace {

template <typename Spec>
using Mutations = std::vector<std::pair<const char *, std::function<void(Spec &)>>>;

/// Every field of the weight side, each changed to another valid value.
template <typename Spec>
Mutations<Spec> weightMutations(MLIRContext &ctx) {
  Builder b(&ctx);
  return {
      {"n", [](Spec &s) { s.n += 8; }},
      {"k", [](Spec &s) { s.k += 128; }},
      {"bits", [](Spec &s) { s.bits = 2; }},
      {"weightGroup", [](Spec &s) { s.weightGroup = 128; }},
      {"scaleType", [b](Spec &s) mutable { s.scaleType = b.getF32Type(); }},
      {"zeroPointType",
       [b](Spec &s) mutable { s.zeroPointType = b.getIntegerType(8); }},
      {"zeroPointType (none)", [](Spec &s) { s.zeroPointType = Type(); }},
      {"minType", [b](Spec &s) mutable { s.minType = b.getF16Type(); }},
      {"tiledWeights", [](Spec &s) { s.tiledWeights = !s.tiledWeights; }},
      {"storedBits", [](Spec &s) { s.storedBits = 8; }},
      {"planeBitOffset", [](Spec &s) { s.planeBitOffset = 4; }},
  };
}

template <typename Spec> void setWeight(MLIRContext &ctx, Spec &s) {
  Builder b(&ctx);
  s.name = "kernel";
  s.n = 64;
  s.k = 256;
  s.bits = 4;
  s.weightGroup = 64;
  s.scaleType = b.getF16Type();
  s.zeroPointType = b.getBF16Type();
  s.tiledWeights = true;
}

template <typename Spec>
void expectEveryFieldCounts(MLIRContext &ctx, const Spec &base,
                            const Mutations<Spec> &mutations) {
  DictionaryAttr attr = getSpecAttr(&ctx, base);
  for (const auto &[field, mutate] : mutations) {
    Spec changed = base;
    mutate(changed);
    EXPECT_NE(getSpecAttr(&ctx, changed), attr)
        << "changing " << field << " must give another kernel";
  }
  Spec renamed = base;
  renamed.name = "another_name";
  EXPECT_EQ(getSpecAttr(&ctx, renamed), attr)
      << "the name is for people, not the kernel's identity";
}

TEST(KernelSpec, EveryFloatDotFieldChangesTheKernel) {
  MLIRContext ctx;
  FloatDotKernelSpec base;
  setWeight(ctx, base);
  base.decode = CodeDecode::FloatTable;
  base.intTable = {-2, -1, 1, 2};
  base.tableUnit = 0.5;
  base.floatTable = {-1.0f, -0.5f, 0.5f, 1.0f};
  Mutations<FloatDotKernelSpec> m = weightMutations<FloatDotKernelSpec>(ctx);
  m.push_back({"decode", [](auto &s) { s.decode = CodeDecode::IntTable; }});
  m.push_back({"intTable", [](auto &s) { s.intTable[0] = -3; }});
  m.push_back({"tableUnit", [](auto &s) { s.tableUnit = 0.25; }});
  // The bug this guards against: NF4 and a codebook of the same shape.
  m.push_back({"floatTable", [](auto &s) { s.floatTable[1] = -0.6f; }});
  m.push_back({"zmmTable", [](auto &s) { s.zmmTable = !s.zmmTable; }});
  expectEveryFieldCounts(ctx, base, m);
}

TEST(KernelSpec, EveryIntDotFieldChangesTheKernel) {
  MLIRContext ctx;
  IntDotKernelSpec base;
  setWeight(ctx, base);
  base.zeroPointType = IntegerType::get(&ctx, 32);
  base.signedCodes = true;
  base.actPerRow = false;
  base.actGroup = 64;
  base.weightsNarrow = false;
  base.activationsNarrow = false;
  base.signOnActivations = false;
  Mutations<IntDotKernelSpec> m = weightMutations<IntDotKernelSpec>(ctx);
  m.push_back({"signedCodes", [](auto &s) { s.signedCodes = false; }});
  m.push_back({"actPerRow", [](auto &s) { s.actPerRow = true; }});
  m.push_back({"actGroup", [](auto &s) { s.actGroup = 32; }});
  m.push_back({"weightsNarrow", [](auto &s) { s.weightsNarrow = true; }});
  m.push_back(
      {"activationsNarrow", [](auto &s) { s.activationsNarrow = true; }});
  m.push_back(
      {"signOnActivations", [](auto &s) { s.signOnActivations = true; }});
  m.push_back({"isa (VNNI512)", [](auto &s) { s.isa = DotISA::VNNI512; }});
  m.push_back({"isa (VNNI256)", [](auto &s) { s.isa = DotISA::VNNI256; }});
  m.push_back({"rowLanes", [](auto &s) { s.rowLanes = true; }});
  m.push_back({"nestedShift", [](auto &s) { s.nestedShift = 4; }});
  m.push_back({"bothPlanes", [](auto &s) { s.bothPlanes = true; }});
  expectEveryFieldCounts(ctx, base, m);
}

TEST(KernelSpec, EveryLutDotFieldChangesTheKernel) {
  MLIRContext ctx;
  LutDotKernelSpec base;
  setWeight(ctx, base);
  base.codes = LutDotKernelSpec::Codes::Signed;
  Mutations<LutDotKernelSpec> m = weightMutations<LutDotKernelSpec>(ctx);
  m.push_back({"codes (unsigned)",
               [](auto &s) { s.codes = LutDotKernelSpec::Codes::Unsigned; }});
  m.push_back({"codes (binary)",
               [](auto &s) { s.codes = LutDotKernelSpec::Codes::Binary; }});
  m.push_back(
      {"laneOrderParts", [](auto &s) { s.laneOrderParts = true; }});
  m.push_back({"actPerRow", [](auto &s) {
                 s.actPerRow = false;
                 s.actGroup = 32;
               }});
  m.push_back({"actGroup", [](auto &s) { s.actGroup = 64; }});
  m.push_back({"shuffles", [](auto &s) { s.shuffles = true; }});
  m.push_back({"chunkBytes", [](auto &s) { s.chunkBytes = 4; }});
  expectEveryFieldCounts(ctx, base, m);
}

// A LUT spec is built from its attribute alone, and a field missing
// builds nothing.
TEST(KernelSpec, LutKernelIsBuiltFromItsAttribute) {
  MLIRContext ctx;
  ctx.loadDialect<func::FuncDialect, arith::ArithDialect, scf::SCFDialect,
                  memref::MemRefDialect, vector::VectorDialect,
                  qc::x86::X86Dialect>();
  LutDotKernelSpec l;
  setWeight(ctx, l);
  l.zeroPointType = Type();
  l.bits = 2;
  l.codes = LutDotKernelSpec::Codes::Unsigned;
  DictionaryAttr spec = getSpecAttr(&ctx, l);
  OpBuilder b(&ctx);
  Location loc = UnknownLoc::get(&ctx);
  Block body;
  func::FuncOp kernel = buildKernelFromSpec(b, loc, spec, "lut", body);
  ASSERT_TRUE(kernel);
  int lookups = 0;
  kernel.walk([&](qc::x86::PermBOp) { ++lookups; });
  // 2 planes x T_l and T_h x (the GEMM's 4 rows x 2 tiles of 16 rows,
  // twice per 64 weight rows, + the GEMV's 1 row x 4 tiles).
  EXPECT_EQ(lookups, 2 * 2 * (4 * 2 * 2 + 1 * 4));
  // In 4-byte chunks, two table sets per chunk: twice the lookups per
  // inner step (the step covers 32 codes).
  l.chunkBytes = 4;
  func::FuncOp kernel4 =
      buildKernelFromSpec(b, loc, getSpecAttr(&ctx, l), "lut4", body);
  ASSERT_TRUE(kernel4);
  int lookups4 = 0;
  kernel4.walk([&](qc::x86::PermBOp) { ++lookups4; });
  EXPECT_EQ(lookups4, 2 * 2 * 2 * (4 * 2 * 2 + 1 * 4));
  l.chunkBytes = 2;
  NamedAttrList fields(spec);
  fields.erase("codes");
  EXPECT_FALSE(buildKernelFromSpec(b, loc, fields.getDictionary(&ctx), "l2",
                                   body));
  // Zero points are not read by the LUT kernel: no kernel.
  l.zeroPointType = IntegerType::get(&ctx, 8);
  EXPECT_FALSE(buildKernelFromSpec(b, loc, getSpecAttr(&ctx, l), "l3", body));
  body.clear();
}

TEST(KernelSpec, EveryQuantizeRowsFieldChangesTheKernel) {
  MLIRContext ctx;
  QuantizeRowsKernelSpec base;
  base.name = "q";
  base.k = 256;
  base.group = 32;
  base.narrow = false;
  base.perAxis = false;
  expectEveryFieldCounts<QuantizeRowsKernelSpec>(
      ctx, base,
      {{"k", [](auto &s) { s.k = 512; }},
       {"group", [](auto &s) { s.group = 64; }},
       {"narrow", [](auto &s) { s.narrow = true; }},
       {"perAxis", [](auto &s) {
          s.group = s.k;
          s.perAxis = true;
        }}});
}

TEST(KernelSpec, EveryHadamardFieldChangesTheKernel) {
  MLIRContext ctx;
  HadamardKernelSpec base;
  base.name = "h";
  base.n = 192;
  base.k = 12;
  base.m = 16;
  base.base = std::vector<int>(144, 1);
  base.tableBase = false;
  base.signs = std::vector<int>(192, 1);
  base.transpose = false;
  base.quantize = true;
  base.narrow = false;
  Mutations<HadamardKernelSpec> m = {
      {"n", [](auto &s) { s.n = 384; }},
      {"k", [](auto &s) { s.k = 20; }},
      {"m", [](auto &s) { s.m = 32; }},
      {"base (unrolled)", [](auto &s) { s.base[5] = -1; }},
      {"tableBase", [](auto &s) { s.tableBase = true; }},
      {"signs (present or not)", [](auto &s) { s.signs.clear(); }},
      {"transpose", [](auto &s) { s.transpose = true; }},
      {"quantize", [](auto &s) { s.quantize = false; }},
      {"narrow", [](auto &s) { s.narrow = true; }},
      {"lanes", [](auto &s) { s.lanes = 16; }},
  };
  expectEveryFieldCounts(ctx, base, m);
  // What the kernel reads as arguments does not change its code: the signs'
  // values, and a table base's entries.
  HadamardKernelSpec otherSigns = base;
  otherSigns.signs[7] = -1;
  EXPECT_EQ(getSpecAttr(&ctx, otherSigns), getSpecAttr(&ctx, base));
  HadamardKernelSpec table = base, otherTable = base;
  table.tableBase = otherTable.tableBase = true;
  otherTable.base[5] = -1;
  EXPECT_EQ(getSpecAttr(&ctx, table), getSpecAttr(&ctx, otherTable));
}

TEST(KernelSpec, EveryNVIDIAFieldChangesTheKernel) {
  MLIRContext ctx;
  nvvm::W4A16KernelSpec w4;
  w4.name = "w4";
  w4.n = 128;
  w4.k = 512;
  w4.bf16 = false;
  w4.zeroPoints = false;
  w4.codeOffset = 8;
  w4.splitK = 2;
  expectEveryFieldCounts<nvvm::W4A16KernelSpec>(
      ctx, w4,
      {{"n", [](auto &s) { s.n = 64; }},
       {"k", [](auto &s) { s.k = 1024; }},
       {"bf16", [](auto &s) { s.bf16 = true; }},
       {"zeroPoints", [](auto &s) { s.zeroPoints = true; }},
       {"codeOffset", [](auto &s) { s.codeOffset = 0; }},
       {"splitK", [](auto &s) { s.splitK = 1; }}});
  nvvm::W8A8KernelSpec w8;
  w8.name = "w8";
  w8.n = 128;
  w8.k = 256;
  expectEveryFieldCounts<nvvm::W8A8KernelSpec>(
      ctx, w8,
      {{"n", [](auto &s) { s.n = 64; }}, {"k", [](auto &s) { s.k = 512; }}});
  nvvm::QuantizeRowsSpec q;
  q.name = "q";
  q.k = 256;
  q.f16 = false;
  expectEveryFieldCounts<nvvm::QuantizeRowsSpec>(
      ctx, q,
      {{"k", [](auto &s) { s.k = 512; }},
       {"f16", [](auto &s) { s.f16 = true; }}});
}

TEST(KernelSpec, KernelsAreBuiltFromTheirAttribute) {
  DialectRegistry registry;
  qc::registerCPUKernelTargetInterface(registry);
  MLIRContext ctx(registry);
  ctx.loadDialect<func::FuncDialect, arith::ArithDialect, scf::SCFDialect,
                  memref::MemRefDialect, vector::VectorDialect,
                  LLVM::LLVMDialect, qc::x86::X86Dialect>();
  FloatDotKernelSpec f;
  setWeight(ctx, f);
  f.tiledWeights = false;
  f.zeroPointType = Type();
  f.decode = CodeDecode::FloatTable;
  f.floatTable = {-1.0f, -0.5f, -0.25f, 0.0f, 0.25f, 0.5f, 0.75f, 1.0f,
                  -0.75f, 0.125f, -0.125f, 0.375f, -0.375f, 0.625f,
                  -0.625f, 0.875f};
  DictionaryAttr spec = getSpecAttr(&ctx, f);
  OpBuilder b(&ctx);
  Location loc = UnknownLoc::get(&ctx);
  Block body;
  func::FuncOp kernel = buildKernelFromSpec(b, loc, spec, "k", body);
  ASSERT_TRUE(kernel);
  EXPECT_EQ(kernel.getSymName(), "k");
  // The same through the CPU target's interface on #llvm.target.
  auto target = LLVM::TargetAttr::get(
      &ctx, StringAttr::get(&ctx, "x86_64-unknown-linux-gnu"),
      StringAttr::get(&ctx, ""), LLVM::TargetFeaturesAttr());
  auto iface = dyn_cast<qc::KernelTargetAttrInterface>(Attribute(target));
  ASSERT_TRUE(iface);
  EXPECT_TRUE(iface.buildKernel(b, loc, spec, "k2", body));
  // A spec without a field the code depends on builds nothing.
  NamedAttrList fields(spec);
  fields.erase("float_table");
  EXPECT_FALSE(buildKernelFromSpec(b, loc, fields.getDictionary(&ctx), "k3",
                                   body));
  body.clear();
}

} // namespace
