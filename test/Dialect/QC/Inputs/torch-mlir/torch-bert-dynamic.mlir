#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (d2)>
#map3 = affine_map<()[s0] -> (s0 * 8)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map5 = affine_map<()[s0] -> (s0 * 2)>
#map6 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
#map8 = affine_map<(d0, d1, d2, d3) -> ()>
#map9 = affine_map<()[s0] -> (s0 * 3)>
#map10 = affine_map<(d0, d1) -> (d1)>
#map11 = affine_map<(d0, d1) -> (d0, d1)>
#map12 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
module {
  func.func @forward(%arg0: tensor<?x3x8xf32>) -> tensor<?x3x8xf32> {
    %c3_i64 = arith.constant 3 : i64
    %c0_i64 = arith.constant 0 : i64
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %cst = arith.constant 0.000000e+00 : f32
    %c4 = arith.constant 4 : index
    %cst_0 = arith.constant 0xFF800000 : f32
    %true = arith.constant true
    %cst_1 = arith.constant 0.000000e+00 : f64
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<f32>
    %cst_3 = arith.constant dense_resource<torch_tensor_8_torch.float32_5> : tensor<8xf32>
    %cst_4 = arith.constant dense_resource<torch_tensor_8_torch.float32_4> : tensor<8xf32>
    %cst_5 = arith.constant dense_resource<torch_tensor_8_torch.float32_3> : tensor<8xf32>
    %cst_6 = arith.constant dense_resource<torch_tensor_8_16_torch.float32> : tensor<8x16xf32>
    %cst_7 = arith.constant dense_resource<torch_tensor_16_torch.float32> : tensor<16xf32>
    %cst_8 = arith.constant dense_resource<torch_tensor_16_8_torch.float32> : tensor<16x8xf32>
    %cst_9 = arith.constant dense_resource<torch_tensor_8_torch.float32_2> : tensor<8xf32>
    %cst_10 = arith.constant dense_resource<torch_tensor_8_torch.float32_1> : tensor<8xf32>
    %cst_11 = arith.constant 1.000000e-05 : f64
    %cst_12 = arith.constant dense_resource<torch_tensor_8_torch.float32> : tensor<8xf32>
    %cst_13 = arith.constant dense_resource<torch_tensor_8_8_torch.float32> : tensor<8x8xf32>
    %cst_14 = arith.constant 0xFFF0000000000000 : f64
    %cst_15 = arith.constant 0.70710678118654757 : f64
    %cst_16 = arith.constant dense_resource<torch_tensor_24_torch.float32> : tensor<24xf32>
    %cst_17 = arith.constant dense_resource<torch_tensor_24_8_torch.float32> : tensor<24x8xf32>
    %cst_18 = arith.constant 8.000000e+00 : f64
    %cst_19 = arith.constant 8.000000e+00 : f32
    %dim = tensor.dim %arg0, %c0 : tensor<?x3x8xf32>
    %0 = arith.index_cast %dim : index to i64
    %1 = tensor.empty(%dim) : tensor<3x?x8xf32>
    %transposed = linalg.transpose ins(%arg0 : tensor<?x3x8xf32>) outs(%1 : tensor<3x?x8xf32>) permutation = [1, 0, 2] 
    %2 = tensor.empty() : tensor<8x24xf32>
    %transposed_20 = linalg.transpose ins(%cst_17 : tensor<24x8xf32>) outs(%2 : tensor<8x24xf32>) permutation = [1, 0] 
    %3 = arith.cmpi sge, %0, %c0_i64 : i64
    cf.assert %3, "unimplemented: dynamic negative broadcast sizes"
    %4 = tensor.empty(%dim) : tensor<3x?x8xf32>
    %5 = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel", "parallel"]} outs(%4 : tensor<3x?x8xf32>) {
    ^bb0(%out: f32):
      %136 = linalg.index 0 : index
      %137 = linalg.index 1 : index
      %138 = linalg.index 2 : index
      %139 = arith.cmpi eq, %dim, %c1 : index
      %140 = arith.select %139, %c0, %137 : index
      %extracted = tensor.extract %transposed[%136, %140, %138] : tensor<3x?x8xf32>
      linalg.yield %extracted : f32
    } -> tensor<3x?x8xf32>
    %6 = tensor.empty() : tensor<3x8x24xf32>
    %7 = linalg.generic {indexing_maps = [#map1, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%transposed_20 : tensor<8x24xf32>) outs(%6 : tensor<3x8x24xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<3x8x24xf32>
    %8 = tensor.empty(%dim) : tensor<3x?x24xf32>
    %9 = linalg.fill ins(%cst : f32) outs(%8 : tensor<3x?x24xf32>) -> tensor<3x?x24xf32>
    %10 = linalg.batch_matmul ins(%5, %7 : tensor<3x?x8xf32>, tensor<3x8x24xf32>) outs(%9 : tensor<3x?x24xf32>) -> tensor<3x?x24xf32>
    %11 = linalg.generic {indexing_maps = [#map, #map2, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%10, %cst_16 : tensor<3x?x24xf32>, tensor<24xf32>) outs(%8 : tensor<3x?x24xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.addf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<3x?x24xf32>
    %expanded = tensor.expand_shape %11 [[0, 1], [2], [3, 4]] output_shape [1, 3, %dim, 3, 8] : tensor<3x?x24xf32> into tensor<1x3x?x3x8xf32>
    %12 = tensor.empty(%dim) : tensor<3x3x?x1x8xf32>
    %transposed_21 = linalg.transpose ins(%expanded : tensor<1x3x?x3x8xf32>) outs(%12 : tensor<3x3x?x1x8xf32>) permutation = [3, 1, 2, 0, 4] 
    %collapsed = tensor.collapse_shape %transposed_21 [[0], [1], [2, 3], [4]] : tensor<3x3x?x1x8xf32> into tensor<3x3x?x8xf32>
    %extracted_slice = tensor.extract_slice %collapsed[0, 0, 0, 0] [1, 3, %dim, 8] [1, 1, 1, 1] : tensor<3x3x?x8xf32> to tensor<1x3x?x8xf32>
    %extracted_slice_22 = tensor.extract_slice %collapsed[1, 0, 0, 0] [1, 3, %dim, 8] [1, 1, 1, 1] : tensor<3x3x?x8xf32> to tensor<1x3x?x8xf32>
    %extracted_slice_23 = tensor.extract_slice %collapsed[2, 0, 0, 0] [1, 3, %dim, 8] [1, 1, 1, 1] : tensor<3x3x?x8xf32> to tensor<1x3x?x8xf32>
    %collapsed_24 = tensor.collapse_shape %extracted_slice [[0, 1], [2, 3]] : tensor<1x3x?x8xf32> into tensor<3x?xf32>
    %13 = affine.apply #map3()[%dim]
    %14 = arith.divsi %13, %c4 : index
    %expanded_25 = tensor.expand_shape %collapsed_24 [[0], [1, 2]] output_shape [3, %14, 4] : tensor<3x?xf32> into tensor<3x?x4xf32>
    %15 = tensor.empty(%14) : tensor<?x3x4xf32>
    %transposed_26 = linalg.transpose ins(%expanded_25 : tensor<3x?x4xf32>) outs(%15 : tensor<?x3x4xf32>) permutation = [1, 0, 2] 
    %collapsed_27 = tensor.collapse_shape %extracted_slice_22 [[0, 1], [2, 3]] : tensor<1x3x?x8xf32> into tensor<3x?xf32>
    %expanded_28 = tensor.expand_shape %collapsed_27 [[0], [1, 2]] output_shape [3, %14, 4] : tensor<3x?xf32> into tensor<3x?x4xf32>
    %transposed_29 = linalg.transpose ins(%expanded_28 : tensor<3x?x4xf32>) outs(%15 : tensor<?x3x4xf32>) permutation = [1, 0, 2] 
    %collapsed_30 = tensor.collapse_shape %extracted_slice_23 [[0, 1], [2, 3]] : tensor<1x3x?x8xf32> into tensor<3x?xf32>
    %expanded_31 = tensor.expand_shape %collapsed_30 [[0], [1, 2]] output_shape [3, %14, 4] : tensor<3x?xf32> into tensor<3x?x4xf32>
    %transposed_32 = linalg.transpose ins(%expanded_31 : tensor<3x?x4xf32>) outs(%15 : tensor<?x3x4xf32>) permutation = [1, 0, 2] 
    %16 = arith.divsi %14, %c2 : index
    %expanded_33 = tensor.expand_shape %transposed_26 [[0, 1], [2], [3]] output_shape [%16, 2, 3, 4] : tensor<?x3x4xf32> into tensor<?x2x3x4xf32>
    %expanded_34 = tensor.expand_shape %transposed_29 [[0, 1], [2], [3]] output_shape [%16, 2, 3, 4] : tensor<?x3x4xf32> into tensor<?x2x3x4xf32>
    %expanded_35 = tensor.expand_shape %transposed_32 [[0, 1], [2], [3]] output_shape [%16, 2, 3, 4] : tensor<?x3x4xf32> into tensor<?x2x3x4xf32>
    %17 = tensor.empty(%16) : tensor<?x2x3x4xf32>
    %18 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_33 : tensor<?x2x3x4xf32>) outs(%17 : tensor<?x2x3x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.truncf %cst_15 : f64 to f32
      %137 = arith.mulf %in, %136 : f32
      linalg.yield %137 : f32
    } -> tensor<?x2x3x4xf32>
    %19 = tensor.empty(%16) : tensor<?x2x4x3xf32>
    %transposed_36 = linalg.transpose ins(%expanded_34 : tensor<?x2x3x4xf32>) outs(%19 : tensor<?x2x4x3xf32>) permutation = [0, 1, 3, 2] 
    %20 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%transposed_36 : tensor<?x2x4x3xf32>) outs(%19 : tensor<?x2x4x3xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.truncf %cst_15 : f64 to f32
      %137 = arith.mulf %in, %136 : f32
      linalg.yield %137 : f32
    } -> tensor<?x2x4x3xf32>
    cf.assert %3, "unimplemented: dynamic negative broadcast sizes"
    %21 = tensor.empty(%dim) : tensor<?x2x3x4xf32>
    %22 = linalg.generic {indexing_maps = [#map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%21 : tensor<?x2x3x4xf32>) {
    ^bb0(%out: f32):
      %136 = linalg.index 0 : index
      %137 = linalg.index 1 : index
      %138 = linalg.index 2 : index
      %139 = linalg.index 3 : index
      %140 = arith.cmpi eq, %16, %c1 : index
      %141 = arith.select %140, %c0, %136 : index
      %extracted = tensor.extract %18[%141, %137, %138, %139] : tensor<?x2x3x4xf32>
      linalg.yield %extracted : f32
    } -> tensor<?x2x3x4xf32>
    %collapsed_37 = tensor.collapse_shape %22 [[0, 1], [2], [3]] : tensor<?x2x3x4xf32> into tensor<?x3x4xf32>
    cf.assert %3, "unimplemented: dynamic negative broadcast sizes"
    %23 = tensor.empty(%dim) : tensor<?x2x4x3xf32>
    %24 = linalg.generic {indexing_maps = [#map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%23 : tensor<?x2x4x3xf32>) {
    ^bb0(%out: f32):
      %136 = linalg.index 0 : index
      %137 = linalg.index 1 : index
      %138 = linalg.index 2 : index
      %139 = linalg.index 3 : index
      %140 = arith.cmpi eq, %16, %c1 : index
      %141 = arith.select %140, %c0, %136 : index
      %extracted = tensor.extract %20[%141, %137, %138, %139] : tensor<?x2x4x3xf32>
      linalg.yield %extracted : f32
    } -> tensor<?x2x4x3xf32>
    %collapsed_38 = tensor.collapse_shape %24 [[0, 1], [2], [3]] : tensor<?x2x4x3xf32> into tensor<?x4x3xf32>
    %25 = affine.apply #map5()[%dim]
    %26 = tensor.empty(%25) : tensor<?x3x3xf32>
    %27 = linalg.fill ins(%cst : f32) outs(%26 : tensor<?x3x3xf32>) -> tensor<?x3x3xf32>
    %28 = linalg.batch_matmul ins(%collapsed_37, %collapsed_38 : tensor<?x3x4xf32>, tensor<?x4x3xf32>) outs(%27 : tensor<?x3x3xf32>) -> tensor<?x3x3xf32>
    %29 = arith.divsi %25, %c2 : index
    %expanded_39 = tensor.expand_shape %28 [[0, 1], [2], [3]] output_shape [%29, 2, 3, 3] : tensor<?x3x3xf32> into tensor<?x2x3x3xf32>
    %30 = tensor.empty(%29) : tensor<?x2x3xi64>
    %31 = linalg.fill ins(%c0_i64 : i64) outs(%30 : tensor<?x2x3xi64>) -> tensor<?x2x3xi64>
    %32 = tensor.empty(%29) : tensor<?x2x3xf32>
    %33 = linalg.fill ins(%cst_0 : f32) outs(%32 : tensor<?x2x3xf32>) -> tensor<?x2x3xf32>
    %34:2 = linalg.generic {indexing_maps = [#map4, #map6, #map6], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%expanded_39 : tensor<?x2x3x3xf32>) outs(%33, %31 : tensor<?x2x3xf32>, tensor<?x2x3xi64>) {
    ^bb0(%in: f32, %out: f32, %out_55: i64):
      %136 = linalg.index 3 : index
      %137 = arith.index_cast %136 : index to i64
      %138 = arith.maximumf %in, %out : f32
      %139 = arith.cmpf ogt, %in, %out : f32
      %140 = arith.select %139, %137, %out_55 : i64
      linalg.yield %138, %140 : f32, i64
    } -> (tensor<?x2x3xf32>, tensor<?x2x3xi64>)
    %expanded_40 = tensor.expand_shape %34#0 [[0], [1], [2, 3]] output_shape [%29, 2, 3, 1] : tensor<?x2x3xf32> into tensor<?x2x3x1xf32>
    %35 = tensor.empty(%29) : tensor<?x2x3x3xf32>
    %36 = linalg.generic {indexing_maps = [#map4, #map7, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_39, %expanded_40 : tensor<?x2x3x3xf32>, tensor<?x2x3x1xf32>) outs(%35 : tensor<?x2x3x3xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.subf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x2x3x3xf32>
    %37 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%36 : tensor<?x2x3x3xf32>) outs(%35 : tensor<?x2x3x3xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = math.exp %in : f32
      linalg.yield %136 : f32
    } -> tensor<?x2x3x3xf32>
    %38 = tensor.empty(%29) : tensor<?x2x3x1xf32>
    %39 = linalg.fill ins(%cst : f32) outs(%38 : tensor<?x2x3x1xf32>) -> tensor<?x2x3x1xf32>
    %40 = linalg.generic {indexing_maps = [#map4, #map7], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%37 : tensor<?x2x3x3xf32>) outs(%39 : tensor<?x2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.addf %in, %out : f32
      linalg.yield %136 : f32
    } -> tensor<?x2x3x1xf32>
    %41 = linalg.generic {indexing_maps = [#map4, #map7, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%37, %40 : tensor<?x2x3x3xf32>, tensor<?x2x3x1xf32>) outs(%35 : tensor<?x2x3x3xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.divf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x2x3x3xf32>
    %42 = tensor.empty(%29) : tensor<?x2x3x3xi1>
    %43 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_39 : tensor<?x2x3x3xf32>) outs(%42 : tensor<?x2x3x3xi1>) {
    ^bb0(%in: f32, %out: i1):
      %136 = arith.extf %in : f32 to f64
      %137 = arith.cmpf oeq, %136, %cst_14 : f64
      linalg.yield %137 : i1
    } -> tensor<?x2x3x3xi1>
    %44 = tensor.empty(%29) : tensor<?x2x3x1xi1>
    %45 = linalg.fill ins(%true : i1) outs(%44 : tensor<?x2x3x1xi1>) -> tensor<?x2x3x1xi1>
    %46 = linalg.generic {indexing_maps = [#map4, #map7], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%43 : tensor<?x2x3x3xi1>) outs(%45 : tensor<?x2x3x1xi1>) {
    ^bb0(%in: i1, %out: i1):
      %136 = arith.andi %in, %out : i1
      linalg.yield %136 : i1
    } -> tensor<?x2x3x1xi1>
    %47 = arith.index_cast %29 : index to i64
    %48 = arith.cmpi sge, %47, %c0_i64 : i64
    cf.assert %48, "negative values not allowed in new dimensions"
    %49 = tensor.empty(%29) : tensor<?x2x3x3xf32>
    %50 = linalg.generic {indexing_maps = [#map8, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cst_2 : tensor<f32>) outs(%49 : tensor<?x2x3x3xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<?x2x3x3xf32>
    cf.assert %true, "mismatched size for broadcast"
    %51 = linalg.generic {indexing_maps = [#map7, #map4, #map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%46, %50, %41 : tensor<?x2x3x1xi1>, tensor<?x2x3x3xf32>, tensor<?x2x3x3xf32>) outs(%35 : tensor<?x2x3x3xf32>) {
    ^bb0(%in: i1, %in_55: f32, %in_56: f32, %out: f32):
      %136 = arith.select %in, %in_55, %in_56 : f32
      linalg.yield %136 : f32
    } -> tensor<?x2x3x3xf32>
    cf.assert %3, "unimplemented: dynamic negative broadcast sizes"
    %52 = tensor.empty(%dim) : tensor<?x2x3x3xf32>
    %53 = linalg.generic {indexing_maps = [#map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%52 : tensor<?x2x3x3xf32>) {
    ^bb0(%out: f32):
      %136 = linalg.index 0 : index
      %137 = linalg.index 1 : index
      %138 = linalg.index 2 : index
      %139 = linalg.index 3 : index
      %140 = arith.cmpi eq, %29, %c1 : index
      %141 = arith.select %140, %c0, %136 : index
      %extracted = tensor.extract %51[%141, %137, %138, %139] : tensor<?x2x3x3xf32>
      linalg.yield %extracted : f32
    } -> tensor<?x2x3x3xf32>
    %collapsed_41 = tensor.collapse_shape %53 [[0, 1], [2], [3]] : tensor<?x2x3x3xf32> into tensor<?x3x3xf32>
    cf.assert %3, "unimplemented: dynamic negative broadcast sizes"
    %54 = linalg.generic {indexing_maps = [#map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%21 : tensor<?x2x3x4xf32>) {
    ^bb0(%out: f32):
      %136 = linalg.index 0 : index
      %137 = linalg.index 1 : index
      %138 = linalg.index 2 : index
      %139 = linalg.index 3 : index
      %140 = arith.cmpi eq, %16, %c1 : index
      %141 = arith.select %140, %c0, %136 : index
      %extracted = tensor.extract %expanded_35[%141, %137, %138, %139] : tensor<?x2x3x4xf32>
      linalg.yield %extracted : f32
    } -> tensor<?x2x3x4xf32>
    %collapsed_42 = tensor.collapse_shape %54 [[0, 1], [2], [3]] : tensor<?x2x3x4xf32> into tensor<?x3x4xf32>
    %55 = tensor.empty(%25) : tensor<?x3x4xf32>
    %56 = linalg.fill ins(%cst : f32) outs(%55 : tensor<?x3x4xf32>) -> tensor<?x3x4xf32>
    %57 = linalg.batch_matmul ins(%collapsed_41, %collapsed_42 : tensor<?x3x3xf32>, tensor<?x3x4xf32>) outs(%56 : tensor<?x3x4xf32>) -> tensor<?x3x4xf32>
    %expanded_43 = tensor.expand_shape %57 [[0, 1], [2], [3]] output_shape [%29, 2, 3, 4] : tensor<?x3x4xf32> into tensor<?x2x3x4xf32>
    %58 = tensor.empty(%29) : tensor<3x?x2x4xf32>
    %transposed_44 = linalg.transpose ins(%expanded_43 : tensor<?x2x3x4xf32>) outs(%58 : tensor<3x?x2x4xf32>) permutation = [2, 0, 1, 3] 
    %59 = arith.muli %0, %c3_i64 : i64
    %collapsed_45 = tensor.collapse_shape %transposed_44 [[0, 1], [2, 3]] : tensor<3x?x2x4xf32> into tensor<?x8xf32>
    %60 = tensor.empty() : tensor<8x8xf32>
    %transposed_46 = linalg.transpose ins(%cst_13 : tensor<8x8xf32>) outs(%60 : tensor<8x8xf32>) permutation = [1, 0] 
    %61 = affine.apply #map9()[%29]
    %62 = tensor.empty(%61) : tensor<?x8xf32>
    %63 = linalg.fill ins(%cst : f32) outs(%62 : tensor<?x8xf32>) -> tensor<?x8xf32>
    %64 = linalg.matmul ins(%collapsed_45, %transposed_46 : tensor<?x8xf32>, tensor<8x8xf32>) outs(%63 : tensor<?x8xf32>) -> tensor<?x8xf32>
    %65 = arith.cmpi sge, %59, %c0_i64 : i64
    cf.assert %65, "negative values not allowed in new dimensions"
    %66 = arith.index_cast %59 : i64 to index
    %67 = tensor.empty(%66) : tensor<?x8xf32>
    %68 = linalg.generic {indexing_maps = [#map10, #map11], iterator_types = ["parallel", "parallel"]} ins(%cst_12 : tensor<8xf32>) outs(%67 : tensor<?x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<?x8xf32>
    %69 = arith.cmpi eq, %61, %66 : index
    cf.assert %69, "mismatched size for broadcast"
    %70 = linalg.generic {indexing_maps = [#map11, #map11, #map11], iterator_types = ["parallel", "parallel"]} ins(%64, %68 : tensor<?x8xf32>, tensor<?x8xf32>) outs(%62 : tensor<?x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.addf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x8xf32>
    %71 = arith.divsi %61, %c3 : index
    %expanded_47 = tensor.expand_shape %70 [[0, 1], [2]] output_shape [3, %71, 8] : tensor<?x8xf32> into tensor<3x?x8xf32>
    %72 = tensor.empty(%71) : tensor<?x3x8xf32>
    %transposed_48 = linalg.transpose ins(%expanded_47 : tensor<3x?x8xf32>) outs(%72 : tensor<?x3x8xf32>) permutation = [1, 0, 2] 
    %73 = arith.cmpi eq, %dim, %71 : index
    cf.assert %73, "mismatched size for broadcast"
    %74 = tensor.empty(%dim) : tensor<?x3x8xf32>
    %75 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %transposed_48 : tensor<?x3x8xf32>, tensor<?x3x8xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.addf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    %76 = tensor.empty(%dim) : tensor<?x3x8xf64>
    %77 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%75 : tensor<?x3x8xf32>) outs(%76 : tensor<?x3x8xf64>) {
    ^bb0(%in: f32, %out: f64):
      %136 = arith.extf %in : f32 to f64
      linalg.yield %136 : f64
    } -> tensor<?x3x8xf64>
    %78 = tensor.empty(%dim) : tensor<?x3x1xf64>
    %79 = linalg.fill ins(%cst_1 : f64) outs(%78 : tensor<?x3x1xf64>) -> tensor<?x3x1xf64>
    %80 = linalg.generic {indexing_maps = [#map, #map12], iterator_types = ["parallel", "parallel", "reduction"]} ins(%77 : tensor<?x3x8xf64>) outs(%79 : tensor<?x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %136 = arith.addf %in, %out : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x1xf64>
    %81 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%80 : tensor<?x3x1xf64>) outs(%78 : tensor<?x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %136 = arith.divf %in, %cst_18 : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x1xf64>
    %82 = linalg.generic {indexing_maps = [#map, #map12, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%77, %81 : tensor<?x3x8xf64>, tensor<?x3x1xf64>) outs(%76 : tensor<?x3x8xf64>) {
    ^bb0(%in: f64, %in_55: f64, %out: f64):
      %136 = arith.subf %in, %in_55 : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x8xf64>
    %83 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%82, %82 : tensor<?x3x8xf64>, tensor<?x3x8xf64>) outs(%76 : tensor<?x3x8xf64>) {
    ^bb0(%in: f64, %in_55: f64, %out: f64):
      %136 = arith.mulf %in, %in_55 : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x8xf64>
    %84 = linalg.generic {indexing_maps = [#map, #map12], iterator_types = ["parallel", "parallel", "reduction"]} ins(%83 : tensor<?x3x8xf64>) outs(%79 : tensor<?x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %136 = arith.addf %in, %out : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x1xf64>
    %85 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%84 : tensor<?x3x1xf64>) outs(%78 : tensor<?x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %136 = arith.divf %in, %cst_18 : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x1xf64>
    %86 = tensor.empty(%dim) : tensor<?x3x1xf32>
    %87 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%85 : tensor<?x3x1xf64>) outs(%86 : tensor<?x3x1xf32>) {
    ^bb0(%in: f64, %out: f32):
      %136 = arith.truncf %in : f64 to f32
      linalg.yield %136 : f32
    } -> tensor<?x3x1xf32>
    %88 = linalg.fill ins(%cst : f32) outs(%86 : tensor<?x3x1xf32>) -> tensor<?x3x1xf32>
    %89 = linalg.generic {indexing_maps = [#map, #map12], iterator_types = ["parallel", "parallel", "reduction"]} ins(%75 : tensor<?x3x8xf32>) outs(%88 : tensor<?x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.addf %in, %out : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x1xf32>
    %90 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%89 : tensor<?x3x1xf32>) outs(%86 : tensor<?x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.divf %in, %cst_19 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x1xf32>
    %91 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%87 : tensor<?x3x1xf32>) outs(%86 : tensor<?x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.truncf %cst_11 : f64 to f32
      %137 = arith.addf %in, %136 : f32
      linalg.yield %137 : f32
    } -> tensor<?x3x1xf32>
    %92 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%91 : tensor<?x3x1xf32>) outs(%86 : tensor<?x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = math.rsqrt %in : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x1xf32>
    %93 = linalg.generic {indexing_maps = [#map, #map12, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%75, %90 : tensor<?x3x8xf32>, tensor<?x3x1xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.subf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    %94 = linalg.generic {indexing_maps = [#map, #map12, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%93, %92 : tensor<?x3x8xf32>, tensor<?x3x1xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.mulf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    %95 = linalg.generic {indexing_maps = [#map, #map2, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%94, %cst_10 : tensor<?x3x8xf32>, tensor<8xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.mulf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    %96 = linalg.generic {indexing_maps = [#map, #map2, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%95, %cst_9 : tensor<?x3x8xf32>, tensor<8xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.addf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    %collapsed_49 = tensor.collapse_shape %96 [[0, 1], [2]] : tensor<?x3x8xf32> into tensor<?x8xf32>
    %97 = tensor.empty() : tensor<8x16xf32>
    %transposed_50 = linalg.transpose ins(%cst_8 : tensor<16x8xf32>) outs(%97 : tensor<8x16xf32>) permutation = [1, 0] 
    %98 = affine.apply #map9()[%dim]
    %99 = tensor.empty(%98) : tensor<?x16xf32>
    %100 = linalg.fill ins(%cst : f32) outs(%99 : tensor<?x16xf32>) -> tensor<?x16xf32>
    %101 = linalg.matmul ins(%collapsed_49, %transposed_50 : tensor<?x8xf32>, tensor<8x16xf32>) outs(%100 : tensor<?x16xf32>) -> tensor<?x16xf32>
    cf.assert %65, "negative values not allowed in new dimensions"
    %102 = tensor.empty(%66) : tensor<?x16xf32>
    %103 = linalg.generic {indexing_maps = [#map10, #map11], iterator_types = ["parallel", "parallel"]} ins(%cst_7 : tensor<16xf32>) outs(%102 : tensor<?x16xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<?x16xf32>
    %104 = arith.cmpi eq, %98, %66 : index
    cf.assert %104, "mismatched size for broadcast"
    %105 = linalg.generic {indexing_maps = [#map11, #map11, #map11], iterator_types = ["parallel", "parallel"]} ins(%101, %103 : tensor<?x16xf32>, tensor<?x16xf32>) outs(%99 : tensor<?x16xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.addf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x16xf32>
    %106 = arith.divsi %98, %c3 : index
    %expanded_51 = tensor.expand_shape %105 [[0, 1], [2]] output_shape [%106, 3, 16] : tensor<?x16xf32> into tensor<?x3x16xf32>
    %107 = tensor.empty(%106) : tensor<?x3x16xf32>
    %108 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%expanded_51 : tensor<?x3x16xf32>) outs(%107 : tensor<?x3x16xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.cmpf ugt, %in, %cst : f32
      %137 = arith.select %136, %in, %cst : f32
      linalg.yield %137 : f32
    } -> tensor<?x3x16xf32>
    %collapsed_52 = tensor.collapse_shape %108 [[0, 1], [2]] : tensor<?x3x16xf32> into tensor<?x16xf32>
    %109 = tensor.empty() : tensor<16x8xf32>
    %transposed_53 = linalg.transpose ins(%cst_6 : tensor<8x16xf32>) outs(%109 : tensor<16x8xf32>) permutation = [1, 0] 
    %110 = affine.apply #map9()[%106]
    %111 = tensor.empty(%110) : tensor<?x8xf32>
    %112 = linalg.fill ins(%cst : f32) outs(%111 : tensor<?x8xf32>) -> tensor<?x8xf32>
    %113 = linalg.matmul ins(%collapsed_52, %transposed_53 : tensor<?x16xf32>, tensor<16x8xf32>) outs(%112 : tensor<?x8xf32>) -> tensor<?x8xf32>
    cf.assert %65, "negative values not allowed in new dimensions"
    %114 = linalg.generic {indexing_maps = [#map10, #map11], iterator_types = ["parallel", "parallel"]} ins(%cst_5 : tensor<8xf32>) outs(%67 : tensor<?x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<?x8xf32>
    %115 = arith.cmpi eq, %110, %66 : index
    cf.assert %115, "mismatched size for broadcast"
    %116 = linalg.generic {indexing_maps = [#map11, #map11, #map11], iterator_types = ["parallel", "parallel"]} ins(%113, %114 : tensor<?x8xf32>, tensor<?x8xf32>) outs(%111 : tensor<?x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.addf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x8xf32>
    %117 = arith.divsi %110, %c3 : index
    %expanded_54 = tensor.expand_shape %116 [[0, 1], [2]] output_shape [%117, 3, 8] : tensor<?x8xf32> into tensor<?x3x8xf32>
    %118 = arith.cmpi eq, %dim, %117 : index
    cf.assert %118, "mismatched size for broadcast"
    %119 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%96, %expanded_54 : tensor<?x3x8xf32>, tensor<?x3x8xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.addf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    %120 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%119 : tensor<?x3x8xf32>) outs(%76 : tensor<?x3x8xf64>) {
    ^bb0(%in: f32, %out: f64):
      %136 = arith.extf %in : f32 to f64
      linalg.yield %136 : f64
    } -> tensor<?x3x8xf64>
    %121 = linalg.generic {indexing_maps = [#map, #map12], iterator_types = ["parallel", "parallel", "reduction"]} ins(%120 : tensor<?x3x8xf64>) outs(%79 : tensor<?x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %136 = arith.addf %in, %out : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x1xf64>
    %122 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%121 : tensor<?x3x1xf64>) outs(%78 : tensor<?x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %136 = arith.divf %in, %cst_18 : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x1xf64>
    %123 = linalg.generic {indexing_maps = [#map, #map12, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%120, %122 : tensor<?x3x8xf64>, tensor<?x3x1xf64>) outs(%76 : tensor<?x3x8xf64>) {
    ^bb0(%in: f64, %in_55: f64, %out: f64):
      %136 = arith.subf %in, %in_55 : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x8xf64>
    %124 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%123, %123 : tensor<?x3x8xf64>, tensor<?x3x8xf64>) outs(%76 : tensor<?x3x8xf64>) {
    ^bb0(%in: f64, %in_55: f64, %out: f64):
      %136 = arith.mulf %in, %in_55 : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x8xf64>
    %125 = linalg.generic {indexing_maps = [#map, #map12], iterator_types = ["parallel", "parallel", "reduction"]} ins(%124 : tensor<?x3x8xf64>) outs(%79 : tensor<?x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %136 = arith.addf %in, %out : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x1xf64>
    %126 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%125 : tensor<?x3x1xf64>) outs(%78 : tensor<?x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %136 = arith.divf %in, %cst_18 : f64
      linalg.yield %136 : f64
    } -> tensor<?x3x1xf64>
    %127 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%126 : tensor<?x3x1xf64>) outs(%86 : tensor<?x3x1xf32>) {
    ^bb0(%in: f64, %out: f32):
      %136 = arith.truncf %in : f64 to f32
      linalg.yield %136 : f32
    } -> tensor<?x3x1xf32>
    %128 = linalg.generic {indexing_maps = [#map, #map12], iterator_types = ["parallel", "parallel", "reduction"]} ins(%119 : tensor<?x3x8xf32>) outs(%88 : tensor<?x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.addf %in, %out : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x1xf32>
    %129 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%128 : tensor<?x3x1xf32>) outs(%86 : tensor<?x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.divf %in, %cst_19 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x1xf32>
    %130 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%127 : tensor<?x3x1xf32>) outs(%86 : tensor<?x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = arith.truncf %cst_11 : f64 to f32
      %137 = arith.addf %in, %136 : f32
      linalg.yield %137 : f32
    } -> tensor<?x3x1xf32>
    %131 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%130 : tensor<?x3x1xf32>) outs(%86 : tensor<?x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %136 = math.rsqrt %in : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x1xf32>
    %132 = linalg.generic {indexing_maps = [#map, #map12, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%119, %129 : tensor<?x3x8xf32>, tensor<?x3x1xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.subf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    %133 = linalg.generic {indexing_maps = [#map, #map12, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%132, %131 : tensor<?x3x8xf32>, tensor<?x3x1xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.mulf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    %134 = linalg.generic {indexing_maps = [#map, #map2, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%133, %cst_4 : tensor<?x3x8xf32>, tensor<8xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.mulf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    %135 = linalg.generic {indexing_maps = [#map, #map2, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%134, %cst_3 : tensor<?x3x8xf32>, tensor<8xf32>) outs(%74 : tensor<?x3x8xf32>) {
    ^bb0(%in: f32, %in_55: f32, %out: f32):
      %136 = arith.addf %in, %in_55 : f32
      linalg.yield %136 : f32
    } -> tensor<?x3x8xf32>
    return %135 : tensor<?x3x8xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_8_torch.float32_5: "0x040000000000000000000000000000000000000000000000000000000000000000000000",
      torch_tensor_8_torch.float32_4: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F",
      torch_tensor_8_torch.float32_3: "0x040000006080E0BC601EA1BD00DB4DBE00A0D838969F403E1AAF573E7014BF3CF092683D",
      torch_tensor_8_16_torch.float32: "0x0400000054E1ECBD062D723E605C723D38C679BE18C391BDFE602EBEE272603E001C29BDB25969BE80BE80BC74C5203E9004853D8CE5A13D5034BE3C18E2BE3DE87F79BD78ACCBBD0E496FBEB0DA40BEF0E6DD3DBE9417BEE0E8123D106DA33DA001913C40FA25BEF0D1743E26DD14BE668F523E6EA64BBE585276BD8A410B3E7C31D1BD0E0D573E062B30BE44FB56BEE0DEE6BDB087253DA8B66B3EE46DF4BD0C1BB73DAC5C80BD28115EBDD83C3C3E7A6546BE6086D93CA8BE703EC8B50CBDA6C4463E84AC9DBD00124E3EF6A277BE289513BDA8DC33BD78EEA53D24DFC83DA68F443EC88F18BD606D22BCCA4F2F3E90888ABD106B603EAA722ABE209DDDBC00005CBCA075E43D66052F3ED04E22BD4E1754BE28B1FD3DCC27993D88ABCD3D0AEB1DBEAEC2243EC078723E30B5B13CCC1D6FBE9CB5333EC0CF3DBE98636B3D30CE143D7CA2EFBDB046B23D8AF964BEC839693D9C4A22BE3075DDBC48B7033D08195A3E1C49F4BDBA00243E281502BDBC29F3BDBAEC5EBE7CE26ABE28037A3E98627FBD20974C3C3CCF8A3DEE022E3E487D5A3ED29E4F3E84AA3DBEE00F24BD1E7C17BE1C4412BE68E6723D3C4B703E26154DBEAEEE1A3E3CBA04BEE87247BD92344B3E309967BD707BBA3CCCF332BEECEA593E505F04BD683C3BBE3CEB953D3C0536BE4C234BBE6086793CCCF74A3E48E390BD40FBF03D7AFC5B3E78CB293EA24906BE",
      torch_tensor_16_torch.float32: "0x040000008F8F1BBE574A25BE3EAD3D3EF07927BEE34F32BE3058FDBC29320BBD9A028DBEF9E8963EFFB31FBEA66B003E99729D3E0295363E90074D3D86059A3E84AB423D",
      torch_tensor_16_8_torch.float32: "0x04000000DD9B9ABE1CEE283E6F104DBEDC2C2E3E22937FBE5B5233BE881A95BE30ED3C3E538F13BD0C508B3E3F0E603ED754483EA1443A3C68DEDFBDF56F9DBDEB75403D4D77333E00A47DBEEFEC973E3D751DBD32AF97BE44E243BE4B2BA03E0F8CA53EAEACA7BE63587F3E6370353E214C563EF83C993EF01E43BE64A5E43D8328143EC6F5D5BD9450F23DA653D0BDA2D55F3E0AE6C8BD6AF706BE2849B63DAE69003EBFE130BEB403003D79D0513E2E1610BD7E5CDC3D55A3AEBDF1C9FD3D1D2183BEA0E354BE74C437BED65BA63E73D6C2BD4B0E7DBAF7672FBEB6B5B43ED2CBB03EB98588BE36BF92BE1D3689BE6C7DDFBAF591B8BD89F86CBE6ADA01BEF1CC883D6F293DBE6171A03DDD0AA6BD406E2FBE97F4463D3AD8943E4FC474BE077D863C188205BEABA2B13E97BEABBE4589ADBEAC5FB23EE80E65BE91D28A3D1AF8F9BC2E8898BD98B8A1BDD70D663E4F6F8A3C393EB0BEB3BB55BE93D6F6BD0D2F363E95496ABECAAFAA3EF445A1BD4A0482BDD2D68D3EA3F6353EB486993E526B513ED5A6DBBDE23370BE877ED7BC83D1953EC303F3BD34DFA7BEF268143E9737B03EF721CEBD66E395BE0232A4BE0E74B53DC64EDBBC2DD336BEEE5B923DC57C093ED6F78F3E4A8A8C3EE2C358BDED9D9FBEC192A3BE1004A93E840A203EB9D01D3E2A9F9CBE73A0A73EC77CAB3E676FA33E88B498BE0C9B08BE41FF78BE496BAB3E",
      torch_tensor_8_torch.float32_2: "0x040000000000000000000000000000000000000000000000000000000000000000000000",
      torch_tensor_8_torch.float32_1: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F",
      torch_tensor_8_torch.float32: "0x040000000000000000000000000000000000000000000000000000000000000000000000",
      torch_tensor_8_8_torch.float32: "0x04000000D6B1353DD656A5BD4ACE22BB43C6383D21988DBE7FC13DBEFB2B923ED8E792BE13F9CFBC4312B33E23C8023EB401243C87DF9CBE9058333EC4EF80BE288ACDBD95F0F2BD147456BDFF717D3B5D4E953E33C9343D4123A23EAC765D3ECAE264BE3660223E78EC7FBEEB7019BEB3F7D43DA915EF3D48CE873E8C17E9BDF25E143AD3623A3EF80FAFBE9CDF823E5FB095BE6EAC9F3BE83576BD0DAD3EBE73673F3D33B0953E76A9D3BDB2F056BE5DE505BEC16AB3BE0D6C233EC1DF2DBE5D9A71BE2C9250BE0528503EE5B93F3EB1EF8A3EDE51033E0AD0F1BD9257CABD04EAD53DDECD943EF8DEC43D034C2BBEAA2F2ABEEF25ABBE7A6F9C3D762B4BBE7864A1BE",
      torch_tensor_24_torch.float32: "0x04000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      torch_tensor_24_8_torch.float32: "0x040000003068903D0AEEB73EB9A514BE7B9B023ED7CACABDF4BF9DBCD10687BEC1F5153E86300C3E575912BC0B72C7BDFEA988BE3451993E6A0AA5BED1A5353EB41815BEC1ED55BEA04F9F3D6F5466BE4953CC3D0B27AE3D9D9CA4BE0FA7933DF0DB3C3E71832F3ECF425FBDBCBFB5BE93B488BD7AFF193ED0C921BEE34E283E44A5933E4E8667BED7ED8B3BF758373E34030B3D3427143DBB765D3D794AAEBEBC620B3DB585993E78C7C73E4C4E823EA4AB6D3D91134F3E1FB557BEE8B8B7BE8BA5BEBE2E2CDD3E01BC8C3E8D3F99BE9B7A2D3E2C6CA73EFB9DDD3E04DBC13ECEC3AB3E354FCBBDFA9B1BBE5107B63EA279783E796A85BE7A50C73E253C563E3FB7713E38F58ABEF56CFE3DEF701BBE8C3AAD3EB7929FBD849F2C3E4F849D3D9CA73C3E65AE16BE0B31583E4EDA9ABE5C4AC83D8A0096BEC5B7DABE1B0AB2BE0A07AF3EDEE56F3E3901D03E4F9CB13E8BFDC5BEF34B97BE064B8FBD13FB8FBE0EF3993EDB9BA7BE835658BE542FD6BEC1BD7BBE6658B63E6A85B53EF9B39E3EBB2EAB3E8722C53E4714E3BD6019433E8185C53ECBAF123E78A1DD3E4DFA653E2CD2893E33301BBE07C2543EF1CC4B3D1DC9D3BDA7F379BE49CD78BE8898AABEEBD5943E7F9D9D3E47DC49BDCF4B80BEE65AAB3EBBC68D3E1FD7033DDF5851BE55C1CB3E8B53353EEF4DA8BE0B30D43EE65AA83EF89D21BE1B43793E17F07BBED0F98ABD733FBC3EA291923CC3CA9CBE573314BE64B8F0BD5817ABBD8EBC293D7B09CD3EA4EBBD3C53E388BEABCFB53C659B543E5CF25B3E599FCABE1DB09EBDCAC1A4BECC313DBE82C11F3E09709DBE57D3243E1E2DBC3E5BA8E83C12C393BE87DD1EBEC2A5C13D0002A9BEC6495C3EE646C9BE031FD5BE6A6BD7BEB7E6B3BD7E14953E35D6D1BEB946B83E445F31BEC4DD013EB6C3A13CD3E9C7BE44DDB73E9FBF6E3E0F5FDC3E7C03603EC55692BE8107B93EF8A4BE3C1B45523E7CC4B1BEEF11FFBD49AFD9BEF3B32CBE0250BF3D8312AEBE76570D3ED8056E3EED14773D635694BEECE3ABBE3DCC08BEE1A2423EC2AFDA3E82F87E3EDEB947BD10771B3E0C81D9BE"
    }
  }
#-}
