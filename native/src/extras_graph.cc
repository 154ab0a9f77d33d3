// Project extras: CUDA-graph capture and replay of one TorchScript method call with static inputs
// (the analogue of torch.compile(mode="reduce-overhead")). Without CUDA the natives throw.
#include <memory>

#include <c10/core/InferenceMode.h>

#ifdef DIFFBENCH_WITH_CUDA
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include "jni_util.h"
#include "project_natives.h"

using djl::guard;
using djl::guardVoid;

#ifdef DIFFBENCH_WITH_CUDA
namespace {

struct CapturedCall {
  torch::jit::Module module;            // keeps the weights alive while the graph exists
  std::vector<torch::Tensor> inputs;    // static inputs: refill them (copyInto), then replay
  std::vector<torch::Tensor> outputs;   // static outputs, rewritten by every replay
  c10::Device device{c10::kCUDA, 0};
  at::cuda::CUDAGraph graph;            // declared last: destroyed first
};

CapturedCall& callAt(jlong handle) {
  if (handle == 0) throw std::invalid_argument("null CUDA graph handle");
  return *reinterpret_cast<CapturedCall*>(handle);
}

// Tensors of a method result in order: a tensor, (nested) tuples/lists, or dict values.
void flatten(const torch::jit::IValue& value, std::vector<torch::Tensor>& out) {
  if (value.isTensor()) {
    out.push_back(value.toTensor());
  } else if (value.isTuple()) {
    for (const auto& v : value.toTuple()->elements()) flatten(v, out);
  } else if (value.isList()) {
    auto list = value.toList();
    for (size_t i = 0; i < list.size(); ++i) flatten(list.get(i), out);
  } else if (value.isGenericDict()) {
    for (const auto& entry : value.toGenericDict()) flatten(entry.value(), out);
  } else {
    throw std::invalid_argument("CUDA graph capture supports tensor, tuple, list and dict results, not " +
                                value.type()->str());
  }
}

}  // namespace
#endif

PROJECT_NATIVE(jlong, graphCapture)(JNIEnv* env, jclass, jlong module, jstring methodName, jlongArray inputs,
                                    jint warmups) {
  return guard(env, jlong(0), [&]() -> jlong {
#ifdef DIFFBENCH_WITH_CUDA
    auto call = std::make_unique<CapturedCall>();
    call->module = djl::moduleAt(module);
    call->inputs = djl::tensors(env, inputs);
    if (call->inputs.empty() || !call->inputs[0].is_cuda()) {
      throw std::invalid_argument("CUDA graph capture needs CUDA input tensors");
    }
    call->device = call->inputs[0].device();
    c10::cuda::CUDAGuard onDevice(call->device);
    c10::InferenceMode inference;
    auto method = call->module.get_method(djl::utf8(env, methodName));
    const std::vector<torch::jit::IValue> args(call->inputs.begin(), call->inputs.end());

    // Capture must run on a side stream. Warm-ups there let the graph executor profile and
    // optimise, and cuBLAS/cuDNN initialise, before anything is recorded.
    c10::cuda::device_synchronize();
    auto side = c10::cuda::getStreamFromPool(false, call->device.index());
    {
      c10::cuda::CUDAStreamGuard onSide(side);
      for (int i = 0; i < warmups; ++i) method(args);
      side.synchronize();
      call->graph.capture_begin();
      auto result = method(args);
      call->graph.capture_end();
      flatten(result, call->outputs);
    }
    c10::cuda::device_synchronize();
    return reinterpret_cast<jlong>(call.release());
#else
    (void)module;
    (void)methodName;
    (void)inputs;
    (void)warmups;
    throw std::runtime_error("CUDA graphs need diffbench's JNI built against a CUDA libtorch");
#endif
  });
}

PROJECT_NATIVE(jlongArray, graphOutputs)(JNIEnv* env, jclass, jlong graph) {
  return guard(env, jlongArray(nullptr), [&]() -> jlongArray {
#ifdef DIFFBENCH_WITH_CUDA
    return djl::newTensorHandles(env, callAt(graph).outputs);
#else
    (void)graph;
    throw std::runtime_error("CUDA graphs need diffbench's JNI built against a CUDA libtorch");
#endif
  });
}

// Launches on the current stream of the graph's device; reading the outputs synchronises.
PROJECT_NATIVE(void, graphReplay)(JNIEnv* env, jclass, jlong graph) {
  guardVoid(env, [&] {
#ifdef DIFFBENCH_WITH_CUDA
    auto& call = callAt(graph);
    c10::cuda::CUDAGuard onDevice(call.device);
    call.graph.replay();
#else
    (void)graph;
    throw std::runtime_error("CUDA graphs need diffbench's JNI built against a CUDA libtorch");
#endif
  });
}

PROJECT_NATIVE(void, graphDelete)(JNIEnv* env, jclass, jlong graph) {
  guardVoid(env, [&] {
#ifdef DIFFBENCH_WITH_CUDA
    if (graph == 0) return;
    auto* call = reinterpret_cast<CapturedCall*>(graph);
    c10::cuda::CUDAGuard onDevice(call->device);
    delete call;
#else
    (void)graph;
#endif
  });
}
