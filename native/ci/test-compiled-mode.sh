#!/usr/bin/env bash
# CI: the compiled mode (AOTInductor) end to end on CPU. Installs a CPU torch with pip into
# $DIFFBENCH_CACHE/ci-torch (offline from the machine's wheels), builds the project's JNI against its
# libtorch, runs AotiModelIT (packages equal to their archives, compile-error and no-python paths),
# then `mvn jmh:run` on tiny sd-txt2img and sd-controlnet at batch 1 in eager and compiled mode and
# compares the compiled cells' output images with eager's within TOLERANCE, and checks that a cell
# whose compile fails records compile-error while the next cell runs.
# Needs `mvn install` first (the harness runs the installed modules). About 5-7 min on 2 cores with
# a cold package cache (pip ~1 min, JNI build ~1 min, three AOTInductor compiles ~20-40 s each), less warm.
set -euo pipefail
cd "$(dirname "$0")/../.."

# fp32 images in [-1, 1] after 2 denoising steps and the VAE: Inductor fuses and reorders reductions,
# so compiled and eager differ by float rounding only (~1e-5 seen); a wrong kernel or stale buffer is >> 1e-2.
TOLERANCE=1e-3

export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s cmake g++ >/dev/null 2>&1; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends cmake g++
fi
command -v ninja >/dev/null || apt-get install -y -q --no-install-recommends ninja-build || true

cache="${DIFFBENCH_CACHE:-$HOME/.cache/diffbench}"
site="$cache/ci-torch"
if ! PYTHONPATH="$site" python3 -c "import torch" 2>/dev/null; then
  rm -rf "$site"
  # (--retries 0: where only the local wheels and index answer, the unreachable public index fails fast)
  python3 -m pip install -q --retries 0 --timeout 10 --target "$site" torch
fi
export PYTHONPATH="$site"
torch_dir="$site/torch"
echo "---- compiled mode on $(python3 -c 'import torch; print("torch", torch.__version__)') CPU ----"

start=$(date +%s)
status=0
rm -rf pipelines/target/surefire-reports-project-jni
set +e
mvn -B -ntp -q -pl pipelines verify -Pproject-jni -Ddiffbench.libtorch="$torch_dir" \
    -Dtest=DjlJniReferenceTest -Dsurefire.failIfNoSpecifiedTests=false
status=$?
set -e
for report in pipelines/target/surefire-reports-project-jni/*.txt; do
  [ -f "$report" ] && grep -h "Tests run" "$report"
done

work="$(mktemp -d)"
csv="$work/compiled.csv"
echo "---- DIFFBENCH_LIBTORCH=$torch_dir mvn jmh:run -Dmodes=eager,compiled (tiny cells on CPU) ----"
set +e
DIFFBENCH_LIBTORCH="$torch_dir" mvn -B -ntp -q jmh:run -Dpipelines=sd-txt2img,sd-controlnet -Dbatches=1 \
    -Dmodes=eager,compiled -Dsteps=2 -Dwarmups=1 -Dmeasurements=1 -DfailOnError=true \
    -Dresults="$csv" -Doutputs="$work/images"
harness=$?
set -e
[ $harness -eq 0 ] || status=$harness

# A compile that fails (here: Inductor's C++ compiler is /bin/false) is the cell's compile-error
# outcome, and the next cell still runs. Batch 2 is a shape no earlier run has compiled.
failing="$work/python-without-compiler"
printf '#!/bin/sh\nCXX=/bin/false exec python3 "$@"\n' > "$failing"
chmod +x "$failing"
set +e
DIFFBENCH_LIBTORCH="$torch_dir" mvn -B -ntp -q jmh:run -Dpipelines=sd-txt2img -Dbatches=2 \
    -Dmodes=compiled,eager -Dsteps=2 -Dwarmups=1 -Dmeasurements=1 -Dpython="$failing" -Dresults="$work/failing.csv"
set -e

set +e
python3 - "$csv" "$work/failing.csv" "$work/images" "$TOLERANCE" <<'PY'
import array, csv, pathlib, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
bad = []
for r in rows:
    want = ("ok", "diffbench", "aotinductor" if r["mode"] == "compiled" else "none")
    if (r["outcome"], r["jni"], r["compiler"]) != want or (r["mode"] == "compiled" and r["compile_cache"] == ""):
        bad.append(f"{r['pipeline']} {r['mode']}: {r['outcome']} jni={r['jni']} compiler={r['compiler']} "
                   f"cache={r['compile_cache']} {r['error_message']}")
    if r["mode"] == "compiled":
        print(f"{r['pipeline']} compiled: {r['its_mean']} it/s, compile {r['compile_seconds']} s ({r['compile_cache']})")
images = pathlib.Path(sys.argv[3])
tolerance = float(sys.argv[4])
for pipeline in ("sd-txt2img", "sd-controlnet"):
    for eager in images.glob(f"{pipeline}-b1-eager-fp32-*.f32"):
        compiled = pathlib.Path(str(eager).replace("-eager-", "-compiled-"))
        if not compiled.exists():
            bad.append(f"{compiled.name} missing")
            continue
        a, b = array.array("f"), array.array("f")
        a.frombytes(eager.read_bytes())
        b.frombytes(compiled.read_bytes())
        worst = max(abs(x - y) for x, y in zip(a, b)) if len(a) == len(b) else float("inf")
        print(f"{pipeline}: compiled vs eager images, max |diff| {worst:.2e} (tolerance {tolerance:g}, {len(a)} values)")
        if not worst <= tolerance:
            bad.append(f"{pipeline}: compiled images differ from eager by {worst}")
compared = len(list(images.glob("*-b1-eager-fp32-*.f32")))
if compared != 2:
    bad.append(f"expected eager images of 2 pipelines, found {compared}")
failing = {r["mode"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
if failing.get("compiled", {}).get("outcome") != "compile-error" or failing.get("eager", {}).get("outcome") != "ok":
    bad.append("a failing compile: expected compiled=compile-error then eager=ok, got "
               + str({m: (r["outcome"], r["error_message"]) for m, r in failing.items()}))
else:
    print("failing compile recorded as:", failing["compiled"]["outcome"], "-", failing["compiled"]["error_message"][:160])
for b in bad:
    print("compiled mode:", b)
print(len(rows), "rows,", len(bad), "problems")
sys.exit(1 if bad or len(rows) != 4 else 0)
PY
check=$?
set -e
[ $check -eq 0 ] || status=$check
rm -rf "$work"
echo "status $status after $(( $(date +%s) - start )) s"
exit $status
