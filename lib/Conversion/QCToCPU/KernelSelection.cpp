//===- KernelSelection.cpp - which CPU kernel a qc op gets ----------------===//
//
// The one place that decides whether a qc.matmul or qc.rotate has a CPU
// kernel, which one (its spec), which weight layout it reads, and whether
// the target has the instructions it needs. convert-qc-to-cpu and
// qc-cpu-repack-weights both ask here, so they always agree.
//
//===----------------------------------------------------------------------===//

#include "KernelSelection.h"

#include "qc/Conversion/KernelCommon/KernelCall.h"
#include "qc/Conversion/KernelCommon/WeightLayouts.h"
#include "qc/Conversion/QCToCPU/QCToCPU.h"
#include "qc/Dialect/X86/IR/X86Dialect.h"
#include "qc/Numerics/Grid.h"
#include "qc/Numerics/Hadamard.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::cpu;
namespace num = ::mlir::qc::numerics;

static std::string str(Type t) {
  std::string s;
  llvm::raw_string_ostream(s) << t;
  return s;
}

/// The weight fields every matmul kernel's spec has.
static KernelSpecBuilder weightSpec(MLIRContext *ctx, StringRef family,
                                    const WeightSpec &w) {
  KernelSpecBuilder b(ctx, family);
  b.addInt("n", w.n)
      .addInt("k", w.k)
      .addInt("bits", w.bits)
      .addInt("weight_group", w.weightGroup)
      .addType("scale_type", w.scaleType)
      .addType("zero_point_type", w.zeroPointType)
      .addType("min_type", w.minType)
      .addBool("tiled_weights", w.tiledWeights)
      .addInt("stored_bits", w.storedBits)
      .addInt("plane_bit_offset", w.planeBitOffset);
  return b;
}

DictionaryAttr cpu::getSpecAttr(MLIRContext *ctx,
                                const FloatDotKernelSpec &spec) {
  return weightSpec(ctx, "cpu.float_dot", spec)
      .addInt("decode", int64_t(spec.decode))
      .addInts("int_table", spec.intTable)
      .addFloat("table_unit", spec.tableUnit)
      .addFloats("float_table", spec.floatTable)
      .addBool("zmm_table", spec.zmmTable)
      .get();
}

DictionaryAttr cpu::getSpecAttr(MLIRContext *ctx,
                                const IntDotKernelSpec &spec) {
  return weightSpec(ctx, "cpu.int_dot", spec)
      .addBool("signed_codes", spec.signedCodes)
      .addBool("act_per_row", spec.actPerRow)
      .addInt("act_group", spec.actGroup)
      .addBool("weights_narrow", spec.weightsNarrow)
      .addBool("activations_narrow", spec.activationsNarrow)
      .addBool("sign_on_activations", spec.signOnActivations)
      .addInt("isa", int64_t(spec.isa))
      .addBool("row_lanes", spec.rowLanes)
      .addBool("lane_order_parts", spec.laneOrderParts)
      .addBool("amx_tiles", spec.amxTiles)
      .addBool("bias", spec.bias)
      .addInt("nested_shift", spec.nestedShift)
      .addBool("both_planes", spec.bothPlanes)
      .get();
}

DictionaryAttr cpu::getSpecAttr(MLIRContext *ctx,
                                const LutDotKernelSpec &spec) {
  return weightSpec(ctx, "cpu.lut_dot", spec)
      .addInt("codes", int64_t(spec.codes))
      .addBool("act_per_row", spec.actPerRow)
      .addInt("act_group", spec.actGroup)
      .addBool("lane_order_parts", spec.laneOrderParts)
      .addBool("shuffles", spec.shuffles)
      .addInt("chunk_bytes", spec.chunkBytes)
      .get();
}

DictionaryAttr cpu::getSpecAttr(MLIRContext *ctx,
                                const HadamardKernelSpec &spec) {
  KernelSpecBuilder b(ctx, "cpu.hadamard");
  b.addInt("n", spec.n)
      .addInt("k", spec.k)
      .addInt("m", spec.m)
      .addBool("table_base", spec.tableBase)
      // A table base is the kernel's argument, not its code.
      .addInts("base", spec.tableBase ? ArrayRef<int>() : ArrayRef<int>(spec.base))
      // The signs are the kernel's argument too: only whether it has them
      // changes the code.
      .addBool("signs", !spec.signs.empty())
      .addBool("transpose", spec.transpose)
      .addBool("quantize", spec.quantize)
      .addBool("narrow", spec.narrow)
      .addInt("lanes", spec.lanes);
  return b.get();
}

DictionaryAttr cpu::getSpecAttr(MLIRContext *ctx,
                                const QuantizeRowsKernelSpec &spec) {
  KernelSpecBuilder b(ctx, "cpu.quantize_rows");
  b.addInt("k", spec.k)
      .addInt("group", spec.group)
      .addBool("narrow", spec.narrow)
      .addBool("per_axis", spec.perAxis);
  return b.get();
}

