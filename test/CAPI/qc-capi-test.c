/*===- qc-capi-test.c - qc's C API, used from C ---------------------------===*
 *
 * Builds and inspects !qc.qtensor types and qc attributes, checks that an
 * invalid type is a diagnostic (not a crash), parses a qc module and runs
 * qc-reference-pipeline on it, all through the C API. Exits non-zero with a
 * message on the first failed check.
 *
 *===----------------------------------------------------------------------===*/

#include "qc-c/QC.h"

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    ++checks;                                                                \
    if (!(cond)) {                                                           \
      fprintf(stderr, "qc-capi-test: %s:%d: check failed: %s\n", __FILE__,   \
              __LINE__, #cond);                                              \
      exit(1);                                                               \
    }                                                                        \
  } while (0)

/* Appends printed text to a fixed buffer. */
struct Buffer {
  char text[65536];
  size_t size;
};

static void append(MlirStringRef s, void *userData) {
  struct Buffer *b = (struct Buffer *)userData;
  size_t n = s.length;
  if (b->size + n >= sizeof(b->text))
    n = sizeof(b->text) - 1 - b->size;
  memcpy(b->text + b->size, s.data, n);
  b->size += n;
  b->text[b->size] = '\0';
}

static const char *printType(MlirType t, struct Buffer *b) {
  b->size = 0;
  b->text[0] = '\0';
  mlirTypePrint(t, append, b);
  return b->text;
}

static MlirLogicalResult onDiagnostic(MlirDiagnostic d, void *userData) {
  mlirDiagnosticPrint(d, append, userData);
  return mlirLogicalResultSuccess();
}

