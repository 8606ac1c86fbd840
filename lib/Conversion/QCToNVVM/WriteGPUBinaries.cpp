//===- WriteGPUBinaries.cpp - gpu.binary objects to files -----------------===//

#include "qc/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::qc {
#define GEN_PASS_DEF_WRITEGPUBINARIES
#define GEN_PASS_DEF_CHECKCUDATOOLKIT
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;

namespace {

StringRef extensionOf(gpu::CompilationTarget format) {
  switch (format) {
  case gpu::CompilationTarget::Assembly:
    return "ptx";
  case gpu::CompilationTarget::Binary:
    return "cubin";
  case gpu::CompilationTarget::Fatbin:
    return "fatbin";
  case gpu::CompilationTarget::Offload:
    return "llvm";
  }
  return "bin";
}

struct WriteGPUBinariesPass
    : qc::impl::WriteGPUBinariesBase<WriteGPUBinariesPass> {
  using Base::Base;
  void runOnOperation() override {
    if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
      mlir::emitError(getOperation().getLoc(), "qc-write-gpu-binaries: cannot create '")
          << dir << "': " << ec.message();
      return signalPassFailure();
    }
    getOperation().walk([&](gpu::BinaryOp binary) {
      for (Attribute attr : binary.getObjects()) {
        auto object = cast<gpu::ObjectAttr>(attr);
        std::string chip = "target";
        if (auto nvvm = dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget()))
          chip = nvvm.getChip().str();
        SmallString<256> path(dir);
        llvm::sys::path::append(path, binary.getSymName() + "." + chip + "." +
                                          extensionOf(object.getFormat()));
        std::error_code ec;
        llvm::raw_fd_ostream os(path, ec);
        if (ec) {
          binary.emitError("qc-write-gpu-binaries: cannot write '")
              << path << "': " << ec.message();
          return signalPassFailure();
        }
        os << object.getObject().getValue();
      }
    });
  }
};

struct CheckCUDAToolkitPass
    : qc::impl::CheckCUDAToolkitBase<CheckCUDAToolkitPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallString<256> ptxas(toolkit);
    llvm::sys::path::append(ptxas, "bin", "ptxas");
    if (!llvm::sys::fs::can_execute(ptxas)) {
      mlir::emitError(getOperation().getLoc(), "the CUDA toolkit '")
          << toolkit << "' has no bin/ptxas (format=isa needs no toolkit)";
      signalPassFailure();
    }
  }
};

} // namespace
