//===- KernelOps.cpp - what the NVIDIA kernels share ----------------------===//

#include "KernelOps.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;

gpu::GPUFuncOp mlir::qc::nvvm::createKernel(OpBuilder &builder, Location loc,
                                            Block &moduleBody, StringRef name,
                                            TypeRange args, TypeRange shared,
                                            int64_t threads) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(&moduleBody);
  auto fn = gpu::GPUFuncOp::create(builder, loc, name,
                                   builder.getFunctionType(args, {}), shared);
  fn->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), builder.getUnitAttr());
  for (unsigned i = 0; i < shared.size(); ++i)
    fn.setWorkgroupAttributionAttr(i, LLVM::LLVMDialect::getAlignAttrName(),
                                   builder.getI64IntegerAttr(16));
  auto block = builder.getDenseI32ArrayAttr({int32_t(threads), 1, 1});
  fn.setKnownBlockSizeAttr(block);
  fn->setAttr("nvvm.maxntid", block);
  fn->setAttr("nvvm.minctasm", builder.getI32IntegerAttr(4));
  return fn;
}

Value mlir::qc::nvvm::zeros(OpBuilder &b, Location loc, VectorType type) {
  return arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
}