int main(void) {
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirQCRegisterAllDialects(registry);
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);
  mlirContextLoadAllAvailableDialects(ctx);
  mlirQCRegisterAllPasses();
  MlirDialect qc = mlirContextGetOrLoadDialect(ctx, mlirStringRefCreateFromCString("qc"));
  CHECK(!mlirDialectIsNull(qc));
  CHECK(mlirStringRefEqual(mlirDialectHandleGetNamespace(mlirGetDialectHandle__qc__()),
                           mlirStringRefCreateFromCString("qc")));

  struct Buffer buffer, diag;
  diag.size = 0;
  diag.text[0] = '\0';
  mlirContextAttachDiagnosticHandler(ctx, onDiagnostic, &diag, NULL);

  /* Build a type and print it. */
  MlirLocation loc = mlirLocationUnknownGet(ctx);
  int64_t shape[2] = {64, 128}, block[2] = {1, 32};
  MlirAttribute s4 = mlirQCIntGridAttrGet(ctx, 4, true, false);
  MlirAttribute perBlock = mlirQCPerBlockAttrGet(ctx, 2, block);
  CHECK(mlirAttributeIsAQCIntGrid(s4) && mlirAttributeIsAQCGrid(s4));
  CHECK(mlirAttributeIsAQCGranularity(perBlock));
  CHECK(mlirQCGridAttrGetCodeBits(s4) == 4);
  MlirType t = mlirQCQuantizedTensorTypeGetChecked(loc, 2, shape, s4, perBlock,
                                                   mlirF16TypeGet(ctx), (MlirType){NULL});
  CHECK(!mlirTypeIsNull(t) && mlirTypeIsAQCQuantizedTensor(t));
  CHECK(strcmp(printType(t, &buffer),
               "!qc.qtensor<64x128, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>") == 0);
  CHECK(mlirTypeIDEqual(mlirTypeGetTypeID(t), mlirQCQuantizedTensorTypeGetTypeID()));

  /* Inspect a parsed one. */
  MlirType u = mlirTypeParseGet(ctx, mlirStringRefCreateFromCString(
      "!qc.qtensor<?x256, #qc.int<u4>, f32 #qc.per_axis<0>, zero_point i8>"));
  CHECK(mlirTypeIsAQCQuantizedTensor(u));
  CHECK(mlirQCQuantizedTensorTypeGetRank(u) == 2);
  CHECK(mlirQCQuantizedTensorTypeGetDimSize(u, 0) == mlirShapedTypeGetDynamicSize());
  CHECK(mlirQCQuantizedTensorTypeGetDimSize(u, 1) == 256);
  CHECK(mlirTypeIsAF32(mlirQCQuantizedTensorTypeGetScaleType(u)));
  CHECK(mlirTypeIsAInteger(mlirQCQuantizedTensorTypeGetZeroPointType(u)));
  CHECK(mlirTypeIsNull(mlirQCQuantizedTensorTypeGetZeroPointType(t)));
  CHECK(strcmp(printType(mlirQCQuantizedTensorTypeGetCodesType(t), &buffer),
               "tensor<64x128xi4>") == 0);
  CHECK(strcmp(printType(mlirQCQuantizedTensorTypeGetScalesType(t), &buffer),
               "tensor<64x4xf16>") == 0);
  CHECK(mlirQCGridAttrGetCodeBits(mlirQCQuantizedTensorTypeGetGrid(u)) == 4);

  /* An invalid type is a diagnostic and a null type. */
  int64_t badBlock[2] = {1, 48};
  MlirType bad = mlirQCQuantizedTensorTypeGetChecked(
      loc, 2, shape, s4, mlirQCPerBlockAttrGet(ctx, 2, badBlock), mlirF16TypeGet(ctx),
      (MlirType){NULL});
  CHECK(mlirTypeIsNull(bad));
  CHECK(strstr(diag.text, "does not divide") != NULL);

  /* Parse a qc module and lower it with a qc pipeline. */
  const char *source =
      "func.func @f(%x: tensor<?x64xf32>) -> tensor<?x8xf32> {\n"
      "  %w = arith.constant dense<0.5> : tensor<8x64xf32>\n"
      "  %q = qc.quantize %w : tensor<8x64xf32> -> "
      "!qc.qtensor<8x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>>\n"
      "  %y = qc.matmul %x, %q : tensor<?x64xf32>, "
      "!qc.qtensor<8x64, #qc.int<s4>, f16 #qc.per_block<[1, 32]>> -> tensor<?x8xf32>\n"
      "  return %y : tensor<?x8xf32>\n"
      "}\n";
  MlirModule module = mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(source));
  CHECK(!mlirModuleIsNull(module));
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  diag.size = 0;
  MlirLogicalResult parsed = mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString("builtin.module(qc-reference-pipeline)"), append, &diag);
  CHECK(mlirLogicalResultIsSuccess(parsed));
  CHECK(mlirLogicalResultIsSuccess(
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))));
  buffer.size = 0;
  mlirOperationPrint(mlirModuleGetOperation(module), append, &buffer);
  CHECK(strstr(buffer.text, "llvm.func @f(") != NULL);
  CHECK(strstr(buffer.text, "qc.") == NULL);

  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);

  /* A TOSA program (what torch-mlir's TOSA export writes): the C API
     registers TOSA and the pipelines lower it; qc-quantize-model raises its
     tosa.matmul to a quantized qc.matmul first. */
  const char *tosa =
      "func.func @t(%x: tensor<1x4x64xf32>) -> tensor<1x4x8xf32> {\n"
      "  %w = \"tosa.const\"() {values = dense<0.5> : tensor<1x64x8xf32>} : () -> tensor<1x64x8xf32>\n"
      "  %zp = \"tosa.const\"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>\n"
      "  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x64xf32>, tensor<1x64x8xf32>, "
      "tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8xf32>\n"
      "  return %y : tensor<1x4x8xf32>\n"
      "}\n";
  module = mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(tosa));
  CHECK(!mlirModuleIsNull(module));
  pm = mlirPassManagerCreate(ctx);
  CHECK(mlirLogicalResultIsSuccess(mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString(
          "builtin.module(qc-quantize-model{policy=w4g64})"),
      append, &diag)));
  CHECK(mlirLogicalResultIsSuccess(
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))));
  buffer.size = 0;
  mlirOperationPrint(mlirModuleGetOperation(module), append, &buffer);
  CHECK(strstr(buffer.text, "tosa.matmul") == NULL);
  CHECK(strstr(buffer.text, "#qc.int<s4>") != NULL);
  mlirPassManagerDestroy(pm);
  pm = mlirPassManagerCreate(ctx);
  CHECK(mlirLogicalResultIsSuccess(mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString("builtin.module(qc-cpu-pipeline)"),
      append, &diag)));
  CHECK(mlirLogicalResultIsSuccess(
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))));
  buffer.size = 0;
  mlirOperationPrint(mlirModuleGetOperation(module), append, &buffer);
  CHECK(strstr(buffer.text, "tosa.") == NULL);
  CHECK(strstr(buffer.text, "llvm.func @t(") != NULL);
  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  printf("qc-capi-test: %d checks passed\n", checks);
  return 0;
}
