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

# The harness as a user runs it with a local libtorch (the modules `mvn install` put in ~/.m2): each
# fork must start its engine on the project's JNI, so every row is ok, jni=diffbench, libtorch 1.13.
echo "---- DIFFBENCH_LIBTORCH=/usr mvn jmh:run (tiny cells on CPU) ----"
csv="$(mktemp -d)/local-libtorch.csv"
set +e
# (math attention: libtorch 1.13 predates aten::scaled_dot_product_attention)
DIFFBENCH_LIBTORCH=/usr mvn -B -ntp -q jmh:run -Dpipelines=sd-txt2img,if -Dbatches=1 -Dmodes=eager -Dsteps=2 -Dattention=math \
    -DfailOnError=true -Dresults="$csv" \
  && python3 - "$csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
bad = [r for r in rows if (r["outcome"], r["jni"], r["libtorch"][:5]) != ("ok", "diffbench", "1.13.")]
for r in bad:
    print("not on the project's JNI and Debian's libtorch:", r["pipeline"], r["stage"], r["outcome"], r["jni"],
          r["libtorch"], r["error_message"])
print(len(rows), "rows,", len(bad), "wrong")
sys.exit(1 if bad or len(rows) != 4 else 0)
PY
harness=$?
set -e
[ $harness -eq 0 ] || status=$harness
echo "status $status after $(( $(date +%s) - start )) s"
exit $status
