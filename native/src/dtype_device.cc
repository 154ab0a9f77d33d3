// DJL's DataType.ordinal() codes, c10 device codes and layout codes.
#include "dtype_device.h"

#include <stdexcept>
#include <string>

#include "jni_util.h"

namespace djl {

c10::ScalarType scalarType(jint code) {
  switch (code) {
    case 0: return c10::kFloat;
    case 1: return c10::kDouble;
    case 2: return c10::kHalf;
    case 3: return c10::kByte;
    case 4: return c10::kInt;
    case 5: return c10::kChar;
    case 6: return c10::kLong;
    case 7: return c10::kBool;
    case 8: return c10::kComplexFloat;
    case 11: return c10::kBFloat16;
#if DIFFBENCH_TORCH_AT_LEAST(2, 3)
    case 12: return c10::kUInt64;
    case 13: return c10::kUInt32;
    case 14: return c10::kUInt16;
#endif
    case 15: return c10::kShort;
    default:
      throw std::invalid_argument("data type code " + std::to_string(code) + " has no libtorch tensor type");
  }
}

jint dataTypeCode(c10::ScalarType type) {
  switch (type) {
    case c10::kFloat: return 0;
    case c10::kDouble: return 1;
    case c10::kHalf: return 2;
    case c10::kByte: return 3;
    case c10::kInt: return 4;
    case c10::kChar: return 5;
    case c10::kLong: return 6;
    case c10::kBool: return 7;
    case c10::kComplexFloat: return 8;
    case c10::kBFloat16: return 11;
#if DIFFBENCH_TORCH_AT_LEAST(2, 3)
    case c10::kUInt64: return 12;
    case c10::kUInt32: return 13;
    case c10::kUInt16: return 14;
#endif
    case c10::kShort: return 15;
    default: return 9;
  }
}

c10::Device device(JNIEnv* env, jintArray javaDevice) {
  auto codes = ints(env, javaDevice);
  if (codes.size() != 2) throw std::invalid_argument("device must be {type, index}");
  const auto type = static_cast<c10::DeviceType>(codes[0]);
  if (type == c10::DeviceType::CPU) return c10::Device(c10::DeviceType::CPU);
  return c10::Device(type, static_cast<c10::DeviceIndex>(codes[1] < 0 ? 0 : codes[1]));
}

jintArray toJava(JNIEnv* env, const c10::Device& device) {
  jint codes[2] = {static_cast<jint>(device.type()), device.is_cpu() ? -1 : static_cast<jint>(device.index())};
  jintArray out = env->NewIntArray(2);
  checkPending(env);
  env->SetIntArrayRegion(out, 0, 2, codes);
  return out;
}

c10::Layout layout(jint code) {
  if (code == 0) return c10::kStrided;
  throw std::invalid_argument("layout " + std::to_string(code) +
                              " (sparse COO / MKL-DNN) is not supported by diffbench's JNI; only dense arrays");
}

jint layoutCode(c10::Layout layout) {
  if (layout == c10::kStrided) return 0;
  if (layout == c10::kSparse) return 1;
  if (layout == c10::kMkldnn) return 2;
  throw std::invalid_argument("unsupported tensor layout");
}

c10::TensorOptions creationOptions(JNIEnv* env, jint dtype, jint layoutCode, jintArray javaDevice,
                                   jboolean requiresGrad) {
  return c10::TensorOptions()
      .dtype(scalarType(dtype))
      .layout(layout(layoutCode))
      .device(device(env, javaDevice))
      .requires_grad(requiresGrad == JNI_TRUE);
}

}  // namespace djl
