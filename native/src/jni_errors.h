// The smallest include for an entry point: the DJL_NATIVE macro and the "not implemented" error.
// Kept free of libtorch headers so the generated stubs compile in a second.
#pragma once

#include <jni.h>

// Defines an entry point of ai.djl.pytorch.jni.PyTorchLibrary; the javac -h header included by
// every source makes the compiler reject a signature that differs from the Java declaration.
#define DJL_NATIVE(ret, name) extern "C" JNIEXPORT ret JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_##name

namespace djl {

// Out-of-scope natives throw EngineException("<name> is not implemented by diffbench's JNI").
void notImplemented(JNIEnv* env, const char* name);

}  // namespace djl