/// The weight fields of a spec attribute.
static void readWeightSpec(KernelSpecReader &r, WeightSpec &w) {
  w.n = r.getInt("n");
  w.k = r.getInt("k");
  w.bits = int(r.getInt("bits"));
  w.weightGroup = r.getInt("weight_group");
  w.scaleType = r.getType("scale_type");
  w.zeroPointType = r.getType("zero_point_type");
  w.minType = r.getType("min_type");
  w.tiledWeights = r.getBool("tiled_weights");
  w.storedBits = int(r.getInt("stored_bits"));
  w.planeBitOffset = int(r.getInt("plane_bit_offset"));
}

func::FuncOp cpu::buildKernelFromSpec(OpBuilder &builder, Location loc,
                                      DictionaryAttr spec, StringRef name,
                                      Block &moduleBody) {
  KernelSpecReader r(spec);
  StringRef family = r.family();
  if (family == "cpu.float_dot") {
    FloatDotKernelSpec f;
    readWeightSpec(r, f);
    f.decode = CodeDecode(r.getInt("decode"));
    f.intTable = r.getInts("int_table");
    f.tableUnit = r.getFloat("table_unit");
    f.floatTable = r.getFloats("float_table");
    f.zmmTable = r.getBool("zmm_table");
    f.name = name.str();
    if (!r.ok() || !f.scaleType || !checkFloatDotKernel(f).empty())
      return {};
    return buildFloatDotKernel(builder, loc, moduleBody, f);
  }
  if (family == "cpu.int_dot") {
    IntDotKernelSpec d;
    readWeightSpec(r, d);
    d.signedCodes = r.getBool("signed_codes");
    d.actPerRow = r.getBool("act_per_row");
    d.actGroup = r.getInt("act_group");
    d.weightsNarrow = r.getBool("weights_narrow");
    d.activationsNarrow = r.getBool("activations_narrow");
    d.signOnActivations = r.getBool("sign_on_activations");
    int64_t isa = r.getInt("isa");
    if (isa < 0 || isa > int64_t(DotISA::VNNI512))
      return {};
    d.isa = DotISA(isa);
    d.rowLanes = r.getBool("row_lanes");
    d.laneOrderParts = r.getBool("lane_order_parts");
    d.amxTiles = r.getBool("amx_tiles");
    d.bias = r.getBool("bias");
    d.nestedShift = int(r.getInt("nested_shift"));
    d.bothPlanes = r.getBool("both_planes");
    d.name = name.str();
    if (!r.ok() || !d.scaleType || !checkIntDotKernel(d).empty())
      return {};
    return buildIntDotKernel(builder, loc, moduleBody, d);
  }
  if (family == "cpu.lut_dot") {
    LutDotKernelSpec l;
    readWeightSpec(r, l);
    int64_t codes = r.getInt("codes");
    if (codes < 0 || codes > int64_t(LutDotKernelSpec::Codes::Binary))
      return {};
    l.codes = LutDotKernelSpec::Codes(codes);
    l.actPerRow = r.getBool("act_per_row");
    l.actGroup = r.getInt("act_group");
    l.laneOrderParts = r.getBool("lane_order_parts");
    l.shuffles = r.getBool("shuffles");
    l.chunkBytes = r.getInt("chunk_bytes");
    l.name = name.str();
    if (!r.ok() || !l.scaleType || !checkLutDotKernel(l).empty())
      return {};
    return buildLutDotKernel(builder, loc, moduleBody, l);
  }
  if (family == "cpu.quantize_rows") {
    QuantizeRowsKernelSpec q;
    q.k = r.getInt("k");
    q.group = r.getInt("group");
    q.narrow = r.getBool("narrow");
    q.perAxis = r.getBool("per_axis");
    q.name = name.str();
    if (!r.ok() || !checkQuantizeRowsKernel(q).empty())
      return {};
    return buildQuantizeRowsKernel(builder, loc, moduleBody, q);
  }
  if (family == "cpu.hadamard") {
    HadamardKernelSpec h;
    h.n = r.getInt("n");
    h.k = r.getInt("k");
    h.m = r.getInt("m");
    h.tableBase = r.getBool("table_base");
    h.base = r.getInts("base");
    // The signs and a table base are the kernel's arguments: the code
    // only depends on whether there are signs.
    if (r.getBool("signs"))
      h.signs.assign(size_t(h.n), 1);
    h.transpose = r.getBool("transpose");
    h.quantize = r.getBool("quantize");
    h.narrow = r.getBool("narrow");
    h.lanes = r.getInt("lanes");
    h.name = name.str();
    if (!r.ok() || !checkHadamardKernel(h).empty() ||
        (!h.tableBase && h.k > 1 && int64_t(h.base.size()) != h.k * h.k))
      return {};
    return buildHadamardKernel(builder, loc, moduleBody, h);
  }
  return {};
}

Attribute KernelSpec::wantedLayout(MLIRContext *ctx) const {
  const WeightSpec &w = weight();
  if (kind == Kind::LutDot)
    return lutWeightLayout(ctx, w.bits, lutDot.chunkBytes);
  if (w.bits == 3)
    return BitPlanesAttr::get(ctx, {2, 1});
  auto [rows, chunk] = weightTile();
  if (rows > 1)
    return TiledLayoutAttr::get(ctx, rows, chunk);
  return {};
}

