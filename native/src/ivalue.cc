// TorchScript IValues: construction from Java values/handles, conversion back, type predicates.
// Constructors copy (refcount) what they are given; conversions return fresh handles.
#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "jni_util.h"

using djl::guard;
using djl::guardVoid;
using djl::ivalueAt;
using djl::newIValue;
using IV = torch::jit::IValue;

namespace {

template <typename F>
jlong build(JNIEnv* env, F&& f) {
  return guard(env, jlong(0), [&] { return newIValue(f()); });
}

template <typename F>
jboolean test(JNIEnv* env, jlong h, F&& f) {
  return guard(env, jboolean(JNI_FALSE), [&] { return jboolean(f(ivalueAt(h))); });
}

std::vector<IV> ivalues(JNIEnv* env, jlongArray handles) {
  std::vector<IV> out;
  for (int64_t h : djl::longs(env, handles)) out.push_back(ivalueAt(h));
  return out;
}

}  // namespace

DJL_NATIVE(jlong, iValueFromTensor)(JNIEnv* env, jobject, jlong tensor) {
  return build(env, [&] { return IV(djl::tensorAt(tensor)); });
}
DJL_NATIVE(jlong, iValueFromBool)(JNIEnv* env, jobject, jboolean value) {
  return build(env, [&] { return IV(value == JNI_TRUE); });
}
DJL_NATIVE(jlong, iValueFromLong)(JNIEnv* env, jobject, jlong value) {
  return build(env, [&] { return IV(static_cast<int64_t>(value)); });
}
DJL_NATIVE(jlong, iValueFromDouble)(JNIEnv* env, jobject, jdouble value) {
  return build(env, [&] { return IV(static_cast<double>(value)); });
}
DJL_NATIVE(jlong, iValueFromString)(JNIEnv* env, jobject, jstring value) {
  return build(env, [&] { return IV(djl::utf8(env, value)); });
}

DJL_NATIVE(jlong, iValueFromBoolList)(JNIEnv* env, jobject, jbooleanArray values) {
  return build(env, [&] {
    const jsize n = env->GetArrayLength(values);
    std::vector<jboolean> raw(n);
    env->GetBooleanArrayRegion(values, 0, n, raw.data());
    djl::checkPending(env);
    c10::List<bool> list;
    for (jboolean b : raw) list.push_back(b == JNI_TRUE);
    return IV(list);
  });
}

DJL_NATIVE(jlong, iValueFromLongList)(JNIEnv* env, jobject, jlongArray values) {
  return build(env, [&] { return IV(c10::List<int64_t>(djl::longs(env, values))); });
}

DJL_NATIVE(jlong, iValueFromDoubleList)(JNIEnv* env, jobject, jdoubleArray values) {
  return build(env, [&] {
    std::vector<double> raw(env->GetArrayLength(values));
    env->GetDoubleArrayRegion(values, 0, static_cast<jsize>(raw.size()), raw.data());
    djl::checkPending(env);
    return IV(c10::List<double>(raw));
  });
}

DJL_NATIVE(jlong, iValueFromTensorList)(JNIEnv* env, jobject, jlongArray tensors) {
  return build(env, [&] { return IV(c10::List<at::Tensor>(djl::tensors(env, tensors))); });
}

// Element type = the unshaped type of the first element (Java never sends an empty list).
DJL_NATIVE(jlong, iValueFromList)(JNIEnv* env, jobject, jlongArray handles) {
  return build(env, [&] {
    auto values = ivalues(env, handles);
    if (values.empty()) throw std::invalid_argument("iValueFromList needs at least one element");
    c10::impl::GenericList list(c10::unshapedType(values[0].type()));
    for (auto& v : values) list.push_back(std::move(v));
    return IV(list);
  });
}

DJL_NATIVE(jlong, iValueFromTuple)(JNIEnv* env, jobject, jlongArray handles) {
  return build(env, [&] { return IV(c10::ivalue::Tuple::create(ivalues(env, handles))); });
}

DJL_NATIVE(jlong, iValueFromStringMap)(JNIEnv* env, jobject, jobjectArray keys, jlongArray tensors) {
  return build(env, [&] {
    auto names = djl::strings(env, keys);
    auto values = djl::tensors(env, tensors);
    if (names.size() != values.size()) throw std::invalid_argument("keys and values differ in length");
    c10::Dict<std::string, at::Tensor> dict;
    for (size_t i = 0; i < names.size(); ++i) dict.insert(names[i], values[i]);
    return IV(dict);
  });
}

// Value type = the unshaped type of the first value; an empty map is Dict[str, Tensor].
DJL_NATIVE(jlong, iValueFromStringIValueMap)(JNIEnv* env, jobject, jobjectArray keys, jlongArray handles) {
  return build(env, [&] {
    auto names = djl::strings(env, keys);
    auto values = ivalues(env, handles);
    if (names.size() != values.size()) throw std::invalid_argument("keys and values differ in length");
    c10::TypePtr valueType = values.empty() ? c10::TypePtr(c10::TensorType::get()) : c10::unshapedType(values[0].type());
    c10::impl::GenericDict dict(c10::StringType::get(), valueType);
    for (size_t i = 0; i < names.size(); ++i) dict.insert(IV(names[i]), values[i]);
    return IV(dict);
  });
}

