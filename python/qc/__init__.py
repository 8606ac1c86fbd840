"""qc: a quantization compiler on MLIR, from Python.

The bindings wrap qc's C API (libQCCAPI.so):

    import qc
    ctx = qc.Context()
    m = qc.Module.parse(ctx, open("model.mlir").read())
    m.run("qc-quantize-model{policy=w4g128}")
    print(m)

Types (``qc.Type``) expose a ``!qc.qtensor``'s shape, grid, granularity and
part types; ``qc.quantize`` runs qc's numerics library on a numpy array;
``Module.add_linear`` builds a linear layer from codes and scales or from
float weights; ``qc.jit.compile`` lowers a module with qc's reference or CPU
pipeline and runs its functions on numpy arrays.
"""

from ._qc import (  # noqa: F401
    Context,
    ExecutionEngine,
    MLIRError,
    Module,
    Type,
    quantize,
)
from . import jit  # noqa: F401
from .jit import compile  # noqa: F401,A001

__all__ = ["Context", "ExecutionEngine", "MLIRError", "Module", "Type",
           "quantize", "jit", "compile"]
