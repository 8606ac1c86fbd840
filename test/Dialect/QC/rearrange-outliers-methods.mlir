// qc-rearrange-outliers' methods on channels whose statistics (column
// max-abs of %w2) are [5, 1, 4, 2, 3, 0, 7, 6], worked out by hand (as in
// unittests/Numerics/PermutationTest.cpp), read off the reader's permuted
// weight w2[p]; and the options' errors.
// RUN: qc-opt %s --qc-rearrange-outliers | FileCheck %s --check-prefix=SORT
// SORT: dense<{{\[}}[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00]]>
// RUN: qc-opt %s --qc-rearrange-outliers="method=outliers-last tail=2" | FileCheck %s --check-prefix=LAST
// LAST: dense<{{\[}}[5.000000e+00, 1.000000e+00, 4.000000e+00, 2.000000e+00, 3.000000e+00, 0.000000e+00, 6.000000e+00, 7.000000e+00]]>
// Zigzag, blocks of 2 over the 6 channels outside a tail of 2: by decreasing
// statistic channels 0, 2, 4, 3, 1, 5 go to blocks 0, 1, 2, 2, 1, 0.
// RUN: qc-opt %s --qc-rearrange-outliers="method=zigzag tail=2 block-size=2" | FileCheck %s --check-prefix=ZIGZAG
// ZIGZAG: dense<{{\[}}[5.000000e+00, 0.000000e+00, 4.000000e+00, 1.000000e+00, 3.000000e+00, 2.000000e+00, 6.000000e+00, 7.000000e+00]]>
// A float reader has no format to raise: it is permuted, not split.
// RUN: qc-opt %s --qc-rearrange-outliers="tail=2 remarks" 2>&1 | FileCheck %s --check-prefix=FLOAT
// FLOAT: rearranged {{.*}}; 0 Linear layer(s) split with a tail of 2 channels in #qc.int<s8, narrow>
// FLOAT-NOT: accumulate
//
// RUN: not qc-opt %s --qc-rearrange-outliers="method=outliers-last" 2>&1 | FileCheck %s --check-prefix=NOTAIL
// NOTAIL: error: qc-rearrange-outliers{method=outliers-last}: outliers-last needs a tail (the number of outlier channels to move to the end)
// RUN: not qc-opt %s --qc-rearrange-outliers="tail=8" 2>&1 | FileCheck %s --check-prefix=BIGTAIL
// BIGTAIL: error: qc-rearrange-outliers{method=sort}: a tail of 8 channel(s) needs 0 <= tail < 8 (the channel count)
// RUN: not qc-opt %s --qc-rearrange-outliers="method=zigzag tail=2 block-size=4" 2>&1 | FileCheck %s --check-prefix=BLOCKS
// BLOCKS: error: qc-rearrange-outliers{method=zigzag}: zigzag blocks of 4 do not divide the 6 channel(s) outside the tail
// RUN: not qc-opt %s --qc-rearrange-outliers="tail=2 tail-grid=#qc.per_tensor" 2>&1 | FileCheck %s --check-prefix=GRID
// GRID: error: qc-rearrange-outliers: tail-grid '#qc.per_tensor' is not a qc grid attribute (such as #qc.int<s8, narrow>)
// RUN: not qc-opt %s --qc-rearrange-outliers="method=shuffle" 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: 'shuffle' is not a value of option 'method'; the values are: sort, outliers-last, zigzag

func.func @methods(%x: tensor<?x2xf32>) -> tensor<?x1xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [4.0, 0.0], [5.0, 0.0], [6.0, 0.0], [7.0, 0.0], [8.0, 0.0]]> : tensor<8x2xf32>
  %w2 = arith.constant dense<[[5.0, 1.0, 4.0, 2.0, 3.0, 0.0, 7.0, 6.0]]> : tensor<1x8xf32>
  %h = qc.matmul %x, %w1 : tensor<?x2xf32>, tensor<8x2xf32> -> tensor<?x8xf32>
  %t = math.tanh %h : tensor<?x8xf32>
  %y = qc.matmul %t, %w2 : tensor<?x8xf32>, tensor<1x8xf32> -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}