DJL_NATIVE(jlong, iValueToTensor)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jlong(0), [&] { return djl::newTensor(ivalueAt(h).toTensor()); });
}
DJL_NATIVE(jboolean, iValueToBool)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jboolean(JNI_FALSE), [&] { return jboolean(ivalueAt(h).toBool()); });
}
DJL_NATIVE(jlong, iValueToLong)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jlong(0), [&] { return jlong(ivalueAt(h).toInt()); });
}
DJL_NATIVE(jdouble, iValueToDouble)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jdouble(0), [&] { return jdouble(ivalueAt(h).toDouble()); });
}
DJL_NATIVE(jstring, iValueToString)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jstring(nullptr), [&] { return djl::newString(env, ivalueAt(h).toStringRef()); });
}

DJL_NATIVE(jbooleanArray, iValueToBoolList)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jbooleanArray(nullptr), [&] {
    auto list = ivalueAt(h).toBoolList();
    std::vector<jboolean> raw;
    for (size_t i = 0; i < list.size(); ++i) raw.push_back(list.get(i) ? JNI_TRUE : JNI_FALSE);
    jbooleanArray out = env->NewBooleanArray(static_cast<jsize>(raw.size()));
    djl::checkPending(env);
    env->SetBooleanArrayRegion(out, 0, static_cast<jsize>(raw.size()), raw.data());
    return out;
  });
}

DJL_NATIVE(jlongArray, iValueToLongList)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jlongArray(nullptr), [&] { return djl::toJava(env, ivalueAt(h).toIntVector()); });
}

DJL_NATIVE(jdoubleArray, iValueToDoubleList)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jdoubleArray(nullptr), [&] {
    auto values = ivalueAt(h).toDoubleVector();
    jdoubleArray out = env->NewDoubleArray(static_cast<jsize>(values.size()));
    djl::checkPending(env);
    env->SetDoubleArrayRegion(out, 0, static_cast<jsize>(values.size()), values.data());
    return out;
  });
}

DJL_NATIVE(jlongArray, iValueToTensorList)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jlongArray(nullptr), [&] { return djl::newTensorHandles(env, ivalueAt(h).toTensorVector()); });
}

DJL_NATIVE(jlongArray, iValueToIValueList)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jlongArray(nullptr), [&] {
    auto list = ivalueAt(h).toList();
    std::vector<IV> values;
    for (size_t i = 0; i < list.size(); ++i) values.push_back(list.get(i));
    return djl::newIValueHandles(env, values);
  });
}

DJL_NATIVE(jlongArray, iValueToIValueTuple)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jlongArray(nullptr), [&] {
    const auto& elements = ivalueAt(h).toTuple()->elements();
    return djl::newIValueHandles(env, std::vector<IV>(elements.begin(), elements.end()));
  });
}

// [key0, value0, key1, value1, ...] for any dict; Java checks that keys are strings.
DJL_NATIVE(jlongArray, iValueToMap)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jlongArray(nullptr), [&] {
    std::vector<IV> flat;
    for (const auto& entry : ivalueAt(h).toGenericDict()) {
      flat.push_back(entry.key());
      flat.push_back(entry.value());
    }
    return djl::newIValueHandles(env, flat);
  });
}

DJL_NATIVE(jstring, iValueGetType)(JNIEnv* env, jobject, jlong h) {
  return guard(env, jstring(nullptr), [&] { return djl::newString(env, ivalueAt(h).type()->str()); });
}

DJL_NATIVE(jboolean, iValueIsTensor)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isTensor(); }); }
DJL_NATIVE(jboolean, iValueIsBool)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isBool(); }); }
DJL_NATIVE(jboolean, iValueIsLong)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isInt(); }); }
DJL_NATIVE(jboolean, iValueIsDouble)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isDouble(); }); }
DJL_NATIVE(jboolean, iValueIsString)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isString(); }); }
DJL_NATIVE(jboolean, iValueIsBoolList)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isBoolList(); }); }
DJL_NATIVE(jboolean, iValueIsLongList)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isIntList(); }); }
DJL_NATIVE(jboolean, iValueIsDoubleList)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isDoubleList(); }); }
DJL_NATIVE(jboolean, iValueIsTensorList)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isTensorList(); }); }
DJL_NATIVE(jboolean, iValueIsList)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isList(); }); }
DJL_NATIVE(jboolean, iValueIsTuple)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isTuple(); }); }
DJL_NATIVE(jboolean, iValueIsMap)(JNIEnv* env, jobject, jlong h) { return test(env, h, [](IV& v) { return v.isGenericDict(); }); }

DJL_NATIVE(void, torchDeleteIValue)(JNIEnv* env, jobject, jlong h) {
  guardVoid(env, [&] { delete reinterpret_cast<IV*>(h); });
}
