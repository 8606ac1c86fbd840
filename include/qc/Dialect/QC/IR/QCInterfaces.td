//===- QCInterfaces.td - qc attribute interfaces -----------*- tablegen -*-===//

#ifndef QC_DIALECT_QC_IR_QCINTERFACES_TD
#define QC_DIALECT_QC_IR_QCINTERFACES_TD

include "mlir/IR/OpBase.td"

def QC_GridAttrInterface : AttrInterface<"GridAttrInterface"> {
  let cppNamespace = "::mlir::qc";
  let description = [{
    A quantization grid: the meaning of one stored code of 1 to 8 bits.
    `decode(code)` and `encode(x)` are those of `mlir::qc::numerics::Grid` (see
    `include/qc/Numerics/Grid.h` for the exact rounding and tie rules).
  }];
  let methods = [
    InterfaceMethod<"Bits per stored code (1..8).", "unsigned", "getCodeBits">,
    InterfaceMethod<[{The plain-C++ grid (encode, decode, value range).}],
      "::mlir::qc::numerics::Grid", "getNumericsGrid">,
  ];
}

def QC_GranularityAttrInterface : AttrInterface<"GranularityAttrInterface"> {
  let cppNamespace = "::mlir::qc";
  let description = [{
    Which elements of a tensor share one scale (and zero point). Every
    granularity is a partition of the tensor into equal blocks; the scale
    tensor has one entry per block.
  }];
  let methods = [
    InterfaceMethod<[{
        Checks that the granularity fits a tensor of `shape` (dynamic
        dimensions allowed), reporting what is wrong through `emitError`.
      }], "::llvm::LogicalResult", "verifyForShape",
      (ins "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError,
           "::llvm::ArrayRef<int64_t>":$shape)>,
    InterfaceMethod<[{
        Shape of the scale tensor for data of `shape`. Dynamic data
        dimensions give dynamic scale dimensions where the scale varies
        along them.
      }], "::llvm::SmallVector<int64_t>", "getScaleShape",
      (ins "::llvm::ArrayRef<int64_t>":$shape)>,
    InterfaceMethod<[{
        Block extent along each dimension of a statically shaped tensor
        (the whole dimension where one scale spans it).
      }], "::llvm::SmallVector<int64_t>", "getBlockShape",
      (ins "::llvm::ArrayRef<int64_t>":$shape)>,
  ];
}

