// Shape manipulation: views, concatenation, splitting. Views come back as new handles sharing storage.
#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "jni_util.h"

using djl::guard;
using djl::longs;
using djl::newTensor;
using djl::tensorAt;

DJL_NATIVE(jlong, torchReshape)(JNIEnv* env, jobject, jlong a, jlongArray shape) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).reshape(longs(env, shape))); });
}

DJL_NATIVE(jlong, torchPermute)(JNIEnv* env, jobject, jlong a, jlongArray dims) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).permute(longs(env, dims))); });
}

DJL_NATIVE(jlong, torchTranspose)(JNIEnv* env, jobject, jlong a, jlong dim0, jlong dim1) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).transpose(dim0, dim1)); });
}

DJL_NATIVE(jlong, torchUnsqueeze)(JNIEnv* env, jobject, jlong a, jlong dim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).unsqueeze(dim)); });
}

DJL_NATIVE(jlong, torchSqueeze__J)(JNIEnv* env, jobject, jlong a) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).squeeze()); });
}

DJL_NATIVE(jlong, torchSqueeze__JJ)(JNIEnv* env, jobject, jlong a, jlong dim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).squeeze(dim)); });
}

// endDim is inclusive; Java passes (0, -1) for flatten().
DJL_NATIVE(jlong, torchFlatten)(JNIEnv* env, jobject, jlong a, jlong startDim, jlong endDim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).flatten(startDim, endDim)); });
}

DJL_NATIVE(jlong, torchExpand)(JNIEnv* env, jobject, jlong a, jlongArray shape) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).expand(longs(env, shape))); });
}

DJL_NATIVE(jlong, torchRepeat)(JNIEnv* env, jobject, jlong a, jlongArray repeats) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).repeat(longs(env, repeats))); });
}

// NDArray.repeat(axis, n): each element n times along the axis (the pipelines batch prompt states this way)
DJL_NATIVE(jlong, torchRepeatInterleave)(JNIEnv* env, jobject, jlong a, jlong repeats, jlong dim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).repeat_interleave(repeats, dim)); });
}

// NDArray.sort(axis): sorted values only (DDPM's dynamic thresholding takes a quantile from them)
DJL_NATIVE(jlong, torchSort)(JNIEnv* env, jobject, jlong a, jlong dim, jboolean descending) {
  return guard(env, jlong(0), [&] { return newTensor(std::get<0>(tensorAt(a).sort(dim, descending == JNI_TRUE))); });
}

DJL_NATIVE(jlong, torchFlip)(JNIEnv* env, jobject, jlong a, jlongArray dims) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).flip(longs(env, dims))); });
}

DJL_NATIVE(jlong, torchSlice)(JNIEnv* env, jobject, jlong a, jlong dim, jlong start, jlong stop, jlong step) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).slice(dim, start, stop, step)); });
}

DJL_NATIVE(jlong, torchCat)(JNIEnv* env, jobject, jlongArray handles, jlong dim) {
  return guard(env, jlong(0), [&] { return newTensor(torch::cat(djl::tensors(env, handles), dim)); });
}

DJL_NATIVE(jlong, torchStack)(JNIEnv* env, jobject, jlongArray handles, jlong dim) {
  return guard(env, jlong(0), [&] { return newTensor(torch::stack(djl::tensors(env, handles), dim)); });
}

DJL_NATIVE(jlongArray, torchSplit__JJJ)(JNIEnv* env, jobject, jlong a, jlong size, jlong dim) {
  return guard(env, jlongArray(nullptr), [&] { return djl::newTensorHandles(env, tensorAt(a).split(size, dim)); });
}

DJL_NATIVE(jlongArray, torchSplit__J_3JJ)(JNIEnv* env, jobject, jlong a, jlongArray sizes, jlong dim) {
  return guard(env, jlongArray(nullptr), [&] {
    return djl::newTensorHandles(env, tensorAt(a).split_with_sizes(longs(env, sizes), dim));
  });
}

DJL_NATIVE(jlong, torchGather)(JNIEnv* env, jobject, jlong a, jlong index, jlong dim, jboolean sparseGrad) {
  return guard(env, jlong(0), [&] {
    return newTensor(tensorAt(a).gather(dim, tensorAt(index), sparseGrad == JNI_TRUE));
  });
}
