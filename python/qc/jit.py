"""Running qc programs on numpy arrays through MLIR's ExecutionEngine.

``compile(module, pipeline)`` records the signatures of the module's
functions, marks them ``llvm.emit_c_interface``, runs the pipeline (which
must end in the LLVM dialect, as ``qc-cpu-pipeline`` and
``qc-reference-pipeline`` do) and JIT-compiles the result. Calling a
function passes each numpy array as a memref descriptor (MLIR's C
interface: allocated and aligned pointers, offset, sizes, strides) and
returns its results as new numpy arrays. The first ``compile`` tunes
glibc's malloc to keep freed buffers (``keep_freed_memory``).
"""

import ctypes
import os

import numpy as np

from ._qc import ExecutionEngine, MLIRError, free_buffer
from . import _config

_DTYPES = {
    "f32": (np.float32, ctypes.c_float),
    "f64": (np.float64, ctypes.c_double),
    "f16": (np.float16, ctypes.c_uint16),
    "i8": (np.int8, ctypes.c_int8),
    "i16": (np.int16, ctypes.c_int16),
    "i32": (np.int32, ctypes.c_int32),
    "i64": (np.int64, ctypes.c_int64),
}

# memref.get_global's results carry this as their allocated pointer.
_DEAD_BEEF = 0xDEADBEEF

_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]

# glibc's mallopt parameters.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_malloc_tuned = False


def keep_freed_memory():
    """Tunes glibc's malloc so that the buffers compiled code frees stay in
    the process for its next call: allocations up to 32 MiB (the most glibc
    allows) come from the heap, not from fresh mmaps, and up to 512 MiB of
    free heap is kept instead of being returned to the kernel. Without
    this every call of a compiled model maps its intermediate tensors anew
    and the kernel zeroes each page on first touch: MiniLM's encoder on 16 x
    128 tokens spent about 30% of its time in page faults (1.46x faster on
    one thread, 1.63x on two, measured in one process). `compile` calls it
    once; set QC_MALLOC_TUNING=0 to leave malloc alone. True if applied."""
    global _malloc_tuned
    if _malloc_tuned:
        return True
    if os.environ.get("QC_MALLOC_TUNING", "1") == "0" or not hasattr(_libc, "mallopt"):
        return False
    _malloc_tuned = bool(_libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)) and \
        bool(_libc.mallopt(_M_TRIM_THRESHOLD, 512 << 20))
    return _malloc_tuned


def default_shared_libs():
    """The runtime libraries qc's lowered code calls: LLVM's OpenMP runtime
    (the CPU kernels' threads) and MLIR's C runner utilities."""
    libs = []
    for name in ("libomp.so", "libmlir_c_runner_utils.so"):
        path = os.path.join(_config.MLIR_LIB_DIR, name)
        if os.path.exists(path):
            libs.append(path)
    return libs


def set_num_threads(n):
    """The number of OpenMP threads compiled code runs on from now on (its
    libomp's omp_set_num_threads; the default is one per core)."""
    if int(n) < 1:
        raise ValueError("set_num_threads: %r threads" % (n,))
    for lib in default_shared_libs():
        if os.path.basename(lib) == "libomp.so":
            ctypes.CDLL(lib).omp_set_num_threads(int(n))
            return
    raise RuntimeError("set_num_threads: no libomp.so in %s" % _config.MLIR_LIB_DIR)


def _descriptor_type(rank):
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank),
                   ("strides", ctypes.c_int64 * rank)]
    return type("MemRefDescriptor%d" % rank, (ctypes.Structure,),
                {"_fields_": fields})


class _TensorSpec:
    """A function argument or result: a ranked tensor's shape and dtype."""

    def __init__(self, type_, what):
        if not type_.is_ranked_tensor:
            raise TypeError("%s: only ranked tensors of %s cross the JIT "
                            "boundary, got %s" % (what, ", ".join(_DTYPES), type_))
        element = str(type_.element_type)
        if element not in _DTYPES:
            raise TypeError("%s: element type %s is not one of %s"
                            % (what, element, ", ".join(_DTYPES)))
        self.shape = type_.shape
        self.element = element
        self.dtype = np.dtype(_DTYPES[element][0])
        self.descriptor = _descriptor_type(len(self.shape))

    def check(self, array, what):
        if array.dtype != self.dtype:
            raise TypeError("%s: expected %s, got an array of %s"
                            % (what, self.dtype, array.dtype))
        if array.ndim != len(self.shape) or any(
                d != -1 and d != a for d, a in zip(self.shape, array.shape)):
            raise ValueError("%s: expected shape %s (-1: any), got %s"
                             % (what, self.shape, array.shape))


