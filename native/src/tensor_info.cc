// Tensor metadata, lifetime, raw data access and dtype/device conversion.
#include <climits>

#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "dtype_device.h"
#include "jni_util.h"

using djl::guard;
using djl::guardVoid;
using djl::newTensor;
using djl::tensorAt;

namespace {

int64_t byteSize(const torch::Tensor& t) { return t.numel() * static_cast<int64_t>(t.element_size()); }

// Size of the buffer the tensor's bytes must fit in (Java passes exactly numOfBytes x elements).
void* bufferFor(JNIEnv* env, jobject buffer, int64_t nbytes) {
  void* address = env->GetDirectBufferAddress(buffer);
  if (nbytes > 0 && address == nullptr) throw std::invalid_argument("expected a direct ByteBuffer");
  if (env->GetDirectBufferCapacity(buffer) < nbytes) throw std::invalid_argument("ByteBuffer is too small");
  return address;
}

}  // namespace

DJL_NATIVE(jlongArray, torchSizes)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jlongArray(nullptr), [&] { return djl::toJava(env, tensorAt(handle).sizes()); });
}

DJL_NATIVE(jint, torchDType)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jint(9), [&] { return djl::dataTypeCode(tensorAt(handle).scalar_type()); });
}

DJL_NATIVE(jintArray, torchDevice)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jintArray(nullptr), [&] { return djl::toJava(env, tensorAt(handle).device()); });
}

DJL_NATIVE(jint, torchLayout)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jint(0), [&] { return djl::layoutCode(tensorAt(handle).layout()); });
}

DJL_NATIVE(jboolean, torchIsContiguous)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jboolean(JNI_FALSE), [&] { return jboolean(tensorAt(handle).is_contiguous()); });
}

DJL_NATIVE(jlong, torchToContiguous)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(handle).contiguous()); });
}

// DJL's notion: a tensor "has a gradient" when it requires grad and keeps its .grad.
DJL_NATIVE(jboolean, torchRequiresGrad)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jboolean(JNI_FALSE), [&] {
    const auto& t = tensorAt(handle);
    return jboolean(t.requires_grad() && (t.is_leaf() || t.retains_grad()));
  });
}

DJL_NATIVE(void, torchAttachGrad)(JNIEnv* env, jobject, jlong handle, jboolean requiresGrad) {
  guardVoid(env, [&] { tensorAt(handle).requires_grad_(requiresGrad == JNI_TRUE); });
}

DJL_NATIVE(void, torchDeleteTensor)(JNIEnv* env, jobject, jlong handle) {
  guardVoid(env, [&] { delete reinterpret_cast<torch::Tensor*>(handle); });
}

DJL_NATIVE(jbyteArray, torchDataPtr)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jbyteArray(nullptr), [&] {
    torch::Tensor t = tensorAt(handle);
    if (!t.device().is_cpu()) t = t.to(c10::kCPU);
    if (t.layout() != c10::kStrided) t = t.to_dense();
    t = t.contiguous();
    const int64_t nbytes = byteSize(t);
    if (nbytes > INT32_MAX) throw std::length_error("toByteBuffer() is not supported for large tensor");
    jbyteArray out = env->NewByteArray(static_cast<jsize>(nbytes));
    djl::checkPending(env);
    if (nbytes > 0) env->SetByteArrayRegion(out, 0, static_cast<jsize>(nbytes), static_cast<const jbyte*>(t.data_ptr()));
    return out;
  });
}

// Aliases the tensor's memory; valid while the Java NDArray (and so the tensor) lives.
DJL_NATIVE(jobject, torchDirectByteBuffer)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jobject(nullptr), [&] {
    const auto& t = tensorAt(handle);
    if (t.layout() != c10::kStrided) {
      throw std::invalid_argument("torchDirectByteBuffer() is not supported for sparse or MKL-DNN tensors");
    }
    if (!t.is_contiguous()) throw std::invalid_argument("torchDirectByteBuffer() requires the tensor to be contiguous");
    if (!t.device().is_cpu()) throw std::invalid_argument("torchDirectByteBuffer() needs a CPU tensor");
    const int64_t nbytes = byteSize(t);
    if (nbytes > INT32_MAX) throw std::length_error("torchDirectByteBuffer() is not supported for large tensor");
    static char empty = 0;  // a valid address for zero-length buffers (data_ptr may be null)
    void* data = nbytes == 0 ? &empty : t.data_ptr();
    jobject out = env->NewDirectByteBuffer(data, nbytes);
    djl::checkPending(env);
    return out;
  });
}

// Copies the buffer into the tensor's storage below autograd, so it also works on leaves that
// require grad and on inference tensors (model parameters), as DJL's set(Buffer) does.
DJL_NATIVE(void, torchSet)(JNIEnv* env, jobject, jlong handle, jobject buffer) {
  guardVoid(env, [&] {
    auto& t = tensorAt(handle);
    void* address = bufferFor(env, buffer, byteSize(t));
    if (t.numel() == 0) return;
    auto source = torch::from_blob(address, t.sizes(), c10::TensorOptions().dtype(t.scalar_type()));
    at::AutoDispatchBelowADInplaceOrView below;
    t.copy_(source);
  });
}

// Results are detached (no-grad), as in DJL; may share storage when nothing changes.
DJL_NATIVE(jlong, torchTo)(JNIEnv* env, jobject, jlong handle, jint dtype, jintArray device) {
  return guard(env, jlong(0), [&] {
    c10::AutoGradMode noGrad(false);
    return newTensor(tensorAt(handle).to(djl::device(env, device), djl::scalarType(dtype), false, false));
  });
}

DJL_NATIVE(jlong, tensorClone)(JNIEnv* env, jobject, jlong handle) {
  return guard(env, jlong(0), [&] {
    c10::AutoGradMode noGrad(false);
    return newTensor(tensorAt(handle).clone());
  });
}

DJL_NATIVE(jboolean, contentEqual)(JNIEnv* env, jobject, jlong a, jlong b) {
  return guard(env, jboolean(JNI_FALSE), [&] { return jboolean(torch::equal(tensorAt(a), tensorAt(b))); });
}
