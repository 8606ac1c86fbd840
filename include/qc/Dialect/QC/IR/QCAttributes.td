//===- QCAttributes.td - qc attributes ---------------------*- tablegen -*-===//

#ifndef QC_DIALECT_QC_IR_QCATTRIBUTES_TD
#define QC_DIALECT_QC_IR_QCATTRIBUTES_TD

include "qc/Dialect/QC/IR/QCBase.td"
include "qc/Dialect/QC/IR/QCInterfaces.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/EnumAttr.td"

class QC_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<QC_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

//===----------------------------------------------------------------------===//
// Grids
//===----------------------------------------------------------------------===//

class QC_GridAttr<string name, string attrMnemonic>
    : QC_Attr<name, attrMnemonic, [DeclareAttrInterfaceMethods<
          QC_GridAttrInterface>]>;

def QC_IntGridAttr : QC_GridAttr<"IntGrid", "int"> {
  let summary = "two's complement or unsigned integer grid of 1 to 8 bits";
  let description = [{
    `#qc.int<sB>` is the signed grid [-2^(B-1), 2^(B-1) - 1] stored in B-bit
    two's complement; `#qc.int<uB>` the unsigned grid [0, 2^B - 1];
    `#qc.int<sB, narrow>` drops the most negative value, giving the symmetric
    range [-2^(B-1) + 1, 2^(B-1) - 1]. `encode` rounds half to even and
    saturates to the range.

    ```mlir
    #qc.int<s4>          // -8 .. 7
    #qc.int<u4>          // 0 .. 15
    #qc.int<s8, narrow>  // -127 .. 127
    ```
  }];
  let parameters = (ins "unsigned":$width, "bool":$isSigned, "bool":$narrow);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

def QC_FloatGridAttr : QC_GridAttr<"FloatGrid", "float"> {
  let summary = "OCP minifloat grid (E2M1, E3M2, E2M3, E4M3, E5M2)";
  let description = [{
    The values of a builtin minifloat type: `f4E2M1FN` (FP4), `f6E3M2FN`,
    `f6E2M3FN` (FP6), `f8E4M3FN`, `f8E5M2` (FP8). Codes are the type's bit
    patterns. `encode` rounds to nearest, ties to even, and saturates to the
    largest finite value (OCP MX conversion); NaN and infinity patterns are
    never produced.

    ```mlir
    #qc.float<f4E2M1FN>   // {0, +-0.5, +-1, +-1.5, +-2, +-3, +-4, +-6}
    ```
  }];
  let parameters = (ins "::mlir::Type":$type);
  let assemblyFormat = "`<` $type `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The numerics format for a supported minifloat type, else null.
    static const ::mlir::qc::numerics::FloatFormat *getFormat(::mlir::Type type);
  }];
}

def QC_NF4GridAttr : QC_GridAttr<"NF4Grid", "nf4"> {
  let summary = "the 4-bit NormalFloat grid of QLoRA";
  let description = [{
    Sixteen values in [-1, 1], codes 0..15 ascending: 7 negative, 0 and 8
    positive quantiles of N(0, 1), normalized by the largest
    (`-1.0, -0.6961928009986877, ..., 0.7229568362236023, 1.0`). `encode`
    picks the nearest value, ties to the smaller code.

    ```mlir
    #qc.nf4
    ```
  }];
}

def QC_CodebookGridAttr : QC_GridAttr<"CodebookGrid", "codebook"> {
  let summary = "arbitrary lookup-table grid of 2^b values";
  let description = [{
    Code `i` decodes to `values[i]`. The table has 2^b entries (1 <= b <= 8),
    finite and pairwise distinct, in any order. `encode` picks the nearest
    value; ties go to the smaller code.

    ```mlir
    #qc.codebook<[-1.5, -0.5, 0.5, 1.5]>   // 2-bit codes
    ```
  }];
  let parameters = (ins "::mlir::DenseF64ArrayAttr":$values);
  // Printed exactly (the shortest decimal that reads back as the same f64).
  let assemblyFormat = "`<` custom<ExactF64Array>($values) `>`";
  let genVerifyDecl = 1;
}

