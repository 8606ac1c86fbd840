//===- CUDARuntime.cpp - qc's host runtime over the CUDA driver API -------===//
//
// libqc_cuda_runtime.so: the `mgpu*` functions that MLIR's gpu-to-llvm
// lowering and the gpu.binary offloading handler call (module load from a
// global constructor, kernel launch, device memory, streams, events),
// implemented over the CUDA driver API. Debian's MLIR ships no CUDA runtime
// wrappers, so qc brings its own; `qc-opt --qc-nvvm-pipeline` output runs
// with `mlir-runner -shared-libs=<this library>`.
//
// The driver (libcuda.so.1) is opened with dlopen on first use, not linked:
// the library builds and loads on a machine without CUDA, and a program run
// there stops with one message that says what is missing, not a crash. The
// driver's types are declared here (the handful the runtime needs) so that
// cuda.h is not needed to build it either. Every driver error stops the
// program with the failing call and the driver's error name: a kernel that
// did not run must never look like one that ran.
//
//===----------------------------------------------------------------------===//

#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <utility>

namespace {

// The driver API's types, as cuda.h declares them (CUDA 11-13).
using CUresult = int;
using CUdevice = int;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUevent = struct CUevent_st *;
using CUdeviceptr = unsigned long long;

/// The driver entry points the runtime calls, resolved once.
struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxPushCurrent)(CUcontext);
  CUresult (*cuCtxPopCurrent)(CUcontext *);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, unsigned, CUstream,
                             void **, void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*cuMemsetD16Async)(CUdeviceptr, unsigned short, size_t, CUstream);
  CUcontext context = nullptr;
};

[[noreturn]] void fatal(const char *what, const char *detail) {
  std::fprintf(stderr, "qc-cuda-runtime: %s%s%s\n", what,
               detail ? ": " : "", detail ? detail : "");
  std::fflush(stderr);
  std::exit(1);
}

template <typename Fn> void resolve(void *lib, Fn &slot, const char *name) {
  slot = reinterpret_cast<Fn>(dlsym(lib, name));
  if (!slot)
    fatal("the CUDA driver lacks a function qc needs", name);
}

/// The driver, opened and initialized with device 0's primary context on
/// first use; stops the program when there is none.
Driver &driver() {
  static Driver d = [] {
    Driver d{};
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      fatal("cannot load the CUDA driver (libcuda.so.1); this program "
            "launches GPU kernels and needs an NVIDIA GPU with its driver",
            dlerror());
    resolve(lib, d.cuInit, "cuInit");
    resolve(lib, d.cuGetErrorName, "cuGetErrorName");
    resolve(lib, d.cuDeviceGet, "cuDeviceGet");
    resolve(lib, d.cuDeviceGetCount, "cuDeviceGetCount");
    resolve(lib, d.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
    resolve(lib, d.cuCtxPushCurrent, "cuCtxPushCurrent_v2");
    resolve(lib, d.cuCtxPopCurrent, "cuCtxPopCurrent_v2");
    resolve(lib, d.cuModuleLoadData, "cuModuleLoadData");
    resolve(lib, d.cuModuleUnload, "cuModuleUnload");
    resolve(lib, d.cuModuleGetFunction, "cuModuleGetFunction");
    resolve(lib, d.cuLaunchKernel, "cuLaunchKernel");
    resolve(lib, d.cuStreamCreate, "cuStreamCreate");
    resolve(lib, d.cuStreamSynchronize, "cuStreamSynchronize");
    resolve(lib, d.cuStreamDestroy, "cuStreamDestroy_v2");
    resolve(lib, d.cuStreamWaitEvent, "cuStreamWaitEvent");
    resolve(lib, d.cuEventCreate, "cuEventCreate");
    resolve(lib, d.cuEventDestroy, "cuEventDestroy_v2");
    resolve(lib, d.cuEventRecord, "cuEventRecord");
    resolve(lib, d.cuEventSynchronize, "cuEventSynchronize");
    resolve(lib, d.cuMemAlloc, "cuMemAlloc_v2");
    resolve(lib, d.cuMemAllocManaged, "cuMemAllocManaged");
    resolve(lib, d.cuMemFree, "cuMemFree_v2");
    resolve(lib, d.cuMemcpyAsync, "cuMemcpyAsync");
    resolve(lib, d.cuMemsetD32Async, "cuMemsetD32Async");
    resolve(lib, d.cuMemsetD16Async, "cuMemsetD16Async");
    auto check = [&d](CUresult r, const char *call) {
      if (r == 0)
        return;
      const char *name = nullptr;
      d.cuGetErrorName(r, &name);
      fatal(call, name ? name : "unknown CUDA error");
    };
    check(d.cuInit(0), "cuInit");
    int count = 0;
    check(d.cuDeviceGetCount(&count), "cuDeviceGetCount");
    if (count == 0)
      fatal("the CUDA driver sees no GPU", nullptr);
    CUdevice device;
    check(d.cuDeviceGet(&device, 0), "cuDeviceGet");
    check(d.cuDevicePrimaryCtxRetain(&d.context, device),
          "cuDevicePrimaryCtxRetain");
    return d;
  }();
  return d;
}

void check(CUresult r, const char *call) {
  if (r == 0)
    return;
  const char *name = nullptr;
  driver().cuGetErrorName(r, &name);
  fatal(call, name ? name : "unknown CUDA error");
}

/// Device 0's primary context, current for the scope of one call.
struct ScopedContext {
  ScopedContext() { check(driver().cuCtxPushCurrent(driver().context),
                          "cuCtxPushCurrent"); }
  ~ScopedContext() {
    CUcontext previous;
    check(driver().cuCtxPopCurrent(&previous), "cuCtxPopCurrent");
  }
};

} // namespace