class Function:
    """A compiled function; call it with numpy arrays."""

    def __init__(self, engine, name, inputs, results):
        self._engine, self.name = engine, name
        self.inputs = [_TensorSpec(t, "@%s argument %d" % (name, i))
                       for i, t in enumerate(inputs)]
        self.results = [_TensorSpec(t, "@%s result %d" % (name, i))
                        for i, t in enumerate(results)]
        if len(self.results) > 1:
            self._results_type = _results_type(self.results)

    def __call__(self, *arrays):
        if len(arrays) != len(self.inputs):
            raise TypeError("@%s takes %d arrays, got %d"
                            % (self.name, len(self.inputs), len(arrays)))
        keep, slots = [], []
        # The C interface returns results through a pointer to one result
        # struct: a function's single result's descriptor, or a struct of
        # every result's descriptor in order (the LLVM struct the function
        # returns; its fields are all 8-byte words, so ctypes lays it out
        # the same way).
        out_descs = []
        if self.results:
            if len(self.results) == 1:
                packed = self.results[0].descriptor()
                out_descs = [packed]
            else:
                packed = self._results_type()
                out_descs = [getattr(packed, "r%d" % i)
                             for i in range(len(self.results))]
            ptr = ctypes.pointer(packed)
            keep += [packed, ptr]
            slots.append(ctypes.pointer(ptr))
        in_buffers = set()
        for i, (spec, array) in enumerate(zip(self.inputs, arrays)):
            array = np.ascontiguousarray(array)
            spec.check(array, "@%s argument %d" % (self.name, i))
            keep.append(array)
            desc = spec.descriptor()
            desc.allocated = desc.aligned = array.ctypes.data
            in_buffers.add(array.ctypes.data)
            desc.offset = 0
            for d, (n, stride) in enumerate(zip(array.shape, array.strides)):
                desc.sizes[d] = n
                desc.strides[d] = stride // array.itemsize
            ptr = ctypes.pointer(desc)
            keep += [desc, ptr]
            slots.append(ctypes.pointer(ptr))
        self._engine.invoke_packed(
            self.name, [ctypes.cast(s, ctypes.c_void_p).value for s in slots])
        # Each result is an array viewing the buffer the call allocated for
        # it (the pipeline's ownership-based deallocation returns owned
        # buffers), freed when that array goes. A result in an argument's or
        # a constant's memory is copied, and so is one in a buffer an
        # earlier result views (results never alias).
        owners, results = {}, []
        for spec, desc in zip(self.results, out_descs):
            owner = None
            address = desc.allocated
            if address not in (None, _DEAD_BEEF) and address not in in_buffers \
                    and address not in owners:
                owner = owners[address] = _Buffer(address)
            results.append(_to_numpy(spec, desc, owner))
        return _unpack(results)


def _unpack(results):
    if len(results) == 1:
        return results[0]
    return tuple(results)


class _Buffer:
    """A buffer compiled code allocated and returned: the arrays of the
    results that view it keep it, and it is freed when the last goes."""
    __slots__ = ("address",)

    def __init__(self, address):
        self.address = address

    def __del__(self, _free=free_buffer):
        # (`_free` is bound now: at interpreter exit the module's globals
        # may be gone before the last result.)
        _free(self.address)


def _results_type(specs):
    return type("Results%d" % len(specs), (ctypes.Structure,),
                {"_fields_": [("r%d" % i, spec.descriptor)
                              for i, spec in enumerate(specs)]})


def _to_numpy(spec, desc, owner):
    """The result `desc` as an array: a view of its buffer that keeps
    `owner` (its _Buffer), or a copy when `owner` is None (a buffer the call
    does not own: an argument's, a constant's)."""
    rank = len(spec.shape)
    sizes = [desc.sizes[d] for d in range(rank)] if rank else []
    strides = [desc.strides[d] for d in range(rank)] if rank else []
    itemsize = spec.dtype.itemsize
    count = 1 + sum((n - 1) * s for n, s in zip(sizes, strides)) if all(sizes) else 0
    if count == 0:
        return np.zeros(sizes, spec.dtype)
    base = desc.aligned + desc.offset * itemsize
    memory = (ctypes.c_char * (count * itemsize)).from_address(base)
    if owner is not None:
        memory.owner = owner
    flat = np.frombuffer(memory, dtype=spec.dtype, count=count)
    view = np.lib.stride_tricks.as_strided(
        flat, shape=sizes, strides=[s * itemsize for s in strides])
    return view if owner is not None else np.array(view, copy=True)


class CompiledModule:
    """Functions of a module compiled by ``compile``, by name
    (``compiled.fn`` or ``compiled["fn"]``)."""

    def __init__(self, engine, signatures):
        self._engine = engine
        self._functions = {name: Function(engine, name, ins, outs)
                           for name, (ins, outs) in signatures.items()}

    def __getitem__(self, name):
        try:
            return self._functions[name]
        except KeyError:
            raise KeyError("no compiled function @%s (have: %s)"
                           % (name, ", ".join(sorted(self._functions)))) from None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(str(e)) from None


def compile(module, pipeline="qc-cpu-pipeline", functions=None, opt_level=2,
            shared_libs=None):  # noqa: A001
    """Lowers `module` with `pipeline` and JIT-compiles it.

    `functions` names the functions to expose (default: every function at
    the module's top level whose arguments and results are ranked tensors of
    f32, f64, f16 or i8-i64). The module is consumed: it belongs to the
    engine afterwards.
    """
    names = functions if functions is not None else module.functions
    signatures = {}
    for name in names:
        ins, outs = module.signature(name)
        try:
            for i, t in enumerate(ins + outs):
                _TensorSpec(t, "@%s" % name)
        except TypeError:
            if functions is not None:
                raise
            continue
        signatures[name] = (ins, outs)
        module.emit_c_interface(name)
    module.run(pipeline)
    libs = default_shared_libs() if shared_libs is None else shared_libs
    keep_freed_memory()
    engine = ExecutionEngine(module, opt_level, libs)
    return CompiledModule(engine, signatures)


__all__ = ["compile", "CompiledModule", "Function", "MLIRError",
           "default_shared_libs", "keep_freed_memory", "set_num_threads"]
