//===- X86Ops.td - qc_x86: the x86 instructions qc's kernels use -*- tablegen -*-===//
//
// One op per x86 SIMD instruction that the CPU kernels need and that the
// vector dialect has no op for. Each op is Pure (the instructions only
// compute on registers), so that bufferization, buffer deallocation, CSE and
// the canonicalizer treat kernels like any other vector code, and each names
// the LLVM intrinsic it becomes (convert-qc-x86-to-llvm) and the CPU feature
// that intrinsic needs (the CPU pipeline selects kernels by feature).
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_X86_IR_X86OPS_TD
#define QC_DIALECT_X86_IR_X86OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def X86_Dialect : Dialect {
  let name = "qc_x86";
  let cppNamespace = "::mlir::qc::x86";
  let summary = "The x86 SIMD instructions qc's CPU kernels are written with";
  let description = [{
    `qc_x86` holds one op per x86 instruction that qc's CPU kernels use and
    that the `vector` and `arith` dialects do not express: the integer
    multiply-adds of AVX2 (`vpmaddubsw`, `vpmaddwd`), the byte sign and byte
    shuffle (`vpsignb`, `vpshufb`), the f32 lane permutation (`vpermps`)
    and VNNI's four-way u8 x s8 dot product into i32 lanes (`vpdpbusd`).
    An op is named after its instruction, takes the instruction's operands
    in the instruction's order, and works on 128-bit (SSE encoding),
    256-bit (AVX2) or 512-bit (AVX-512) vectors where the instruction has
    them.

    All ops are `Pure`. `convert-qc-x86-to-llvm` replaces each by the
    `llvm.call_intrinsic` of its LLVM intrinsic late in `qc-cpu-pipeline`;
    until then the kernels are ordinary side-effect-free vector code for
    every upstream pass (`llvm.call_intrinsic` has unknown memory effects,
    which buffer deallocation rejects).
  }];
}

def X86_IntrinsicOpInterface : OpInterface<"X86IntrinsicOpInterface"> {
  let cppNamespace = "::mlir::qc::x86";
  let description = [{
    An x86 instruction that lowers to one LLVM intrinsic call with the op's
    operands and result.
  }];
  let methods = [
    InterfaceMethod<"The LLVM intrinsic, e.g. `llvm.x86.avx2.pmadd.ub.sw`.",
                    "::llvm::StringRef", "getIntrinsicName">,
    InterfaceMethod<[{The CPU features the intrinsic needs: LLVM feature
      names joined by `+` (all of them), alternatives separated by `|`
      (`avx2`, `avx512vnni+avx512vl|avxvnni`).}],
                    "::llvm::StringRef", "getRequiredFeature">,
  ];
}

class X86_Op<string mnemonic, list<Trait> traits = []>
    : Op<X86_Dialect, mnemonic,
         !listconcat(traits, [Pure, DeclareOpInterfaceMethods<X86_IntrinsicOpInterface>])>;

def X86_Bytes : VectorOfLengthAndType<[16, 32], [I8]>;

def X86_PMAddUBSWOp : X86_Op<"vpmaddubsw", [AllTypesMatch<["unsignedBytes", "signedBytes"]>]> {
  let summary = "u8 x s8 products, adjacent pairs summed with i16 saturation";
  let description = [{
    Result lane i is `sat16(u[2i] * s[2i] + u[2i+1] * s[2i+1])` with `u`
    read as unsigned and `s` as signed bytes. 16 bytes give 8 lanes
    (`pmaddubsw`, SSSE3), 32 give 16 (`vpmaddubsw`, AVX2).

    ```mlir
    %p = qc_x86.vpmaddubsw %u, %s : vector<32xi8> -> vector<16xi16>
    ```
  }];
  let arguments = (ins X86_Bytes:$unsignedBytes, X86_Bytes:$signedBytes);
  let results = (outs VectorOfLengthAndType<[8, 16], [I16]>:$result);
  let assemblyFormat = "$unsignedBytes `,` $signedBytes attr-dict `:` type($unsignedBytes) `->` type($result)";
  let hasVerifier = 1;
}

