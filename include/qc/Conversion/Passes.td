//===- Passes.td - qc conversion passes --------------------*- tablegen -*-===//

#ifndef QC_CONVERSION_PASSES_TD
#define QC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQCToLinalg : Pass<"convert-qc-to-linalg", "::mlir::ModuleOp"> {
  let summary = "reference lowering of every qc op to linalg, tensor, arith and math";
  let description = [{
    Lowers every `qc` op to upstream tensor-level dialects with exactly the
    semantics the op descriptions state (f32 arithmetic, the grid's tie
    rules, the scale methods of `qc.quantize`). It is the reference every
    faster lowering is checked against: correct, not fast.

    A `!qc.qtensor` value becomes its parts (codes `tensor<SHAPE x iB>`,
    scales, then zero points and outer scales when the type has them), also
    across function signatures, calls and returns. Scales and zero points
    stored in a float format without LLVM support (f8, f6, f4, E8M0) travel
    as integer tensors holding their bit patterns.

    Grids are decoded with a table of their 2^B values and encoded with the
    numerics library's decision tables (midpoints with the tie rule, a B-step
    binary search), so run-time quantization gives the codes compile-time
    quantization gives.

    An op that carries a quantized tensor and is not a qc op, `func.func`,
    `func.call`, `func.return` or structured `scf` control flow gets an error
    naming it.

    ```mlir
    func.func @f(%q: !qc.qtensor<8x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>)
        -> tensor<8x64xf32> {
      %x = qc.dequantize %q : !qc.qtensor<8x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
          -> tensor<8x64xf32>
      return %x : tensor<8x64xf32>
    }
    // becomes
    func.func @f(%codes: tensor<8x64xi4>, %scales: tensor<8x2xf16>) -> tensor<8x64xf32> {
      %table = arith.constant dense<[0.0, 1.0, ..., -1.0]> : tensor<16xf32>
      %x = linalg.generic {indexing_maps = [(i, j) -> (i, j),
                                            (i, j) -> (i, j floordiv 32),
                                            (i, j) -> (i, j)], ...}
          ins(%codes, %scales : ...) outs(...) {
        // x = s * (table[code] - 0)
      }
      return %x : tensor<8x64xf32>
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ConvertQCToCPU : Pass<"convert-qc-to-cpu", "::mlir::ModuleOp"> {
  let summary = "lower qc.matmul with packed low-bit weights to vectorized CPU kernels";
  let description = [{
    Replaces `qc.matmul` ops that a CPU kernel covers with a call to a
    kernel function emitted into the module (one per weight shape and
    format), built with the `vector`, `arith`, `scf` and `memref` dialects
    and `qc_x86` instruction ops on memrefs: the packed codes stay packed in
    memory and are unpacked in registers. Scratch buffers (the permuted
    activations, per-block activation sums) are allocated by the caller, so
    that buffer deallocation frees them like any other buffer. Everything else is
    left for `convert-qc-to-linalg`, so the two passes together lower any qc
    program (`qc-cpu-pipeline`).

    Kernels (f32 results, any M; the weight is a `qc.constant` with packed
    codes, what `qc-quantize-constants` makes, or a `qc.assemble packed`,
    N x K with f32, f16 or bf16 scales per row or per 1 x G block, no outer
    scales):
    * Weight-only, f32 activations: 2-, 3-, 4- or 8-bit codes of any grid
      that decodes in registers: integers (signed, or unsigned with integer
      or float zero points), grids whose values are small multiples of one
      unit (E2M1, ternary: one `vpshufb`), and 3- and 4-bit f32 tables (NF4,
      codebooks: two `vpermps`, or one 16-entry `vpermps zmm` on AVX-512
      targets). G * bits must be a multiple of 128 (G a multiple of 64 for
      3-bit codes).
    * Integer dot product: 2-, 3-, 4- or 8-bit `#qc.int` weights (signed, or
      with integer zero points) times activations quantized to
      `#qc.int<s8>` with f32 scales per row (`#qc.per_axis<0>`) or per
      1 x G block, exact in i32 within each block, on the best instructions
      the target has: `vpdpbusd` on 512-bit vectors (AVX512-F/BW/VL/VNNI),
      `vpdpbusd` on 256-bit vectors (AVX-VNNI, or AVX512-VNNI with -VL), or
      AVX2's `vpmaddubsw`/`vpmaddwd` (where 8-bit weights must be signed and
      the weights or the activations `narrow`: the `vpabsb`/`vpsignb` sign
      trick). A shape that does not tile a wider vector (K or a block not a
      multiple of 64 codes for zmm) gets the next narrower kernel; the
      kernel names end in `_vnni512` or `_vnni256`. G * bits must be a
      multiple of 128; activation blocks a multiple of the kernel's chunk
      (or half of it). On VNNI a weight in the row-lane tile
      `#qc.tiled<rows = 16 (8 for ymm), chunk_bytes = 4>` (2-, 4- or 8-bit
      codes without zero points; what `qc-cpu-repack-weights` gives
      constants there) gets the row-lane kernel (`_rowlanes`), whose
      vector lanes are weight rows. With AMX-INT8 as well (the target
      features `amx-tile` and `amx-int8`; `-amx-int8` turns it off) the
      512-bit row-lane kernel (`_amx`) runs whole blocks of 16 activation
      rows on AMX tiles and the rest on `vpdpbusd`: each thread takes a
      chunk of at most 256 rows, unpacks 4 panels of 16 weight rows at a
      time to one byte per code (signed codes as their values, `tdpbssd`,
      which needs no offset correction; unsigned codes `tdpbsud`) and
      multiplies them with 16 x 16 i32 tiles, 4 conversion blocks at a
      time, whose sums take the `vpdpbusd` tiles' f32 update (scales,
      mins). The kernel asks Linux for the tile state on every call with 16
      rows or more (`arch_prctl(ARCH_REQ_XCOMP_PERM)` by a `syscall`
      instruction); where it is refused, every row takes `vpdpbusd`.
    * 1-bit, binary and (in their planes, or where no integer-dot kernel
      reads them) 2- to 4-bit weights times int8 activations take the
      table-lookup (LUT) kernel: per activation row, exact int8 tables of
      the partial sums of every 4 activations; per plane, `vpermb` lookups
      summed by `vpdpbusd` on AVX-512 VBMI (`_lut`), or `vpshufb` lookups
      widened to i16 and i32 elsewhere (`_lut..._shuf`, AVX2). A cost model
      (vector instructions per 16 x 16 codes) chooses between it and the
      integer-dot kernel; `remarks` gives the choice and both costs.
    * The activations' `qc.quantize` to `#qc.int<s8>` with absmax f32 scales
      per row or per 1 x G block (G a multiple of 8) runs a vectorized
      kernel with the reference's arithmetic (bit for bit, NaN and
      infinities included).
    A weight with a `#qc.tiled` layout is read in that order when it is the
    kernel's (`qc-cpu-repack-weights` makes it so). 3-bit codes are read only
    as `#qc.bit_planes<[2, 1]>` (a 2-bit plane and a 1-bit plane, which
    `qc-cpu-repack-weights` makes for constant weights). Nested weights:
    `qc.requantize msb_slice` of a packed weight in `#qc.bit_planes` whose
    top plane has the result's R bits is read in place, the kernel of the
    R-bit type viewing that plane of the stored bytes (`_planeBoO` in its
    name: B stored bits, the plane at bit O); its scales and mins are
    computed at compile time for a constant, by a small elementwise pass at
    run time for a `qc.assemble`, or, for a symmetric weight on the
    row-lane kernel, by the kernel as it loads the stored scales (`_ns`).
    The same weight read at full width in two planes `[d, R]` becomes two
    matmuls: the top plane as above and the low plane (a slice of the same
    bytes) as unsigned d-bit codes whose mins put back the slice offset.
    Another layout keeps the reference lowering. A weight stored rotated along K
    (`rotated R along 1`) with f32 activations runs as `(a R^T) W_s^T`: the
    activations go through the Hadamard kernel first.

    `qc.rotate` by `#qc.hadamard` along the last axis of an f32 matrix (the
    power-of-two factor at least 8) becomes a call to a fast Walsh-Hadamard
    kernel on 8-lane vectors, or 16-lane ones on AVX-512 targets when the
    factor is a multiple of 16 (in-register first stages, radix-4 butterflies in L1, a base
    of order <= 28 as unrolled adds, a larger one as a K x K f32 table
    argument applied with broadcast FMAs: every base qc builds); when its only user quantizes the rows to
    `#qc.int<s8>` with per-row absmax f32 scales, the kernel does that too.

    Each kernel is built once per spec: the `qc.kernel_spec` attribute on
    the kernel function holds every field that changes its code (grid and
    decode table, widths, narrow ranges, scale and zero-point types,
    layout, the target features the code uses), and kernels are found by
    it, never by name; names are unique through the symbol table. Calls are
    `qc.kernel_call`s, which One-Shot Bufferize sees read and write.

    The kernels sum per block and then across blocks, while the reference
    accumulates `a * w` over k in order, so results agree with the reference
    lowering to f32 rounding, not bitwise.

    Kernels are selected for the target (`target-triple`, `target-features`,
    both the host's by default): the instructions of a kernel (its `qc_x86`
    ops) name the CPU features they need (`avx2`, `ssse3`, `sse2`,
    `avx512vnni+avx512bw`, `avx512vnni+avx512vl|avxvnni`), and a
    matmul or rotation whose kernel needs a feature the target lacks keeps
    the reference lowering, so a program compiled for a CPU without AVX2
    never contains an AVX2 instruction.

    With `remarks`, every `qc.matmul` and `qc.rotate` left to the reference
    lowering gets a remark saying why (the first unsupported property), and
    the module gets one remark counting the kernels emitted and the ops
    left.

    ```mlir
    %w = qc.assemble packed %bytes, %s
        : !qc.qtensor<32x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>
    %y = qc.matmul %a, %w : tensor<?x64xf32>, !qc.qtensor<32x64, ...> -> tensor<?x32xf32>
    // becomes
    %y0 = tensor.empty(%m) : tensor<?x32xf32>
    %ap = tensor.empty(%m) : tensor<?x64xf32>        // the kernel's scratch
    %y:2 = qc.kernel_call @qc_cpu_w4_int_n32_k64_g32_f16
        ins(%a, %bytes, %s : tensor<?x64xf32>, tensor<1024xi8>, tensor<32x2xf16>)
        outs(%y0, %ap : tensor<?x32xf32>, tensor<?x64xf32>) -> ...
    func.func private @qc_cpu_w4_int_n32_k64_g32_f16(memref<?x64xf32>, memref<1024xi8>,
        memref<32x2xf16>, memref<?x32xf32>, memref<?x64xf32>)
        attributes {qc.kernel_spec = {family = "cpu.float_dot", n = 32, k = 64, ...}} {
      // scf.parallel over weight rows; vector loads of the packed bytes,
      // shifts and masks, qc_x86.vpshufb, vector.fma
    }
    ```
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark for each qc.matmul and qc.rotate left to the "
           "reference lowering, saying why, and one summary remark on the "
           "module">,
    Option<"targetTriple", "target-triple", "std::string", /*default=*/"\"\"",
           "The target's triple (empty: the host's). Kernels are emitted only "
           "for x86-64">,
    Option<"targetFeatures", "target-features", "std::string",
           /*default=*/"\"host\"",
           "The target CPU's features, as LLVM names them, comma-separated "
           "(\"avx2,fma\", \"+avx2,-fma\"), or \"host\" for the features of "
           "the CPU qc runs on. A kernel is emitted only when the target has "
           "every feature its instructions need">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::qc::x86::X86Dialect",
    "::mlir::amx::AMXDialect",
  ];
}

