//===- Passes.td - qc transformation passes ----------------*- tablegen -*-===//

#ifndef QC_DIALECT_QC_TRANSFORMS_PASSES_TD
#define QC_DIALECT_QC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QuantizeConstants : Pass<"qc-quantize-constants"> {
  let summary = "quantize constant float weights at compile time";
  let description = [{
    Rewrites `qc.quantize` of a float constant (`arith.constant` with a dense
    or `dense_resource` value, static shape) into a `qc.constant` whose codes
    are packed into bytes (B bits per code, least significant bit first) and
    whose scales, zero points and outer scales are computed once, with the
    numerics library: the same arithmetic the run-time lowering performs, so
    both give bit-identical codes.

    Codes and every byte-sized part go into `dense_resource` blobs named
    after the constant (`qc_codes`, `qc_scales`, ... with a numeric suffix
    when taken), so a large weight never becomes a text array. Parts in
    sub-byte float formats (f4/f6 scales) stay `dense` attributes.

    ```mlir
    %w = arith.constant dense_resource<w> : tensor<4096x4096xf32>
    %q = qc.quantize %w : tensor<4096x4096xf32>
        -> !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    // becomes
    %q = qc.constant {codes = dense_resource<qc_codes> : tensor<8388608xi8>,
                      scales = dense_resource<qc_scales> : tensor<4096x32xf16>}
        : !qc.qtensor<4096x4096, #qc.int<s4>, f16 #qc.per_block<[1, 128]>>
    ```
  }];
  let dependentDialects = ["::mlir::qc::QCDialect"];
}

#endif // QC_DIALECT_QC_TRANSFORMS_PASSES_TD
