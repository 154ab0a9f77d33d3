// CUDA-graph capture of any call with static inputs, shared by the TorchScript capture
// (extras_graph.cc) and the AOTInductor one (extras_aoti.cc).
#pragma once

#ifdef DIFFBENCH_WITH_CUDA
#include <functional>
#include <memory>
#include <vector>

#include <jni.h>
#include <torch/script.h>

namespace diffbench {
// Runs call(inputs) `warmups` times on a side stream, then captures one call into a CUDA graph whose
// handle the graph* natives take. `owner` keeps what the call reads alive as long as the graph.
jlong captureCall(std::shared_ptr<void> owner, std::vector<torch::Tensor> inputs, int warmups,
                  const std::function<std::vector<torch::Tensor>(const std::vector<torch::Tensor>&)>& call);
}  // namespace diffbench
#endif
