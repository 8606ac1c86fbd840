//===- QuantizeKernel.cpp - int8 activation quantization CPU kernel -------===//

#include "QuantizeKernel.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::qc::cpu {

std::string checkQuantizeRowsKernel(const QuantizeRowsKernelSpec &spec) {
  if (spec.k <= 0 || spec.group <= 0 || spec.k % spec.group != 0)
    return "the scale blocks do not divide the rows";
  if (spec.perAxis && spec.group != spec.k)
    return "per-axis scales with blocks shorter than a row";
  if (spec.group % 8 != 0)
    return "the scale blocks are not a multiple of 8 values";
  return "";
}

func::FuncOp buildQuantizeRowsKernel(OpBuilder &builder, Location loc,
                                     Block &moduleBody,
                                     const QuantizeRowsKernelSpec &spec) {
  MLIRContext *ctx = builder.getContext();
  int64_t dyn = ShapedType::kDynamic;
  Type f32 = Float32Type::get(ctx);
  bool perRow = spec.perAxis;
  Value x, codes, scales;
  KernelSignature signature;
  signature.add(MemRefType::get({dyn, spec.k}, f32), x);
  signature.add(MemRefType::get({dyn, spec.k}, IntegerType::get(ctx, 8)),
                codes);
  signature.add(perRow ? MemRefType::get({dyn}, f32)
                       : MemRefType::get({dyn, spec.k / spec.group}, f32),
                scales);
  return signature.build(builder, loc, moduleBody, spec.name,
                         [&](KernelBuilder &b) {
    b.parallel(b.index(0), b.dim(x, 0), b.index(1), [&](Value row) {
      b.loop(0, spec.k / spec.group, 1, [&](Value g) {
        Value k0 = arith::MulIOp::create(b, g, b.index(spec.group));
        quantizeBlockInt8(b, x, codes, row, k0, spec.group, spec.narrow,
                          [&](Value s) {
                            SmallVector<Value> at = {row};
                            if (!perRow)
                              at.push_back(g);
                            memref::StoreOp::create(b, s, scales, at);
                          });
      });
    });
  });
}

} // namespace mlir::qc::cpu
