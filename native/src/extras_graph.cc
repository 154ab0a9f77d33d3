// Project extras: CUDA-graph capture and replay of one call with static inputs (the analogue of
// torch.compile(mode="reduce-overhead")): a TorchScript method call here, an AOTInductor package's
// run in extras_aoti.cc (both through captureCall). Without CUDA the natives throw.
#include <functional>
#include <memory>

#include <c10/core/InferenceMode.h>

#ifdef DIFFBENCH_WITH_CUDA
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#endif

#include "extras_graph.h"
#include "jni_util.h"
#include "project_natives.h"

using djl::guard;
using djl::guardVoid;

#ifdef DIFFBENCH_WITH_CUDA
namespace diffbench {
struct CapturedCall {
  std::shared_ptr<void> owner;          // keeps what the call reads (module, package + weights) alive
  std::vector<torch::Tensor> inputs;    // static inputs: refill them (copyInto), then replay
  std::vector<torch::Tensor> outputs;   // static outputs, rewritten by every replay
  c10::Device device{c10::kCUDA, 0};
  at::cuda::CUDAGraph graph;            // declared last: destroyed first
};
}  // namespace diffbench

namespace {
using diffbench::CapturedCall;

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

// Calls before capture: the profiling executor runs getNumProfiledRuns() profiling calls, then
// builds (fuses, compiles with nvrtc, loads) the optimised plan on the next call. None of that may
// happen inside the capture, so the optimised plan must have run once already.
int warmupsNeeded() {
  return torch::jit::getGraphExecutorOptimize() ? static_cast<int>(torch::jit::getNumProfiledRuns().load()) + 1 : 1;
}

// A call that throws between capture_begin and capture_end leaves the stream capturing and the
// caching allocator routing allocations into the graph's pool (through a filter that points at
// the CUDAGraph object). End both before the CUDAGraph is destroyed, keeping the first error.
// capture_end ends the stream capture even when it then reports the capture invalid. Before
// pytorch#180395 (in 2.13; backported to some 2.12 builds) it threw before ending the allocator's
// routing, so end that here for those versions; where capture_end already did, the allocator
// answers "not recording to this pool", which is ignored. Not done from 2.13 on: there the
// graph's reset() may end the routing itself, and a second end would throw in its destructor.
void abandonCapture(at::cuda::CUDAGraph& graph, c10::DeviceIndex device, at::cuda::MempoolId_t pool) {
  try {
    graph.capture_end();
    return;
  } catch (const std::exception&) {
  }
#if TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3 && TORCH_VERSION_MINOR < 13
  try {
    c10::cuda::CUDACachingAllocator::endAllocateToPool(device, pool);
  } catch (const std::exception&) {
  }
#else
  (void)device;
  (void)pool;
#endif
}

}  // namespace
#endif

#ifdef DIFFBENCH_WITH_CUDA
namespace diffbench {

jlong captureCall(std::shared_ptr<void> owner, std::vector<torch::Tensor> inputs, int warmups,
                  const std::function<std::vector<torch::Tensor>(const std::vector<torch::Tensor>&)>& call) {
  auto captured = std::make_unique<CapturedCall>();
  captured->owner = std::move(owner);
  captured->inputs = std::move(inputs);
  if (captured->inputs.empty() || !captured->inputs[0].is_cuda()) {
    throw std::invalid_argument("CUDA graph capture needs CUDA input tensors");
  }
  captured->device = captured->inputs[0].device();
  for (const auto& input : captured->inputs) {
    if (input.device() != captured->device) {
      throw std::invalid_argument("CUDA graph capture needs all inputs on " + captured->device.str() + ", not " +
                                  input.device().str());
    }
  }
  c10::cuda::CUDAGuard onDevice(captured->device);
  c10::InferenceMode inference;
  // Capture must run on a non-default stream. Warm-ups run on that same stream, so the graph
  // executor profiles and optimises, AOTInductor's runner sets up its buffers and cuBLAS/cuDNN set
  // up their per-stream handles and workspaces before anything is recorded: nothing is then
  // allocated during capture but the call's own tensors, which go to the graph's private pool.
  c10::cuda::device_synchronize();  // the static inputs were written on other streams
  auto side = c10::cuda::getStreamFromPool(false, captured->device.index());
  {
    c10::cuda::CUDAStreamGuard onSide(side);
    for (int i = 0; i < warmups; ++i) call(captured->inputs);
    side.synchronize();
    // Our own pool id (instead of {0,0}), so a failed capture can end the routing to it.
    const auto pool = at::cuda::graph_pool_handle();
    captured->graph.capture_begin(pool);
    try {
      captured->outputs = call(captured->inputs);
    } catch (...) {
      abandonCapture(captured->graph, captured->device.index(), pool);
      throw;
    }
    captured->graph.capture_end();
  }
  c10::cuda::device_synchronize();
  return reinterpret_cast<jlong>(captured.release());
}

}  // namespace diffbench
#endif

PROJECT_NATIVE(jlong, graphCapture)(JNIEnv* env, jclass, jlong module, jstring methodName, jlongArray inputs,
                                    jint warmups) {
  return guard(env, jlong(0), [&]() -> jlong {
#ifdef DIFFBENCH_WITH_CUDA
    const int needed = warmupsNeeded();
    if (warmups < needed) {
      throw std::invalid_argument("CUDA graph capture needs at least " + std::to_string(needed) +
                                  " warm-up calls (the graph executor must have built and run its optimised plan "
                                  "before capture), got " + std::to_string(warmups));
    }
    auto owner = std::make_shared<torch::jit::Module>(djl::moduleAt(module));
    auto method = owner->get_method(djl::utf8(env, methodName));
    return diffbench::captureCall(owner, djl::tensors(env, inputs), warmups,
                                  [method](const std::vector<torch::Tensor>& in) {
                                    std::vector<torch::Tensor> out;
                                    flatten(method(std::vector<torch::jit::IValue>(in.begin(), in.end())), out);
                                    return out;
                                  });
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
    // Replays run asynchronously on the caller's stream: let them finish before the graph and its
    // pool go (the outputs may also be released with it).
    c10::cuda::getCurrentCUDAStream(call->device.index()).synchronize();
    delete call;
#else
    (void)graph;
#endif
  });
}