/// Checks `w`'s layout against `spec`'s kernel (a one-row layout is the
/// row-major order).
LogicalResult cpu::checkLayout(QuantizedTensorType w, KernelSpec &spec,
                               std::string &why) {
  llvm::raw_string_ostream os(why);
  if (spec.kind == KernelSpec::Kind::LutDot) {
    Attribute wanted = lutWeightLayout(w.getContext(), spec.weight().bits,
                                       spec.lutDot.chunkBytes);
    if (Attribute(w.getLayout()) == wanted)
      return success();
    os << "the LUT kernel reads the weight in layout " << wanted
       << " (qc-cpu-repack-weights puts constant weights in it)";
    return failure();
  }
  Attribute planes = BitPlanesAttr::get(w.getContext(), {2, 1});
  if (spec.weight().bits == 3) {
    if (w.getLayout() == planes)
      return success();
    os << "3-bit weight codes must be in layout " << planes
       << " (qc-cpu-repack-weights puts constant weights in it)";
    return failure();
  }
  if (BitPlanesAttr other = w.getBitPlanes()) {
    os << "weight layout " << other << " is not read by the CPU kernels "
       << "(only " << planes << " for 3-bit codes)";
    return failure();
  }
  if (w.getLayout() && !w.getTiledLayout()) {
    os << "weight layout " << w.getLayout() << " is not read by the CPU "
       << "kernels";
    return failure();
  }
  TiledLayoutAttr layout = w.getTiledLayout();
  if (!layout || layout.getRows() == 1)
    return success();
  auto is = [&](std::pair<int64_t, int64_t> tile) {
    return layout.getRows() == tile.first &&
           layout.getChunkBytes() == tile.second;
  };
  std::pair<int64_t, int64_t> wanted = spec.weightTile();
  if (spec.kind == KernelSpec::Kind::IntDot) {
    // The integer kernels read their K-major tile on every instruction
    // set, and the row-lane tile on VNNI.
    std::optional<std::pair<int64_t, int64_t>> rowLanes =
        rowLaneWeightTile(spec.intDot);
    if (rowLanes && is(*rowLanes)) {
      spec.intDot.tiledWeights = spec.intDot.rowLanes = true;
      spec.intDot.name += "_rowlanes";
      return success();
    }
    wanted = intDotWeightTile(spec.intDot);
  }
  if (!is(wanted)) {
    os << "weight layout " << layout
       << " is not the kernel's #qc.tiled<rows = " << wanted.first
       << ", chunk_bytes = " << wanted.second << ">";
    return failure();
  }
  spec.weight().tiledWeights = true;
  spec.weight().name += "_tiled";
  return success();
}

/// How the f32-activation kernel decodes `grid`'s codes.
static void setCodeDecode(const num::Grid &grid,
                   cpu::FloatDotKernelSpec &spec) {
  using cpu::CodeDecode;
  if (grid.kind() == num::GridKind::Int) {
    spec.decode = grid.isSigned() ? CodeDecode::Signed : CodeDecode::Unsigned;
    return;
  }
  // A table of small integers times a unit (the smallest magnitude), else
  // a table of f32 values.
  std::vector<double> values;
  double unit = 0;
  bool finite = true;
  for (uint32_t c = 0; c < grid.numCodes(); ++c) {
    double v = double(float(grid.decode(c)));
    values.push_back(v);
    finite &= std::isfinite(v);
    if (std::isfinite(v) && v != 0 && (unit == 0 || std::fabs(v) < unit))
      unit = std::fabs(v);
  }
  bool small = finite && unit > 0;
  for (double v : values)
    small &= small && std::fabs(v / unit) <= 127 &&
             std::nearbyint(v / unit) * unit == v;
  if (small) {
    spec.decode = CodeDecode::IntTable;
    spec.tableUnit = unit;
    for (double v : values)
      spec.intTable.push_back(int(std::nearbyint(v / unit)));
    return;
  }
  spec.decode = CodeDecode::FloatTable;
  for (double v : values)
    spec.floatTable.push_back(float(v));
}

/// The block size along K of a weight or activation granularity: G for
/// 1 x G blocks, K for one scale per row (per axis 0); 0 otherwise.
static int64_t blockAlongK(Attribute granularity, int64_t k) {
  if (auto axis = dyn_cast<PerAxisAttr>(granularity))
    return axis.getAxis() == 0 ? k : 0;
  if (auto block = dyn_cast<PerBlockAttr>(granularity))
    return block.getBlockSizes()[0] == 1 ? block.getBlockSizes()[1] : 0;
  return 0;
}

FailureOr<KernelSpec> cpu::classifyMatmul(MatmulOp op, DotISA bestISA,
                                          bool vbmi, std::string &why) {
  auto w = dyn_cast<QuantizedTensorType>(op.getRhs().getType());
  if (!w) {
    why = "the weight is not quantized (a float Linear layer)";
    return failure();
  }
  return classifyMatmul(op.getLhs().getType(), w, op.getType(), bestISA,
                        vbmi, why);
}

