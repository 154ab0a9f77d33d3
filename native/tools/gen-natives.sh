#!/usr/bin/env bash
# Regenerates native/generated/ from the PyTorchLibrary class of the DJL version the project uses
# (run after a DJL upgrade; PyTorchLibraryNativesTest fails until you do).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
djl_version="${1:-$(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' "$here/../pom.xml")}"
jar="$HOME/.m2/repository/ai/djl/pytorch/pytorch-engine/$djl_version/pytorch-engine-$djl_version-sources.jar"
[ -f "$jar" ] || mvn -q dependency:get -Dartifact="ai.djl.pytorch:pytorch-engine:$djl_version:jar:sources"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && unzip -q "$jar" ai/djl/pytorch/jni/PyTorchLibrary.java)
# The class is package-private and self-contained: it compiles on its own.
javac -h "$here/generated" -d "$work/classes" "$work/ai/djl/pytorch/jni/PyTorchLibrary.java"
javac -h "$here/generated" -d "$work/classes" "$here/../pipelines/src/main/java/diffbench/runtime/ProjectNatives.java"
python3 "$here/tools/gen_stubs.py"
