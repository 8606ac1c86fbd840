/*===- quantize.c - qc's C API from a C program ----------------------------===*
 *
 * Parses a one-layer qc program, runs qc-reference-pipeline on it and prints
 * "qc-capi-example: ok" when every step succeeded; a failed step prints what
 * failed and exits 1. What an embedding compiler does first.
 *
 *===----------------------------------------------------------------------===*/

#include "qc-c/QC.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"

#include <stdio.h>
#include <string.h>

static const char *kProgram =
    "func.func @f(%x: tensor<?x64xf32>) -> tensor<?x8xf32> {\n"
    "  %w = arith.constant dense<0.5> : tensor<8x64xf32>\n"
    "  %q = qc.quantize %w : tensor<8x64xf32> -> !qc.qtensor<8x64, "
    "#qc.int<s4>, f16 #qc.per_block<[1, 32]>>\n"
    "  %y = qc.matmul %x, %q : tensor<?x64xf32>, !qc.qtensor<8x64, "
    "#qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x8xf32>\n"
    "  return %y : tensor<?x8xf32>\n"
    "}\n";

static MlirStringRef str(const char *s) {
  return mlirStringRefCreate(s, strlen(s));
}

/* Pass pipeline parse errors, to stderr. */
static void toStderr(MlirStringRef s, void *userData) {
  (void)userData;
  fwrite(s.data, 1, s.length, stderr);
}

int main(void) {
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirQCRegisterAllDialects(registry);
  MlirContext ctx = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  mlirQCRegisterAllPasses();

  MlirModule module = mlirModuleCreateParse(ctx, str(kProgram));
  if (mlirModuleIsNull(module)) {
    fprintf(stderr, "qc-capi-example: the program does not parse\n");
    return 1;
  }
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  if (mlirLogicalResultIsFailure(
          mlirParsePassPipeline(opm, str("builtin.module(qc-reference-pipeline)"),
                                toStderr, NULL)) ||
      mlirLogicalResultIsFailure(
          mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module)))) {
    fprintf(stderr, "qc-capi-example: qc-reference-pipeline failed\n");
    return 1;
  }
  printf("qc-capi-example: ok\n");
  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  return 0;
}