FailureOr<KernelSpec> cpu::classifyMatmul(Type lhsType, QuantizedTensorType w,
                                          Type resultType, DotISA bestISA,
                                          bool vbmi, std::string &why) {
  // The reason is this call's alone (the checks below test it as they go).
  why.clear();
  auto lhsQ = dyn_cast<QuantizedTensorType>(lhsType);
  // A weight stored rotated along K (W = W_s R) is read as stored, with the
  // f32 activations rotated by R^T first; quantized activations would have
  // to be rotated before their quantizer.
  if (lhsQ && (lhsQ.getRotation() || w.getRotation())) {
    why = "an operand is stored in a rotated basis (with int8 activations)";
    return failure();
  }
  if (w.getRotation() && *w.getRotationAxis() != 1) {
    why = "the weight is stored rotated along N";
    return failure();
  }
  Type st = w.getScaleType();
  int64_t n = w.getShape()[0], k = w.getShape().back();
  int64_t group = blockAlongK(w.getGranularity(), k);
  Type zp = w.getZeroPointType();
  Type minType = w.getMinType();
  std::string zpName = zp ? str(zp) : "";
  num::Grid grid = w.getGrid().getNumericsGrid();
  int bits = grid.bits();
  if (!w.hasStaticShape())
    why = "dynamic weight shape";
  else if (group == 0)
    why = "weight scales are not per row or per 1 x G block";
  else if (!st.isF32() && !st.isF16() && !st.isBF16())
    why = "weight scales are not f32, f16 or bf16";
  else if (w.hasOuterScales())
    why = "weight has outer scales";
  else if (w.hasOuterMins())
    why = "weight mins have an outer factor";
  else if (minType && !minType.isF32() && !minType.isF16() &&
           !minType.isBF16())
    why = "weight mins are not f32, f16 or bf16";
  else if (zp && !isa<IntegerType>(zp) && !zp.isF32() && !zp.isF16() &&
           !zp.isBF16())
    why = "weight zero points are not integers, f32, f16 or bf16";
  else if (!cast<ShapedType>(resultType).getElementType().isF32())
    why = "result is not f32";
  if (!why.empty())
    return failure();
  cpu::WeightSpec weight;
  weight.n = n;
  weight.k = k;
  weight.bits = bits;
  weight.weightGroup = group;
  weight.scaleType = st;
  weight.zeroPointType = zp;
  weight.minType = minType;
  std::string shape = "_n" + std::to_string(n) + "_k" + std::to_string(k) +
                      "_g" + std::to_string(group) + "_" + str(st) +
                      (zp ? "_z" + zpName : "") +
                      (minType ? "_m" + str(minType) : "");
  KernelSpec spec;
  if (auto lhs = dyn_cast<RankedTensorType>(lhsType)) {
    if (!lhs.getElementType().isF32()) {
      why = "activations are not f32";
      return failure();
    }
    cpu::FloatDotKernelSpec &f = spec.floatDot;
    spec.kind = KernelSpec::Kind::FloatDot;
    static_cast<cpu::WeightSpec &>(f) = weight;
    setCodeDecode(grid, f);
    why = cpu::checkFloatDotKernel(f);
    if (!why.empty())
      return failure();
    // (The 512-bit table needs AVX512-F, which every VNNI512 target has.)
    f.zmmTable = f.decode == cpu::CodeDecode::FloatTable &&
                 bestISA == DotISA::VNNI512;
    static const char *decodeNames[] = {"int", "uint", "itab", "ftab"};
    f.name = "qc_cpu_w" + std::to_string(bits) + "_" +
             decodeNames[int(f.decode)] + shape + (f.zmmTable ? "_zmm" : "");
    return spec;
  }
  // Quantized activations: int8, f32 scales per row or per block along K.
  auto a = cast<QuantizedTensorType>(lhsType);
  auto agrid = dyn_cast<IntGridAttr>(a.getGrid());
  auto wgrid = dyn_cast<IntGridAttr>(w.getGrid());
  const bool binary = isa<BinaryGridAttr>(w.getGrid());
  const bool ternary = isa<TernaryGridAttr>(w.getGrid());
  int64_t actGroup = blockAlongK(a.getGranularity(), k);
  if (!agrid || agrid.getWidth() != 8 || !agrid.getIsSigned())
    why = "activation grid is not #qc.int<s8>";
  else if (!a.getScaleType().isF32() || a.hasZeroPoints() ||
           a.hasOuterScales())
    why = "activation scales are not plain f32";
  else if (actGroup == 0)
    why = "activation scales are not per row or per 1 x G block";
  else if (!wgrid && !binary && !ternary)
    why = "weight grid is not #qc.int, #qc.ternary or #qc.binary (int8 "
          "activations)";
  else if (zp && !isa<IntegerType>(zp))
    why = "weight zero points are not integers (int8 activations)";
  if (!why.empty())
    return failure();
  const bool perRow = isa<PerAxisAttr>(a.getGranularity());
  // The LUT kernel, where the target and the shape allow it.
  cpu::LutDotKernelSpec &lut = spec.lutDot;
  static_cast<cpu::WeightSpec &>(lut) = weight;
  lut.tiledWeights = true;
  lut.codes = binary ? cpu::LutDotKernelSpec::Codes::Binary
              : (wgrid && !wgrid.getIsSigned())
                  ? cpu::LutDotKernelSpec::Codes::Unsigned
                  : cpu::LutDotKernelSpec::Codes::Signed;
  std::string lutWhy;
  lut.actPerRow = perRow;
  lut.actGroup = actGroup;
  // Without AVX512-VBMI (and VNNI on 512-bit vectors) the AVX2 form, whose
  // vpshufb needs AVX2 (the kernel is not emitted for a target without).
  lut.shuffles = !vbmi;
  // A weight in a LUT layout keeps its chunk; else the chunk it reads best.
  lut.chunkBytes = cpu::bestLutChunkBytes(lut);
  bool inLutLayout = false;
  for (int64_t chunk : {int64_t(2), int64_t(4)}) {
    if (w.getLayout() &&
        Attribute(w.getLayout()) ==
            cpu::lutWeightLayout(w.getContext(), bits, chunk)) {
      lut.chunkBytes = chunk;
      inLutLayout = true;
    }
  }
  lutWhy = cpu::checkLutDotKernel(lut);
  // The integer-dot kernel. Ternary codes are 2-bit two's complement
  // codes in [-1, 1]: its narrow s2 codes.
  cpu::IntDotKernelSpec &d = spec.intDot;
  static_cast<cpu::WeightSpec &>(d) = weight;
  std::string dotWhy;
  if (binary) {
    dotWhy = "the integer-dot kernel has no binary codes";
  } else {
    d.signedCodes = ternary || wgrid.getIsSigned();
    d.weightsNarrow = ternary || wgrid.getNarrow();
    d.activationsNarrow = agrid.getNarrow();
    d.signOnActivations = d.activationsNarrow;
    d.actPerRow = perRow;
    d.actGroup = actGroup;
    d.isa = cpu::fitDotISA(d, bestISA);
    dotWhy = cpu::checkIntDotKernel(d);
  }
  const int lutCost = cpu::lutKernelCost(bits, lut.shuffles, lut.chunkBytes),
            dotCost = cpu::intDotKernelCost(bits);
  std::string costs = std::to_string(lutCost) +
                      " vector instructions per 16 x 16 codes for the LUT "
                      "kernel (" +
                      std::to_string(bits) + " plane(s)) against " +
                      (dotWhy.empty() ? std::to_string(dotCost)
                                      : std::string("none")) +
                      " for the integer-dot kernel";
  const bool useLut =
      lutWhy.empty() &&
      (inLutLayout || (!w.getLayout() && (!dotWhy.empty() || lutCost < dotCost)));
  if (useLut) {
    spec.kind = KernelSpec::Kind::LutDot;
    static const char *codeNames[] = {"_u", "", "_bin"}; // by Codes
    lut.name = "qc_cpu_w" + std::to_string(bits) + "a8_lut" + shape +
               codeNames[int(lut.codes)] +
               (perRow ? "_arow" : "_ag" + std::to_string(actGroup)) +
               (lut.shuffles ? "_shuf" : "") +
               (lut.chunkBytes == 4 ? "_c4" : "");
    spec.choice = "LUT kernel" +
                  (!dotWhy.empty()  ? " (" + dotWhy + ")"
                   : inLutLayout ? std::string(" (the weight is in its layout)")
                                 : std::string()) +
                  ": " + costs;
    return spec;
  }
  if (!dotWhy.empty()) {
    // What the LUT kernel would need, when it is the one that could.
    why = binary && !lutWhy.empty() ? "binary codes: " + lutWhy : dotWhy;
    return failure();
  }
  spec.kind = KernelSpec::Kind::IntDot;
  if (lutWhy.empty())
    spec.choice = "integer-dot kernel: " + costs;
  static const char *isaNames[] = {"", "_vnni256", "_vnni512"};
  d.name = "qc_cpu_w" + std::to_string(bits) + "a8" + shape +
           (d.signedCodes ? "" : "_u") + (ternary ? "_t" : "") +
           (d.actPerRow ? "_arow" : "_ag" + std::to_string(actGroup)) +
           isaNames[int(d.isa)];
  return spec;
}

