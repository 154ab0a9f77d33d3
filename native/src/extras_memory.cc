// Project extras: build facts, CUDA memory statistics and the per-process memory cap. In a build
// without CUDA every query answers "no CUDA" / zeros, so Java can report it cleanly.
#include <string>
#include <type_traits>
#include <utility>

#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/cuda.h>

#ifdef DIFFBENCH_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

#include "jni_util.h"
#include "project_natives.h"

using djl::guard;
using djl::guardVoid;

namespace {

constexpr int kApiVersion = 3;  // keep equal to CudaExtras.API_VERSION

#ifdef DIFFBENCH_WITH_CUDA
// The caching allocator knows a device only after CUDA's lazy initialisation; a tiny tensor forces it.
void initialize(int device) {
  torch::empty({1}, torch::TensorOptions().device(c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(device))));
}

int64_t totalMemory(int device) {
  c10::cuda::CUDAGuard onDevice(static_cast<c10::DeviceIndex>(device));
  size_t free = 0, total = 0;
  C10_CUDA_CHECK(cudaMemGetInfo(&free, &total));
  return static_cast<int64_t>(total);
}

bool hasCuda() { return torch::cuda::is_available(); }
#else
bool hasCuda() { return false; }
#endif

// The cuDNN the process runs (cudnnGetVersion, what torch.backends.cudnn.version() reports); a libtorch
// older than versionRuntimeCuDNN knows only the cuDNN it was built with.
template <typename Hooks, typename = void>
struct CudnnVersion {
  static long of(const Hooks& hooks) { return hooks.versionCuDNN(); }
};
template <typename Hooks>
struct CudnnVersion<Hooks, std::void_t<decltype(std::declval<const Hooks&>().versionRuntimeCuDNN())>> {
  static long of(const Hooks& hooks) { return hooks.versionRuntimeCuDNN(); }
};

}  // namespace

PROJECT_NATIVE(jint, apiVersion)(JNIEnv*, jclass) { return kApiVersion; }

PROJECT_NATIVE(jstring, torchVersion)(JNIEnv* env, jclass) {
  return guard(env, jstring(nullptr), [&] {
    return djl::newString(env, std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                                   std::to_string(TORCH_VERSION_PATCH));
  });
}

PROJECT_NATIVE(jboolean, cudaAvailable)(JNIEnv* env, jclass) {
  return guard(env, jboolean(JNI_FALSE), [] { return jboolean(hasCuda()); });
}

// major * 10 + minor (90 for sm_90); 0 without CUDA. Keys compiled packages, which are per GPU architecture.
PROJECT_NATIVE(jint, cudaCapability)(JNIEnv* env, jclass, jint device) {
  return guard(env, jint(0), [&] {
#ifdef DIFFBENCH_WITH_CUDA
    if (!hasCuda()) return jint(0);
    int major = 0, minor = 0;
    C10_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
    C10_CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device));
    return jint(major * 10 + minor);
#else
    (void)device;
    return jint(0);
#endif
  });
}

PROJECT_NATIVE(jlong, cudnnVersion)(JNIEnv* env, jclass) {
  return guard(env, jlong(0), [] {
    const at::CUDAHooksInterface& hooks = at::detail::getCUDAHooks();  // CPU-only: hooks that know no cuDNN
    if (!hasCuda() || !hooks.hasCuDNN()) return jlong(0);
    return jlong(CudnnVersion<at::CUDAHooksInterface>::of(hooks));
  });
}

PROJECT_NATIVE(jlongArray, memoryStats)(JNIEnv* env, jclass, jint device) {
  return guard(env, jlongArray(nullptr), [&] {
    std::vector<int64_t> stats(5, 0);
#ifdef DIFFBENCH_WITH_CUDA
    if (hasCuda()) {
      initialize(device);
      const auto s = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(device));
      // index 0 is StatType::AGGREGATE (small + large pools) in every libtorch since 1.x
      stats = {s.allocated_bytes[0].current, s.reserved_bytes[0].current, s.allocated_bytes[0].peak,
               s.reserved_bytes[0].peak, totalMemory(device)};
    }
#else
    (void)device;
#endif
    return djl::toJava(env, stats);
  });
}

PROJECT_NATIVE(void, resetPeakMemory)(JNIEnv* env, jclass, jint device) {
  guardVoid(env, [&] {
#ifdef DIFFBENCH_WITH_CUDA
    if (!hasCuda()) return;
    initialize(device);
    c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(device));
#else
    (void)device;
#endif
  });
}

// Allocations beyond the cap fail with libtorch's ordinary "CUDA out of memory" error. The cap is
// fraction x cudaMemGetInfo's total (the same total memoryStats reports) and bounds what this
// process's caching allocator reserves; the CUDA context, memory other libraries cudaMalloc
// directly and other processes are not counted, and memory already reserved is not released.
PROJECT_NATIVE(void, setMemoryFraction)(JNIEnv* env, jclass, jint device, jdouble fraction) {
  guardVoid(env, [&] {
#ifdef DIFFBENCH_WITH_CUDA
    if (!hasCuda()) throw std::runtime_error("a memory cap needs a CUDA device");
    initialize(device);
    c10::cuda::CUDACachingAllocator::setMemoryFraction(fraction, static_cast<c10::DeviceIndex>(device));
#else
    (void)device;
    (void)fraction;
    throw std::runtime_error("a memory cap needs diffbench's JNI built against a CUDA libtorch");
#endif
  });
}

// Below autograd, like torchSet: static graph inputs may be inference tensors.
PROJECT_NATIVE(void, copyInto)(JNIEnv* env, jclass, jlong dst, jlong src) {
  guardVoid(env, [&] {
    at::AutoDispatchBelowADInplaceOrView below;
    djl::tensorAt(dst).copy_(djl::tensorAt(src));
  });
}
