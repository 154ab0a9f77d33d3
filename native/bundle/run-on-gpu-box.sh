#!/usr/bin/env bash
# On a machine with Python + PyTorch + a C++ toolchain but no Java/Maven/network: builds diffbench's
# JNI against that torch (once; cached in ./jni-build), points DJL at it, and runs one java command.
#   ./run-on-gpu-box.sh <csv-dir> <main-class> [args...]
# e.g. ./run-on-gpu-box.sh /tmp/results diffbench.runtime.LocalLibtorch     (smoke check)
#      ./run-on-gpu-box.sh /tmp/results diffbench.jmh.HarnessMain --pipelines=sd-txt2img,sdxl-txt2img --batches=1,16 \\
#          --peer     (JVM cells, then the same cells in PyTorch eager / torch.compile from ./peer)
# The CSV folder reaches the program as -Ddiffbench.results=<dir> and DIFFBENCH_RESULTS.
# LIBTORCH=<dir with include/ and lib/> overrides the Python torch (e.g. LIBTORCH=/usr on Debian).
# NO_JNI=1 skips the JNI build, for commands that never start libtorch in the JVM (HarnessMain --peer-only).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 2 ] || { echo "usage: $0 <csv-dir> <main-class> [args...]" >&2; exit 2; }
results="$(mkdir -p "$1" && cd "$1" && pwd)"; shift
java_run=("$here/jre/bin/java" -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Ddiffbench.results="$results"
          -Ddiffbench.root="$here" -Ddiffbench.peer.dir="$here/peer" -cp "$here/lib/*")
if [ "${NO_JNI:-}" = 1 ]; then
  echo "diffbench: NO_JNI=1: no JNI build, the JVM runs without libtorch; CSV -> $results" >&2
  DIFFBENCH_RESULTS="$results" exec "${java_run[@]}" "$@"
fi

torch="${LIBTORCH:-$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')}"
for tool in cmake c++; do
  command -v "$tool" >/dev/null || { echo "diffbench: $tool not found; install it (cmake: pip install cmake)" >&2; exit 1; }
done
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
build="$here/jni-build"
# Configured once per libtorch (a configure costs seconds of Torch's CMake); later calls only rebuild what changed.
{ grep -qs "^LIBTORCH:[A-Z]*=$torch\$" "$build/CMakeCache.txt" || { rm -rf "$build"; cmake -S "$here/native" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DLIBTORCH="$torch" -DJNI_INCLUDE_DIR="$here/jre/include" >"$here/jni-build.log" 2>&1; }; } \
  && cmake --build "$build" --parallel "$(nproc)" >>"$here/jni-build.log" 2>&1 \
  || { grep -m1 -E 'Fix:|error' "$here/jni-build.log" >&2; echo "diffbench: JNI build failed, see $here/jni-build.log" >&2; exit 1; }

props="$build/diffbench-jni.properties"
version="$(sed -n 's/^torch.version=//p' "$props")"
libdir="$(sed -n 's/^torch.lib.dir=//p' "$props")"
flavor=cpu
if [ -f "$libdir/libtorch_cuda.so" ]; then flavor=cuda; fi
# DJL System.load()s every library of PYTORCH_LIBRARY_PATH: a system folder gets a folder of links
case "$libdir" in
  /usr/lib*|/lib*|/usr/local/lib*)
    links="$here/libtorch-links"; mkdir -p "$links"
    for l in libc10.so libtorch_cpu.so libtorch.so libc10_cuda.so libtorch_cuda.so; do
      [ -e "$libdir/$l" ] && ln -sf "$(readlink -f "$libdir/$l")" "$links/$l"
    done
    libdir="$links";;
esac
engine="$here/engine"
install -D -m 755 "$build/libdjl_torch.so" "$engine/pytorch/$version-$flavor-linux-x86_64/0.36.0-libdjl_torch.so"

export PYTORCH_LIBRARY_PATH="$libdir" PYTORCH_VERSION="$version" PYTORCH_FLAVOR="$flavor"
export ENGINE_CACHE_DIR="$engine" DIFFBENCH_RESULTS="$results"
# one card numbering for CUDA and nvidia-smi, so rows name the card the run uses (as mvn jmh:run does)
export CUDA_DEVICE_ORDER="${CUDA_DEVICE_ORDER:-PCI_BUS_ID}"
# JNA (DJL's GPU count) must find libcudart: pip keeps it in site-packages/nvidia/*/lib
jna=""
# (the folder that holds libcudart: nvidia/cu13/lib, nvidia/cuda_runtime/lib; not cusparselt/, cudnn/)
for d in "$torch"/../nvidia/*/lib; do
  if compgen -G "$d/libcudart.so*" >/dev/null; then jna="$(cd "$d" && pwd)"; break; fi
done
echo "diffbench: libtorch $version ($flavor) from $libdir; CSV -> $results" >&2
exec "${java_run[@]:0:1}" ${jna:+-Djna.library.path=$jna} -Ddiffbench.jni=diffbench "${java_run[@]:1}" "$@"