#define QC_RUNTIME_EXPORT extern "C" __attribute__((visibility("default")))

QC_RUNTIME_EXPORT void *mgpuModuleLoad(void *data, size_t /*size*/) {
  ScopedContext scope;
  CUmodule module = nullptr;
  check(driver().cuModuleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

/// PTX (`format=isa`): the driver compiles it for the GPU it runs on.
/// MLIR 22's offloading handler passes the PTX (NUL-terminated) and an
/// optimization level.
QC_RUNTIME_EXPORT void *mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  return mgpuModuleLoad(data, 0);
}

QC_RUNTIME_EXPORT void mgpuModuleUnload(void *module) {
  ScopedContext scope;
  check(driver().cuModuleUnload(static_cast<CUmodule>(module)),
        "cuModuleUnload");
}

QC_RUNTIME_EXPORT void *mgpuModuleGetFunction(void *module, const char *name) {
  ScopedContext scope;
  CUfunction function = nullptr;
  check(driver().cuModuleGetFunction(&function, static_cast<CUmodule>(module),
                                     name),
        "cuModuleGetFunction");
  return function;
}

QC_RUNTIME_EXPORT void mgpuLaunchKernel(void *function, intptr_t gridX,
                                        intptr_t gridY, intptr_t gridZ,
                                        intptr_t blockX, intptr_t blockY,
                                        intptr_t blockZ, int32_t smem,
                                        void *stream, void **params,
                                        void **extra, size_t /*count*/) {
  // An empty grid (a dynamic M of 0) launches nothing.
  if (gridX == 0 || gridY == 0 || gridZ == 0)
    return;
  ScopedContext scope;
  check(driver().cuLaunchKernel(static_cast<CUfunction>(function), gridX,
                                gridY, gridZ, blockX, blockY, blockZ, smem,
                                static_cast<CUstream>(stream), params, extra),
        "cuLaunchKernel");
}

QC_RUNTIME_EXPORT void *mgpuStreamCreate() {
  ScopedContext scope;
  CUstream stream = nullptr;
  check(driver().cuStreamCreate(&stream, /*CU_STREAM_NON_BLOCKING=*/1),
        "cuStreamCreate");
  return stream;
}

QC_RUNTIME_EXPORT void mgpuStreamDestroy(void *stream) {
  ScopedContext scope;
  check(driver().cuStreamDestroy(static_cast<CUstream>(stream)),
        "cuStreamDestroy");
}

QC_RUNTIME_EXPORT void mgpuStreamSynchronize(void *stream) {
  ScopedContext scope;
  check(driver().cuStreamSynchronize(static_cast<CUstream>(stream)),
        "cuStreamSynchronize (a kernel or copy on the stream failed)");
}

QC_RUNTIME_EXPORT void mgpuStreamWaitEvent(void *stream, void *event) {
  ScopedContext scope;
  check(driver().cuStreamWaitEvent(static_cast<CUstream>(stream),
                                   static_cast<CUevent>(event), 0),
        "cuStreamWaitEvent");
}

QC_RUNTIME_EXPORT void *mgpuEventCreate() {
  ScopedContext scope;
  CUevent event = nullptr;
  check(driver().cuEventCreate(&event, /*CU_EVENT_DISABLE_TIMING=*/2),
        "cuEventCreate");
  return event;
}

QC_RUNTIME_EXPORT void mgpuEventDestroy(void *event) {
  ScopedContext scope;
  check(driver().cuEventDestroy(static_cast<CUevent>(event)),
        "cuEventDestroy");
}

QC_RUNTIME_EXPORT void mgpuEventSynchronize(void *event) {
  ScopedContext scope;
  check(driver().cuEventSynchronize(static_cast<CUevent>(event)),
        "cuEventSynchronize");
}

QC_RUNTIME_EXPORT void mgpuEventRecord(void *event, void *stream) {
  ScopedContext scope;
  check(driver().cuEventRecord(static_cast<CUevent>(event),
                               static_cast<CUstream>(stream)),
        "cuEventRecord");
}

QC_RUNTIME_EXPORT void *mgpuMemAlloc(uint64_t bytes, void * /*stream*/,
                                     bool hostShared) {
  if (bytes == 0)
    return nullptr;
  ScopedContext scope;
  CUdeviceptr ptr = 0;
  if (hostShared)
    check(driver().cuMemAllocManaged(&ptr, bytes, /*CU_MEM_ATTACH_GLOBAL=*/1),
          "cuMemAllocManaged");
  else
    check(driver().cuMemAlloc(&ptr, bytes), "cuMemAlloc");
  return reinterpret_cast<void *>(ptr);
}

QC_RUNTIME_EXPORT void mgpuMemFree(void *ptr, void * /*stream*/) {
  if (!ptr)
    return;
  ScopedContext scope;
  check(driver().cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)), "cuMemFree");
}

