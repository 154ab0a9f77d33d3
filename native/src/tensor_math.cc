// Elementwise arithmetic and math, comparisons, reductions. Scalars arrive as 0-dim tensors and
// stay tensors (libtorch's type promotion then matches DJL's).
#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "dtype_device.h"
#include "jni_util.h"

using djl::guard;
using djl::guardVoid;
using djl::newTensor;
using djl::tensorAt;
using T = torch::Tensor;

namespace {

template <typename F>
jlong unary(JNIEnv* env, jlong a, F&& f) {
  return guard(env, jlong(0), [&] { return newTensor(f(tensorAt(a))); });
}

template <typename F>
jlong binary(JNIEnv* env, jlong a, jlong b, F&& f) {
  return guard(env, jlong(0), [&] { return newTensor(f(tensorAt(a), tensorAt(b))); });
}

template <typename F>
void inPlace(JNIEnv* env, jlong a, jlong b, F&& f) {
  guardVoid(env, [&] { f(tensorAt(a), tensorAt(b)); });
}

}  // namespace

#define UNARY(name, expr) \
  DJL_NATIVE(jlong, name)(JNIEnv * env, jobject, jlong a) { return unary(env, a, [](T & x) { return expr; }); }
#define BINARY(name, expr)                                         \
  DJL_NATIVE(jlong, name)(JNIEnv * env, jobject, jlong a, jlong b) { \
    return binary(env, a, b, [](T & x, T & y) { return expr; });   \
  }
#define IN_PLACE(name, expr) \
  DJL_NATIVE(void, name)(JNIEnv * env, jobject, jlong a, jlong b) { inPlace(env, a, b, [](T & x, T & y) { expr; }); }

BINARY(torchAdd, x.add(y))
BINARY(torchSub, x.sub(y))
BINARY(torchMul, x.mul(y))
BINARY(torchTrueDivide, x.div(y))
BINARY(torchPow, x.pow(y))
BINARY(torchRemainder, x.remainder(y))
BINARY(torchMatmul, x.matmul(y))
BINARY(torchBmm, x.bmm(y))
BINARY(torchMaximum, torch::maximum(x, y))
BINARY(torchMinimum, torch::minimum(x, y))
BINARY(torchAtan2, x.atan2(y))
BINARY(torchEq, x.eq(y))
BINARY(torchNeq, x.ne(y))
BINARY(torchGt, x.gt(y))
BINARY(torchGte, x.ge(y))
BINARY(torchLt, x.lt(y))
BINARY(torchLte, x.le(y))
BINARY(torchLogicalAnd, x.logical_and(y))
BINARY(torchLogicalOr, x.logical_or(y))
BINARY(torchLogicalXor, x.logical_xor(y))

IN_PLACE(torchAddi, x.add_(y))
IN_PLACE(torchSubi, x.sub_(y))
IN_PLACE(torchMuli, x.mul_(y))
IN_PLACE(torchTrueDividei, x.div_(y))
IN_PLACE(torchPowi, x.pow_(y))
IN_PLACE(torchRemainderi, x.remainder_(y))

UNARY(torchExp, x.exp())
UNARY(torchSqrt, x.sqrt())
UNARY(torchNeg, x.neg())
UNARY(torchAbs, x.abs())
UNARY(torchSquare, x.square())
UNARY(torchFloor, x.floor())
UNARY(torchCeil, x.ceil())
UNARY(torchRound, x.round())
UNARY(torchTrunc, x.trunc())
UNARY(torchLog, x.log())
UNARY(torchLog10, x.log10())
UNARY(torchLog2, x.log2())
UNARY(torchSin, x.sin())
UNARY(torchCos, x.cos())
UNARY(torchTan, x.tan())
UNARY(torchAtan, x.atan())
UNARY(torchSinh, x.sinh())
UNARY(torchCosh, x.cosh())
UNARY(torchTanh, x.tanh())
UNARY(torchSigmoid, x.sigmoid())
UNARY(torchSign, x.sign())
UNARY(torchErf, x.erf())
UNARY(torchErfinv, x.erfinv())
UNARY(torchLogicalNot, x.logical_not())
UNARY(torchIsNaN, x.isnan())
UNARY(torchIsInf, x.isinf())
UNARY(torchAll, x.all())
UNARY(torchAny, x.any())
UNARY(torchSum__J, x.sum())
UNARY(torchMean__J, x.mean())
UNARY(torchMax__J, x.max())
UNARY(torchMin__J, x.min())
UNARY(torchArgMax__J, x.argmax())
UNARY(torchArgMin__J, x.argmin())
UNARY(torchProd__J, x.prod())

