// Process and thread state: grad mode, thread pools, seeds, cuDNN and graph-executor switches,
// feature discovery, CUDA cache.
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/jit/python/update_graph_executor_opt.h>
#include <torch/cuda.h>

#ifdef DIFFBENCH_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "jni_util.h"

using djl::guard;
using djl::guardVoid;

// Grad mode is thread-local in libtorch; DJL relies on that (it disables it on the engine thread).
DJL_NATIVE(jboolean, torchIsGradMode)(JNIEnv* env, jobject) {
  return guard(env, jboolean(JNI_FALSE), [] { return jboolean(c10::GradMode::is_enabled()); });
}

DJL_NATIVE(void, torchSetGradMode)(JNIEnv* env, jobject, jboolean enable) {
  guardVoid(env, [&] { c10::GradMode::set_enabled(enable == JNI_TRUE); });
}

DJL_NATIVE(jint, torchGetNumInteropThreads)(JNIEnv* env, jobject) {
  return guard(env, jint(0), [] { return jint(at::get_num_interop_threads()); });
}

DJL_NATIVE(jint, torchGetNumThreads)(JNIEnv* env, jobject) {
  return guard(env, jint(0), [] { return jint(at::get_num_threads()); });
}

DJL_NATIVE(void, torchSetNumInteropThreads)(JNIEnv* env, jobject, jint threads) {
  guardVoid(env, [&] { at::set_num_interop_threads(threads); });
}

DJL_NATIVE(void, torchSetNumThreads)(JNIEnv* env, jobject, jint threads) {
  guardVoid(env, [&] { at::set_num_threads(threads); });
}

DJL_NATIVE(void, torchSetBenchmarkCuDNN)(JNIEnv* env, jobject, jboolean enable) {
  guardVoid(env, [&] { at::globalContext().setBenchmarkCuDNN(enable == JNI_TRUE); });
}

// Seeds the CPU generator and every CUDA device's default generator.
DJL_NATIVE(void, torchManualSeed)(JNIEnv* env, jobject, jlong seed) {
  guardVoid(env, [&] { at::manual_seed(static_cast<uint64_t>(seed)); });
}

// Thread-local in libtorch, like DJL's own JNI.
DJL_NATIVE(void, setGraphExecutorOptimize)(JNIEnv* env, jobject, jboolean enabled) {
  guardVoid(env, [&] { torch::jit::setGraphExecutorOptimize(enabled == JNI_TRUE); });
}

// Fills DJL's capability set; PtNDManager's static initializer calls it, so it must not fail.
DJL_NATIVE(void, torchShowConfig)(JNIEnv* env, jobject, jobject set) {
  guardVoid(env, [&] {
    jclass setClass = env->GetObjectClass(set);
    jmethodID add = env->GetMethodID(setClass, "add", "(Ljava/lang/Object;)Z");
    djl::checkPending(env);
    auto put = [&](const char* feature) {
      jstring s = env->NewStringUTF(feature);
      djl::checkPending(env);
      env->CallBooleanMethod(set, add, s);
      djl::checkPending(env);
      env->DeleteLocalRef(s);
    };
    if (torch::cuda::is_available()) put("CUDA");
    if (torch::cuda::cudnn_is_available()) put("CUDNN");
    if (at::hasMKL()) put("MKL");
    if (at::hasMKLDNN()) put("MKLDNN");
    if (at::hasOpenMP()) put("OPENMP");
  });
}

// Silent no-op without CUDA (DJL's tests call it on CPU).
DJL_NATIVE(void, torchCudaEmptyCache)(JNIEnv* env, jobject) {
  guardVoid(env, [] {
#ifdef DIFFBENCH_WITH_CUDA
    if (torch::cuda::is_available()) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
  });
}
