// TorchScript modules: load (file or stream), save, run any method, parameters and method names.
#include <optional>
#include <sstream>

#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>

#ifdef DIFFBENCH_WITH_CUDA
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "dtype_device.h"
#include "jni_util.h"

using djl::guard;
using djl::guardVoid;
using djl::moduleAt;

namespace {

jlong newModule(torch::jit::Module module) {
  return reinterpret_cast<jlong>(new torch::jit::Module(std::move(module)));
}

// mapLocation: deserialize straight onto the device; otherwise load where saved, then move.
torch::jit::Module loadFrom(std::istream* stream, const std::string* path, const c10::Device& device,
                            bool mapLocation, torch::jit::ExtraFilesMap& extra) {
  c10::optional<c10::Device> where;
  if (mapLocation) where = device;
  torch::jit::Module module = stream != nullptr ? torch::jit::load(*stream, where, extra)
                                                : torch::jit::load(*path, where, extra);
  if (!mapLocation) module.to(device);
  return module;
}

torch::jit::IValue run(torch::jit::Method& method, std::vector<torch::jit::IValue> inputs, bool separateCudaStream) {
#ifdef DIFFBENCH_WITH_CUDA
  if (separateCudaStream && torch::cuda::is_available()) {
    // inputs were produced on the current stream: finish them before switching streams, and
    // finish the method before the caller reads its outputs on the current stream
    c10::cuda::getCurrentCUDAStream().synchronize();
    auto stream = c10::cuda::getStreamFromPool();
    c10::cuda::CUDAStreamGuard onStream(stream);
    auto out = method(std::move(inputs));
    stream.synchronize();
    return out;
  }
#else
  (void)separateCudaStream;
#endif
  return method(std::move(inputs));
}

}  // namespace

DJL_NATIVE(jlong, moduleLoad__Ljava_lang_String_2_3IZ_3Ljava_lang_String_2_3Ljava_lang_String_2Z)(
    JNIEnv* env, jobject, jstring path, jintArray device, jboolean mapLocation, jobjectArray extraFileNames,
    jobjectArray extraFileValues, jboolean trainParam) {
  return guard(env, jlong(0), [&] {
    // trainParam false: parameters are loaded as inference tensors (DJL's behaviour)
    std::optional<c10::InferenceMode> inference;
    if (trainParam != JNI_TRUE) inference.emplace();
    const std::string file = djl::utf8(env, path);
    const auto names = djl::strings(env, extraFileNames);
    torch::jit::ExtraFilesMap extra;
    for (const auto& name : names) extra[name] = "";
    auto module = loadFrom(nullptr, &file, djl::device(env, device), mapLocation == JNI_TRUE, extra);
    module.eval();
    for (size_t i = 0; i < names.size(); ++i) {
      jstring value = djl::newString(env, extra[names[i]]);
      env->SetObjectArrayElement(extraFileValues, static_cast<jsize>(i), value);
      djl::checkPending(env);
      env->DeleteLocalRef(value);
    }
    return newModule(std::move(module));
  });
}

// Reads exactly `size` bytes (or to end of stream when size is -1) through Java's buffer.
DJL_NATIVE(jlong, moduleLoad__Ljava_io_InputStream_2_3IZ_3BJ)(JNIEnv* env, jobject, jobject is, jintArray device,
                                                             jboolean mapLocation, jbyteArray buffer, jlong size) {
  return guard(env, jlong(0), [&] {
    jmethodID read = env->GetMethodID(env->GetObjectClass(is), "read", "([BII)I");
    djl::checkPending(env);
    const jsize capacity = env->GetArrayLength(buffer);
    std::string bytes;
    if (size > 0) bytes.reserve(static_cast<size_t>(size));
    while (size < 0 || static_cast<jlong>(bytes.size()) < size) {
      jint want = capacity;
      if (size >= 0) want = static_cast<jint>(std::min<jlong>(capacity, size - static_cast<jlong>(bytes.size())));
      jint n = env->CallIntMethod(is, read, buffer, 0, want);
      djl::checkPending(env);
      if (n < 0) break;
      const size_t at = bytes.size();
      bytes.resize(at + n);
      env->GetByteArrayRegion(buffer, 0, n, reinterpret_cast<jbyte*>(&bytes[at]));
    }
    if (size >= 0 && static_cast<jlong>(bytes.size()) != size) {
      throw std::runtime_error("model stream ended after " + std::to_string(bytes.size()) + " of " +
                               std::to_string(size) + " bytes");
    }
    std::istringstream in(bytes);
    torch::jit::ExtraFilesMap extra;
    return newModule(loadFrom(&in, nullptr, djl::device(env, device), mapLocation == JNI_TRUE, extra));
  });
}

