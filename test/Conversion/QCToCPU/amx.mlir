// The row-lane integer-dot kernels on an AMX target: blocks of 16
// activation rows run on AMX tiles (tdpbssd: signed activation bytes times
// the weight codes unpacked to their values), after the kernel asks Linux for the tile
// state (arch_prctl through a `syscall` instruction); the other rows stay
// on vpdpbusd. Checked in llc's output, so on any host; the numbers are
// checked in test/Integration/QC/cpu_*_amx_*.mlir on AMX hosts.
// RUN: %python %S/../../Integration/QC/qcref.py gen cpu_w4a8_amx_m35 > %t.mlir
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,amx-tile,amx-int8" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 \
// RUN:   | FileCheck %s --check-prefix=AMX
// Without AMX-INT8 the same weight takes the vpdpbusd kernel alone:
// RUN: qc-opt %t.mlir --qc-cpu-pipeline="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,amx-tile" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 \
// RUN:   | FileCheck %s --check-prefix=VNNI
// The kernel's name says which form it is:
// RUN: qc-opt %t.mlir --qc-quantize-constants --qc-cpu-repack-weights="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,amx-tile,amx-int8" \
// RUN:   --convert-qc-to-cpu="target-triple=x86_64-unknown-linux-gnu target-features=avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,amx-tile,amx-int8" \
// RUN:   | FileCheck %s --check-prefix=NAME

// AMX-LABEL: qc_cpu_w4a8_n64_k256_g32_f16_ag32_vnni512_rowlanes_lo_bias_amx:
// AMX: syscall
// (The vpdpbusd rows' code may come before or after the AMX rows'.)
// AMX-DAG: tileloadd
// AMX-DAG: tdpbssd
// AMX-DAG: tilestored
// AMX-DAG: vpdpbusd {{.*}}zmm

// VNNI-LABEL: qc_cpu_w4a8_n64_k256_g32_f16_ag32_vnni512_rowlanes_lo_bias:
// VNNI-NOT: tdpbs
// VNNI-NOT: syscall
// VNNI: vpdpbusd {{.*}}zmm
// VNNI-NOT: tdpbs

// The bias is the kernel's argument (added as the outputs are stored):
// NAME: qc.kernel_call @qc_cpu_w4a8_n64_k256_g32_f16_ag32_vnni512_rowlanes_lo_bias_amx
// NAME-NOT: linalg.generic
// NAME: func.func private @qc_cpu_w4a8_n64_k256_g32_f16_ag32_vnni512_rowlanes_lo_bias_amx(
// NAME-SAME: %{{.*}}: memref<?x256xi8>, %{{.*}}: memref<?x8xf32>, %{{.*}}: memref<8192xi8>, %{{.*}}: memref<4x8x16xf16>, %{{.*}}: memref<64xf32>, %{{.*}}: memref<?x64xf32>, %{{.*}}: memref<?x256xi8>, %{{.*}}: memref<?x8xf32>)
// Signed codes are unpacked to their values: tdpbssd, no offset correction.
// NAME-NOT: zext
// NAME: amx.tile_muli
// NAME-NOT: zext