def QC_LayoutAttrInterface : AttrInterface<"LayoutAttrInterface"> {
  let cppNamespace = "::mlir::qc";
  let description = [{
    How the packed codes of a `!qc.qtensor` sit in memory (the type's
    `layout`); without one, the packed stream is row-major.
  }];
  let methods = [
    InterfaceMethod<[{
        Checks that the layout fits a quantized tensor of `shape` with
        `grid`'s codes, reporting what is wrong through `emitError`.
      }], "::llvm::LogicalResult", "verifyForType",
      (ins "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError,
           "::llvm::ArrayRef<int64_t>":$shape,
           "::mlir::qc::GridAttrInterface":$grid)>,
    InterfaceMethod<[{
        The stored byte stream, in this layout, of a tensor of `shape` whose
        codes (bit patterns of `grid`, one per byte, row-major) are
        `codes`; `verifyForType` holds. The one definition of the layout's
        packing: qc-quantize-constants packs new constants with it and
        qc-materialize-layouts repacks row-major ones.
      }], "std::vector<uint8_t>", "packCodes",
      (ins "const std::vector<uint8_t> &":$codes,
           "::llvm::ArrayRef<int64_t>":$shape,
           "::mlir::qc::GridAttrInterface":$grid)>,
    InterfaceMethod<[{
        Whether the layout says where each code of a matrix is
        (`buildCodePosition`); false for layouts a lowering unpacks its own
        way (qc's `#qc.tiled`, `#qc.bit_planes`).
      }], "bool", "hasCodePositions", (ins),
      /*methodBody=*/"", /*defaultImplementation=*/[{ return false; }]>,
    InterfaceMethod<[{
        Where code `(n, k)` of an `N x K` tensor of `shape` is stored, as
        index arithmetic built with `arith` (`byte`, and `shift`: the bit
        of the byte its field starts at), for a lowering that unpacks the
        layout one code at a time (the reference lowering); only when
        `hasCodePositions`. The same definition as `packCodes` (layouts
        write it once, over an index type).
      }], "void", "buildCodePosition",
      (ins "::mlir::qc::IndexArithmetic &":$arith, "::mlir::Value":$n,
           "::mlir::Value":$k, "::llvm::ArrayRef<int64_t>":$shape,
           "::mlir::Value &":$byte, "::mlir::Value &":$shift),
      /*methodBody=*/"", /*defaultImplementation=*/[{
        llvm_unreachable("buildCodePosition of a layout without code positions");
      }]>,
    InterfaceMethod<[{
        What each stored code of `grid` is XORed with (8: signed 4-bit
        codes stored as 0..15), 0 for codes stored as they are.
      }], "unsigned", "getStoredCodeXor",
      (ins "::mlir::qc::GridAttrInterface":$grid),
      /*methodBody=*/"", /*defaultImplementation=*/[{ return 0; }]>,
  ];
}

def QC_RotationAttrInterface : AttrInterface<"RotationAttrInterface"> {
  let cppNamespace = "::mlir::qc";
  let description = [{
    An orthogonal n x n matrix Q that rotates a tensor along one axis: each
    vector x along the axis becomes x * Q (or x * Q^T).
  }];
  let methods = [
    InterfaceMethod<"n, the size of the axis it rotates.", "int64_t",
      "getSize">,
    InterfaceMethod<"Whether Q = Q^T (then Q * Q = I).", "bool",
      "isSymmetric">,
    InterfaceMethod<[{
        In place: each of the `rows` rows of `x` (n values each) becomes
        row * Q, or row * Q^T with `transpose` (float64). Fails, leaving `x`
        as it was, when Q's entries cannot be read (an elided
        `dense_resource`).
      }], "::llvm::LogicalResult", "applyToRows",
      (ins "double *":$x, "int64_t":$rows, "bool":$transpose)>,
    InterfaceMethod<[{
        Checks Q's entries (finite, orthogonal), reporting what is wrong
        through `emitError`. Run by the verifiers of the ops that hold the
        rotation, when every `dense_resource` blob has been read.
      }], "::llvm::LogicalResult", "verifyEntries",
      (ins "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>,
  ];
}

def QC_KernelTargetAttrInterface : AttrInterface<"KernelTargetAttrInterface"> {
  let cppNamespace = "::mlir::qc";
  let description = [{
    A machine qc generates kernels for, as the back ends see it. qc gives
    upstream's target attributes this interface through external models:
    `#llvm.target<triple = ..., chip = ..., features = ...>` is a CPU (the
    x86 kernels of QCToCPU, `registerCPUKernelTargetInterface`) and
    `#nvvm.target<chip = ...>` an NVIDIA GPU (QCToNVVM,
    `registerNVVMKernelTargetInterface`). What every target answers the
    same way (which kernel an op gets, or why none; the weight storage that
    kernel reads) is asked through it, so that one pass serves every target
    (`qc-materialize-layouts`) and a new target is a new model and its
    kernel files.
  }];
  let methods = [
    InterfaceMethod<[{
        The typed spec of the kernel this target has for `op` (a qc.matmul
        or qc.rotate), or failure with the reason in `why`.
      }], "::llvm::FailureOr<::mlir::DictionaryAttr>", "getKernelSpec",
      (ins "::mlir::Operation *":$op, "std::string &":$why)>,
    InterfaceMethod<[{
        The type in which the kernel for the qc.matmul `matmul` reads its
        weight (the weight's type with the kernel's layout and scale type),
        or failure with the reason in `why` when no kernel covers it.
      }], "::llvm::FailureOr<::mlir::Type>", "getKernelWeightType",
      (ins "::mlir::Operation *":$matmul, "std::string &":$why)>,
    InterfaceMethod<[{
        Builds the kernel of `spec` (from `getKernelSpec`) as a function
        named `name` at the end of `body` (a module's for a CPU, a
        gpu.module's for a GPU), from the spec attribute alone; null when
        `spec` is no kernel of this target's. The back ends' patterns build
        their kernels the same way, so a field that changes the code cannot
        be missing from the spec.
      }], "::mlir::Operation *", "buildKernel",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::DictionaryAttr":$spec, "::llvm::StringRef":$name,
           "::mlir::Block &":$body)>,
  ];
}

#endif // QC_DIALECT_QC_IR_QCINTERFACES_TD