FailureOr<cpu::QuantizeRowsKernelSpec>
cpu::classifyQuantize(QuantizeOp q, std::string &why) {
  QuantizedTensorType t = q.getType();
  auto input = cast<RankedTensorType>(q.getInput().getType());
  auto grid = dyn_cast<IntGridAttr>(t.getGrid());
  int64_t k = t.getRank() == 2 ? t.getShape()[1] : 0;
  int64_t group = k ? blockAlongK(t.getGranularity(), k) : 0;
  if (q.getScales() || q.getEffectiveMethod() != ScaleMethod::absmax ||
      !q.roundsNearestEven())
    why = "not an absmax quantization rounding half to even";
  else if (!grid || grid.getWidth() != 8 || !grid.getIsSigned())
    why = "the grid is not #qc.int<s8>";
  else if (t.getRank() != 2 || ShapedType::isDynamic(k) ||
           !input.getElementType().isF32())
    why = "the input is not an M x K f32 matrix with a static K";
  else if (group == 0)
    why = "the scales are not per row or per 1 x G block";
  else if (!t.getScaleType().isF32() || t.hasZeroPoints() ||
           t.hasOuterScales() || t.getLayout() || t.getRotation())
    why = "the scales are not plain f32 (zero points, outer scales, a "
          "layout or a rotation)";
  if (!why.empty())
    return failure();
  QuantizeRowsKernelSpec spec;
  spec.k = k;
  spec.group = group;
  spec.narrow = grid.getNarrow();
  spec.perAxis = isa<PerAxisAttr>(t.getGranularity());
  why = checkQuantizeRowsKernel(spec);
  if (!why.empty())
    return failure();
  spec.name = "qc_cpu_quantize_s8" + std::string(spec.narrow ? "n" : "") +
              "_k" + std::to_string(k) +
              (spec.perAxis ? "_row" : "_g" + std::to_string(group));
  return spec;
}

