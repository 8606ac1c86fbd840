// qc-allocate-bits with a user cost table and sensitivities from attributes.

// A user cost table (a latency, say) with its limit: 1 + 3 <= 4.5 < 3 + 3,
// so only one layer can take the second format; sensitivities from an
// attribute: the 100x more sensitive layer gets it.
// RUN: qc-opt %s --qc-allocate-bits='formats="#qc.int<s4>, f16 #qc.per_block<[1, 128]>; #qc.int<s8>, f16 #qc.per_block<[1, 128]>" cost-attr=qc.latency max-cost=4.5 sensitivity=attr' 2>&1 | FileCheck %s --check-prefix=COST
// COST-LABEL: func.func @cost_table
// COST: -> !qc.qtensor<1x128, #qc.int<s4>
// COST: qc.name = "cold"
// COST: -> !qc.qtensor<1x128, #qc.int<s8>
// COST: qc.name = "hot"
func.func @cost_table(%x: tensor<?x128xf32>) -> (tensor<?x1xf32>, tensor<?x1xf32>) {
  %w = arith.constant dense<[[0.2955, 0.9093, -0.5298, -0.7728, 0.7290, 0.5849, -0.8797, -0.3582, 0.9720, 0.1078, -0.9998, 0.1499, 0.9612, -0.3976, -0.8587, 0.6188, 0.6992, -0.7990, -0.4933, 0.9262, 0.2547, -0.9918, 0.0009, 0.9915, -0.2564, -0.9255, 0.4949, 0.7980, -0.7005, -0.6174, 0.8596, 0.3959, -0.9616, -0.1481, 0.9998, -0.1095, -0.9716, 0.3599, 0.8788, -0.5864, -0.7278, 0.7739, 0.5283, -0.9100, -0.2938, 0.9858, 0.0398, -0.9960, 0.2169, 0.9401, -0.4591, -0.8218, 0.6709, 0.6489, -0.8381, -0.4330, 0.9497, 0.1882, -0.9982, 0.0690, 0.9804, -0.3216, -0.8975, 0.5529, 0.7551, -0.7475, -0.5624, 0.8924, 0.3325, -0.9781, -0.0804, 0.9988, -0.1769, -0.9532, 0.4226, 0.8443, -0.6402, -0.6794, 0.8152, 0.4693, -0.9362, -0.2281, 0.9949, -0.0283, -0.9876, 0.2828, 0.9147, -0.5185, -0.7811, 0.7198, 0.5956, -0.8733, -0.3706, 0.9688, 0.1209, -1.0000, 0.1368, 0.9647, -0.3854, -0.8654, 0.6084, 0.7087, -0.7910, -0.5048, 0.9211, 0.2675, -0.9900, -0.0124, 0.9932, -0.2436, -0.9304, 0.4833, 0.8059, -0.6910, -0.6278, 0.8528, 0.4081, -0.9579, -0.1612, 0.9995, -0.0963, -0.9746, 0.3475, 0.8851, -0.5756, -0.7368, 0.7654, 0.5395]]> : tensor<1x128xf32>
  %a = qc.matmul %x, %w {qc.name = "cold", qc.latency = [1.0, 3.0], qc.sensitivity = 1.0} : tensor<?x128xf32>, tensor<1x128xf32> -> tensor<?x1xf32>
  %b = qc.matmul %x, %w {qc.name = "hot", qc.latency = [1.0, 3.0], qc.sensitivity = 100.0} : tensor<?x128xf32>, tensor<1x128xf32> -> tensor<?x1xf32>
  return %a, %b : tensor<?x1xf32>, tensor<?x1xf32>
}
