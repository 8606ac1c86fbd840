#map = affine_map<(d0, d1, d2) -> (d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (d2)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
#map6 = affine_map<(d0, d1) -> (d1)>
#map7 = affine_map<(d0, d1) -> (d0, d1)>
#map8 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
module {
  func.func @forward(%arg0: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
    %c0_i64 = arith.constant 0 : i64
    %cst = arith.constant 0.000000e+00 : f32
    %cst_0 = arith.constant 0xFF800000 : f32
    %true = arith.constant true
    %cst_1 = arith.constant 0.000000e+00 : f64
    %cst_2 = arith.constant dense<0.000000e+00> : tensor<2x2x3x3xf32>
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
    %0 = tensor.empty() : tensor<3x2x8xf32>
    %transposed = linalg.transpose ins(%arg0 : tensor<2x3x8xf32>) outs(%0 : tensor<3x2x8xf32>) permutation = [1, 0, 2] 
    %1 = tensor.empty() : tensor<8x24xf32>
    %transposed_20 = linalg.transpose ins(%cst_17 : tensor<24x8xf32>) outs(%1 : tensor<8x24xf32>) permutation = [1, 0] 
    %2 = tensor.empty() : tensor<3x8x24xf32>
    %3 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%transposed_20 : tensor<8x24xf32>) outs(%2 : tensor<3x8x24xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<3x8x24xf32>
    %4 = tensor.empty() : tensor<3x2x24xf32>
    %5 = linalg.fill ins(%cst : f32) outs(%4 : tensor<3x2x24xf32>) -> tensor<3x2x24xf32>
    %6 = linalg.batch_matmul ins(%transposed, %3 : tensor<3x2x8xf32>, tensor<3x8x24xf32>) outs(%5 : tensor<3x2x24xf32>) -> tensor<3x2x24xf32>
    %7 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%6, %cst_16 : tensor<3x2x24xf32>, tensor<24xf32>) outs(%4 : tensor<3x2x24xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.addf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<3x2x24xf32>
    %expanded = tensor.expand_shape %7 [[0, 1], [2], [3, 4]] output_shape [1, 3, 2, 3, 8] : tensor<3x2x24xf32> into tensor<1x3x2x3x8xf32>
    %8 = tensor.empty() : tensor<3x3x2x1x8xf32>
    %transposed_21 = linalg.transpose ins(%expanded : tensor<1x3x2x3x8xf32>) outs(%8 : tensor<3x3x2x1x8xf32>) permutation = [3, 1, 2, 0, 4] 
    %collapsed = tensor.collapse_shape %transposed_21 [[0], [1], [2, 3], [4]] : tensor<3x3x2x1x8xf32> into tensor<3x3x2x8xf32>
    %extracted_slice = tensor.extract_slice %collapsed[0, 0, 0, 0] [1, 3, 2, 8] [1, 1, 1, 1] : tensor<3x3x2x8xf32> to tensor<1x3x2x8xf32>
    %extracted_slice_22 = tensor.extract_slice %collapsed[1, 0, 0, 0] [1, 3, 2, 8] [1, 1, 1, 1] : tensor<3x3x2x8xf32> to tensor<1x3x2x8xf32>
    %extracted_slice_23 = tensor.extract_slice %collapsed[2, 0, 0, 0] [1, 3, 2, 8] [1, 1, 1, 1] : tensor<3x3x2x8xf32> to tensor<1x3x2x8xf32>
    %collapsed_24 = tensor.collapse_shape %extracted_slice [[0, 1], [2, 3]] : tensor<1x3x2x8xf32> into tensor<3x16xf32>
    %expanded_25 = tensor.expand_shape %collapsed_24 [[0], [1, 2]] output_shape [3, 4, 4] : tensor<3x16xf32> into tensor<3x4x4xf32>
    %9 = tensor.empty() : tensor<4x3x4xf32>
    %transposed_26 = linalg.transpose ins(%expanded_25 : tensor<3x4x4xf32>) outs(%9 : tensor<4x3x4xf32>) permutation = [1, 0, 2] 
    %collapsed_27 = tensor.collapse_shape %extracted_slice_22 [[0, 1], [2, 3]] : tensor<1x3x2x8xf32> into tensor<3x16xf32>
    %expanded_28 = tensor.expand_shape %collapsed_27 [[0], [1, 2]] output_shape [3, 4, 4] : tensor<3x16xf32> into tensor<3x4x4xf32>
    %transposed_29 = linalg.transpose ins(%expanded_28 : tensor<3x4x4xf32>) outs(%9 : tensor<4x3x4xf32>) permutation = [1, 0, 2] 
    %collapsed_30 = tensor.collapse_shape %extracted_slice_23 [[0, 1], [2, 3]] : tensor<1x3x2x8xf32> into tensor<3x16xf32>
    %expanded_31 = tensor.expand_shape %collapsed_30 [[0], [1, 2]] output_shape [3, 4, 4] : tensor<3x16xf32> into tensor<3x4x4xf32>
    %transposed_32 = linalg.transpose ins(%expanded_31 : tensor<3x4x4xf32>) outs(%9 : tensor<4x3x4xf32>) permutation = [1, 0, 2] 
    %expanded_33 = tensor.expand_shape %transposed_26 [[0, 1], [2], [3]] output_shape [2, 2, 3, 4] : tensor<4x3x4xf32> into tensor<2x2x3x4xf32>
    %expanded_34 = tensor.expand_shape %transposed_29 [[0, 1], [2], [3]] output_shape [2, 2, 3, 4] : tensor<4x3x4xf32> into tensor<2x2x3x4xf32>
    %10 = tensor.empty() : tensor<2x2x3x4xf32>
    %11 = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_33 : tensor<2x2x3x4xf32>) outs(%10 : tensor<2x2x3x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.truncf %cst_15 : f64 to f32
      %97 = arith.mulf %in, %96 : f32
      linalg.yield %97 : f32
    } -> tensor<2x2x3x4xf32>
    %12 = tensor.empty() : tensor<2x2x4x3xf32>
    %transposed_35 = linalg.transpose ins(%expanded_34 : tensor<2x2x3x4xf32>) outs(%12 : tensor<2x2x4x3xf32>) permutation = [0, 1, 3, 2] 
    %13 = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%transposed_35 : tensor<2x2x4x3xf32>) outs(%12 : tensor<2x2x4x3xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.truncf %cst_15 : f64 to f32
      %97 = arith.mulf %in, %96 : f32
      linalg.yield %97 : f32
    } -> tensor<2x2x4x3xf32>
    %collapsed_36 = tensor.collapse_shape %11 [[0, 1], [2], [3]] : tensor<2x2x3x4xf32> into tensor<4x3x4xf32>
    %collapsed_37 = tensor.collapse_shape %13 [[0, 1], [2], [3]] : tensor<2x2x4x3xf32> into tensor<4x4x3xf32>
    %14 = tensor.empty() : tensor<4x3x3xf32>
    %15 = linalg.fill ins(%cst : f32) outs(%14 : tensor<4x3x3xf32>) -> tensor<4x3x3xf32>
    %16 = linalg.batch_matmul ins(%collapsed_36, %collapsed_37 : tensor<4x3x4xf32>, tensor<4x4x3xf32>) outs(%15 : tensor<4x3x3xf32>) -> tensor<4x3x3xf32>
    %expanded_38 = tensor.expand_shape %16 [[0, 1], [2], [3]] output_shape [2, 2, 3, 3] : tensor<4x3x3xf32> into tensor<2x2x3x3xf32>
    %17 = tensor.empty() : tensor<2x2x3xi64>
    %18 = linalg.fill ins(%c0_i64 : i64) outs(%17 : tensor<2x2x3xi64>) -> tensor<2x2x3xi64>
    %19 = tensor.empty() : tensor<2x2x3xf32>
    %20 = linalg.fill ins(%cst_0 : f32) outs(%19 : tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
    %21:2 = linalg.generic {indexing_maps = [#map3, #map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%expanded_38 : tensor<2x2x3x3xf32>) outs(%20, %18 : tensor<2x2x3xf32>, tensor<2x2x3xi64>) {
    ^bb0(%in: f32, %out: f32, %out_53: i64):
      %96 = linalg.index 3 : index
      %97 = arith.index_cast %96 : index to i64
      %98 = arith.maximumf %in, %out : f32
      %99 = arith.cmpf ogt, %in, %out : f32
      %100 = arith.select %99, %97, %out_53 : i64
      linalg.yield %98, %100 : f32, i64
    } -> (tensor<2x2x3xf32>, tensor<2x2x3xi64>)
    %expanded_39 = tensor.expand_shape %21#0 [[0], [1], [2, 3]] output_shape [2, 2, 3, 1] : tensor<2x2x3xf32> into tensor<2x2x3x1xf32>
    %22 = tensor.empty() : tensor<2x2x3x3xf32>
    %23 = linalg.generic {indexing_maps = [#map3, #map5, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_38, %expanded_39 : tensor<2x2x3x3xf32>, tensor<2x2x3x1xf32>) outs(%22 : tensor<2x2x3x3xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.subf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x2x3x3xf32>
    %24 = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%23 : tensor<2x2x3x3xf32>) outs(%22 : tensor<2x2x3x3xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = math.exp %in : f32
      linalg.yield %96 : f32
    } -> tensor<2x2x3x3xf32>
    %25 = tensor.empty() : tensor<2x2x3x1xf32>
    %26 = linalg.fill ins(%cst : f32) outs(%25 : tensor<2x2x3x1xf32>) -> tensor<2x2x3x1xf32>
    %27 = linalg.generic {indexing_maps = [#map3, #map5], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%24 : tensor<2x2x3x3xf32>) outs(%26 : tensor<2x2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.addf %in, %out : f32
      linalg.yield %96 : f32
    } -> tensor<2x2x3x1xf32>
    %28 = linalg.generic {indexing_maps = [#map3, #map5, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%24, %27 : tensor<2x2x3x3xf32>, tensor<2x2x3x1xf32>) outs(%22 : tensor<2x2x3x3xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.divf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x2x3x3xf32>
    %29 = tensor.empty() : tensor<2x2x3x3xi1>
    %30 = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_38 : tensor<2x2x3x3xf32>) outs(%29 : tensor<2x2x3x3xi1>) {
    ^bb0(%in: f32, %out: i1):
      %96 = arith.extf %in : f32 to f64
      %97 = arith.cmpf oeq, %96, %cst_14 : f64
      linalg.yield %97 : i1
    } -> tensor<2x2x3x3xi1>
    %31 = tensor.empty() : tensor<2x2x3x1xi1>
    %32 = linalg.fill ins(%true : i1) outs(%31 : tensor<2x2x3x1xi1>) -> tensor<2x2x3x1xi1>
    %33 = linalg.generic {indexing_maps = [#map3, #map5], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%30 : tensor<2x2x3x3xi1>) outs(%32 : tensor<2x2x3x1xi1>) {
    ^bb0(%in: i1, %out: i1):
      %96 = arith.andi %in, %out : i1
      linalg.yield %96 : i1
    } -> tensor<2x2x3x1xi1>
    %34 = linalg.generic {indexing_maps = [#map5, #map3, #map3, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%33, %cst_2, %28 : tensor<2x2x3x1xi1>, tensor<2x2x3x3xf32>, tensor<2x2x3x3xf32>) outs(%22 : tensor<2x2x3x3xf32>) {
    ^bb0(%in: i1, %in_53: f32, %in_54: f32, %out: f32):
      %96 = arith.select %in, %in_53, %in_54 : f32
      linalg.yield %96 : f32
    } -> tensor<2x2x3x3xf32>
    %collapsed_40 = tensor.collapse_shape %34 [[0, 1], [2], [3]] : tensor<2x2x3x3xf32> into tensor<4x3x3xf32>
    %35 = linalg.fill ins(%cst : f32) outs(%9 : tensor<4x3x4xf32>) -> tensor<4x3x4xf32>
    %36 = linalg.batch_matmul ins(%collapsed_40, %transposed_32 : tensor<4x3x3xf32>, tensor<4x3x4xf32>) outs(%35 : tensor<4x3x4xf32>) -> tensor<4x3x4xf32>
    %expanded_41 = tensor.expand_shape %36 [[0, 1], [2], [3]] output_shape [2, 2, 3, 4] : tensor<4x3x4xf32> into tensor<2x2x3x4xf32>
    %37 = tensor.empty() : tensor<3x2x2x4xf32>
    %transposed_42 = linalg.transpose ins(%expanded_41 : tensor<2x2x3x4xf32>) outs(%37 : tensor<3x2x2x4xf32>) permutation = [2, 0, 1, 3] 
    %collapsed_43 = tensor.collapse_shape %transposed_42 [[0, 1], [2, 3]] : tensor<3x2x2x4xf32> into tensor<6x8xf32>
    %38 = tensor.empty() : tensor<8x8xf32>
    %transposed_44 = linalg.transpose ins(%cst_13 : tensor<8x8xf32>) outs(%38 : tensor<8x8xf32>) permutation = [1, 0] 
    %39 = tensor.empty() : tensor<6x8xf32>
    %40 = linalg.fill ins(%cst : f32) outs(%39 : tensor<6x8xf32>) -> tensor<6x8xf32>
    %41 = linalg.matmul ins(%collapsed_43, %transposed_44 : tensor<6x8xf32>, tensor<8x8xf32>) outs(%40 : tensor<6x8xf32>) -> tensor<6x8xf32>
    %42 = linalg.generic {indexing_maps = [#map6, #map7], iterator_types = ["parallel", "parallel"]} ins(%cst_12 : tensor<8xf32>) outs(%39 : tensor<6x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<6x8xf32>
    %43 = linalg.generic {indexing_maps = [#map7, #map7, #map7], iterator_types = ["parallel", "parallel"]} ins(%41, %42 : tensor<6x8xf32>, tensor<6x8xf32>) outs(%39 : tensor<6x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.addf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<6x8xf32>
    %expanded_45 = tensor.expand_shape %43 [[0, 1], [2]] output_shape [3, 2, 8] : tensor<6x8xf32> into tensor<3x2x8xf32>
    %44 = tensor.empty() : tensor<2x3x8xf32>
    %transposed_46 = linalg.transpose ins(%expanded_45 : tensor<3x2x8xf32>) outs(%44 : tensor<2x3x8xf32>) permutation = [1, 0, 2] 
    %45 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %transposed_46 : tensor<2x3x8xf32>, tensor<2x3x8xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.addf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    %46 = tensor.empty() : tensor<2x3x8xf64>
    %47 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%45 : tensor<2x3x8xf32>) outs(%46 : tensor<2x3x8xf64>) {
    ^bb0(%in: f32, %out: f64):
      %96 = arith.extf %in : f32 to f64
      linalg.yield %96 : f64
    } -> tensor<2x3x8xf64>
    %48 = tensor.empty() : tensor<2x3x1xf64>
    %49 = linalg.fill ins(%cst_1 : f64) outs(%48 : tensor<2x3x1xf64>) -> tensor<2x3x1xf64>
    %50 = linalg.generic {indexing_maps = [#map1, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%47 : tensor<2x3x8xf64>) outs(%49 : tensor<2x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %96 = arith.addf %in, %out : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x1xf64>
    %51 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%50 : tensor<2x3x1xf64>) outs(%48 : tensor<2x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %96 = arith.divf %in, %cst_18 : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x1xf64>
    %52 = linalg.generic {indexing_maps = [#map1, #map8, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%47, %51 : tensor<2x3x8xf64>, tensor<2x3x1xf64>) outs(%46 : tensor<2x3x8xf64>) {
    ^bb0(%in: f64, %in_53: f64, %out: f64):
      %96 = arith.subf %in, %in_53 : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x8xf64>
    %53 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%52, %52 : tensor<2x3x8xf64>, tensor<2x3x8xf64>) outs(%46 : tensor<2x3x8xf64>) {
    ^bb0(%in: f64, %in_53: f64, %out: f64):
      %96 = arith.mulf %in, %in_53 : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x8xf64>
    %54 = linalg.generic {indexing_maps = [#map1, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%53 : tensor<2x3x8xf64>) outs(%49 : tensor<2x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %96 = arith.addf %in, %out : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x1xf64>
    %55 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%54 : tensor<2x3x1xf64>) outs(%48 : tensor<2x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %96 = arith.divf %in, %cst_18 : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x1xf64>
    %56 = tensor.empty() : tensor<2x3x1xf32>
    %57 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%55 : tensor<2x3x1xf64>) outs(%56 : tensor<2x3x1xf32>) {
    ^bb0(%in: f64, %out: f32):
      %96 = arith.truncf %in : f64 to f32
      linalg.yield %96 : f32
    } -> tensor<2x3x1xf32>
    %58 = linalg.fill ins(%cst : f32) outs(%56 : tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
    %59 = linalg.generic {indexing_maps = [#map1, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%45 : tensor<2x3x8xf32>) outs(%58 : tensor<2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.addf %in, %out : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x1xf32>
    %60 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%59 : tensor<2x3x1xf32>) outs(%56 : tensor<2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.divf %in, %cst_19 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x1xf32>
    %61 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%57 : tensor<2x3x1xf32>) outs(%56 : tensor<2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.truncf %cst_11 : f64 to f32
      %97 = arith.addf %in, %96 : f32
      linalg.yield %97 : f32
    } -> tensor<2x3x1xf32>
    %62 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%61 : tensor<2x3x1xf32>) outs(%56 : tensor<2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = math.rsqrt %in : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x1xf32>
    %63 = linalg.generic {indexing_maps = [#map1, #map8, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%45, %60 : tensor<2x3x8xf32>, tensor<2x3x1xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.subf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    %64 = linalg.generic {indexing_maps = [#map1, #map8, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%63, %62 : tensor<2x3x8xf32>, tensor<2x3x1xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.mulf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    %65 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%64, %cst_10 : tensor<2x3x8xf32>, tensor<8xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.mulf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    %66 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%65, %cst_9 : tensor<2x3x8xf32>, tensor<8xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.addf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    %collapsed_47 = tensor.collapse_shape %66 [[0, 1], [2]] : tensor<2x3x8xf32> into tensor<6x8xf32>
    %67 = tensor.empty() : tensor<8x16xf32>
    %transposed_48 = linalg.transpose ins(%cst_8 : tensor<16x8xf32>) outs(%67 : tensor<8x16xf32>) permutation = [1, 0] 
    %68 = tensor.empty() : tensor<6x16xf32>
    %69 = linalg.fill ins(%cst : f32) outs(%68 : tensor<6x16xf32>) -> tensor<6x16xf32>
    %70 = linalg.matmul ins(%collapsed_47, %transposed_48 : tensor<6x8xf32>, tensor<8x16xf32>) outs(%69 : tensor<6x16xf32>) -> tensor<6x16xf32>
    %71 = linalg.generic {indexing_maps = [#map6, #map7], iterator_types = ["parallel", "parallel"]} ins(%cst_7 : tensor<16xf32>) outs(%68 : tensor<6x16xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<6x16xf32>
    %72 = linalg.generic {indexing_maps = [#map7, #map7, #map7], iterator_types = ["parallel", "parallel"]} ins(%70, %71 : tensor<6x16xf32>, tensor<6x16xf32>) outs(%68 : tensor<6x16xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.addf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<6x16xf32>
    %expanded_49 = tensor.expand_shape %72 [[0, 1], [2]] output_shape [2, 3, 16] : tensor<6x16xf32> into tensor<2x3x16xf32>
    %73 = tensor.empty() : tensor<2x3x16xf32>
    %74 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%expanded_49 : tensor<2x3x16xf32>) outs(%73 : tensor<2x3x16xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.cmpf ugt, %in, %cst : f32
      %97 = arith.select %96, %in, %cst : f32
      linalg.yield %97 : f32
    } -> tensor<2x3x16xf32>
    %collapsed_50 = tensor.collapse_shape %74 [[0, 1], [2]] : tensor<2x3x16xf32> into tensor<6x16xf32>
    %75 = tensor.empty() : tensor<16x8xf32>
    %transposed_51 = linalg.transpose ins(%cst_6 : tensor<8x16xf32>) outs(%75 : tensor<16x8xf32>) permutation = [1, 0] 
    %76 = linalg.matmul ins(%collapsed_50, %transposed_51 : tensor<6x16xf32>, tensor<16x8xf32>) outs(%40 : tensor<6x8xf32>) -> tensor<6x8xf32>
    %77 = linalg.generic {indexing_maps = [#map6, #map7], iterator_types = ["parallel", "parallel"]} ins(%cst_5 : tensor<8xf32>) outs(%39 : tensor<6x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<6x8xf32>
    %78 = linalg.generic {indexing_maps = [#map7, #map7, #map7], iterator_types = ["parallel", "parallel"]} ins(%76, %77 : tensor<6x8xf32>, tensor<6x8xf32>) outs(%39 : tensor<6x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.addf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<6x8xf32>
    %expanded_52 = tensor.expand_shape %78 [[0, 1], [2]] output_shape [2, 3, 8] : tensor<6x8xf32> into tensor<2x3x8xf32>
    %79 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%66, %expanded_52 : tensor<2x3x8xf32>, tensor<2x3x8xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.addf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    %80 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%79 : tensor<2x3x8xf32>) outs(%46 : tensor<2x3x8xf64>) {
    ^bb0(%in: f32, %out: f64):
      %96 = arith.extf %in : f32 to f64
      linalg.yield %96 : f64
    } -> tensor<2x3x8xf64>
    %81 = linalg.generic {indexing_maps = [#map1, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%80 : tensor<2x3x8xf64>) outs(%49 : tensor<2x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %96 = arith.addf %in, %out : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x1xf64>
    %82 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%81 : tensor<2x3x1xf64>) outs(%48 : tensor<2x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %96 = arith.divf %in, %cst_18 : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x1xf64>
    %83 = linalg.generic {indexing_maps = [#map1, #map8, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%80, %82 : tensor<2x3x8xf64>, tensor<2x3x1xf64>) outs(%46 : tensor<2x3x8xf64>) {
    ^bb0(%in: f64, %in_53: f64, %out: f64):
      %96 = arith.subf %in, %in_53 : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x8xf64>
    %84 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%83, %83 : tensor<2x3x8xf64>, tensor<2x3x8xf64>) outs(%46 : tensor<2x3x8xf64>) {
    ^bb0(%in: f64, %in_53: f64, %out: f64):
      %96 = arith.mulf %in, %in_53 : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x8xf64>
    %85 = linalg.generic {indexing_maps = [#map1, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%84 : tensor<2x3x8xf64>) outs(%49 : tensor<2x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %96 = arith.addf %in, %out : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x1xf64>
    %86 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%85 : tensor<2x3x1xf64>) outs(%48 : tensor<2x3x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %96 = arith.divf %in, %cst_18 : f64
      linalg.yield %96 : f64
    } -> tensor<2x3x1xf64>
    %87 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%86 : tensor<2x3x1xf64>) outs(%56 : tensor<2x3x1xf32>) {
    ^bb0(%in: f64, %out: f32):
      %96 = arith.truncf %in : f64 to f32
      linalg.yield %96 : f32
    } -> tensor<2x3x1xf32>
    %88 = linalg.generic {indexing_maps = [#map1, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%79 : tensor<2x3x8xf32>) outs(%58 : tensor<2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.addf %in, %out : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x1xf32>
    %89 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%88 : tensor<2x3x1xf32>) outs(%56 : tensor<2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.divf %in, %cst_19 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x1xf32>
    %90 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%87 : tensor<2x3x1xf32>) outs(%56 : tensor<2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = arith.truncf %cst_11 : f64 to f32
      %97 = arith.addf %in, %96 : f32
      linalg.yield %97 : f32
    } -> tensor<2x3x1xf32>
    %91 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%90 : tensor<2x3x1xf32>) outs(%56 : tensor<2x3x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %96 = math.rsqrt %in : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x1xf32>
    %92 = linalg.generic {indexing_maps = [#map1, #map8, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%79, %89 : tensor<2x3x8xf32>, tensor<2x3x1xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.subf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    %93 = linalg.generic {indexing_maps = [#map1, #map8, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%92, %91 : tensor<2x3x8xf32>, tensor<2x3x1xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.mulf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    %94 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%93, %cst_4 : tensor<2x3x8xf32>, tensor<8xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.mulf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    %95 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%94, %cst_3 : tensor<2x3x8xf32>, tensor<8xf32>) outs(%44 : tensor<2x3x8xf32>) {
    ^bb0(%in: f32, %in_53: f32, %out: f32):
      %96 = arith.addf %in, %in_53 : f32
      linalg.yield %96 : f32
    } -> tensor<2x3x8xf32>
    return %95 : tensor<2x3x8xf32>
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