def QC_TernaryGridAttr : QC_GridAttr<"TernaryGrid", "ternary"> {
  let summary = "the ternary grid {-1, 0, +1}";
  let description = [{
    Three values stored as 2-bit two's complement (`0b11` = -1, `0b00` = 0,
    `0b01` = +1), as BitNet b1.58 uses them. `encode` rounds half to even and
    saturates.

    ```mlir
    #qc.ternary
    ```
  }];
}

def QC_BinaryGridAttr : QC_GridAttr<"BinaryGrid", "binary"> {
  let summary = "the bipolar grid {-1, +1}";
  let description = [{
    One bit per code: code 0 is -1, code 1 is +1. `encode(x)` is +1 for
    `x >= 0` and -1 otherwise.

    ```mlir
    #qc.binary
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Granularities
//===----------------------------------------------------------------------===//

class QC_GranularityAttr<string name, string attrMnemonic>
    : QC_Attr<name, attrMnemonic, [DeclareAttrInterfaceMethods<
          QC_GranularityAttrInterface>]>;

def QC_PerTensorAttr : QC_GranularityAttr<"PerTensor", "per_tensor"> {
  let summary = "one scale for the whole tensor";
  let description = [{
    The scale tensor has rank 0.

    ```mlir
    !qc.qtensor<16x64, #qc.int<s8>, f32 #qc.per_tensor>   // scales: tensor<f32>
    ```
  }];
}

def QC_PerAxisAttr : QC_GranularityAttr<"PerAxis", "per_axis"> {
  let summary = "one scale per index along one axis (per channel)";
  let description = [{
    `#qc.per_axis<a>`: elements with the same index along dimension `a`
    share a scale; the scale tensor is 1-D with the length of dimension `a`
    (dynamic if that dimension is).

    ```mlir
    !qc.qtensor<4096x1024, #qc.int<s8>, f32 #qc.per_axis<0>>  // scales: tensor<4096xf32>
    ```
  }];
  let parameters = (ins "int64_t":$axis);
  let assemblyFormat = "`<` $axis `>`";
  let genVerifyDecl = 1;
}

def QC_PerBlockAttr : QC_GranularityAttr<"PerBlock", "per_block"> {
  let summary = "one scale per block of a fixed shape";
  let description = [{
    `#qc.per_block<[b0, ..., bn-1]>` partitions the tensor into blocks of
    `b0 x ... x bn-1` elements; each `b_d` must divide dimension `d`. The
    scale tensor has shape `[d0 / b0, ..., dn-1 / bn-1]`; element
    `[i0, ..., in-1]` uses scale `[i0 floordiv b0, ..., in-1 floordiv bn-1]`.
    Blocks along a dynamic dimension must have extent 1. Groups of G along
    the reduction axis of an `NxK` weight are `[1, G]`; 2-D tiles such as
    DeepSeek's 128x128 are `[128, 128]`.

    ```mlir
    !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>  // scales: tensor<4096x32xf16>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$blockSizes);
  let genVerifyDecl = 1;
  let assemblyFormat = "`<` `[` $blockSizes `]` `>`";
}

//===----------------------------------------------------------------------===//
// Layouts
//===----------------------------------------------------------------------===//

def QC_TiledLayoutAttr : QC_Attr<"TiledLayout", "tiled",
    [DeclareAttrInterfaceMethods<QC_LayoutAttrInterface>]> {
  let summary = "row-tiled order of a matrix's packed code bytes";
  let description = [{
    `#qc.tiled<rows = R, chunk_bytes = C>` on a rank-2 `!qc.qtensor` (the
    `layout` parameter) says how its packed codes (`qc.constant`,
    `qc.assemble packed`) are ordered in memory. Each row's codes are packed
    as usual (lsb first) into whole bytes; then each group of `R`
    consecutive rows is stored chunk by chunk: bytes `[c*C, (c+1)*C)` of the
    group's rows `0..R-1`, then chunk `c+1`, and so on. A kernel that
    computes `R` rows at once reads one sequential stream, as llama.cpp's
    repacked Q4_0x8 does. The logical codes (`qc.disassemble`, unpacked
    `qc.assemble`, `qc.dequantize`) do not depend on the layout.
    `qc-cpu-repack-weights` picks the layout of the CPU kernel that will read
    a constant weight.

    ```mlir
    !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>, layout #qc.tiled<rows = 4, chunk_bytes = 32>>
    ```
  }];
  let parameters = (ins "int64_t":$rows, "int64_t":$chunkBytes);
  let assemblyFormat = "`<` `rows` `=` $rows `,` `chunk_bytes` `=` $chunkBytes `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Where byte `i` of row `n` of the row-major stream is stored.
    int64_t getByteIndex(int64_t n, int64_t i, int64_t rowBytes) const;
    /// The same as index arithmetic on IR values (numerics::tiledByteIndex
    /// in `arith`), for a lowering that unpacks one code at a time.
    ::mlir::Value buildByteIndex(::mlir::qc::IndexArithmetic &arith,
                                 ::mlir::Value n, ::mlir::Value i,
                                 int64_t rowBytes) const;
  }];
}