QC_RUNTIME_EXPORT void mgpuMemcpy(void *dst, void *src, size_t bytes,
                                  void *stream) {
  if (bytes == 0)
    return;
  ScopedContext scope;
  check(driver().cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                               reinterpret_cast<CUdeviceptr>(src), bytes,
                               static_cast<CUstream>(stream)),
        "cuMemcpyAsync");
}

QC_RUNTIME_EXPORT void mgpuMemset32(void *dst, unsigned value, size_t count,
                                    void *stream) {
  if (count == 0)
    return;
  ScopedContext scope;
  check(driver().cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                  count, static_cast<CUstream>(stream)),
        "cuMemsetD32Async");
}

QC_RUNTIME_EXPORT void mgpuMemset16(void *dst, unsigned short value,
                                    size_t count, void *stream) {
  if (count == 0)
    return;
  ScopedContext scope;
  check(driver().cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                  count, static_cast<CUstream>(stream)),
        "cuMemsetD16Async");
}

/// The device copy of a constant host buffer (a weight the program holds in
/// a global): uploaded the first time this address (and size) is seen, the
/// same device pointer on every later call, kept until the program exits.
/// What qc-nvvm-host-functions calls for a launch's constant arguments, so
/// that a weight crosses PCIe once, not on every call.
QC_RUNTIME_EXPORT void *qcCudaConstant(void *host, uint64_t bytes) {
  if (bytes == 0)
    return nullptr;
  static std::mutex mutex;
  static std::map<std::pair<void *, uint64_t>, CUdeviceptr> uploaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, inserted] = uploaded.try_emplace({host, bytes}, 0);
  if (inserted) {
    ScopedContext scope;
    check(driver().cuMemAlloc(&it->second, bytes), "cuMemAlloc");
    check(driver().cuMemcpyAsync(it->second,
                                 reinterpret_cast<CUdeviceptr>(host), bytes,
                                 /*stream=*/nullptr),
          "cuMemcpyAsync");
    check(driver().cuStreamSynchronize(nullptr), "cuStreamSynchronize");
  }
  return reinterpret_cast<void *>(it->second);
}
