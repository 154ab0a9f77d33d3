// DJL's integer codes for data types (DataType.ordinal()), devices and layouts, mapped to libtorch.
#pragma once

#include <jni.h>

#include <torch/script.h>

namespace djl {

// DataType.ordinal() -> ScalarType; throws for codes without a tensor type (UNKNOWN, STRING).
c10::ScalarType scalarType(jint code);
// ScalarType -> DataType.ordinal(); 9 (UNKNOWN) for types DJL has no name for.
jint dataTypeCode(c10::ScalarType type);

// {deviceTypeCode, index} as PtDeviceType sends it; c10::DeviceType values, CPU index forced to -1.
c10::Device device(JNIEnv* env, jintArray javaDevice);
jintArray toJava(JNIEnv* env, const c10::Device& device);

// Only the dense layout is supported; COO (1) and MKL-DNN (2) throw.
c10::Layout layout(jint code);
jint layoutCode(c10::Layout layout);

// Options for the creation natives.
c10::TensorOptions creationOptions(JNIEnv* env, jint dtype, jint layout, jintArray device, jboolean requiresGrad);

}  // namespace djl