DJL_NATIVE(void, moduleWrite)(JNIEnv* env, jobject, jlong handle, jobject os, jbyteArray buffer, jboolean writeSize) {
  guardVoid(env, [&] {
    std::ostringstream out;
    moduleAt(handle).save(out);
    const std::string bytes = out.str();
    jmethodID write = env->GetMethodID(env->GetObjectClass(os), "write", "([BII)V");
    djl::checkPending(env);
    const jsize capacity = env->GetArrayLength(buffer);
    if (writeSize == JNI_TRUE) {
      jbyte length[8];
      const uint64_t n = bytes.size();
      for (int i = 0; i < 8; ++i) length[i] = static_cast<jbyte>(n >> (56 - 8 * i));  // big-endian
      env->SetByteArrayRegion(buffer, 0, 8, length);
      env->CallVoidMethod(os, write, buffer, 0, 8);
      djl::checkPending(env);
    }
    for (size_t at = 0; at < bytes.size();) {
      const jsize n = static_cast<jsize>(std::min<size_t>(capacity, bytes.size() - at));
      env->SetByteArrayRegion(buffer, 0, n, reinterpret_cast<const jbyte*>(bytes.data() + at));
      env->CallVoidMethod(os, write, buffer, 0, n);
      djl::checkPending(env);
      at += n;
    }
  });
}

DJL_NATIVE(void, moduleEval)(JNIEnv* env, jobject, jlong handle) {
  guardVoid(env, [&] { moduleAt(handle).eval(); });
}

DJL_NATIVE(void, moduleTrain)(JNIEnv* env, jobject, jlong handle) {
  guardVoid(env, [&] { moduleAt(handle).train(true); });
}

DJL_NATIVE(void, torchDeleteModule)(JNIEnv* env, jobject, jlong handle) {
  guardVoid(env, [&] { delete reinterpret_cast<torch::jit::Module*>(handle); });
}

// Inputs are borrowed (copied IValues share their tensors); inference runs under InferenceMode.
DJL_NATIVE(jlong, moduleRunMethod)(JNIEnv* env, jobject, jlong handle, jstring methodName, jlongArray ivalues,
                                   jboolean isTrain, jboolean separateCudaStream) {
  return guard(env, jlong(0), [&] {
    std::vector<torch::jit::IValue> inputs;
    for (int64_t h : djl::longs(env, ivalues)) inputs.push_back(djl::ivalueAt(h));
    auto method = moduleAt(handle).get_method(djl::utf8(env, methodName));
    std::optional<c10::InferenceMode> inference;
    if (isTrain != JNI_TRUE) inference.emplace();
    return djl::newIValue(run(method, std::move(inputs), separateCudaStream == JNI_TRUE));
  });
}

// Same order as moduleGetParamNames: Java pairs them by index.
DJL_NATIVE(jlongArray, moduleGetParams)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jlongArray(nullptr), [&] {
    std::vector<torch::Tensor> params;
    for (const auto& p : moduleAt(handle).named_parameters(true)) params.push_back(p.value);
    return djl::newTensorHandles(env, params);
  });
}

DJL_NATIVE(jobjectArray, moduleGetParamNames)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jobjectArray(nullptr), [&] {
    std::vector<std::string> names;
    for (const auto& p : moduleAt(handle).named_parameters(true)) names.push_back(p.name);
    return djl::newStringArray(env, names);
  });
}

DJL_NATIVE(jobjectArray, moduleGetMethodNames)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jobjectArray(nullptr), [&] {
    std::vector<std::string> names;
    for (const auto& m : moduleAt(handle).get_methods()) names.push_back(m.name());
    return djl::newStringArray(env, names);
  });
}