def MaterializeLayouts : Pass<"qc-materialize-layouts", "::mlir::ModuleOp"> {
  let summary = "repack constant weights into the storage their target's kernels read";
  let description = [{
    One pass for every target: for each `qc.matmul` whose weight is a
    `qc.constant` with row-major packed codes, asks the target (an
    attribute with `KernelTargetAttrInterface`: `#llvm.target<...>` for a
    CPU, `#nvvm.target<...>` for an NVIDIA GPU) in which type its kernel
    reads the weight, and when that differs rewrites the constant at
    compile time: the codes repacked by the layout's own `packCodes`
    (`#qc.tiled`, `#qc.bit_planes`, `#qc_nvvm.mma_fragments`), scales widened
    to the kernel's scale type. The values are the same; the matmul gets
    the new constant (the original stays for other users, or is erased).
    A matmul the target has no kernel for is left as it is (with
    `remarks`, a remark says why).

    Nested weights go first. A row-major constant that `qc.requantize
    msb_slice` reads at R bits (1, 2 or 4) into a matmul is stored once as
    `#qc.bit_planes<[low planes..., R]>` (the dropped bits in planes of 4,
    2 and 1 bits, then R), each plane in the tile the narrow matmul's kernel
    reads, so that kernel reads the top plane in place and the full-width
    readers read the planes (`convert-qc-to-cpu`); the remark says which
    layout. Every other `qc.requantize` of a row-major constant (a rounding
    shift, a width with no plane layout) is folded into a constant of its
    own, which is then repacked like any other.

    The target is the module's `qc.target` attribute. A missing one, or an
    attribute without the interface (its back end's models not
    registered), is an error. `qc-cpu-repack-weights` and `qc-nvvm-layout`
    are this pass for the host CPU and for an NVIDIA GPU.

    ```mlir
    module attributes {qc.target = #nvvm.target<chip = "sm_90">} {
      %w = qc.constant ... : !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
      // becomes
      %w = qc.constant ... : !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>,
                                           layout #qc_nvvm.mma_fragments>
    }
    ```
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "A remark for each weight left as it is, saying why">,
  ];
}

def RepackCPUWeights : Pass<"qc-cpu-repack-weights", "::mlir::ModuleOp"> {
  let summary = "repack constant weights into the form their CPU kernel reads fastest";
  let description = [{
    For each `qc.matmul` whose weight is a `qc.constant` with packed codes
    that `convert-qc-to-cpu` will give a kernel, rewrites the weight at
    compile time, recording each change in its type:
    * when the kernel computes R > 1 weight rows at once, the packed bytes
      move into its `#qc.tiled<rows = R, chunk_bytes = C>` layout, so that
      it reads one sequential stream instead of R (llama.cpp's Q4_0x8
      repacking, as a type);
    * 3-bit codes move from the dense stream into the
      `#qc.bit_planes<[2, 1]>` planes the kernels read;
    * f16 and bf16 scales become f32 (exact), so that the kernel
      broadcasts them from memory instead of converting one per block
      (measured: W4A8 GEMV 1.15-1.19x faster for 3% more weight bytes with
      blocks of 128).
    The layout depends on the target's instructions: on a VNNI target an
    integer kernel's weight goes into the row-lane tile
    `#qc.tiled<rows = 16 (8 for AVX-VNNI), chunk_bytes = 4>` (4 bytes of
    each of 16 rows per vector), elsewhere into the K-major tile (which the
    VNNI kernels read too). The values are the same: only the storage
    differs. The matmul gets a new constant; the original stays for its
    other users (or is erased). Zero points and outer scales are
    unchanged. A row-major constant that `qc.requantize msb_slice` reads
    at fewer bits is stored once, in planes whose top one the narrow
    kernel reads in place (see `qc-materialize-layouts`). This is
    `qc-materialize-layouts` with the target CPU (`target-triple`,
    `target-features`, the host's by default) as the target.

    ```mlir
    %w = qc.constant codes(dense_resource<qc_codes> : tensor<8192xi8>) ...
        : !qc.qtensor<128x128, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    %y = qc.matmul %qa, %w : ...
    // becomes
    %w = qc.constant codes(dense_resource<qc_codes> : tensor<8192xi8>) ...
        : !qc.qtensor<128x128, #qc.int<s4>, f32 #qc.per_block<[1, 128]>,
                      layout #qc.tiled<rows = 4, chunk_bytes = 32>>
    ```
  }];
  let options = [
    Option<"targetTriple", "target-triple", "std::string", /*default=*/"\"\"",
           "The target's triple (empty: the host's)">,
    Option<"targetFeatures", "target-features", "std::string",
           /*default=*/"\"host\"",
           "The target CPU's features, as for convert-qc-to-cpu: which "
           "kernels' layouts the weights get">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "A remark for each weight left as it is, saying why, and for "
           "each nested weight stored in planes or requantization folded">,
  ];
}

def VectorizeCPULinalg : Pass<"qc-cpu-vectorize-linalg", "::mlir::ModuleOp"> {
  let summary = "tile, vectorize and parallelize a program's float linalg ops for the CPU";
  let description = [{
    The rest of a model around its quantized matmuls (attention's
    activation-by-activation contractions, softmax, layer norms, GELU and
    other elementwise chains, pooling) is linalg on tensors. This pass gives
    each such op (in every function that is not a qc kernel) the shape of a
    CPU loop nest, with upstream's transformations:
    1. elementwise producers with one reader fuse into their reader
       (linalg's elementwise fusion); then each contraction of computed
       values (attention's p . v) with batch loops (parallel loops that its
       output and every computed input index, other than its vector and row
       block loops: sentence and head) roots a chain: its elementwise
       reader, if it has one, and every op before it whose readers are all
       in the chain and which one batch computes once (upstream's
       tileConsumerAndFuseProducersUsingSCF into one `scf.forall` over the
       batch loops, equal slices merged by CSE, slices of empty tensors
       made empty tensors of one batch). One iteration computes one head's
       scores, softmax and p . v while they are in the core's cache; the
       ops inside take steps 3-6 without threads of their own;
    2. the op's parallel loops outside its vector are tiled by 1 into one
       `scf.forall` (OpenMP threads once qc-cpu-pipeline lowers it), and its
       reduction loops outside the vector by 1 into `scf.for`, inside the
       parallel ones;
    3. the vector: the innermost loop, tiled to 4 x the target's f32
       lanes (16 with AVX-512, else 8) elements; for a contraction, the
       innermost reduction and the output's innermost loop, up to 32
       registers of accumulators; each size taken whole when it fits, else
       the largest multiple of the lanes that divides it. A contraction
       whose vector covers a reduction also takes a register block of up to
       4 output rows that one input does not read (q's rows in q . k^T),
       threads taking chunks of 32 rows and an `scf.for` the blocks;
    4. every `scf.for` over tiles whose step may not divide its range
       (dynamic sizes) is peeled (upstream's peelForLoopAndSimplifyBounds):
       the full tiles get constant sizes, which canonicalization turns into
       static shapes, and only the one partial tile keeps masks;
    5. linalg's vectorizer turns each tile into vector ops; reductions
       lower to vector reductions that may reassociate (a maximum or
       minimum as a tree of elementwise ops over halves), outer reductions
       to elementwise accumulation; vector multiplies and adds may contract
       into FMAs; exp, erf and tanh on vectors take MLIR's polynomial
       approximations (f32 error a few ulp);
    6. a reduction loop's accumulators (the output's slice, the same in
       every iteration) are read before the loop and written after it
       (upstream's hoistLoopInvariantSubsets): they stay in registers.
    An op the vectorizer cannot take (its precondition fails) stays a tiled
    scalar loop nest, still threaded; with `remarks` each such op gets a
    remark saying why, and a summary counts the ops vectorized.
    qc ops are not touched: run it before convert-qc-to-linalg (as
    qc-cpu-pipeline does), so qc's reference lowering stays the reference.

    ```mlir
    // A row maximum over a dynamic row length (AVX2: 8 lanes).
    %m = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
                                          affine_map<(i, j) -> (i)>],
                         iterator_types = ["parallel", "reduction"]}
        ins(%x : tensor<?x?xf32>) outs(%init : tensor<?xf32>) {...}
    // becomes
    %m = scf.forall (%i) in (%rows) shared_outs(%o = %init) {
      // Full tiles: no mask.
      %full = scf.for %j = %c0 to %cols_down_to_32 step %c32 iter_args(...) {
        %v = vector.transfer_read %x[...] : tensor<1x32xf32>, vector<32xf32>
        ... (maximum over halves of %v, then the accumulator)
      }
      // The partial tile.
      %r = scf.for %j = %cols_down_to_32 to %cols step %c32 iter_args(...) {
        %mask = vector.create_mask %c1, %n : vector<1x32xi1>
        %v = vector.transfer_read %x[...], %pad, %m0 : ..., vector<32xf32>
        %s = arith.select %mask, %v, %neg_inf : ...
        ...
      }
      scf.forall.in_parallel { tensor.parallel_insert_slice ... }
    }
    ```
  }];
  let options = [
    Option<"targetTriple", "target-triple", "std::string", /*default=*/"\"\"",
           "The target's triple (empty: the host's)">,
    Option<"targetFeatures", "target-features", "std::string",
           /*default=*/"\"host\"",
           "The target CPU's features, as for convert-qc-to-cpu: the vector "
           "width (16 f32 lanes with avx512f, else 8)">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "A remark per op left scalar and a summary">,
    Option<"fuseChains", "fuse-chains", "bool", /*default=*/"true",
           "Fuse each chain around a contraction of computed values "
           "(attention) into one loop over its batch loops (step 1); false "
           "tiles every op on its own (bench/attention_fusion.py compares)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect", "::mlir::affine::AffineDialect",
    "::mlir::tensor::TensorDialect", "::mlir::math::MathDialect",
    "::mlir::linalg::LinalgDialect",
    // The AVX2 8 x 8 transpose blends with LLVM inline assembly.
    "::mlir::LLVM::LLVMDialect"
  ];
}

def ConvertQCX86ToLLVM : Pass<"convert-qc-x86-to-llvm"> {
  let summary = "lower qc_x86 instruction ops to LLVM intrinsic calls";
  let description = [{
    Replaces every `qc_x86` op by `llvm.call_intrinsic` of the LLVM intrinsic
    it names, with the same operands and result types. `qc-cpu-pipeline` runs
    it after buffer deallocation: until then the kernels consist of `Pure`
    ops that every upstream pass understands, while `llvm.call_intrinsic`
    has unknown memory effects.

    ```mlir
    %p = qc_x86.vpmaddubsw %u, %s : vector<32xi8> -> vector<16xi16>
    // becomes
    %p = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%u, %s)
        : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def ImportQuant : Pass<"qc-import-quant", "::mlir::ModuleOp"> {
  let summary = "import upstream quant.qcast / dcast / scast into qc ops and types";
  let description = [{
    Converts programs of upstream MLIR's `quant` dialect into qc:
    `tensor<SHAPE x !quant.uniform<...>>` becomes `!qc.qtensor<SHAPE, ...>`
    with the integer grid of the storage range, whatever the storage type
    (`i8<-127:127>` is `#qc.int<s8, narrow>`, `i8<-8:7>` is `#qc.int<s4>`;
    a 1- to 8-bit range, full or signed narrow), scales of the expressed
    type (f64 when the scales are f32 values, imported as f32) and, when any
    zero point is not 0, `i32` zero points.
    Per-tensor types become `#qc.per_tensor`, per-axis types
    `#qc.per_axis<d>`, sub-channel types `#qc.per_block<[...]>` (block
    sizes not given are the whole dimension), or, when their scales vary
    along at most one dimension, `#qc.per_tensor` / `#qc.per_axis<d>` (what
    upstream's normalize-quant-types makes of them, which dynamic shapes can
    have).

    * `quant.qcast` -> `qc.quantize` with the type's scales and zero points
      as constants and `rounding<toward_zero>`: upstream's `lower-quant-ops`
      computes `fptosi(x / s + z)` then clamps, so the imported program
      gives upstream's numbers (for values in the storage range; out of
      range upstream's `fptosi` is poison, qc saturates).
    * `quant.dcast` -> `qc.dequantize`.
    * `quant.scast` -> `qc.assemble` (integers to quantized) or the codes
      of `qc.disassemble` (quantized to integers).
    * Function signatures, calls and returns follow.

    A scalar quantized value (`f32` to `!quant.uniform<...>`, as most of
    upstream's own tests write) becomes a one-element `!qc.qtensor<1, ...>`,
    entering through `tensor.from_elements` and leaving through
    `tensor.extract`; a 0-d tensor likewise, through `tensor.expand_shape`
    and `tensor.collapse_shape`. A dynamic per-axis dimension takes the
    number of scales as its size (`tensor.cast` at the casts). An unranked
    tensor is flattened as upstream's `lower-quant-ops` flattens it: per
    tensor to `[?]`, per axis `a` to `[?, C, ?]` with `#qc.per_axis<1>`;
    its shape (`tensor.rank`, `tensor.dim`) travels beside the qtensor as a
    `tensor<?xindex>` (also through function signatures) and
    `tensor.reshape` restores it.

    Conversion never folds: upstream folds `quant.dcast(quant.qcast(x))` to
    `x`, which silently drops a quantization pair. A quantized type that
    cannot be imported (a storage range qc has no grid for, an unranked
    sub-channel type, an f64 scale that is no f32 value) and any other op
    carrying one are errors.
    qc-reference-pipeline and qc-cpu-pipeline run this pass first.

    ```mlir
    %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8<-127:127>:f32, 2.0:3>>
    // becomes
    %s = arith.constant dense<2.0> : tensor<f32>
    %z = arith.constant dense<3> : tensor<i32>
    %q = qc.quantize %x scales(%s : tensor<f32>) zero_points(%z : tensor<i32>)
        rounding<toward_zero> : tensor<4xf32>
        -> !qc.qtensor<4, #qc.int<s8, narrow>, f32 #qc.per_tensor, zero_point i32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::qc::QCDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ExportQuant : Pass<"qc-export-quant", "::mlir::ModuleOp"> {
  let summary = "export qc's quantized values to upstream's quant dialect where it can express them";
  let description = [{
    The inverse of qc-import-quant for the subset upstream expresses:
    integer grids per tensor, per axis or per block, scales (and integer
    zero points) that are constants, `qc.quantize` with
    `rounding<toward_zero>` (-> `quant.qcast`), `qc.dequantize`
    (-> `quant.dcast`), `qc.assemble` of unpacked codes and the codes of
    `qc.disassemble` (-> `quant.scast`). Each thing upstream cannot say is
    an error naming it: a codebook, float or NF4 grid, rotations, bit
    planes, tiled layouts, two-level scales, scales computed at run time, a
    `qc.quantize` that rounds half to even (upstream's `quant.qcast`
    truncates), and quantized values used by any other op (`qc.matmul`) or
    crossing a function boundary.
  }];
  let dependentDialects = [
    "::mlir::quant::QuantDialect",
  ];
}

def NVVMLayout : Pass<"qc-nvvm-layout", "::mlir::ModuleOp"> {
  let summary = "repack constant weights into the tensor-core fragment order of their NVIDIA kernel";
  let description = [{
    For each `qc.matmul` whose weight is a `qc.constant` with packed codes
    and whose shape and format `convert-qc-to-nvvm` gives the W4A16 kernel
    (f16 or bf16 activations, `#qc.int<s4>` or `#qc.int<u4>` weights, with
    or without integer zero points, in `1 x 128` blocks of scales of the
    activations' type, N a multiple of 64), rewrites the packed codes at compile
    time into `#qc_nvvm.mma_fragments`, the order in which each lane's 16-byte
    load is its share of eight `mma.sync.m16n8k16` B operands, and records
    it in the type. The values are the same; the matmul gets the new
    constant. This is `qc-materialize-layouts` with an NVIDIA GPU as the
    target.

    ```mlir
    %w = qc.constant ... : !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    // becomes
    %w = qc.constant ... : !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>,
                                         layout #qc_nvvm.mma_fragments>
    ```
  }];
  let dependentDialects = ["::mlir::qc::nvvm::QCNVVMDialect"];
}

def ConvertQCToNVVM : Pass<"convert-qc-to-nvvm", "::mlir::ModuleOp"> {
  let summary = "lower qc.matmul with packed low-bit weights to NVIDIA tensor-core kernels";
  let description = [{
    Replaces each `qc.matmul` an NVIDIA kernel covers with a call to a host
    function that copies the operands to the GPU, launches the kernel (a
    `gpu.func` in the module's `gpu.module @qc_nvvm_kernels`, which carries
    the `#nvvm.target` for `chip`), and copies the result back. Everything
    else is left for `convert-qc-to-linalg` on the host
    (`qc-nvvm-pipeline`); with `remarks`, each matmul left says why.

    Kernels:
    * W4A16 (`qc_nvvm_w4a16_*[_bf16][_zp|_u4]`): f16 or bf16 activations
      (`M x K`, any M) times a `qc.constant` 4-bit weight (`#qc.int<s4>`,
      `#qc.int<u4>`, either with integer zero points that are codes of the
      grid, as AWQ's and GPTQ's are) in `1 x 128` blocks of scales of the
      activations' type, stored `#qc_nvvm.mma_fragments` (what `qc-nvvm-layout`
      makes), N a multiple of 64, f32 result: Marlin's structure (4-stage
      `cp.async` pipeline with one barrier per k tile, `ldmatrix.x4`, LOP3
      magic-number dequantization to f16x2 or bf16x2 with no `cvt`,
      `mma.sync.m16n8k16` f16 or bf16 with f32 accumulation, split-K with
      atomics so that small M fills the GPU). Zero points reach the kernel
      as per-block offsets in the activations' type, converted on the host.
      Bias and accumulator are added on the host.
    * W8A8 (`qc_nvvm_w8a8_*`): `#qc.int<s8>` activations with f32 scales
      per row (`#qc.per_axis<0>`) times a packed `#qc.int<s8>` weight with
      f32 scales per row, N and K multiples of 64, f32 result: 64 x 64
      block tiles of 4 warps, a 3-stage `cp.async` pipeline, `ldmatrix.x4`
      for both operands, `mma.sync.m16n8k32` s8 x s8 -> s32 (exact), both
      scales applied to the i32 sum in the epilogue. When the activations
      come from a run-time `qc.quantize` (absmax per row, no scale
      operands, round half to even) of f32 or f16 values, the host function
      takes the float values and quantizes them on the GPU first
      (`qc_nvvm_quantize_rows_s8_*`: a warp per row, the reference's
      arithmetic, so the codes and scales are the same bit for bit);
      otherwise it takes their codes and scales.

    Chips: `sm_80` and later (`sm_90` uses the same f16 and s8 MMAs, which
    it runs natively; no 4-bit MMA, which sm_90 would emulate).

    ```mlir
    %y = qc.matmul %a, %w : tensor<?x4096xf16>, !qc.qtensor<4096x4096, ..., layout #qc_nvvm.mma_fragments>
        -> tensor<?x4096xf32>
    // becomes
    call @qc_nvvm_w4a16_n4096_k4096_g128_split8_host(%am, %wm, %sm, %ym) : (...) -> ()
    gpu.module @qc_nvvm_kernels [#nvvm.target<chip = "sm_80", ...>] {
      gpu.func @qc_nvvm_w4a16_n4096_k4096_g128_split8(...) kernel { ... }
    }
    ```
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_80\"",
           "The GPU: sm_80, sm_86, sm_89, sm_90 (kernels need sm_80 or later)">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark for each qc.matmul left to the reference lowering, "
           "saying why, and one summary remark on the module">,
  ];
  let dependentDialects = [
    "::mlir::qc::nvvm::QCNVVMDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def WriteGPUBinaries : Pass<"qc-write-gpu-binaries", "::mlir::ModuleOp"> {
  let summary = "write the objects of each gpu.binary to files";
  let description = [{
    For each `gpu.binary @NAME` (what `gpu-module-to-binary` makes) and each
    of its objects, writes the object's bytes to `DIR/NAME.CHIP.EXT`, EXT
    being `ptx` (format `isa`), `cubin` (`bin`), `fatbin` or `llvm` (an
    offload object), so that the PTX and the cubin can be read, assembled
    with `ptxas -v` or inspected with `llvm-readelf`. The module is not
    changed. `qc-nvvm-pipeline{dump-dir=DIR}` ends with it.
  }];
  let options = [
    Option<"dir", "dir", "std::string", /*default=*/"\".\"",
           "The directory to write to (created if missing)">,
  ];
}

def NVVMHostFunctions : Pass<"qc-nvvm-host-functions", "::mlir::ModuleOp"> {
  let summary = "write the bodies of the host functions that launch qc's NVIDIA kernels";
  let description = [{
    `convert-qc-to-nvvm` declares, for each kernel, a host function on
    memrefs with a `qc.nvvm_launch = {kernel, grid, rows_per_block,
    threads}` attribute (and optionally an entry `quantize` of the same
    form); this pass (run after buffer deallocation, which
    rejects `gpu.launch_func`'s unknown memory effects) gives it its body:
    a device buffer per argument, the inputs copied in, the output (last
    argument) zeroed, `gpu.launch_func` on a grid of
    `(grid[0], grid[1], ceil(M / rows_per_block))` blocks of `threads`
    threads (M: the first argument's rows), the output copied back, the
    buffers freed. Byte buffers are passed to the kernel as 32-bit words.
    With `quantize`, the first argument is float activations: that kernel
    runs first and writes their int8 codes and row scales into two more
    device buffers, which the main kernel gets in their place.

    Arguments listed in an entry `constants` (indices; static shapes, the
    identity layout: a constant weight's bytes and scales) are not copied
    per call: `qcCudaConstant(host pointer, bytes)` from qc's runtime
    uploads each constant the first time it sees its host address (a
    `memref.get_global`, fixed for the program's life) and returns the same
    device buffer on every later call; it is never freed. With M = 0 rows
    nothing is allocated, copied or launched (a grid with no blocks is a
    driver error). A malformed attribute is an error.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def CheckCUDAToolkit : Pass<"qc-check-cuda-toolkit", "::mlir::ModuleOp"> {
  let summary = "fail unless the named CUDA toolkit has ptxas";
  let description = [{
    An error, and a failed pass, when `toolkit` is not a directory holding
    `bin/ptxas`. `gpu-module-to-binary` only reports a missing `toolkit=`
    directory and goes on with whatever ptxas it finds elsewhere;
    `qc-nvvm-pipeline{toolkit=...}` runs this first, so a toolkit that was
    asked for is the one used.
  }];
  let options = [
    Option<"toolkit", "toolkit", "std::string", /*default=*/"\"\"",
           "The CUDA toolkit's directory">,
  ];
}

#endif // QC_CONVERSION_PASSES_TD