def X86_PMAddWDOp : X86_Op<"vpmaddwd", [AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "s16 x s16 products, adjacent pairs summed into i32";
  let description = [{
    Result lane i is `a[2i] * b[2i] + a[2i+1] * b[2i+1]` in i32 (exact but
    for -32768 * -32768 twice). 8 lanes give 4 (`pmaddwd`, SSE2), 16 give 8
    (`vpmaddwd`, AVX2).

    ```mlir
    %w = qc_x86.vpmaddwd %p, %ones : vector<16xi16> -> vector<8xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[8, 16], [I16]>:$lhs,
                       VectorOfLengthAndType<[8, 16], [I16]>:$rhs);
  let results = (outs VectorOfLengthAndType<[4, 8], [I32]>:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
  let hasVerifier = 1;
}

def X86_PSignBOp : X86_Op<"vpsignb", [SameOperandsAndResultType]> {
  let summary = "bytes of a negated, zeroed or kept by the sign of b";
  let description = [{
    Result lane i is `a[i]` where `b[i] > 0`, `0` where `b[i] = 0` and
    `-a[i]` (wrapping) where `b[i] < 0`. `psignb` (SSSE3) on 16 bytes,
    `vpsignb` (AVX2) on 32.

    ```mlir
    %s = qc_x86.vpsignb %a, %b : vector<32xi8>
    ```
  }];
  let arguments = (ins X86_Bytes:$a, X86_Bytes:$b);
  let results = (outs X86_Bytes:$result);
  let assemblyFormat = "$a `,` $b attr-dict `:` type($result)";
}

def X86_PShufBOp : X86_Op<"vpshufb", [SameOperandsAndResultType]> {
  let summary = "byte table lookup within each 16-byte lane";
  let description = [{
    Result byte i is `0` when bit 7 of `indices[i]` is set, else
    `table[16 * (i / 16) + (indices[i] & 15)]`: a lookup in a 16-entry table
    per 128-bit lane. `pshufb` (SSSE3) on 16 bytes, `vpshufb` (AVX2) on 32.

    ```mlir
    %v = qc_x86.vpshufb %table, %codes : vector<16xi8>
    ```
  }];
  let arguments = (ins X86_Bytes:$table, X86_Bytes:$indices);
  let results = (outs X86_Bytes:$result);
  let assemblyFormat = "$table `,` $indices attr-dict `:` type($result)";
}

def X86_PermBOp : X86_Op<"vpermb", [SameOperandsAndResultType]> {
  let summary = "byte table lookup across a whole 512-bit register";
  let description = [{
    Result byte i is `table[indices[i] & 63]`: one lookup in a 64-entry
    byte table per lane (`vpermb zmm`, AVX512-VBMI: Ice Lake and later,
    AMD Zen 4 and 5). The LUT kernels hold four 16-entry tables in one
    register and pick the table with index bits 4-5.

    ```mlir
    %v = qc_x86.vpermb %table, %indices : vector<64xi8>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[64], [I8]>:$table,
                       VectorOfLengthAndType<[64], [I8]>:$indices);
  let results = (outs VectorOfLengthAndType<[64], [I8]>:$result);
  let assemblyFormat = "$table `,` $indices attr-dict `:` type($result)";
}

def X86_PermPSOp : X86_Op<"vpermps", [AllTypesMatch<["table", "result"]>]> {
  let summary = "f32 lanes picked across the whole register";
  let description = [{
    Result lane i is `table[indices[i] & (L - 1)]` for L lanes: 8 on
    256-bit vectors (`vpermps ymm`, AVX2), 16 on 512-bit vectors
    (`vpermps zmm`, AVX512-F: a 16-entry table, one 4-bit codebook such as
    NF4 in one instruction).

    ```mlir
    %v = qc_x86.vpermps %table, %indices : vector<8xf32>, vector<8xi32>
    %w = qc_x86.vpermps %t16, %i16 : vector<16xf32>, vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[8, 16], [F32]>:$table,
                       VectorOfLengthAndType<[8, 16], [I32]>:$indices);
  let results = (outs VectorOfLengthAndType<[8, 16], [F32]>:$result);
  let hasVerifier = 1;
  let assemblyFormat = "$table `,` $indices attr-dict `:` type($table) `,` type($indices)";
}

def X86_DPBUSDOp : X86_Op<"vpdpbusd", [AllTypesMatch<["acc", "result"]>,
    AllTypesMatch<["unsignedBytes", "signedBytes"]>]> {
  let summary = "u8 x s8 products, four adjacent summed into each i32 lane";
  let description = [{
    Result lane i is `acc[i] + sum_{t < 4} u[4i + t] * s[4i + t]` with `u`
    read as unsigned and `s` as signed bytes, wrapping in i32 (no
    saturation; `vpdpbusds` would saturate). The VNNI instruction: 64 bytes
    (`vpdpbusd zmm`, AVX512-VNNI), 32 (`vpdpbusd ymm`, AVX512-VNNI with
    AVX512-VL, or AVX-VNNI's VEX form) or 16 (xmm). One instruction does
    what AVX2 does with `vpmaddubsw`, `vpmaddwd` and an add, without the i16
    saturation of `vpmaddubsw`.

    ```mlir
    %acc1 = qc_x86.vpdpbusd %acc, %u, %s : vector<16xi32>, vector<64xi8>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[4, 8, 16], [I32]>:$acc,
                       VectorOfLengthAndType<[16, 32, 64], [I8]>:$unsignedBytes,
                       VectorOfLengthAndType<[16, 32, 64], [I8]>:$signedBytes);
  let results = (outs VectorOfLengthAndType<[4, 8, 16], [I32]>:$result);
  let assemblyFormat = "$acc `,` $unsignedBytes `,` $signedBytes attr-dict `:` type($acc) `,` type($unsignedBytes)";
  let hasVerifier = 1;
}

#endif // QC_DIALECT_X86_IR_X86OPS_TD
