module {
  func.func @forward(%arg0: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
    %0 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<2x2x3x3xf32>}> : () -> tensor<2x2x3x3xf32>
    %1 = tosa.const_shape  {values = dense<[3, 2, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %2 = tosa.const_shape  {values = dense<[3, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %3 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %4 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %5 = tosa.const_shape  {values = dense<[1, 3, 2, 3, 8]> : tensor<5xindex>} : () -> !tosa.shape<5>
    %6 = tosa.const_shape  {values = dense<[3, 3, 2, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %7 = tosa.const_shape  {values = dense<[1, 3, 2, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %8 = tosa.const_shape  {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
    %9 = tosa.const_shape  {values = dense<[1, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %10 = tosa.const_shape  {values = dense<[2, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %11 = tosa.const_shape  {values = dense<[3, 4, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %12 = tosa.const_shape  {values = dense<[2, 2, 3, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %13 = tosa.const_shape  {values = dense<[4, 3, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %14 = tosa.const_shape  {values = dense<[4, 4, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %15 = tosa.const_shape  {values = dense<[2, 2, 3, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %16 = tosa.const_shape  {values = dense<[4, 3, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %17 = tosa.const_shape  {values = dense<[6, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %18 = tosa.const_shape  {values = dense<[1, 6, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %19 = tosa.const_shape  {values = dense<[6, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %20 = tosa.const_shape  {values = dense<[2, 3, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %21 = tosa.const_shape  {values = dense<[1, 6, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %22 = tosa.const_shape  {values = dense<[2, 3, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %23 = "tosa.const"() <{values = dense<"0x3068903D86300C3EC1ED55BE71832F3E4E8667BEB585993E2E2CDD3E354FCBBD38F58ABE65AE16BEDEE56F3EDB9BA7BE8722C53E33301BBE7F9D9D3E8B53353E733FBC3EA4EBBD3CCC313DBEC2A5C13D35D6D1BE0F5FDC3E49AFD9BEECE3ABBE0AEEB73E575912BCA04F9F3DCF425FBDD7ED8B3B78C7C73E01BC8C3EFA9B1BBEF56CFE3D0B31583E3901D03E835658BE4714E3BD07C2543E47DC49BDEF4DA8BEA291923C53E388BE82C11F3E0002A9BEB946B83E7C03603EF3B32CBE3DCC08BEB9A514BE0B72C7BD6F5466BEBCBFB5BEF758373E4C4E823E8D3F99BE5107B63EEF701BBE4EDA9ABE4F9CB13E542FD6BE6019433EF1CC4B3DCF4B80BE0B30D43EC3CA9CBEABCFB53C09709DBEC6495C3E445F31BEC55692BE0250BF3DE1A2423E7B9B023EFEA988BE4953CC3D93B488BD34030B3DA4AB6D3D9B7A2D3EA279783E8C3AAD3E5C4AC83D8BFDC5BEC1BD7BBE8185C53E1DC9D3BDE65AAB3EE65AA83E573314BE659B543E57D3243EE646C9BEC4DD013E8107B93E8312AEBEC2AFDA3ED7CACABD3451993E0B27AE3D7AFF193E3427143D91134F3E2C6CA73E796A85BEB7929FBD8A0096BEF34B97BE6658B63ECBAF123EA7F379BEBBC68D3EF89D21BE64B8F0BD5CF25B3E1E2DBC3E031FD5BEB6C3A13CF8A4BE3C76570D3E82F87E3EF4BF9DBC6A0AA5BE9D9CA4BED0C921BEBB765D3D1FB557BEFB9DDD3E7A50C73E849F2C3EC5B7DABE064B8FBD6A85B53E78A1DD3E49CD78BE1FD7033D1B43793E5817ABBD599FCABE5BA8E83C6A6BD7BED3E9C7BE1B45523ED8056E3EDEB947BDD10687BED1A5353E0FA7933DE34E283E794AAEBEE8B8B7BE04DBC13E253C563E4F849D3D1B0AB2BE13FB8FBEF9B39E3E4DFA653E8898AABEDF5851BE17F07BBE8EBC293D1DB09EBD12C393BEB7E6B3BD44DDB73E7CC4B1BEED14773D10771B3EC1F5153EB41815BEF0DB3C3E44A5933EBC620B3D8BA5BEBECEC3AB3E3FB7713E9CA73C3E0A07AF3E0EF3993EBB2EAB3E2CD2893EEBD5943E55C1CB3ED0F98ABD7B09CD3ECAC1A4BE87DD1EBE7E14953E9FBF6E3EEF11FFBD635694BE0C81D9BE"> : tensor<1x8x24xf32>}> : () -> tensor<1x8x24xf32>
    %24 = "tosa.const"() <{values = dense_resource<torch_tensor_24_torch.float32> : tensor<1x1x24xf32>}> : () -> tensor<1x1x24xf32>
    %25 = "tosa.const"() <{values = dense<0.707106769> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
    %26 = "tosa.const"() <{values = dense<0xFFF0000000000000> : tensor<1x1x1x1xf64>}> : () -> tensor<1x1x1x1xf64>
    %27 = "tosa.const"() <{values = dense<[[[0.0443590507, -0.0253873225, -0.118622936, 0.158570141, 0.182017609, 0.292359918, -0.203682601, 0.290633142], [-0.0807320327, 0.349748701, -0.0523567945, -0.249925494, -0.341918707, -0.103350565, 0.203277662, 0.0961284041], [-0.00248421961, 0.127716586, 0.00386726833, -0.14984481, 0.255612254, -0.209902555, 0.187232569, -0.167282149], [0.0451109521, 0.0100101717, 0.291613489, 0.103988074, -0.29236123, -0.130757764, 0.27135995, -0.166197449], [-0.276551276, -0.306392878, 0.044137191, 0.116740532, 4.872850e-03, -0.350423843, 0.128241986, -0.334273785], [-0.185308442, 0.175142527, 0.316675216, 0.265245676, -0.0601100028, 0.159591869, -0.118072584, 7.638450e-02], [0.285491794, -0.251829267, 0.21627301, -0.113814443, -0.186207011, -0.169798866, -0.0987998396, -0.198407978], [-0.286925077, -0.100361168, -0.223521382, 5.659900e-04, 0.0467295162, -0.235940412, 0.104450256, -0.315219641]]]> : tensor<1x8x8xf32>}> : () -> tensor<1x8x8xf32>
    %28 = "tosa.const"() <{values = dense_resource<torch_tensor_8_torch.float32> : tensor<1x8xf32>}> : () -> tensor<1x8xf32>
    %29 = "tosa.const"() <{values = dense<1.250000e-01> : tensor<1x1x1xf64>}> : () -> tensor<1x1x1xf64>
    %30 = "tosa.const"() <{values = dense<1.250000e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %31 = "tosa.const"() <{values = dense<9.99999974E-6> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %32 = "tosa.const"() <{values = dense_resource<torch_tensor_8_torch.float32_1> : tensor<1x1x8xf32>}> : () -> tensor<1x1x8xf32>
    %33 = "tosa.const"() <{values = dense_resource<torch_tensor_8_torch.float32_2> : tensor<1x1x8xf32>}> : () -> tensor<1x1x8xf32>
    %34 = "tosa.const"() <{values = dense<"0xDD9B9ABE538F13BD4D77333EAEACA7BEC6F5D5BDBFE130BEA0E354BEB98588BE6F293DBE188205BE2E8898BD95496ABED5A6DBBDF721CEBDD6F78F3E2A9F9CBE1CEE283E0C508B3E00A47DBE63587F3E9450F23DB403003D74C437BE36BF92BE6171A03DABA2B13E98B8A1BDCAAFAA3EE23370BE66E395BE4A8A8C3E73A0A73E6F104DBE3F0E603EEFEC973E6370353EA653D0BD79D0513ED65BA63E1D3689BEDD0AA6BD97BEABBED70D663EF445A1BD877ED7BC0232A4BEE2C358BDC77CAB3EDC2C2E3ED754483E3D751DBD214C563EA2D55F3E2E1610BD73D6C2BD6C7DDFBA406E2FBE4589ADBE4F6F8A3C4A0482BD83D1953E0E74B53DED9D9FBE676FA33E22937FBEA1443A3C32AF97BEF83C993E0AE6C8BD7E5CDC3D4B0E7DBAF591B8BD97F4463DAC5FB23E393EB0BED2D68D3EC303F3BDC64EDBBCC192A3BE88B498BE5B5233BE68DEDFBD44E243BEF01E43BE6AF706BE55A3AEBDF7672FBE89F86CBE3AD8943EE80E65BEB3BB55BEA3F6353E34DFA7BE2DD336BE1004A93E0C9B08BE881A95BEF56F9DBD4B2BA03E64A5E43D2849B63DF1C9FD3DB6B5B43E6ADA01BE4FC474BE91D28A3D93D6F6BDB486993EF268143EEE5B923D840A203E41FF78BE30ED3C3EEB75403D0F8CA53E8328143EAE69003E1D2183BED2CBB03EF1CC883D077D863C1AF8F9BC0D2F363E526B513E9737B03EC57C093EB9D01D3E496BAB3E"> : tensor<1x8x16xf32>}> : () -> tensor<1x8x16xf32>
    %35 = "tosa.const"() <{values = dense_resource<torch_tensor_16_torch.float32> : tensor<1x16xf32>}> : () -> tensor<1x16xf32>
    %36 = "tosa.const"() <{values = dense<"0x54E1ECBD78ACCBBD0E0D573E84AC9DBDA075E43D7CA2EFBD20974C3C309967BD062D723E0E496FBE062B30BE00124E3E66052F3EB046B23D3CCF8A3D707BBA3C605C723DB0DA40BE44FB56BEF6A277BED04E22BD8AF964BEEE022E3ECCF332BE38C679BEF0E6DD3DE0DEE6BD289513BD4E1754BEC839693D487D5A3EECEA593E18C391BDBE9417BEB087253DA8DC33BD28B1FD3D9C4A22BED29E4F3E505F04BDFE602EBEE0E8123DA8B66B3E78EEA53DCC27993D3075DDBC84AA3DBE683C3BBEE272603E106DA33DE46DF4BD24DFC83D88ABCD3D48B7033DE00F24BD3CEB953D001C29BDA001913C0C1BB73DA68F443E0AEB1DBE08195A3E1E7C17BE3C0536BEB25969BE40FA25BEAC5C80BDC88F18BDAEC2243E1C49F4BD1C4412BE4C234BBE80BE80BCF0D1743E28115EBD606D22BCC078723EBA00243E68E6723D6086793C74C5203E26DD14BED83C3C3ECA4F2F3E30B5B13C281502BD3C4B703ECCF74A3E9004853D668F523E7A6546BE90888ABDCC1D6FBEBC29F3BD26154DBE48E390BD8CE5A13D6EA64BBE6086D93C106B603E9CB5333EBAEC5EBEAEEE1A3E40FBF03D5034BE3C585276BDA8BE703EAA722ABEC0CF3DBE7CE26ABE3CBA04BE7AFC5B3E18E2BE3D8A410B3EC8B50CBD209DDDBC98636B3D28037A3EE87247BD78CB293EE87F79BD7C31D1BDA6C4463E00005CBC30CE143D98627FBD92344B3EA24906BE"> : tensor<1x16x8xf32>}> : () -> tensor<1x16x8xf32>
    %37 = "tosa.const"() <{values = dense_resource<torch_tensor_8_torch.float32_3> : tensor<1x8xf32>}> : () -> tensor<1x8xf32>
    %38 = "tosa.const"() <{values = dense_resource<torch_tensor_8_torch.float32_4> : tensor<1x1x8xf32>}> : () -> tensor<1x1x8xf32>
    %39 = "tosa.const"() <{values = dense_resource<torch_tensor_8_torch.float32_5> : tensor<1x1x8xf32>}> : () -> tensor<1x1x8xf32>
    %40 = tosa.transpose %arg0 {perms = array<i32: 1, 0, 2>} : (tensor<2x3x8xf32>) -> tensor<3x2x8xf32>
    %41 = tosa.tile %23, %2 : (tensor<1x8x24xf32>, !tosa.shape<3>) -> tensor<3x8x24xf32>
    %42 = tosa.matmul %40, %41, %3, %3 : (tensor<3x2x8xf32>, tensor<3x8x24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<3x2x24xf32>
    %43 = tosa.add %42, %24 : (tensor<3x2x24xf32>, tensor<1x1x24xf32>) -> tensor<3x2x24xf32>
    %44 = tosa.reshape %43, %5 : (tensor<3x2x24xf32>, !tosa.shape<5>) -> tensor<1x3x2x3x8xf32>
    %45 = tosa.transpose %44 {perms = array<i32: 3, 1, 2, 0, 4>} : (tensor<1x3x2x3x8xf32>) -> tensor<3x3x2x1x8xf32>
    %46 = tosa.reshape %45, %6 : (tensor<3x3x2x1x8xf32>, !tosa.shape<4>) -> tensor<3x3x2x8xf32>
    %47 = tosa.slice %46, %8, %7 : (tensor<3x3x2x8xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x2x8xf32>
    %48 = tosa.slice %46, %9, %7 : (tensor<3x3x2x8xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x2x8xf32>
    %49 = tosa.slice %46, %10, %7 : (tensor<3x3x2x8xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x2x8xf32>
    %50 = tosa.reshape %47, %11 : (tensor<1x3x2x8xf32>, !tosa.shape<3>) -> tensor<3x4x4xf32>
    %51 = tosa.transpose %50 {perms = array<i32: 1, 0, 2>} : (tensor<3x4x4xf32>) -> tensor<4x3x4xf32>
    %52 = tosa.reshape %48, %11 : (tensor<1x3x2x8xf32>, !tosa.shape<3>) -> tensor<3x4x4xf32>
    %53 = tosa.transpose %52 {perms = array<i32: 1, 0, 2>} : (tensor<3x4x4xf32>) -> tensor<4x3x4xf32>
    %54 = tosa.reshape %49, %11 : (tensor<1x3x2x8xf32>, !tosa.shape<3>) -> tensor<3x4x4xf32>
    %55 = tosa.transpose %54 {perms = array<i32: 1, 0, 2>} : (tensor<3x4x4xf32>) -> tensor<4x3x4xf32>
    %56 = tosa.reshape %51, %12 : (tensor<4x3x4xf32>, !tosa.shape<4>) -> tensor<2x2x3x4xf32>
    %57 = tosa.reshape %53, %12 : (tensor<4x3x4xf32>, !tosa.shape<4>) -> tensor<2x2x3x4xf32>
    %58 = tosa.mul %56, %25, %4 : (tensor<2x2x3x4xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<2x2x3x4xf32>
    %59 = tosa.transpose %57 {perms = array<i32: 0, 1, 3, 2>} : (tensor<2x2x3x4xf32>) -> tensor<2x2x4x3xf32>
    %60 = tosa.mul %59, %25, %4 : (tensor<2x2x4x3xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<2x2x4x3xf32>
    %61 = tosa.reshape %58, %13 : (tensor<2x2x3x4xf32>, !tosa.shape<3>) -> tensor<4x3x4xf32>
    %62 = tosa.reshape %60, %14 : (tensor<2x2x4x3xf32>, !tosa.shape<3>) -> tensor<4x4x3xf32>
    %63 = tosa.matmul %61, %62, %3, %3 : (tensor<4x3x4xf32>, tensor<4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x3x3xf32>
    %64 = tosa.reshape %63, %15 : (tensor<4x3x3xf32>, !tosa.shape<4>) -> tensor<2x2x3x3xf32>
    %65 = tosa.reduce_max %64 {axis = 3 : i32} : (tensor<2x2x3x3xf32>) -> tensor<2x2x3x1xf32>
    %66 = tosa.sub %64, %65 : (tensor<2x2x3x3xf32>, tensor<2x2x3x1xf32>) -> tensor<2x2x3x3xf32>
    %67 = tosa.exp %66 : (tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    %68 = tosa.reduce_sum %67 {axis = 3 : i32} : (tensor<2x2x3x3xf32>) -> tensor<2x2x3x1xf32>
    %69 = tosa.reciprocal %68 : (tensor<2x2x3x1xf32>) -> tensor<2x2x3x1xf32>
    %70 = tosa.mul %67, %69, %4 : (tensor<2x2x3x3xf32>, tensor<2x2x3x1xf32>, tensor<1xi8>) -> tensor<2x2x3x3xf32>
    %71 = tosa.cast %64 : (tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf64>
    %72 = tosa.equal %71, %26 : (tensor<2x2x3x3xf64>, tensor<1x1x1x1xf64>) -> tensor<2x2x3x3xi1>
    %73 = tosa.reduce_all %72 {axis = 3 : i32} : (tensor<2x2x3x3xi1>) -> tensor<2x2x3x1xi1>
    %74 = tosa.select %73, %0, %70 : (tensor<2x2x3x1xi1>, tensor<2x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
    %75 = tosa.reshape %74, %16 : (tensor<2x2x3x3xf32>, !tosa.shape<3>) -> tensor<4x3x3xf32>
    %76 = tosa.matmul %75, %55, %3, %3 : (tensor<4x3x3xf32>, tensor<4x3x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x3x4xf32>
    %77 = tosa.reshape %76, %12 : (tensor<4x3x4xf32>, !tosa.shape<4>) -> tensor<2x2x3x4xf32>
    %78 = tosa.transpose %77 {perms = array<i32: 2, 0, 1, 3>} : (tensor<2x2x3x4xf32>) -> tensor<3x2x2x4xf32>
    %79 = tosa.reshape %78, %18 : (tensor<3x2x2x4xf32>, !tosa.shape<3>) -> tensor<1x6x8xf32>
    %80 = tosa.matmul %79, %27, %3, %3 : (tensor<1x6x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x8xf32>
    %81 = tosa.reshape %80, %17 : (tensor<1x6x8xf32>, !tosa.shape<2>) -> tensor<6x8xf32>
    %82 = tosa.add %81, %28 : (tensor<6x8xf32>, tensor<1x8xf32>) -> tensor<6x8xf32>
    %83 = tosa.reshape %82, %1 : (tensor<6x8xf32>, !tosa.shape<3>) -> tensor<3x2x8xf32>
    %84 = tosa.transpose %83 {perms = array<i32: 1, 0, 2>} : (tensor<3x2x8xf32>) -> tensor<2x3x8xf32>
    %85 = tosa.add %arg0, %84 : (tensor<2x3x8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
    %86 = tosa.cast %85 : (tensor<2x3x8xf32>) -> tensor<2x3x8xf64>
    %87 = tosa.reduce_sum %86 {axis = 2 : i32} : (tensor<2x3x8xf64>) -> tensor<2x3x1xf64>
    %88 = tosa.mul %87, %29, %4 : (tensor<2x3x1xf64>, tensor<1x1x1xf64>, tensor<1xi8>) -> tensor<2x3x1xf64>
    %89 = tosa.sub %86, %88 : (tensor<2x3x8xf64>, tensor<2x3x1xf64>) -> tensor<2x3x8xf64>
    %90 = tosa.mul %89, %89, %4 : (tensor<2x3x8xf64>, tensor<2x3x8xf64>, tensor<1xi8>) -> tensor<2x3x8xf64>
    %91 = tosa.reduce_sum %90 {axis = 2 : i32} : (tensor<2x3x8xf64>) -> tensor<2x3x1xf64>
    %92 = tosa.mul %91, %29, %4 : (tensor<2x3x1xf64>, tensor<1x1x1xf64>, tensor<1xi8>) -> tensor<2x3x1xf64>
    %93 = tosa.cast %92 : (tensor<2x3x1xf64>) -> tensor<2x3x1xf32>
    %94 = tosa.reduce_sum %85 {axis = 2 : i32} : (tensor<2x3x8xf32>) -> tensor<2x3x1xf32>
    %95 = tosa.mul %94, %30, %4 : (tensor<2x3x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x3x1xf32>
    %96 = tosa.add %93, %31 : (tensor<2x3x1xf32>, tensor<1x1x1xf32>) -> tensor<2x3x1xf32>
    %97 = tosa.rsqrt %96 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
    %98 = tosa.sub %85, %95 : (tensor<2x3x8xf32>, tensor<2x3x1xf32>) -> tensor<2x3x8xf32>
    %99 = tosa.mul %98, %97, %4 : (tensor<2x3x8xf32>, tensor<2x3x1xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
    %100 = tosa.mul %99, %32, %4 : (tensor<2x3x8xf32>, tensor<1x1x8xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
    %101 = tosa.add %100, %33 : (tensor<2x3x8xf32>, tensor<1x1x8xf32>) -> tensor<2x3x8xf32>
    %102 = tosa.reshape %101, %18 : (tensor<2x3x8xf32>, !tosa.shape<3>) -> tensor<1x6x8xf32>
    %103 = tosa.matmul %102, %34, %3, %3 : (tensor<1x6x8xf32>, tensor<1x8x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x16xf32>
    %104 = tosa.reshape %103, %19 : (tensor<1x6x16xf32>, !tosa.shape<2>) -> tensor<6x16xf32>
    %105 = tosa.add %104, %35 : (tensor<6x16xf32>, tensor<1x16xf32>) -> tensor<6x16xf32>
    %106 = tosa.reshape %105, %20 : (tensor<6x16xf32>, !tosa.shape<3>) -> tensor<2x3x16xf32>
    %107 = tosa.clamp %106 {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
    %108 = tosa.reshape %107, %21 : (tensor<2x3x16xf32>, !tosa.shape<3>) -> tensor<1x6x16xf32>
    %109 = tosa.matmul %108, %36, %3, %3 : (tensor<1x6x16xf32>, tensor<1x16x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x8xf32>
    %110 = tosa.reshape %109, %17 : (tensor<1x6x8xf32>, !tosa.shape<2>) -> tensor<6x8xf32>
    %111 = tosa.add %110, %37 : (tensor<6x8xf32>, tensor<1x8xf32>) -> tensor<6x8xf32>
    %112 = tosa.reshape %111, %22 : (tensor<6x8xf32>, !tosa.shape<3>) -> tensor<2x3x8xf32>
    %113 = tosa.add %101, %112 : (tensor<2x3x8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
    %114 = tosa.cast %113 : (tensor<2x3x8xf32>) -> tensor<2x3x8xf64>
    %115 = tosa.reduce_sum %114 {axis = 2 : i32} : (tensor<2x3x8xf64>) -> tensor<2x3x1xf64>
    %116 = tosa.mul %115, %29, %4 : (tensor<2x3x1xf64>, tensor<1x1x1xf64>, tensor<1xi8>) -> tensor<2x3x1xf64>
    %117 = tosa.sub %114, %116 : (tensor<2x3x8xf64>, tensor<2x3x1xf64>) -> tensor<2x3x8xf64>
    %118 = tosa.mul %117, %117, %4 : (tensor<2x3x8xf64>, tensor<2x3x8xf64>, tensor<1xi8>) -> tensor<2x3x8xf64>
    %119 = tosa.reduce_sum %118 {axis = 2 : i32} : (tensor<2x3x8xf64>) -> tensor<2x3x1xf64>
    %120 = tosa.mul %119, %29, %4 : (tensor<2x3x1xf64>, tensor<1x1x1xf64>, tensor<1xi8>) -> tensor<2x3x1xf64>
    %121 = tosa.cast %120 : (tensor<2x3x1xf64>) -> tensor<2x3x1xf32>
    %122 = tosa.reduce_sum %113 {axis = 2 : i32} : (tensor<2x3x8xf32>) -> tensor<2x3x1xf32>
    %123 = tosa.mul %122, %30, %4 : (tensor<2x3x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x3x1xf32>
    %124 = tosa.add %121, %31 : (tensor<2x3x1xf32>, tensor<1x1x1xf32>) -> tensor<2x3x1xf32>
    %125 = tosa.rsqrt %124 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
    %126 = tosa.sub %113, %123 : (tensor<2x3x8xf32>, tensor<2x3x1xf32>) -> tensor<2x3x8xf32>
    %127 = tosa.mul %126, %125, %4 : (tensor<2x3x8xf32>, tensor<2x3x1xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
    %128 = tosa.mul %127, %38, %4 : (tensor<2x3x8xf32>, tensor<1x1x8xf32>, tensor<1xi8>) -> tensor<2x3x8xf32>
    %129 = tosa.add %128, %39 : (tensor<2x3x8xf32>, tensor<1x1x8xf32>) -> tensor<2x3x8xf32>
    return %129 : tensor<2x3x8xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_24_torch.float32: "0x04000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      torch_tensor_8_torch.float32: "0x040000000000000000000000000000000000000000000000000000000000000000000000",
      torch_tensor_8_torch.float32_1: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F",
      torch_tensor_8_torch.float32_2: "0x040000000000000000000000000000000000000000000000000000000000000000000000",
      torch_tensor_16_torch.float32: "0x040000008F8F1BBE574A25BE3EAD3D3EF07927BEE34F32BE3058FDBC29320BBD9A028DBEF9E8963EFFB31FBEA66B003E99729D3E0295363E90074D3D86059A3E84AB423D",
      torch_tensor_8_torch.float32_3: "0x040000006080E0BC601EA1BD00DB4DBE00A0D838969F403E1AAF573E7014BF3CF092683D",
      torch_tensor_8_torch.float32_4: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F",
      torch_tensor_8_torch.float32_5: "0x040000000000000000000000000000000000000000000000000000000000000000000000"
    }
  }
#-}
