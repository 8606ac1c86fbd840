//===- QCNVVMDialect.td - qc's NVIDIA-side attributes ------*- tablegen -*-===//

#ifndef QC_DIALECT_NVVM_IR_QCNVVMDIALECT_TD
#define QC_DIALECT_NVVM_IR_QCNVVMDIALECT_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/OpBase.td"
include "qc/Dialect/QC/IR/QCInterfaces.td"

def QCNVVM_Dialect : Dialect {
  let name = "qc_nvvm";
  let cppNamespace = "::mlir::qc::nvvm";
  let summary = "What qc's NVIDIA back end adds to !qc.qtensor: its kernels' weight layouts";
  let description = [{
    Attributes that belong to one back end live with it: `qc_nvvm` holds
    the layouts of the NVIDIA kernels' weights (`#qc_nvvm.mma_fragments`),
    which a `!qc.qtensor` takes as its `layout` like any
    `LayoutAttrInterface`. The core `qc` dialect knows nothing of them;
    the reference lowering unpacks them through the interface.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::qc::QCDialect"];
}

def QCNVVM_MMAFragmentsLayoutAttr : AttrDef<QCNVVM_Dialect, "MMAFragmentsLayout",
    [DeclareAttrInterfaceMethods<QC_LayoutAttrInterface,
        ["hasCodePositions", "buildCodePosition", "getStoredCodeXor"]>]> {
  let mnemonic = "mma_fragments";
  let summary = "4-bit codes in NVIDIA tensor-core fragment order";
  let description = [{
    `#qc_nvvm.mma_fragments` on an `N x K` `!qc.qtensor` of 4-bit codes (the
    `layout` parameter; `N` a multiple of 16, `K` of 64) stores the packed
    codes in the order the NVIDIA W4A16 kernel (`convert-qc-to-nvvm`) loads
    them, Marlin-style: every 16-byte load of a lane is that lane's share of
    the `B` operand of eight `mma.sync.m16n8k16`, and every 32-bit word of
    it becomes four f16x2 registers with two LOP3s and two f16x2 ops, no
    `cvt`.

    The matrix is cut into tiles of 16 rows x 64 codes, stored tile after
    tile with the row tiles outer: tile `(t, c)` starts at byte
    `((t * K/64) + c) * 512`. A tile is 32 lanes x 4 words: word `s` of
    lane `l` (bytes `l*16 + s*4` to `+3`, little endian) holds codes
    `s*16 ..< s*16+16` of the tile's rows `l/4` and `8 + l/4`; nibble `p`
    (bits `4p ..< 4p+4`) is row `8*(p mod 2) + l/4`, code
    `s*16 + 2*(l mod 4) + d` with `d = [0, 8, 1, 9][p floordiv 2]`. Signed
    codes are stored offset by 8 (`code + 8`, `0 ..< 16`); unsigned codes
    as they are. The logical codes do not depend on the layout. The
    position of each code is defined once (`numerics::mmaFragmentIndex`):
    `packCodes` and the reference lowering's unpacking
    (`buildCodePosition`) both use it.
    `qc-nvvm-layout` puts a constant weight whose matmul gets the W4A16
    kernel into this order.

    ```mlir
    !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>, layout #qc_nvvm.mma_fragments>
    ```
  }];
  let extraClassDeclaration = [{
    /// Whether codes of `grid` are stored offset by 8 (signed #qc.int).
    static bool isOffsetBinary(GridAttrInterface grid);
  }];
}


#endif // QC_DIALECT_NVVM_IR_QCNVVMDIALECT_TD