DJL_NATIVE(void, torchNegi)(JNIEnv* env, jobject, jlong a) {
  guardVoid(env, [&] { tensorAt(a).neg_(); });
}

DJL_NATIVE(void, torchSigni)(JNIEnv* env, jobject, jlong a) {
  guardVoid(env, [&] { tensorAt(a).sign_(); });
}

// DJL clamps with the scalar values of the two 0-dim bound tensors.
DJL_NATIVE(jlong, torchClamp)(JNIEnv* env, jobject, jlong a, jlong min, jlong max) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).clamp(tensorAt(min).item(), tensorAt(max).item())); });
}

DJL_NATIVE(jlong, torchWhere)(JNIEnv* env, jobject, jlong condition, jlong a, jlong b) {
  return guard(env, jlong(0), [&] { return newTensor(torch::where(tensorAt(condition), tensorAt(a), tensorAt(b))); });
}

DJL_NATIVE(jlong, torchSum__J_3JZ)(JNIEnv* env, jobject, jlong a, jlongArray dims, jboolean keepDim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).sum(djl::longs(env, dims), keepDim == JNI_TRUE)); });
}

DJL_NATIVE(jlong, torchMean__JJZ)(JNIEnv* env, jobject, jlong a, jlong dim, jboolean keepDim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).mean(dim, keepDim == JNI_TRUE)); });
}

DJL_NATIVE(jlong, torchMax__JJZ)(JNIEnv* env, jobject, jlong a, jlong dim, jboolean keepDim) {
  return guard(env, jlong(0), [&] { return newTensor(std::get<0>(tensorAt(a).max(dim, keepDim == JNI_TRUE))); });
}

DJL_NATIVE(jlong, torchMin__JJZ)(JNIEnv* env, jobject, jlong a, jlong dim, jboolean keepDim) {
  return guard(env, jlong(0), [&] { return newTensor(std::get<0>(tensorAt(a).min(dim, keepDim == JNI_TRUE))); });
}

DJL_NATIVE(jlong, torchArgMax__JJZ)(JNIEnv* env, jobject, jlong a, jlong dim, jboolean keepDim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).argmax(dim, keepDim == JNI_TRUE)); });
}

DJL_NATIVE(jlong, torchArgMin__JJZ)(JNIEnv* env, jobject, jlong a, jlong dim, jboolean keepDim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).argmin(dim, keepDim == JNI_TRUE)); });
}

DJL_NATIVE(jlong, torchProd__JJZ)(JNIEnv* env, jobject, jlong a, jlong dim, jboolean keepDim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).prod(dim, keepDim == JNI_TRUE)); });
}

// dtype -1 means "keep the input's type" (JniUtils.cumProd with a null DataType).
DJL_NATIVE(jlong, torchCumProd)(JNIEnv* env, jobject, jlong a, jlong dim, jint dtype) {
  return guard(env, jlong(0), [&] {
    const auto& t = tensorAt(a);
    return newTensor(dtype < 0 ? t.cumprod(dim) : t.cumprod(dim, djl::scalarType(dtype)));
  });
}

DJL_NATIVE(jlong, torchCumSum)(JNIEnv* env, jobject, jlong a, jlong dim) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).cumsum(dim)); });
}

DJL_NATIVE(jlong, torchSoftmax)(JNIEnv* env, jobject, jlong a, jlong dim, jint dtype) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).softmax(dim, djl::scalarType(dtype))); });
}

DJL_NATIVE(jlong, torchLogSoftmax)(JNIEnv* env, jobject, jlong a, jlong dim, jint dtype) {
  return guard(env, jlong(0), [&] { return newTensor(tensorAt(a).log_softmax(dim, djl::scalarType(dtype))); });
}