def QC_BitPlanesAttr : QC_Attr<"BitPlanes", "bit_planes",
    [DeclareAttrInterfaceMethods<QC_LayoutAttrInterface>]> {
  let summary = "codes stored as separate planes of bit fields";
  let description = [{
    `#qc.bit_planes<[W0, W1, ...]>` on a `!qc.qtensor` (the `layout`
    parameter) splits every code's bits into fields, least significant
    first: plane `p` holds bits `[o_p, o_p + W_p)` of each code, where `o_p`
    is the sum of the widths before it. The packed codes are plane 0's
    stream (field 0 of every code in row-major order, packed lsb first as
    usual), then plane 1's, and so on. Widths are 1, 2 or 4, there are at
    least two planes, they add up to the grid's bit width, and each plane
    fills whole bytes (static shape, element count times width a multiple
    of 8), so the packed size is that of the dense stream.

    Planes let a kernel read a code width that does not divide 8 with
    aligned loads and shifts: 3-bit codes as `[2, 1]` (a 2-bit plane and a
    1-bit plane). `[1, 1, 1, 1]` stores a 4-bit code as four single-bit
    planes (plane `i` = bit `i`), the form binary and LUT kernels read.
    `qc-cpu-repack-weights` puts a 3-bit constant weight into `[2, 1]`
    planes for the CPU kernel. The logical codes do not depend on the
    layout.

    With `tile = #qc.tiled<rows = R, chunk_bytes = C>` (rank-2 tensors),
    each plane's stream is in that row-tiled order, its rows being the
    plane's `K * W_p / 8` bytes: the form of the CPU's table-lookup (LUT)
    kernels, which read 16 rows x 4 bytes (32 codes of each row) of a
    1-bit plane as one 64-byte load (`#qc.tiled<rows = 16, chunk_bytes =
    4>`; `qc-cpu-repack-weights` chooses it for 1-bit planes on AVX-512
    VBMI when the cost model prefers the lookups and K and the blocks are
    multiples of 32), or 16 rows x 2 bytes (`chunk_bytes = 2`: the AVX2
    form, and other K).

    ```mlir
    !qc.qtensor<4096x4096, #qc.int<s3>, f32 #qc.per_block<[1, 128]>, layout #qc.bit_planes<[2, 1]>>
    !qc.qtensor<4096x4096, #qc.int<s2>, f32 #qc.per_block<[1, 128]>, layout #qc.bit_planes<[1, 1], tile = #qc.tiled<rows = 16, chunk_bytes = 4>>>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$widths,
                        OptionalParameter<"TiledLayoutAttr">:$tile);
  let assemblyFormat = "`<` `[` $widths `]` (`,` `tile` `=` $tile^)? `>`";
  let builders = [
    AttrBuilder<(ins "::llvm::ArrayRef<int64_t>":$widths), [{
      return $_get($_ctxt, widths, TiledLayoutAttr());
    }]>
  ];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The widths as a std::vector (the numerics library's form).
    std::vector<int64_t> getWidthVector() const {
      return std::vector<int64_t>(getWidths().begin(), getWidths().end());
    }
    /// How each plane is tiled (numerics::packBitPlanes) for a tensor of
    /// `shape`: none without `tile`.
    ::mlir::qc::numerics::PlaneTiling getPlaneTiling(::llvm::ArrayRef<int64_t> shape) const;
  }];
}

//===----------------------------------------------------------------------===//
// Rotations
//===----------------------------------------------------------------------===//

def QC_HadamardAttr : QC_Attr<"Hadamard", "hadamard",
    [DeclareAttrInterfaceMethods<QC_RotationAttrInterface>]> {
  let summary = "a normalized Hadamard rotation, optionally Kronecker and signed";
  let description = [{
    `#qc.hadamard<N [, paley1 = q | paley2 = q | williamson = n]
    [, seed = S | signs = [...]]>` is the orthogonal N x N matrix

    ```
    Q = D * (H_K (x) H_m) / sqrt(N),      N = K * m, m a power of two
    ```

    * `H_m`: Sylvester's Hadamard matrix (`H_1 = [1]`,
      `H_2j = [[H_j, H_j], [H_j, -H_j]]`).
    * `H_K`: the base matrix of order K, `[1]` (K = 1) or the construction
      the keyword names. Paley bases use the field GF(q) of the prime power
      `q = p^e`: element number x (0 <= x < q) is the polynomial whose
      coefficients are x's base-p digits, modulo the monic irreducible
      polynomial of degree e whose lower coefficients, read as base-p
      digits, form the smallest number (`t` for a prime: the integers
      modulo q; `t^2 + 1` for q = 9, `t^2 + 2` for 25, `t^3 + 2t + 1` for
      27). `chi` is its quadratic character (0 at 0, 1 on nonzero squares,
      -1 else) and `J[i][j] = chi(x_j - x_i)`:
      * `paley1 = q` (q = 3 mod 4), K = q + 1: `H = I + [[0, 1^T], [-1, J]]`
        (`paley1 = 11`: K = 12, `19`: 20, `27`: 28, `59`: 60, `107`: 108,
        `139`: 140, ...);
      * `paley2 = q` (q = 1 mod 4), K = 2(q + 1):
        `H = C (x) [[1, 1], [1, -1]] + I (x) [[1, -1], [-1, -1]]` with
        `C = [[0, 1^T], [1, J]]` (`paley2 = 13`: K = 28, `17`: 36, `25`:
        52, `73`: 148, ...);
      * `williamson = n`, K = 4n, for n = 23, 29, 39, 43 (K = 92, 116,
        156, 172): `H = [[A, B, C, D], [-B, A, -D, C], [-C, D, A, -B],
        [-D, -C, B, A]]` with the symmetric circulant matrices
        `X[i][j] = x[(j - i) mod n]` whose first rows `a, b, c, d` are
        these published sequences (M. Hall, Combinatorial Theory, 1983, for
        n = 23, 29, 43; S. London, PhD thesis, UIC 2013, for n = 39):
      ```
      n = 23 a: ++---+---+-++-+---+---+
      n = 23 b: +-++-++--++++++--++-++-
      n = 23 c: +++---++-+-++-+-++---++
      n = 23 d: +++-+++-+------+-+++-++
      n = 29 a: +++---++--+-+----+-+--++---++
      n = 29 b: +-+---++--+-++++++-+--++---+-
      n = 29 c: ++++-++-+---++++++---+-++-+++
      n = 29 d: ++--+--+-+++-++++-+++-+--+--+
      n = 39 a: +++--+-+-----+--++----++--+-----+-+--++
      n = 39 b: +++--++-+---+-+--+----+--+-+---+-++--++
      n = 39 c: ++++---+--++----+-+--+-+----++--+---+++
      n = 39 d: +---++-+-+-----+++-++-+++-----+-+-++---
      n = 43 a: ++---++++-+--+--++--------++--+--+-++++---+
      n = 43 b: +++-+-++--+-+-++++-+----+-++++-+-+--++-+-++
      n = 43 c: ++-++++++----+-+--++-++-++--+-+----++++++-+
      n = 43 d: +---++--++++-+-+++-++--++-+++-+-++++--++---
      ```
      K is at most 1024. Libraries disagree on these bases (Sloane's
      table, QuaRot's copies of it), so the construction is named rather
      than the order alone. **Without a named base** the parser picks the
      base of smallest order that covers N (a power of two needs none;
      within an order: a prime field before a prime power, Paley I before
      Paley II, Paley before Williamson) and prints it: `#qc.hadamard<11008>`
      is `#qc.hadamard<11008, williamson = 43>` (172 * 64), and
      `#qc.hadamard<40>` is `#qc.hadamard<40, paley1 = 19>` (20 * 2). A
      size no base covers is an error that names the larger bases that
      would and the nearest sizes that work.
    * `D`: the identity, or `diag(signs)` (each 1 or -1); `seed = S` (an
      unsigned 64-bit integer) gives, for i = 0, ..., N - 1, with wrapping
      64-bit arithmetic:
      ```
      z = S + i * 0x9E3779B97F4A7C15
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
      z = (z ^ (z >> 27)) * 0x94D049BB133111EB
      z = z ^ (z >> 31)
      d_i = (z & 1) ? -1 : 1
      ```
      the splitmix64 finalizer of state `S + i * gamma` (so `d_0` comes from
      `S` itself, one step before splitmix64's first output;
      `mlir::qc::numerics::randomSigns`).

    `Q` is symmetric only without a base and without signs; otherwise
    `Q^T != Q` and the transpose must be written (`qc.rotate ... transpose`).

    ```mlir
    #qc.hadamard<4096>                      // Sylvester, symmetric
    #qc.hadamard<3072, paley1 = 11>         // H_12 (x) H_256
    #qc.hadamard<14336, paley2 = 13, seed = 7>
    #qc.hadamard<11008>                     // = williamson = 43: H_172 (x) H_64
    ```
  }];
  // The base (none, Paley I or II, Williamson) is the numerics library's
  // enum; `q` is the base's parameter (Paley's prime power, Williamson's n,
  // 0 without a base); `seed`, when present, expands to the signs.
  let parameters = (ins "int64_t":$size, "::mlir::qc::numerics::HadamardBase":$base,
                        "int64_t":$q, "std::optional<uint64_t>":$seed,
                        ArrayRefParameter<"int8_t">:$signs);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The numerics library's description (signs expanded from the seed).
    ::mlir::qc::numerics::HadamardSpec getSpec() const;
    /// A Hadamard rotation of `size` with the base `#qc.hadamard<size>`
    /// chooses (numerics::smallestCoveringBase); random signs with a seed
    /// >= 0. Null when no base covers the size
    /// (numerics::explainUncoveredSize says why).
    static HadamardAttr getForSize(::mlir::MLIRContext *ctx, int64_t size,
                                   int64_t seed = -1);
  }];
}

