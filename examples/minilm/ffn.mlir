// MiniLM-L6's first encoder layer, feed-forward block: Linear 384 -> 1536,
// GELU (BERT's exact form, 0.5 x (1 + erf(x / sqrt 2))), Linear 1536 -> 384.
// The weights are dense_resource blobs named by their safetensors names;
// `qc-import model.safetensors --into=ffn.mlir` fills them.
func.func @ffn(%x: tensor<?x384xf32>) -> tensor<?x384xf32> {
  %c0 = arith.constant 0 : index
  %w1 = arith.constant dense_resource<"encoder.layer.0.intermediate.dense.weight"> : tensor<1536x384xf32>
  %b1 = arith.constant dense_resource<"encoder.layer.0.intermediate.dense.bias"> : tensor<1536xf32>
  %w2 = arith.constant dense_resource<"encoder.layer.0.output.dense.weight"> : tensor<384x1536xf32>
  %b2 = arith.constant dense_resource<"encoder.layer.0.output.dense.bias"> : tensor<384xf32>
  %h = qc.matmul %x, %w1 bias(%b1 : tensor<1536xf32>)
      : tensor<?x384xf32>, tensor<1536x384xf32> -> tensor<?x1536xf32>
  %m = tensor.dim %x, %c0 : tensor<?x384xf32>
  %init = tensor.empty(%m) : tensor<?x1536xf32>
  %g = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%h : tensor<?x1536xf32>) outs(%init : tensor<?x1536xf32>) {
  ^bb0(%v: f32, %out: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %rsqrt2 = arith.constant 0.70710678118654752 : f32
    %s = arith.mulf %v, %rsqrt2 : f32
    %e = math.erf %s : f32
    %p = arith.addf %e, %one : f32
    %hv = arith.mulf %v, %half : f32
    %r = arith.mulf %hv, %p : f32
    linalg.yield %r : f32
  } -> tensor<?x1536xf32>
  %y = qc.matmul %g, %w2 bias(%b2 : tensor<384xf32>)
      : tensor<?x1536xf32>, tensor<384x1536xf32> -> tensor<?x384xf32>
  return %y : tensor<?x384xf32>
}
