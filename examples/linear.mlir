// A float Linear layer y = x W^T + b (8 outputs, 16 inputs) whose weight is
// quantized to signed int4 in groups of 8 along K with f16 scales
// (absmax: s = max|w| / 7 per group). The activation rows are a runtime
// batch (M = ?). @main runs it on two rows and prints the result.
//
//   qc-opt examples/linear.mlir --qc-quantize-constants   (see the blobs)
//   qc-opt examples/linear.mlir --qc-reference-pipeline \
//     | mlir-runner -e main -entry-point-result=void \
//         -shared-libs=/usr/lib/llvm-22/lib/libmlir_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so
func.func @linear(%x: tensor<?x16xf32>) -> tensor<?x8xf32> {
  %w = arith.constant dense<[
      [0.126, -0.132, 0.640, 0.105, -0.536, 0.362, 1.304, 0.947, -0.704, -1.265, -0.623, 0.041, -2.325, -0.219, -1.246, -0.732],
      [-0.544, -0.316, 0.412, 1.043, -0.129, 1.366, -0.665, 0.352, 0.903, 0.094, -0.743, -0.922, -0.458, 0.220, -1.010, -0.209],
      [-0.159, 0.541, 0.215, 0.355, -0.654, -0.130, 0.784, 1.493, -1.259, 1.514, 1.346, 0.781, 0.264, -0.314, 1.458, 1.960],
      [1.802, 1.315, 0.357, -1.208, -0.004, 0.656, -1.288, 0.395, 0.430, 0.696, -1.184, -0.662, -0.436, -1.170, 1.739, -0.496],
      [0.329, -0.259, 1.583, 1.320, 0.633, -2.204, 0.052, 0.684, 1.004, -0.618, 1.822, -1.320, -0.662, 0.935, 0.049, 2.002],
      [0.189, -0.633, -0.378, -1.091, -1.278, 0.630, 0.581, 1.295, -0.755, 1.689, -0.287, 1.574, -0.433, -0.735, 0.250, 1.031],
      [0.161, -0.586, -1.341, -1.402, 0.503, 0.990, -0.164, -1.074, 0.873, -1.280, -0.713, 0.621, -2.250, 0.386, -0.582, 0.109],
      [-0.076, 0.202, 0.694, -0.758, 1.421, 0.726, 0.844, 1.165, 0.788, 0.844, 0.076, -1.427, -0.135, -0.770, -1.423, 0.258]]> : tensor<8x16xf32>
  %b = arith.constant dense<[-0.569, -1.030, -1.043, 0.268, 0.359, 1.322, -0.014, 1.042]> : tensor<8xf32>
  %qw = qc.quantize %w : tensor<8x16xf32>
      -> !qc.qtensor<8x16, #qc.int<s4>, f16 #qc.per_block<[1, 8]>>
  %y = qc.matmul %x, %qw bias(%b : tensor<8xf32>)
      : tensor<?x16xf32>, !qc.qtensor<8x16, #qc.int<s4>, f16 #qc.per_block<[1, 8]>>
      -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

func.func @main() {
  %x = arith.constant dense<[
      [1.0, 0.5, -0.25, 2.0, 0.0, -1.0, 1.5, 0.75, -0.5, 0.25, 1.0, -2.0, 0.125, 0.0, 1.0, -1.5],
      [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<2x16xf32>
  %xd = tensor.cast %x : tensor<2x16xf32> to tensor<?x16xf32>
  %y = call @linear(%xd) : (tensor<?x16xf32>) -> tensor<?x8xf32>
  %yu = tensor.cast %y : tensor<?x8xf32> to tensor<*xf32>
  call @printMemrefF32(%yu) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
