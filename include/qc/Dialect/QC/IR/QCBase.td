//===- QCBase.td - qc dialect definition -------------------*- tablegen -*-===//

#ifndef QC_DIALECT_QC_IR_QCBASE_TD
#define QC_DIALECT_QC_IR_QCBASE_TD

include "mlir/IR/OpBase.td"

def QC_Dialect : Dialect {
  let name = "qc";
  let cppNamespace = "::mlir::qc";
  let summary = "Low-bit quantized tensors: grids, scales, and the ops on them";
  let description = [{
    The `qc` dialect represents quantized tensor programs. A quantized tensor
    (`!qc.qtensor`) is a tensor of small codes plus everything needed to turn
    the codes back into real numbers:

    * a **grid** (`#qc.int`, `#qc.float`, `#qc.nf4`, `#qc.codebook`,
      `#qc.ternary`, `#qc.binary`): what one stored code means;
    * a **granularity** (`#qc.per_tensor`, `#qc.per_axis`, `#qc.per_block`)
      and a scale element type: which elements share one scale;
    * optionally a **zero point** type (integer or float, same granularity as
      the scales);
    * optionally an **outer scale** level (two-level scales such as NVFP4:
      E4M3 block scales times an f32 per-tensor scale).

    The meaning of a quantized tensor with codes `q`, scales `s`, zero points
    `z` and outer scales `o` is, element by element,

    ```
    x = (s * o) * (decode(q) - z)        (f32 arithmetic)
    ```

    where `s`, `z` and `o` are the entries of the block the element falls in,
    `z = 0` without zero points and `o = 1` without an outer level.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
  private:
    void registerAttributes();
    void registerTypes();
  }];
}

class QC_Op<string mnemonic, list<Trait> traits = []>
    : Op<QC_Dialect, mnemonic, traits>;

#endif // QC_DIALECT_QC_IR_QCBASE_TD
