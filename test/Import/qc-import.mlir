// qc-import: safetensors and .npy tensors become dense_resource blobs whose
// bytes are the file's (little-endian, row-major; the hex form starts with
// the blob's alignment as a 32-bit word). The expected bytes are written by
// hand from the values weightfiles.py stores.
// RUN: rm -rf %t && mkdir -p %t && %python %S/weightfiles.py %t

// One function per tensor, in file order.
// RUN: qc-import %t/good.safetensors %t/arange.npy --emit=text | FileCheck %s --check-prefix=ALL
// ALL-LABEL: func.func @lin.weight() -> tensor<2x4xf32>
// ALL-NEXT: arith.constant dense_resource<lin.weight> : tensor<2x4xf32>
// ALL-LABEL: func.func @lin.bias() -> tensor<2xf16>
// ALL-LABEL: func.func @emb() -> tensor<1x2xbf16>
// ALL-LABEL: func.func @arange() -> tensor<4xf32>
// ALL: lin.weight: "0x04000000000000000000803F0000004000004040000080400000A0400000C0400000E040"
// ALL: lin.bias: "0x02000000003800B8"
// ALL: emb: "0x02000000803F0040"
// ALL: arange: "0x04000000000000000000803F0000004000004040"

// Linear layers: "lin.weight" (N x K) with "lin.bias" becomes @lin, a float
// qc.matmul (the f16 bias widened to f32); the rest stays a tensor.
// RUN: qc-import %t/good.safetensors --linears='^lin' --emit=text | FileCheck %s --check-prefix=LIN
// LIN-LABEL: func.func @lin(%arg0: tensor<?x4xf32>) -> tensor<?x2xf32>
// LIN: qc.matmul %arg0, %{{.*}} bias(%{{.*}} : tensor<2xf32>) : tensor<?x4xf32>, tensor<2x4xf32> -> tensor<?x2xf32>
// LIN-LABEL: func.func @emb()
// LIN-NOT: func.func @lin.bias
// LIN: lin.bias: "0x040000000000003F000000BF"

// Bytecode by default; qc-opt reads it back, and the layer is quantizable.
// RUN: qc-import %t/good.safetensors --linears='^lin' --select='^lin' -o %t/lin.mlirbc
// RUN: head -c 4 %t/lin.mlirbc | od -An -c | FileCheck %s --check-prefix=MAGIC
// MAGIC: M   L 357 R
// RUN: qc-opt %t/lin.mlirbc --qc-quantize-model='policy=w4g128' 2>&1 | FileCheck %s --check-prefix=QUANT
// QUANT: 'lin.weight' left float: layer 'lin.weight' (2 x 4) cannot take the format #qc.int<s4>, f16 #qc.per_block<[1, 128]>: per_block block size 128 does not divide dimension 1 of size 4

// --into fills the blobs a module names, checking shape and element type.
// RUN: qc-import %t/good.safetensors --into=%S/Inputs/template.mlir --emit=text | FileCheck %s --check-prefix=INTO
// INTO: func.func @use
// INTO: lin.weight: "0x04000000000000000000803F
// INTO-NOT: emb:

// Bad inputs: a clear error, exit code 1.
// RUN: not qc-import %t/truncated.safetensors 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: qc-import: {{.*}}truncated.safetensors: tensor 'lin.bias': its data [32, 36) runs past the end of the data (30 bytes): the file is truncated
// RUN: not qc-import %t/short-header.safetensors 2>&1 | FileCheck %s --check-prefix=SHORT
// SHORT: the header length 1048576 runs past the end of the file ({{[0-9]+}} bytes): truncated, or not a safetensors file
// RUN: not qc-import %t/tiny.safetensors 2>&1 | FileCheck %s --check-prefix=TINY
// TINY: not a safetensors file: 3 bytes, shorter than the 8-byte header length
// RUN: not qc-import %t/not-json.safetensors 2>&1 | FileCheck %s --check-prefix=JSON
// JSON: the header is not JSON
// RUN: not qc-import %t/bad-dtype.safetensors 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: tensor 'x': dtype F8_E5M2 is not supported (F64, F32, F16, BF16, I64, I32, I16, I8, U8)
// RUN: not qc-import %t/bad-size.safetensors 2>&1 | FileCheck %s --check-prefix=SIZE
// SIZE: tensor 'x': shape [3] of F32 needs 12 bytes, its data_offsets give 8
// RUN: not qc-import %t/fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: fortran.npy: Fortran-order arrays are not supported
// RUN: not qc-import %t/complex.npy 2>&1 | FileCheck %s --check-prefix=COMPLEX
// COMPLEX: dtype '<c8' is not supported
// RUN: not qc-import %t/arange-truncated.npy 2>&1 | FileCheck %s --check-prefix=NPYTRUNC
// NPYTRUNC: the array needs 16 bytes of data, the file holds 13: truncated
// RUN: not qc-import %t/no-such-file.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: qc-import: cannot read {{.*}}no-such-file.npy
// RUN: not qc-import %t/good.safetensors --into=%S/Inputs/template-mismatch.mlir 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: qc-import: shape mismatch for 'lin.weight': the module has tensor<4x2xf32>, the input has tensor<2x4xf32>
// RUN: not qc-import %t/good.safetensors --into=%S/Inputs/template-missing.mlir 2>&1 | FileCheck %s --check-prefix=NOTENSOR
// NOTENSOR: the module names dense_resource<nowhere>, which no input holds and the module does not define
// RUN: not qc-import %t/good.safetensors %t/good.safetensors 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: two inputs hold a tensor named 'lin.weight'
// RUN: not qc-import %t/good.safetensors --linears='^nothing' 2>&1 | FileCheck %s --check-prefix=NOLIN
// NOLIN: --linears='^nothing' matches no 2-D tensor named '<prefix>.weight'
// RUN: not qc-import %t/good.safetensors --select='(' 2>&1 | FileCheck %s --check-prefix=REGEX
// REGEX: --select='(' is not a regex