def QC_OrthogonalAttr : QC_Attr<"Orthogonal", "orthogonal",
    [DeclareAttrInterfaceMethods<QC_RotationAttrInterface>]> {
  let summary = "a dense orthogonal matrix";
  let description = [{
    `#qc.orthogonal<dense<...> : tensor<N x N x f32|f64>>` (or a
    `dense_resource` of that type) is the rotation by the given matrix `Q`
    (learned rotations such as SpinQuant's, or any other orthogonal
    transform). It is lowered as a dense product (O(N^2) per vector),
    unlike `#qc.hadamard`.

    The entries must be finite, and `Q` orthogonal with tolerance `t` =
    1e-5 for f32 entries, 1e-12 for f64, checked in float64:
    * N <= 256: exactly, `max |Q Q^T - I| <= t` (O(N^3));
    * N > 256: Freivalds' test, O(N^2): for two fixed pseudo-random vectors
      `v` (entry i of vector r is the top 53 bits of the i-th splitmix64
      output from state r, scaled to [-1, 1); r = 1, 2),
      `max |v Q Q^T - v| <= N t max |v|`. Every matrix that passes the exact
      test passes this one; a matrix that is not orthogonal passes it when
      its error along those two directions is below that bound (an entry
      off by 0.05 fails at N = 512; one off by 0.01 passes at N = 4096).
    A `dense` matrix is checked when the attribute is built; a
    `dense_resource` one, whose blob is read after the attribute, by the
    verifier of the op that holds it (`qc.rotate`) and by every pass before
    it uses the entries.

    ```mlir
    #qc.orthogonal<dense<[[0.6, 0.8], [-0.8, 0.6]]> : tensor<2x2xf64>>
    #qc.orthogonal<dense_resource<spin_q> : tensor<4096x4096xf32>>
    ```
  }];
  let parameters = (ins "::mlir::ElementsAttr":$matrix);
  let assemblyFormat = "`<` $matrix `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Q row-major in float64, or failure while a dense_resource blob is
    /// not available.
    ::mlir::FailureOr<std::vector<double>> getEntries() const;
  }];
}

