// Shared plumbing for every JNI entry point: the error guard that keeps C++ exceptions out of
// Java, handle conversions, and Java array/string helpers.
#pragma once

#include <jni.h>

#include <cstdint>
#include <string>
#include <vector>

#include <torch/script.h>
#include <torch/version.h>

#include "jni_errors.h"

// True when the headers are libtorch >= major.minor (torch/version.h; 1.13 has no SDPA, no uint16..64).
#define DIFFBENCH_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace djl {

// Thrown after a JNI call left a Java exception pending: the guard returns without adding another.
struct JavaPending {};

void throwEngineException(JNIEnv* env, const std::string& message);
void throwIllegalState(JNIEnv* env, const std::string& message);
// Maps the exception in flight (call only from a catch block) to a pending Java exception.
void throwCurrentAsJava(JNIEnv* env);

// Runs body(); any C++ exception becomes a pending EngineException and `fallback` is returned.
template <typename R, typename F>
R guard(JNIEnv* env, R fallback, F&& body) {
  try {
    return body();
  } catch (...) {
    throwCurrentAsJava(env);
    return fallback;
  }
}

template <typename F>
void guardVoid(JNIEnv* env, F&& body) {
  try {
    body();
  } catch (...) {
    throwCurrentAsJava(env);
  }
}

void checkPending(JNIEnv* env);

// ---- handles (every returned handle is a fresh heap object owned by one Java object) ----
torch::Tensor& tensorAt(jlong handle);
torch::jit::IValue& ivalueAt(jlong handle);
torch::jit::Module& moduleAt(jlong handle);
std::vector<at::indexing::TensorIndex>& indexAt(jlong handle);

inline jlong newTensor(torch::Tensor t) { return reinterpret_cast<jlong>(new torch::Tensor(std::move(t))); }
inline jlong newIValue(torch::jit::IValue v) { return reinterpret_cast<jlong>(new torch::jit::IValue(std::move(v))); }

// ---- Java arrays and strings ----
std::vector<int64_t> longs(JNIEnv* env, jlongArray array);
std::vector<int32_t> ints(JNIEnv* env, jintArray array);
std::vector<torch::Tensor> tensors(JNIEnv* env, jlongArray handles);
jlongArray toJava(JNIEnv* env, const std::vector<int64_t>& values);
jlongArray toJava(JNIEnv* env, at::IntArrayRef values);
jlongArray newTensorHandles(JNIEnv* env, const std::vector<torch::Tensor>& values);
jlongArray newIValueHandles(JNIEnv* env, const std::vector<torch::jit::IValue>& values);

// Real UTF-8 both ways (JNI's own "UTF" is modified UTF-8, wrong for NULs and 4-byte characters).
std::string utf8(JNIEnv* env, jstring s);
jstring newString(JNIEnv* env, const std::string& utf8);
std::vector<std::string> strings(JNIEnv* env, jobjectArray array);
jobjectArray newStringArray(JNIEnv* env, const std::vector<std::string>& values);

}  // namespace djl
