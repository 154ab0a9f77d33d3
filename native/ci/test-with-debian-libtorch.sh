#!/usr/bin/env bash
# CI: builds diffbench's JNI against Debian's libtorch-dev (1.13, CPU) and runs the engine tests
# through it (ProjectJniIT, in its own JVM without DJL's JNI jars), comparing with DJL's own JNI
# (DjlJniReferenceTest, run first in the same Maven call).
# Idempotent; about 3-4 min on 2 cores with a cold JNI cache (apt ~1 min, JNI build ~1 min,
# Maven + tests ~1 min), under 1 min warm. Exit status non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s libtorch-dev cmake g++ >/dev/null 2>&1; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends libtorch-dev cmake g++
fi
command -v ninja >/dev/null || apt-get install -y -q --no-install-recommends ninja-build || true

# The JNI build is cached by libtorch version + source hash (DIFFBENCH_CACHE, default ~/.cache/diffbench).
start=$(date +%s)
rm -rf pipelines/target/surefire-reports pipelines/target/surefire-reports-project-jni
set +e
mvn -B -ntp -pl pipelines -am verify -Pproject-jni -Ddiffbench.libtorch=/usr \
    -Dtest='DjlJniReferenceTest,DeclaredNativesTest' -Dsurefire.failIfNoSpecifiedTests=false
status=$?
set -e

echo "---- Surefire summary (diffbench JNI on Debian libtorch) ----"
for report in pipelines/target/surefire-reports/*.txt pipelines/target/surefire-reports-project-jni/*.txt; do
  [ -f "$report" ] && grep -h "Tests run" "$report"
done
echo "status $status after $(( $(date +%s) - start )) s"
exit $status
