// Entry points of diffbench.runtime.ProjectNatives (the project's extras, absent from DJL's JNI).
#pragma once

#include "diffbench_runtime_ProjectNatives.h"

#define PROJECT_NATIVE(ret, name) extern "C" JNIEXPORT ret JNICALL Java_diffbench_runtime_ProjectNatives_##name