QuantizeOp cpu::fusableQuantize(RotateOp op) {
  if (!op->hasOneUse())
    return {};
  auto q = dyn_cast<QuantizeOp>(*op->getUsers().begin());
  std::string why;
  if (!q)
    return {};
  FailureOr<QuantizeRowsKernelSpec> spec = classifyQuantize(q, why);
  if (failed(spec) || !spec->perAxis)
    return {};
  return q;
}

FailureOr<cpu::HadamardKernelSpec>
cpu::classifyRotation(RotateOp op, QuantizeOp fused, bool avx512,
                      std::string &why) {
  auto type = cast<RankedTensorType>(op.getType());
  auto hadamard = dyn_cast<HadamardAttr>(op.getRotation());
  HadamardKernelSpec spec;
  if (isa<PermutationAttr>(op.getRotation()))
    why = "a #qc.permutation is a gather (one load per element), which the "
          "reference lowering already is";
  else if (!hadamard)
    why = "the rotation is not a #qc.hadamard";
  else if (!type.getElementType().isF32())
    why = "the tensor is not f32";
  else if (type.getRank() != 2 || op.getAxis() != 1)
    why = "the rotation is not along the last axis of a matrix";
  if (!why.empty())
    return failure();
  num::HadamardSpec h = hadamard.getSpec();
  spec.n = h.size;
  spec.k = h.baseOrder();
  spec.m = h.size / spec.k;
  if (spec.k > 1)
    spec.base = h.baseChoice().matrix();
  spec.signs.assign(h.signs.begin(), h.signs.end());
  spec.transpose = op.getTranspose();
  if (fused) {
    spec.quantize = true;
    spec.narrow = cast<IntGridAttr>(fused.getType().getGrid()).getNarrow();
  }
  // zmm when the target has AVX-512 and m tiles 16 lanes.
  spec.lanes = avx512 && spec.m % 16 == 0 ? 16 : 8;
  why = checkHadamardKernel(spec);
  if (!why.empty())
    return failure();
  // A table base is the kernel's argument: one kernel serves every base of
  // order k. An unrolled base is in the code, and in the name.
  spec.tableBase = spec.k > kMaxUnrolledBaseOrder;
  std::string baseName = h.baseChoice().name(); // "paley1 = 11"
  llvm::erase(baseName, ' ');
  std::replace(baseName.begin(), baseName.end(), '=', '_');
  spec.name = "qc_cpu_hadamard_n" + std::to_string(spec.n) +
              (spec.k > 1 ? "_k" + std::to_string(spec.k) : "") +
              (spec.k > 1 && !spec.tableBase ? "_" + baseName : "") +
              (spec.signs.empty() ? "" : "_signs") +
              (spec.transpose ? "_t" : "") +
              (spec.quantize ? (spec.narrow ? "_q8n" : "_q8") : "") +
              (spec.lanes == 16 ? "_zmm" : "");
  return spec;
}

/// The feature names LLVM's x86 back end knows ("avx2", "avx512vnni", ...),
/// sorted; empty if the back end is not in this LLVM.
static const std::vector<std::string> &x86FeatureNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    llvm::InitializeNativeTarget();
    llvm::Triple triple("x86_64-unknown-linux-gnu");
    std::string error;
    const llvm::Target *target =
        llvm::TargetRegistry::lookupTarget(triple, error);
    if (!target)
      return result;
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        target->createMCSubtargetInfo(triple, "", ""));
    if (!info)
      return result;
    for (const llvm::SubtargetFeatureKV &kv : info->getAllProcessorFeatures())
      result.push_back(kv.Key);
    llvm::sort(result);
    return result;
  }();
  return names;
}

