// NDIndex support: DJL builds a vector of TensorIndex entries, then reads or writes through it.
#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "jni_util.h"

using djl::guard;
using djl::guardVoid;
using djl::indexAt;
using djl::newTensor;
using djl::tensorAt;
namespace ix = at::indexing;

DJL_NATIVE(jlong, torchIndexInit)(JNIEnv* env, jobject, jint size) {
  return guard(env, jlong(0), [&] {
    auto* index = new std::vector<ix::TensorIndex>();
    index->reserve(size > 0 ? size : 0);
    return reinterpret_cast<jlong>(index);
  });
}

DJL_NATIVE(void, torchDeleteIndex)(JNIEnv* env, jobject, jlong handle) {
  guardVoid(env, [&] { delete reinterpret_cast<std::vector<ix::TensorIndex>*>(handle); });
}

DJL_NATIVE(void, torchIndexAppendNoneEllipsis)(JNIEnv* env, jobject, jlong handle, jboolean isEllipsis) {
  guardVoid(env, [&] {
    indexAt(handle).emplace_back(isEllipsis == JNI_TRUE ? ix::TensorIndex(ix::Ellipsis) : ix::TensorIndex(ix::None));
  });
}

// nullBits: 2 = start absent, 1 = stop absent (DJL's encoding of open slice ends).
DJL_NATIVE(void, torchIndexAppendSlice)(JNIEnv* env, jobject, jlong handle, jlong min, jlong max, jlong step,
                                        jint nullBits) {
  guardVoid(env, [&] {
    const bool noStart = (nullBits & 2) != 0;
    const bool noStop = (nullBits & 1) != 0;
    ix::Slice slice(noStart ? c10::nullopt : c10::optional<int64_t>(min),
                    noStop ? c10::nullopt : c10::optional<int64_t>(max), c10::optional<int64_t>(step));
    indexAt(handle).emplace_back(slice);
  });
}

DJL_NATIVE(void, torchIndexAppendFixed)(JNIEnv* env, jobject, jlong handle, jlong idx) {
  guardVoid(env, [&] { indexAt(handle).emplace_back(static_cast<int64_t>(idx)); });
}

// The vector holds a reference to the index tensor until torchDeleteIndex.
DJL_NATIVE(void, torchIndexAppendArray)(JNIEnv* env, jobject, jlong handle, jlong array) {
  guardVoid(env, [&] { indexAt(handle).emplace_back(tensorAt(array)); });
}

// Basic indexing (DJL's NDIndexFullSlice: fixed indices and slices only): one [min, max) slice with
// its step per leading dimension; DJL squeezes the dimensions of fixed indices afterwards. A view.
DJL_NATIVE(jlong, torchIndex)(JNIEnv* env, jobject, jlong a, jlongArray minIndices, jlongArray maxIndices,
                              jlongArray stepIndices) {
  return guard(env, jlong(0), [&] {
    const auto mins = djl::longs(env, minIndices);
    const auto maxs = djl::longs(env, maxIndices);
    const auto steps = djl::longs(env, stepIndices);
    if (maxs.size() != mins.size() || steps.size() != mins.size()) {
      throw std::invalid_argument("torchIndex: min, max and step differ in length");
    }
    torch::Tensor t = tensorAt(a);
    for (size_t d = 0; d < mins.size(); ++d) t = t.slice(static_cast<int64_t>(d), mins[d], maxs[d], steps[d]);
    return newTensor(t);
  });
}

DJL_NATIVE(jlong, torchIndexAdvGet)(JNIEnv* env, jobject, jlong a, jlong handle) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).index(indexAt(handle))); });
}

DJL_NATIVE(void, torchIndexAdvPut)(JNIEnv* env, jobject, jlong a, jlong handle, jlong value) {
  guardVoid(env, [&] { tensorAt(a).index_put_(indexAt(handle), tensorAt(value)); });
}

DJL_NATIVE(jlong, torchGetItem__JJ)(JNIEnv* env, jobject, jlong a, jlong i) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).index({ix::TensorIndex(static_cast<int64_t>(i))})); });
}

DJL_NATIVE(jlong, torchGetItem__J_3J)(JNIEnv* env, jobject, jlong a, jlongArray indices) {
  return guard(env, jlong(0), [&] {
    std::vector<ix::TensorIndex> index;
    for (int64_t i : djl::longs(env, indices)) index.emplace_back(i);
    return newTensor(tensorAt(a).index(index));
  });
}
