#!/usr/bin/env bash
# Builds the archive for GPU machines without Java, Maven or network (docs/design.md §5): project jars,
# their runtime dependencies (without DJL's pytorch-jni / pytorch-native-cpu: the JNI is built on the
# target against its own torch), a jlinked JRE, the JNI sources and run-on-gpu-box.sh.
# Output: .bundle/diffbench-bundle.tar.xz (must stay under 64 MiB); prints its size.
# Uses `mvn package` (never install, so shared SNAPSHOTs in ~/.m2 are untouched).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/.bundle"
stage="$out/diffbench"
cd "$repo"

rm -rf "$stage" && mkdir -p "$stage/lib"
modules="pipelines,jmh,reports"
mvn -B -q -ntp -pl "$modules" -am package -DskipTests
for m in pipelines jmh reports; do
  find "$m/target" -maxdepth 1 -name '*.jar' ! -name '*-sources.jar' ! -name '*-tests.jar' -exec cp {} "$stage/lib/" \;
done
mvn -B -q -ntp -pl "$modules" dependency:copy-dependencies -DincludeScope=runtime \
    -DexcludeArtifactIds=pytorch-jni,pytorch-native-cpu,diffbench-pipelines -DoutputDirectory="$stage/lib"
# Modules may resolve different versions of one library: keep only the highest of each.
ls "$stage/lib" | sed -E 's/-[0-9][^-]*(-SNAPSHOT)?\.jar$//' | sort | uniq -d | while read -r name; do
  ls "$stage/lib/$name"-[0-9]*.jar | sort -V | head -n -1 | xargs rm -f
done

# A JRE with just the modules the harness uses (jdk.management for JMH forks, jdk.zipfs to read the
# JNI sources out of the pipelines jar).
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
"$java_home/bin/jlink" --output "$stage/jre" \
  --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,java.sql,java.xml,java.naming,jdk.crypto.ec,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=2
# ...but the JNI build on the target needs jni.h: the JDK's two interface headers.
mkdir -p "$stage/jre/include/linux"
cp "$java_home/include/jni.h" "$stage/jre/include/"
cp "$java_home/include/linux/jni_md.h" "$stage/jre/include/linux/"

mkdir -p "$stage/native"
cp -r native/CMakeLists.txt native/cmake native/src native/generated "$stage/native/"
cp native/bundle/run-on-gpu-box.sh native/bundle/gpu-acceptance.sh "$stage/"
mkdir -p "$stage/peer" && cp peer/*.py peer/README.md "$stage/peer/"
cp -r gpu-profiles "$stage/"   # --emulate reads the cards' memory from here (-Ddiffbench.root is the bundle)
git rev-parse HEAD > "$stage/COMMIT" 2>/dev/null || true

rm -f "$out/diffbench-bundle.tar.xz"
tar -C "$out" -cJf "$out/diffbench-bundle.tar.xz" diffbench
size=$(stat -c %s "$out/diffbench-bundle.tar.xz")
echo "bundle: $out/diffbench-bundle.tar.xz $(( size / 1024 / 1024 )) MiB ($size bytes)"
if [ "$size" -ge $(( 64 * 1024 * 1024 )) ]; then
  echo "bundle is over 64 MiB" >&2
  exit 1
fi