FailureOr<CPUTarget> CPUTarget::parse(StringRef triple, StringRef features,
                                      std::string &error) {
  CPUTarget target;
  target.triple = triple.empty() ? llvm::sys::getDefaultTargetTriple()
                                 : triple.str();
  SmallVector<StringRef> parts;
  features.split(parts, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    part = part.trim();
    if (part == "host") {
      for (const auto &feature : llvm::sys::getHostCPUFeatures())
        if (feature.getValue())
          target.features.insert(feature.getKey());
      continue;
    }
    bool enable = !part.consume_front("-");
    if (enable)
      part.consume_front("+");
    if (part.empty() || !llvm::all_of(part, [](char c) {
          return llvm::isAlnum(c) || c == '.' || c == '_' || c == '-';
        })) {
      error = ("target-features: '" + part +
               "' is not a feature name (expected e.g. \"avx2,fma\" or "
               "\"host\")")
                  .str();
      return failure();
    }
    // A name LLVM's x86 back end does not know ("avx512" for "avx512f")
    // would leave every kernel to the reference lowering without a word.
    const std::vector<std::string> &known = x86FeatureNames();
    if (target.isX86_64() && !known.empty() &&
        !std::binary_search(known.begin(), known.end(), part.str())) {
      std::string list;
      llvm::raw_string_ostream os(list);
      llvm::interleave(known, os, ", ");
      error = ("target-features: '" + part +
               "' is not an x86 feature LLVM knows; the features are: " +
               list)
                  .str();
      return failure();
    }
    if (enable)
      target.features.insert(part);
    else
      target.features.erase(part);
  }
  return target;
}

bool CPUTarget::hasFeatures(StringRef requirement) const {
  SmallVector<StringRef> alternatives;
  requirement.split(alternatives, '|');
  return llvm::any_of(alternatives, [&](StringRef all) {
    SmallVector<StringRef> names;
    all.split(names, '+');
    return llvm::all_of(names,
                        [&](StringRef name) { return features.contains(name); });
  });
}

DotISA CPUTarget::dotISA() const {
  if (hasFeatures("avx512f+avx512bw+avx512vl+avx512vnni"))
    return DotISA::VNNI512;
  if (hasFeatures("avx512vnni+avx512vl|avxvnni"))
    return DotISA::VNNI256;
  return DotISA::AVX2;
}

bool CPUTarget::isX86_64() const {
  return llvm::Triple(triple).getArch() == llvm::Triple::x86_64;
}

std::string CPUTarget::missingFeatures(func::FuncOp kernel) const {
  if (!isX86_64())
    return "the target " + triple + " is not x86-64";
  llvm::SetVector<StringRef> missing;
  kernel.walk([&](x86::X86IntrinsicOpInterface op) {
    if (!hasFeatures(op.getRequiredFeature()))
      missing.insert(op.getRequiredFeature());
  });
  kernel.walk([&](Operation *op) {
    if (isa<amx::AMXDialect>(op->getDialect()) &&
        !hasFeatures("amx-tile+amx-int8"))
      missing.insert("amx-tile+amx-int8");
  });
  if (missing.empty())
    return "";
  std::string why = "the target lacks ";
  llvm::raw_string_ostream os(why);
  llvm::interleave(missing, os, ", ");
  os << " (needed by the kernel's instructions)";
  return why;
}

SmallVector<std::string> CPUTarget::codeFeatures() const {
  static const char *const kSimd[] = {
      "sse2",     "sse3",     "ssse3",    "sse4.1",     "sse4.2",
      "avx",      "avx2",     "fma",      "f16c",       "avxvnni",
      "avx512f",  "avx512bw", "avx512vl", "avx512dq",   "avx512vnni",
      "avx512vbmi", "amx-tile", "amx-int8"};
  SmallVector<std::string> enabled;
  for (const char *feature : kSimd)
    if (features.contains(feature))
      enabled.push_back(std::string("+") + feature);
  return enabled;
}

