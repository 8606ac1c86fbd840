module {
  func.func @forward(%arg0: tensor<2x3x8xf32>) -> tensor<2x3x4xf32> {
    %0 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %1 = tosa.const_shape  {values = dense<[1, 6, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %2 = tosa.const_shape  {values = dense<[6, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %3 = tosa.const_shape  {values = dense<[2, 3, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %4 = tosa.const_shape  {values = dense<[1, 6, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %5 = tosa.const_shape  {values = dense<[6, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %6 = tosa.const_shape  {values = dense<[2, 3, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %7 = "tosa.const"() <{values = dense<"0x22792DBBDE8300BD6B200F3E1E6B69BD85AA6ABE4952983CF68F20BE70ED863DC5BF463EE7480E3EA4B3A8BE65390B3E77C5343E4D70ACBE8F505CBEFF120E3E9C36423E9799BF3D403B593E353C193D86A826BE7B9C39BEF20251BC65588CBE43C836BDC4FB953E96D5A03ED06F56BEE58C973D123CD0BB6440A43E4A7DAD3CB1FC94BE5DD3DABDDE7075BEA1E8A33E53EF7CBE6E01753DB38B673E8AEC7ABECF2B5D3C3C869D3ECBA3893E61B8043ED5358DBE775188BEE51A783E2AA630BE1D3885BE1B548EBD86A71DBE20EDA7BE2089A9BE4D04A9BE12F5B33EF2053BBEAAC5A73D40B99F3E6492B4BEFD15373E0B7850BE67A18BBE88A698BE0E502B3ED6700BBEC2EFACBEA77F033EC5EA63BE2D5653BE68CC82BECBAF0F3E10D0233EAE99603E171A903DEC86873D2B96813E374BAA3EE4959FBC2536B4BD81A4ADBEAB2AC23D90C56FBEF750963EAC4FB7BD979A9B3E4CA43ABEA6A2433DFD98113E4ED0AD3E49699DBEC6F473BDCB5E073EB8F2733EEA6E593D67B0823C2E9556BE578AE5BB9F3D15BEE70395BD661F0DBE5E8C213E876C643EF2BD723E5B7456BE6D7F8BBE2838053D5C4F6EBD4529B3BEA3DB1DBE0B4414BE8F49533D1842B5BD40878F3E4C94563C7A75873E9E669C3E5F782F3E5D45543E522B55BEB8BFDA3D1CAD04BE4B7E62BEC7B925BE76DA6ABE3F3DB6BD5DD3563E86BBAB3D975A30BE"> : tensor<1x8x16xf32>}> : () -> tensor<1x8x16xf32>
    %8 = "tosa.const"() <{values = dense_resource<torch_tensor_16_torch.float32> : tensor<1x16xf32>}> : () -> tensor<1x16xf32>
    %9 = "tosa.const"() <{values = dense<[[[-0.224580377, -0.0481538177, -0.0288486183, -0.176344573], [-0.118519306, -0.0490856767, -0.11160171, 0.0111499727], [0.170226306, -0.224337488, 0.199913323, -0.17623353], [-0.00162062049, -0.215859473, -0.202023804, -0.137621045], [-0.124261588, -0.0391198695, 0.0268262327, -0.145676374], [-0.191577941, 0.00323304534, -0.0523421764, 0.0854362547], [-0.233963013, -0.113568723, 0.17852816, -0.148978293], [-0.211002052, 9.417480e-02, 0.0697861314, -0.00545430183], [-0.050709188, -0.225014597, 0.120126337, 0.010517031], [0.137101501, -0.01687181, 0.0882897377, 0.16115576], [0.135160267, 0.219854861, -0.0601186752, -0.188980013], [-0.24110797, -1.019730e-01, -0.0525763631, -0.171628058], [0.15594551, 0.225750774, -0.206020355, -0.145165384], [-0.195627362, 0.0905384421, 0.135461032, 0.174983352], [-0.052852571, -0.225615233, 0.198494524, -0.0898662507], [-0.101368159, 0.158174336, 0.171056211, 0.210872173]]]> : tensor<1x16x4xf32>}> : () -> tensor<1x16x4xf32>
    %10 = "tosa.const"() <{values = dense_resource<torch_tensor_4_torch.float32> : tensor<1x4xf32>}> : () -> tensor<1x4xf32>
    %11 = tosa.reshape %arg0, %1 : (tensor<2x3x8xf32>, !tosa.shape<3>) -> tensor<1x6x8xf32>
    %12 = tosa.matmul %11, %7, %0, %0 : (tensor<1x6x8xf32>, tensor<1x8x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x16xf32>
    %13 = tosa.reshape %12, %2 : (tensor<1x6x16xf32>, !tosa.shape<2>) -> tensor<6x16xf32>
    %14 = tosa.add %13, %8 : (tensor<6x16xf32>, tensor<1x16xf32>) -> tensor<6x16xf32>
    %15 = tosa.reshape %14, %3 : (tensor<6x16xf32>, !tosa.shape<3>) -> tensor<2x3x16xf32>
    %16 = tosa.clamp %15 {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
    %17 = tosa.reshape %16, %4 : (tensor<2x3x16xf32>, !tosa.shape<3>) -> tensor<1x6x16xf32>
    %18 = tosa.matmul %17, %9, %0, %0 : (tensor<1x6x16xf32>, tensor<1x16x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x4xf32>
    %19 = tosa.reshape %18, %5 : (tensor<1x6x4xf32>, !tosa.shape<2>) -> tensor<6x4xf32>
    %20 = tosa.add %19, %10 : (tensor<6x4xf32>, tensor<1x4xf32>) -> tensor<6x4xf32>
    %21 = tosa.reshape %20, %6 : (tensor<6x4xf32>, !tosa.shape<3>) -> tensor<2x3x4xf32>
    return %21 : tensor<2x3x4xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_16_torch.float32: "0x04000000714EFDBD0C5E94BEB0059ABDB5C69A3D16DB6BBE02A394BC3595813EE4DE14BD5DFD203C86DCF9BC2E8A923DCF32663E4A78AB3E30EA653EB9DCAB3E4477D1BC",
      torch_tensor_4_torch.float32: "0x04000000A024B93D40AA013D00EDF3BA086D4ABD"
    }
  }
#-}
