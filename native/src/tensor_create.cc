// Array creation: factories, random arrays and arrays built from Java buffers.
#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "dtype_device.h"
#include "jni_util.h"

using djl::creationOptions;
using djl::guard;
using djl::longs;
using djl::newTensor;

DJL_NATIVE(jlong, torchEmpty)(JNIEnv* env, jobject, jlongArray shape, jint dtype, jint layout, jintArray device,
                              jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::empty(longs(env, shape), creationOptions(env, dtype, layout, device, grad)));
  });
}

DJL_NATIVE(jlong, torchZeros)(JNIEnv* env, jobject, jlongArray shape, jint dtype, jint layout, jintArray device,
                              jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::zeros(longs(env, shape), creationOptions(env, dtype, layout, device, grad)));
  });
}

DJL_NATIVE(jlong, torchOnes)(JNIEnv* env, jobject, jlongArray shape, jint dtype, jint layout, jintArray device,
                             jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::ones(longs(env, shape), creationOptions(env, dtype, layout, device, grad)));
  });
}

DJL_NATIVE(jlong, torchFull)(JNIEnv* env, jobject, jlongArray shape, jdouble value, jint dtype, jint layout,
                             jintArray device, jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::full(longs(env, shape), value, creationOptions(env, dtype, layout, device, grad)));
  });
}

DJL_NATIVE(jlong, torchArange)(JNIEnv* env, jobject, jfloat start, jfloat end, jfloat step, jint dtype, jint layout,
                               jintArray device, jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::arange(start, end, step, creationOptions(env, dtype, layout, device, grad)));
  });
}

DJL_NATIVE(jlong, torchLinspace)(JNIEnv* env, jobject, jfloat start, jfloat end, jint steps, jint dtype, jint layout,
                                 jintArray device, jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::linspace(start, end, steps, creationOptions(env, dtype, layout, device, grad)));
  });
}

DJL_NATIVE(jlong, torchEye)(JNIEnv* env, jobject, jint n, jint m, jint dtype, jint layout, jintArray device,
                            jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::eye(n, m, creationOptions(env, dtype, layout, device, grad)));
  });
}

DJL_NATIVE(jlong, torchZerosLike)(JNIEnv* env, jobject, jlong handle, jint dtype, jint layout, jintArray device,
                                  jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::zeros_like(djl::tensorAt(handle), creationOptions(env, dtype, layout, device, grad)));
  });
}

DJL_NATIVE(jlong, torchOnesLike)(JNIEnv* env, jobject, jlong handle, jint dtype, jint layout, jintArray device,
                                 jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::ones_like(djl::tensorAt(handle), creationOptions(env, dtype, layout, device, grad)));
  });
}

DJL_NATIVE(jlong, torchNormal)(JNIEnv* env, jobject, jdouble mean, jdouble std, jlongArray shape, jint dtype,
                               jint layout, jintArray device, jboolean grad) {
  return guard(env, jlong(0), [&] {
    auto options = creationOptions(env, dtype, layout, device, grad);
    auto t = torch::empty(longs(env, shape), options.requires_grad(false));
    t.normal_(mean, std);
    return newTensor(t.set_requires_grad(grad == JNI_TRUE));
  });
}

DJL_NATIVE(jlong, tensorUniform)(JNIEnv* env, jobject, jdouble from, jdouble to, jlongArray shape, jint dtype,
                                 jint layout, jintArray device, jboolean grad) {
  return guard(env, jlong(0), [&] {
    auto options = creationOptions(env, dtype, layout, device, grad);
    auto t = torch::empty(longs(env, shape), options.requires_grad(false));
    t.uniform_(from, to);
    return newTensor(t.set_requires_grad(grad == JNI_TRUE));
  });
}

DJL_NATIVE(jlong, torchRandint)(JNIEnv* env, jobject, jlong low, jlong high, jlongArray shape, jint dtype, jint layout,
                                jintArray device, jboolean grad) {
  return guard(env, jlong(0), [&] {
    return newTensor(torch::randint(low, high, longs(env, shape), creationOptions(env, dtype, layout, device, grad)));
  });
}

// Always copies: Java drops the buffer for GPU arrays, and a copy also keeps CPU views from
// outliving the Java memory.
DJL_NATIVE(jlong, torchFromBlob)(JNIEnv* env, jobject, jobject buffer, jlongArray shape, jint dtype, jint layout,
                                 jintArray device, jboolean grad) {
  return guard(env, jlong(0), [&] {
    auto options = creationOptions(env, dtype, layout, device, grad);
    auto sizes = longs(env, shape);
    int64_t numel = 1;
    for (int64_t s : sizes) numel *= s;
    const int64_t nbytes = numel * static_cast<int64_t>(c10::elementSize(options.dtype().toScalarType()));
    void* address = env->GetDirectBufferAddress(buffer);
    const jlong capacity = env->GetDirectBufferCapacity(buffer);
    torch::Tensor t;
    if (nbytes == 0) {
      t = torch::empty(sizes, options.requires_grad(false));
    } else {
      if (address == nullptr) throw std::invalid_argument("torchFromBlob needs a direct ByteBuffer");
      if (capacity < nbytes) throw std::invalid_argument("ByteBuffer is smaller than the array it should hold");
      auto view = torch::from_blob(address, sizes, c10::TensorOptions().dtype(options.dtype()));
      t = options.device().is_cpu() ? view.clone() : view.to(options.device());
    }
    return newTensor(t.set_requires_grad(grad == JNI_TRUE));
  });
}