void CPUTarget::annotate(func::FuncOp kernel) const {
  SmallVector<std::string> enabled = codeFeatures();
  SmallVector<StringRef> refs(enabled.begin(), enabled.end());
  MLIRContext *ctx = kernel.getContext();
  kernel->setAttr("target_features", LLVM::TargetFeaturesAttr::get(ctx, refs));
  // Internal linkage: two modules compiled by qc and linked together each
  // keep their own copy of a kernel they share.
  kernel->setAttr("llvm.linkage",
                  LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
}

//===----------------------------------------------------------------------===//
// The CPU's model of KernelTargetAttrInterface on #llvm.target
//===----------------------------------------------------------------------===//

namespace {

/// `#llvm.target<triple, chip, features>` as a CPU with qc's kernels.
struct CPUKernelTargetModel
    : KernelTargetAttrInterface::ExternalModel<CPUKernelTargetModel,
                                               LLVM::TargetAttr> {
  static FailureOr<CPUTarget> target(Attribute attr, std::string &why) {
    auto t = cast<LLVM::TargetAttr>(attr);
    SmallVector<std::string> features;
    if (LLVM::TargetFeaturesAttr f = t.getFeatures())
      for (StringAttr feature : f.getFeatures())
        features.push_back(feature.str());
    FailureOr<CPUTarget> cpu =
        CPUTarget::parse(t.getTriple().getValue(), llvm::join(features, ","),
                         why);
    if (succeeded(cpu) && !cpu->isX86_64()) {
      why = "the target " + cpu->triple + " is not x86-64";
      return failure();
    }
    return cpu;
  }

  FailureOr<DictionaryAttr> getKernelSpec(Attribute attr, Operation *op,
                                          std::string &why) const {
    FailureOr<CPUTarget> cpu = target(attr, why);
    if (failed(cpu))
      return failure();
    MLIRContext *ctx = attr.getContext();
    DictionaryAttr spec;
    if (auto matmul = dyn_cast<MatmulOp>(op)) {
      FailureOr<KernelSpec> s =
          classifyMatmul(matmul, cpu->dotISA(), cpu->hasLutISA(), why);
      if (failed(s) ||
          failed(checkLayout(
              cast<QuantizedTensorType>(matmul.getRhs().getType()), *s,
              why)))
        return failure();
      spec = s->getSpecAttr(ctx);
    } else if (auto rotate = dyn_cast<RotateOp>(op)) {
      FailureOr<HadamardKernelSpec> s =
          classifyRotation(rotate, fusableQuantize(rotate),
                           cpu->hasFeatures("avx512f"), why);
      if (failed(s))
        return failure();
      spec = getSpecAttr(ctx, *s);
    } else if (auto quantize = dyn_cast<QuantizeOp>(op)) {
      FailureOr<QuantizeRowsKernelSpec> s = classifyQuantize(quantize, why);
      if (failed(s))
        return failure();
      spec = getSpecAttr(ctx, *s);
    } else {
      why = "not a qc.matmul, qc.rotate or qc.quantize";
      return failure();
    }
    SmallVector<NamedAttribute> entries(spec.getValue());
    Builder b(ctx);
    entries.push_back(b.getNamedAttr(
        "target_features",
        b.getStringAttr(llvm::join(cpu->codeFeatures(), ","))));
    return b.getDictionaryAttr(entries);
  }

  Operation *buildKernel(Attribute attr, OpBuilder &builder, Location loc,
                         DictionaryAttr spec, StringRef name,
                         Block &body) const {
    std::string why;
    FailureOr<CPUTarget> cpu = target(attr, why);
    if (failed(cpu))
      return nullptr;
    func::FuncOp kernel = buildKernelFromSpec(builder, loc, spec, name, body);
    if (kernel)
      cpu->annotate(kernel);
    return kernel;
  }

  FailureOr<Type> getKernelWeightType(Attribute attr, Operation *op,
                                      std::string &why) const {
    if (failed(target(attr, why)))
      return failure();
    auto matmul = dyn_cast<MatmulOp>(op);
    if (!matmul) {
      why = "not a qc.matmul";
      return failure();
    }
    auto type = dyn_cast<QuantizedTensorType>(matmul.getRhs().getType());
    if (!type) {
      why = "the weight is not quantized (a float Linear layer)";
      return failure();
    }
    // The layout for the target's instructions (the row-lane tile on
    // VNNI).
    DotISA isa = target(attr, why)->dotISA();
    bool vbmi = target(attr, why)->hasLutISA();
    FailureOr<KernelSpec> spec = classifyMatmul(matmul, isa, vbmi, why);
    // A weight no kernel reads as it is may be read in an exactly equal
    // form: its scale levels and mins folded into f32 ones, then its codes
    // widened to 8 bits (llama.cpp's K-quants, Q5_0, Q5_1).
    for (unsigned codeBits : {0u, 8u}) {
      if (succeeded(spec))
        break;
      QuantizedTensorType folded = getExactKernelForm(type, codeBits);
      if (!folded)
        continue;
      std::string whyNot;
      spec = classifyMatmul(matmul.getLhs().getType(), folded,
                            matmul.getType(), isa, vbmi, whyNot);
      if (succeeded(spec))
        type = folded;
    }
    if (failed(spec))
      return failure();
    // The kernels' layout; f16 and bf16 scales widened to f32 (exact), so
    // that the kernel broadcasts them from memory instead of converting
    // one per block. The row-lane form and the LUT kernel keep them: they
    // read a block's scales of 16 rows as one vector in lane order
    // (laneOrderParts) and convert them at once; f32 would add 2 bytes
    // per block to the bytes a GEMV streams (10% for Q4_1, 11% for 1-bit
    // codes in blocks of 128).
    Attribute layout = spec->wantedLayout(attr.getContext());
    bool rowLanes = spec->kind == KernelSpec::Kind::LutDot ||
                    (spec->kind == KernelSpec::Kind::IntDot &&
                     rowLaneWeightTile(spec->intDot).has_value());
    return Type(QuantizedTensorType::get(
        attr.getContext(), type.getShape(), type.getGrid(),
        type.getGranularity(),
        rowLanes ? type.getScaleType() : Float32Type::get(attr.getContext()),
        type.getZeroPointType(), type.getOuterGranularity(),
        type.getOuterScaleType(),
        layout ? cast<LayoutAttrInterface>(layout) : type.getLayout(),
        type.getRotation(), type.getRotationAxis(), type.getMinType(),
        type.getOuterMinType()));
  }
};

} // namespace

void mlir::qc::registerCPUKernelTargetInterface(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, LLVM::LLVMDialect *) {
    LLVM::TargetAttr::attachInterface<CPUKernelTargetModel>(*ctx);
  });
}