def QC_PermutationAttr : QC_Attr<"Permutation", "permutation",
    [DeclareAttrInterfaceMethods<QC_RotationAttrInterface>]> {
  let summary = "a permutation of the channels along an axis";
  let description = [{
    `#qc.permutation<[p_0, ..., p_(n-1)]>`, holding each of 0..n-1 once, is
    the rotation by the permutation matrix `P[i][j] = (i == p_j)`: rotating
    a vector gathers, and the transpose scatters,

    ```
    y[j] = x[p_j]        (x * P)
    y[p_j] = x[j]        (x * P^T, with `transpose`)
    ```

    so it composes, cancels (`P * P^T = I`; `P` is symmetric exactly when
    it is an involution) and folds into weights like any rotation
    (`qc-fuse-rotations`), and a quantized tensor may be stored permuted
    (`rotated #qc.permutation<...> along K`). Unlike other rotations it
    commutes with every elementwise op. It is lowered as a gather (one load
    per element), never as a product with `P`. `qc-rearrange-outliers`
    builds these to regroup outlier channels.

    An entry outside [0, n), or a value given twice, is an error that names
    its position; the size must be the rotated axis'.

    ```mlir
    %y = qc.rotate %x by #qc.permutation<[2, 0, 3, 1]> along 1 : tensor<?x4xf32>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$perm);
  let assemblyFormat = "`<` `[` $perm `]` `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The inverse permutation (the attribute of P^T).
    PermutationAttr getInverse() const;
  }];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def QC_ScaleMethod : I32EnumAttr<"ScaleMethod",
    "how qc.quantize chooses scales and zero points", [
      I32EnumAttrCase<"absmax", 0>,
      I32EnumAttrCase<"minmax", 1>,
      I32EnumAttrCase<"mse", 2>,
      I32EnumAttrCase<"absmean", 3>,
      I32EnumAttrCase<"mx", 4>,
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::qc";
}

def QC_ScaleMethodAttr : EnumAttr<QC_Dialect, QC_ScaleMethod, "method"> {
  let assemblyFormat = "`<` $value `>`";
}

def QC_Rounding : I32EnumAttr<"Rounding",
    "how qc.quantize rounds a scaled value to an integer grid", [
      I32EnumAttrCase<"nearest_even", 0>,
      I32EnumAttrCase<"toward_zero", 1>,
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::qc";
}

def QC_RoundingAttr : EnumAttr<QC_Dialect, QC_Rounding, "rounding"> {
  let assemblyFormat = "`<` $value `>`";
}

def QC_NestingMode : I32EnumAttr<"NestingMode",
    "how qc.requantize drops the low bits of integer codes", [
      I32EnumAttrCase<"msb_slice", 0>,
      I32EnumAttrCase<"round_shift", 1>,
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::qc";
}

def QC_NestingModeAttr : EnumAttr<QC_Dialect, QC_NestingMode, "nesting"> {
  let assemblyFormat = "$value";
}

#endif // QC_DIALECT_QC_IR_QCATTRIBUTES_TD
