// Project extras: an AOTInductor package (.pt2, compiled ahead of time from a network's Python twin,
// weights left out) loaded with libtorch's AOTIModelPackageLoader and run on the tensors of the
// TorchScript module it was compiled from: the module's parameters and buffers are handed over by
// name as user-managed constants (shared, not copied), so there is one copy of the weights.
//
// The loader exists from libtorch 2.6; the constructor with run_single_threaded (needed for CUDA-graph
// capture) from 2.8. Older libtorch (CI's Debian 1.13) compiles this file without it and every
// native reports "not available in this libtorch" at run time.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <c10/core/InferenceMode.h>

#include "extras_graph.h"
#include "jni_util.h"
#include "project_natives.h"

#if DIFFBENCH_TORCH_AT_LEAST(2, 8) && __has_include(<torch/csrc/inductor/aoti_package/model_package_loader.h>)
#define DIFFBENCH_WITH_AOTI 1
#include <torch/csrc/inductor/aoti_package/model_package_loader.h>
#endif

using djl::guard;
using djl::guardVoid;

namespace {

#ifdef DIFFBENCH_WITH_AOTI
struct CompiledModel {
  torch::jit::Module module;  // owns the weights the package reads (user-managed constants)
  std::unique_ptr<torch::inductor::AOTIModelPackageLoader> loader;  // declared last: destroyed first
};

CompiledModel& modelAt(jlong handle) {
  if (handle == 0) throw std::invalid_argument("null AOTInductor model handle");
  return *reinterpret_cast<CompiledModel*>(handle);
}

std::vector<torch::Tensor> run(CompiledModel& model, const std::vector<torch::Tensor>& inputs) {
  c10::InferenceMode inference;
  return model.loader->run(inputs);
}
#else
std::string unavailableReason() {
  return "AOTInductor is not available in this libtorch (" + std::to_string(TORCH_VERSION_MAJOR) + "." +
         std::to_string(TORCH_VERSION_MINOR) + "); the compiled mode needs diffbench's JNI built against libtorch 2.8 or newer";
}

[[noreturn]] void unavailable() { throw std::runtime_error(unavailableReason()); }
#endif

}  // namespace

PROJECT_NATIVE(jstring, aotiUnavailableReason)(JNIEnv* env, jclass) {
  return guard(env, jstring(nullptr), [&] {
#ifdef DIFFBENCH_WITH_AOTI
    return djl::newString(env, "");
#else
    return djl::newString(env, unavailableReason());
#endif
  });
}

PROJECT_NATIVE(jlong, aotiLoad)(JNIEnv* env, jclass, jstring packagePath, jlong module, jboolean singleThreaded,
                                jint deviceIndex) {
  return guard(env, jlong(0), [&]() -> jlong {
#ifdef DIFFBENCH_WITH_AOTI
    auto model = std::make_unique<CompiledModel>();
    model->module = djl::moduleAt(module);
    model->loader = std::make_unique<torch::inductor::AOTIModelPackageLoader>(
        djl::utf8(env, packagePath), "model", singleThreaded == JNI_TRUE, 1,
        static_cast<c10::DeviceIndex>(deviceIndex));
    std::unordered_map<std::string, torch::Tensor> weights;
    for (const auto& p : model->module.named_parameters(true)) weights.emplace(p.name, p.value);
    for (const auto& b : model->module.named_buffers(true)) weights.emplace(b.name, b.value);
    // Only the tensors the compiled graph reads are constants of the package; each must be in the module.
    std::unordered_map<std::string, torch::Tensor> constants;
    for (const auto& fqn : model->loader->get_constant_fqns()) {
      auto found = weights.find(fqn);
      if (found == weights.end()) {
        throw std::invalid_argument("the package wants the constant '" + fqn +
                                    "', which the network's archive does not hold: package and archive differ");
      }
      constants.emplace(fqn, found->second);
    }
    model->loader->load_constants(constants, /*use_inactive=*/false, /*check_full_update=*/true,
                                  /*user_managed=*/true);
    return reinterpret_cast<jlong>(model.release());
#else
    (void)packagePath;
    (void)module;
    (void)singleThreaded;
    (void)deviceIndex;
    unavailable();
#endif
  });
}

PROJECT_NATIVE(jlongArray, aotiRun)(JNIEnv* env, jclass, jlong handle, jlongArray inputs) {
  return guard(env, jlongArray(nullptr), [&]() -> jlongArray {
#ifdef DIFFBENCH_WITH_AOTI
    return djl::newTensorHandles(env, run(modelAt(handle), djl::tensors(env, inputs)));
#else
    (void)handle;
    (void)inputs;
    unavailable();
#endif
  });
}

PROJECT_NATIVE(jlong, aotiGraphCapture)(JNIEnv* env, jclass, jlong handle, jlongArray inputs, jint warmups) {
  return guard(env, jlong(0), [&]() -> jlong {
#if defined(DIFFBENCH_WITH_AOTI) && defined(DIFFBENCH_WITH_CUDA)
    if (warmups < 1) throw std::invalid_argument("CUDA graph capture needs at least 1 warm-up call");
    // The graph shares the model (the handle stays owned by Java) through a non-owning pointer.
    auto* model = &modelAt(handle);
    std::shared_ptr<void> owner(model, [](void*) {});
    return diffbench::captureCall(owner, djl::tensors(env, inputs), warmups,
                                  [model](const std::vector<torch::Tensor>& in) { return run(*model, in); });
#else
    (void)handle;
    (void)inputs;
    (void)warmups;
#ifdef DIFFBENCH_WITH_AOTI
    throw std::runtime_error("CUDA graphs need diffbench's JNI built against a CUDA libtorch");
#else
    unavailable();
#endif
#endif
  });
}

PROJECT_NATIVE(void, aotiDelete)(JNIEnv* env, jclass, jlong handle) {
  guardVoid(env, [&] {
#ifdef DIFFBENCH_WITH_AOTI
    delete reinterpret_cast<CompiledModel*>(handle);
#else
    (void)handle;
#endif
  });
}
