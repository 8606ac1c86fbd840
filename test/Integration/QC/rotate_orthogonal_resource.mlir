// A rotation by a #qc.orthogonal matrix stored as a dense_resource blob,
// through the reference lowering: [1, 2] * [[0.6, 0.8], [-0.8, 0.6]]
// = [1 * 0.6 + 2 * -0.8, 1 * 0.8 + 2 * 0.6] = [-1, 2]; transposed,
// [1 * 0.6 + 2 * 0.8, 1 * -0.8 + 2 * 0.6] = [2.2, 0.4].
// RUN: qc-opt %s --qc-reference-pipeline | %mlir-run | FileCheck %s
// CHECK: [-1,   2]
// CHECK: [2.2,   0.4]
func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %y = qc.rotate %x by #qc.orthogonal<dense_resource<q> : tensor<2x2xf64>> along 1 : tensor<1x2xf32>
  %t = qc.rotate %x by #qc.orthogonal<dense_resource<q> : tensor<2x2xf64>> along 1 transpose : tensor<1x2xf32>
  %yc = tensor.cast %y : tensor<1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%yc) : (tensor<*xf32>) -> ()
  %tc = tensor.cast %t : tensor<1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%tc) : (tensor<*xf32>) -> ()
  return
}
{-#
  dialect_resources: {
    builtin: {
      q: "0x08000000333333333333E33F9A9999999999E93F9A9999999999E9BF333333333333E33F"
    }
  }
#-}
