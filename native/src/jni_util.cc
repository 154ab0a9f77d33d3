// Error mapping, handle access and Java array/string conversion shared by all natives.
#include "jni_util.h"

#include <stdexcept>

namespace djl {
namespace {

jclass engineException = nullptr;
jclass illegalState = nullptr;

jclass globalClass(JNIEnv* env, const char* name) {
  jclass local = env->FindClass(name);
  if (local == nullptr) return nullptr;
  auto global = static_cast<jclass>(env->NewGlobalRef(local));
  env->DeleteLocalRef(local);
  return global;
}

template <typename T>
T& deref(jlong handle, const char* kind) {
  if (handle == 0) throw std::invalid_argument(std::string("null ") + kind + " handle");
  return *reinterpret_cast<T*>(handle);
}

}  // namespace

void throwEngineException(JNIEnv* env, const std::string& message) {
  if (env->ExceptionCheck()) return;  // keep the first Java exception
  env->ThrowNew(engineException, message.c_str());
}

void throwIllegalState(JNIEnv* env, const std::string& message) {
  if (env->ExceptionCheck()) return;
  env->ThrowNew(illegalState, message.c_str());
}

void throwCurrentAsJava(JNIEnv* env) {
  try {
    throw;
  } catch (const JavaPending&) {
    // a JNI call already raised the Java exception
  } catch (const c10::Error& e) {
    // what() would symbolize the C++ backtrace (slow, noisy); Java users match the plain text
    throwEngineException(env, e.what_without_backtrace());
  } catch (const std::exception& e) {
    throwEngineException(env, e.what());
  } catch (...) {
    throwEngineException(env, "unknown native error");
  }
}

void notImplemented(JNIEnv* env, const char* name) {
  throwEngineException(env, std::string(name) + " is not implemented by diffbench's JNI");
}

void checkPending(JNIEnv* env) {
  if (env->ExceptionCheck()) throw JavaPending{};
}

torch::Tensor& tensorAt(jlong handle) { return deref<torch::Tensor>(handle, "tensor"); }
torch::jit::IValue& ivalueAt(jlong handle) { return deref<torch::jit::IValue>(handle, "IValue"); }
torch::jit::Module& moduleAt(jlong handle) { return deref<torch::jit::Module>(handle, "module"); }
std::vector<at::indexing::TensorIndex>& indexAt(jlong handle) {
  return deref<std::vector<at::indexing::TensorIndex>>(handle, "index");
}

std::vector<int64_t> longs(JNIEnv* env, jlongArray array) {
  if (array == nullptr) return {};
  std::vector<int64_t> out(env->GetArrayLength(array));
  static_assert(sizeof(jlong) == sizeof(int64_t), "jlong is 64-bit");
  env->GetLongArrayRegion(array, 0, static_cast<jsize>(out.size()), reinterpret_cast<jlong*>(out.data()));
  checkPending(env);
  return out;
}

std::vector<int32_t> ints(JNIEnv* env, jintArray array) {
  if (array == nullptr) return {};
  std::vector<int32_t> out(env->GetArrayLength(array));
  env->GetIntArrayRegion(array, 0, static_cast<jsize>(out.size()), reinterpret_cast<jint*>(out.data()));
  checkPending(env);
  return out;
}

std::vector<torch::Tensor> tensors(JNIEnv* env, jlongArray handles) {
  std::vector<torch::Tensor> out;
  for (int64_t h : longs(env, handles)) out.push_back(tensorAt(h));
  return out;
}

jlongArray toJava(JNIEnv* env, const std::vector<int64_t>& values) {
  jlongArray out = env->NewLongArray(static_cast<jsize>(values.size()));
  checkPending(env);
  env->SetLongArrayRegion(out, 0, static_cast<jsize>(values.size()), reinterpret_cast<const jlong*>(values.data()));
  return out;
}

jlongArray toJava(JNIEnv* env, at::IntArrayRef values) { return toJava(env, values.vec()); }

jlongArray newTensorHandles(JNIEnv* env, const std::vector<torch::Tensor>& values) {
  std::vector<int64_t> handles;
  handles.reserve(values.size());
  for (const auto& t : values) handles.push_back(newTensor(t));
  return toJava(env, handles);
}

jlongArray newIValueHandles(JNIEnv* env, const std::vector<torch::jit::IValue>& values) {
  std::vector<int64_t> handles;
  handles.reserve(values.size());
  for (const auto& v : values) handles.push_back(newIValue(v));
  return toJava(env, handles);
}

std::string utf8(JNIEnv* env, jstring s) {
  if (s == nullptr) throw std::invalid_argument("null string");
  const jsize n = env->GetStringLength(s);
  std::u16string u(n, u'\0');
  env->GetStringRegion(s, 0, n, reinterpret_cast<jchar*>(&u[0]));
  checkPending(env);
  std::string out;
  out.reserve(n);
  for (jsize i = 0; i < n; ++i) {
    uint32_t c = u[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (u[++i] - 0xDC00);
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;  // lone surrogate
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

jstring newString(JNIEnv* env, const std::string& s) {
  std::u16string u;
  u.reserve(s.size());
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    uint32_t c = b[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) ok = (b[i + k] & 0xC0) == 0x80;
    if (!ok) {
      u += u'\uFFFD';  // invalid byte: replace, as new String(bytes, UTF_8) does
      ++i;
      continue;
    }
    if (len == 2) c = ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
    if (len == 3) c = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
    if (len == 4) c = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
    if (c >= 0x10000) {
      c -= 0x10000;
      u += static_cast<char16_t>(0xD800 + (c >> 10));
      u += static_cast<char16_t>(0xDC00 + (c & 0x3FF));
    } else {
      u += static_cast<char16_t>(c);
    }
    i += len;
  }
  jstring out = env->NewString(reinterpret_cast<const jchar*>(u.data()), static_cast<jsize>(u.size()));
  checkPending(env);
  return out;
}

std::vector<std::string> strings(JNIEnv* env, jobjectArray array) {
  std::vector<std::string> out;
  if (array == nullptr) return out;
  const jsize n = env->GetArrayLength(array);
  for (jsize i = 0; i < n; ++i) {
    auto s = static_cast<jstring>(env->GetObjectArrayElement(array, i));
    checkPending(env);
    out.push_back(utf8(env, s));
    env->DeleteLocalRef(s);
  }
  return out;
}

jobjectArray newStringArray(JNIEnv* env, const std::vector<std::string>& values) {
  jclass stringClass = env->FindClass("java/lang/String");
  checkPending(env);
  jobjectArray out = env->NewObjectArray(static_cast<jsize>(values.size()), stringClass, nullptr);
  checkPending(env);
  for (size_t i = 0; i < values.size(); ++i) {
    jstring s = newString(env, values[i]);
    env->SetObjectArrayElement(out, static_cast<jsize>(i), s);
    env->DeleteLocalRef(s);
  }
  return out;
}

}  // namespace djl

extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
  JNIEnv* env = nullptr;
  if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  djl::engineException = djl::globalClass(env, "ai/djl/engine/EngineException");
  djl::illegalState = djl::globalClass(env, "java/lang/IllegalStateException");
  if (djl::engineException == nullptr || djl::illegalState == nullptr) return JNI_ERR;
  return JNI_VERSION_1_8;
}
