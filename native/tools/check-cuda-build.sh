#!/usr/bin/env bash
# Compile check of the JNI's CUDA parts (DIFFBENCH_WITH_CUDA: allocator statistics, memory cap,
# CUDA graphs, AOTInductor packages) on a machine WITHOUT a GPU: builds native/ against the libtorch of a CUDA torch
# wheel and checks that the CUDA code is really compiled and linked in. Runs nothing on a GPU.
# Not part of CI: the wheel is ~550 MB (1.1 GB unpacked).
#
#   native/tools/check-cuda-build.sh [TORCH]
#     TORCH: a torch folder with include/ and lib/ (unpacked wheel, site-packages/torch),
#            a torch-*.whl, or a folder holding one; none: `pip download` one
#            (TORCH_VERSION=2.11.0 pins it, else the newest pip offers).
#   Needs: CUDA runtime headers (CUDA_HOME, default /usr/local/cuda; a pip nvidia/*/include next to
#   the torch folder also works), cmake, g++ (C++20 for torch >= 2.10), a JDK, unzip, nm.
#   WORK (default /tmp/diffbench-cuda-check) holds the download, the unpacked wheel and the build.
#   Exit status non-zero when the build fails or the CUDA parts are missing.
set -euo pipefail
native="$(cd "$(dirname "$0")/.." && pwd)"
work="${WORK:-/tmp/diffbench-cuda-check}"
mkdir -p "$work"
fail() { echo "check-cuda-build: FAIL: $*" >&2; exit 1; }

# 1. a torch folder
src="${1:-}"
if [ -z "$src" ]; then
  mkdir -p "$work/wheel"
  pip download --no-deps --only-binary=:all: "torch${TORCH_VERSION:+==$TORCH_VERSION}" -d "$work/wheel"
  src="$work/wheel"
fi
if [ -d "$src" ] && [ -d "$src/include" ] && [ -d "$src/lib" ]; then
  torch="$(cd "$src" && pwd)"
else
  wheel="$src"
  if [ -d "$src" ]; then
    wheel="$(ls -t "$src"/torch-*.whl 2>/dev/null | head -1 || true)"
  fi
  [ -f "$wheel" ] || fail "no torch folder or torch-*.whl at $src"
  unpacked="$work/unpacked/$(basename "$wheel" .whl)"
  if [ ! -f "$unpacked/torch/lib/libtorch.so" ]; then
    rm -rf "$unpacked" && mkdir -p "$unpacked"
    echo "unpacking $(basename "$wheel") ($(du -h "$wheel" | cut -f1)) into $unpacked"
    unzip -q "$wheel" 'torch/include/*' 'torch/lib/*' 'torch/share/cmake/*' 'torch/version.py' -d "$unpacked"
  fi
  torch="$unpacked/torch"
fi
[ -f "$torch/lib/libtorch_cuda.so" ] || fail "$torch/lib has no libtorch_cuda.so: a CPU-only torch"
grep -h "^__version__\|^cuda" "$torch/version.py" 2>/dev/null || true

# 2. configure with CUDA on
build="$work/build"
rm -rf "$build"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$native" -B "$build" "${generator[@]}" -DLIBTORCH="$torch" -DDIFFBENCH_CUDA=ON \
      -DCMAKE_EXPORT_COMPILE_COMMANDS=ON | grep -E "diffbench|Warning|WARNING" || true
grep -q "^torch.cuda=ON" "$build/diffbench-jni.properties" \
  || fail "configured without CUDA (see the cmake warning above; CUDA headers: set CUDA_HOME)"
python3 - "$build/compile_commands.json" <<'EOF' || fail "DIFFBENCH_WITH_CUDA is not on the extras' compile lines"
import json, sys
cmds = [c for c in json.load(open(sys.argv[1])) if "/src/extras_" in c["file"]]
assert len(cmds) >= 3 and all("-DDIFFBENCH_WITH_CUDA" in c["command"] for c in cmds)  # graph, memory, aoti
print("compile lines of", ", ".join(c["file"].rsplit("/", 1)[1] for c in cmds), "define DIFFBENCH_WITH_CUDA")
EOF

# 3. build (the POST_BUILD step also checks that every declared native is exported)
start=$(date +%s)
cmake --build "$build" -j"$(nproc)"
seconds=$(( $(date +%s) - start ))
lib="$build/libdjl_torch.so"

# 4. the CUDA code is in the library: its references into libtorch_cuda / c10_cuda / cudart
undefined="$(nm -D -C --undefined-only "$lib")"
missing=0
for symbol in \
    'at::cuda::CUDAGraph::CUDAGraph(' \
    'at::cuda::CUDAGraph::capture_begin(' \
    'at::cuda::CUDAGraph::capture_end()' \
    'at::cuda::CUDAGraph::replay()' \
    'at::cuda::graph_pool_handle()' \
    'c10::cuda::getStreamFromPool(' \
    'c10::cuda::CUDACachingAllocator::allocator' \
    'cudaMemGetInfo' \
    'torch::inductor::AOTIModelPackageLoader::AOTIModelPackageLoader(' \
    'torch::inductor::AOTIModelPackageLoader::load_constants(' ; do
  line="$(grep -F -m1 -- "$symbol" <<<"$undefined" || true)"
  if [ -n "$line" ]; then echo "  found  $line"; else echo "  MISSING $symbol"; missing=1; fi
done
[ "$missing" = 0 ] || fail "CUDA references missing from $lib"
needed="$(readelf -d "$lib" | grep NEEDED | sed 's/.*\[\(.*\)\]/\1/' | tr '\n' ' ')"
for so in libtorch_cuda.so libc10_cuda.so; do
  grep -qw "$so" <<<"$needed" || fail "$lib does not NEED $so (NEEDED: $needed)"
done
echo "NEEDED: $needed"
echo "check-cuda-build: OK: $lib ($(grep torch.version "$build/diffbench-jni.properties"), CUDA on), built in ${seconds} s on $(nproc) cores"
