#!/usr/bin/env bash
# The GPU acceptance of the project's JNI (issue 7) and the PyTorch side by side (issue 8), on a
# machine like the device box: a CUDA torch in python3, a compiler and CMake, no Java, no network.
# Run from the unpacked bundle:
#   ./gpu-acceptance.sh OUT [STAGE...]
# Stages (default: all, in this order; each is time-boxed, and a failed stage does not stop the next):
#   jni      build the JNI against python3's torch; engine start and CUDA memory statistics
#   equiv    output equivalence, fp16 on the GPU: tiny and full sd15-unet, TorchScript vs Python twin vs JVM
#   sd       harness: sd-txt2img batch 1,16 eager / ts-profiling / cuda-graph, then the PyTorch peer
#            (python-eager, python-compile-reduce-overhead) on the same cells, in the same invocation
#   oom      harness under a T4 memory cap: sdxl-txt2img batch 16 (out of memory), then batch 1 (must still run)
#   sdxl     harness: sdxl-txt2img batch 1,16 eager / cuda-graph, then the peer's python-eager
#   equivxl  output equivalence of the full sdxl-unet
# Not in the default list (each takes minutes of torch.compile; the peer stages run the PyTorch side
# alone, --peer-only, so they need no JNI build, and take the batch sizes from BATCHES, default 1,16,
# so that one compile per shape can go in a call of its own: §10 gives 286 s for SDXL reduce-overhead):
#   diagnose     peer/diagnose_compiled.py on the full sd15-unet, batch 1 and 16: ms per UNet call for
#                TorchScript eager / optimised / frozen / channels_last / CUDA graph vs torch.compile, and the 12
#                aten ops taking the most GPU time
#   sdxlcompiled harness: sdxl-txt2img batch 1,16 in diffbench's compiled mode (AOTInductor; no peer: see aotisdxl)
#   sdxlro       the peer: sdxl-txt2img, torch.compile reduce-overhead
#   sdxlat       the peer: sdxl-txt2img, torch.compile max-autotune-no-cudagraphs
#   sdat         the peer: sd-txt2img, torch.compile max-autotune-no-cudagraphs
#   matrix       the whole matrix (issue 15): PIPELINES (all six) x MATRIX_BATCHES (1,4,16) x MODES
#                (eager,compiled,cuda-graph), resumable: each call runs only the cells RESULTS has no finished
#                row of, until the deadline, then lists the cells still missing (OUT/matrix-missing.txt). Point
#                RESULTS at a folder kept between leases (or copy results/h200.csv in) so none repeats work;
#                PROFILE=full MATRIX_BATCHES=1 for the 50-step cells once the quick ones are in
#   oomtable     the same matrix in eager mode under each EMULATE card's memory cap (default T4 V100-16GB
#                A100-40GB RTX-3090 RTX-4090, the published tables' cards), resumable, then what is missing
#                per card (OUT/oomtable-missing.txt): the OOM outcome of every cell per card
#   aotisd       issue 14: sd-txt2img batch 1,4,16 in the JVM's compiled mode (AOTInductor packages replayed as
#                CUDA graphs) next to the peer's python-compile-reduce-overhead, in one invocation; prints the
#                compiled / reduce-overhead it/s ratio per batch with compile seconds and cache hits
#   aotisdxl     the same for sdxl-txt2img batch 1,16
#   The packages land in $DIFFBENCH_CACHE/aoti (default WORK/cache) and are copied to OUT/aoti-packages when
#   they fit (AOTI_CARRY_MIB, default 48): carried into the next lease as AOTI_PACKAGES_IN=<that folder>,
#   they are copied into the cache first, so the next run loads instead of compiling.
# A peer cell cut off by the deadline keeps a `timeout` row, its load time and the message; the rows
# say how long each compile took (warmup_seconds).
# DEADLINE=<epoch seconds>: stages are cut to end before it (their timeouts shrink; late ones are
# skipped), so everything written to OUT comes back even when the whole command has a hard limit.
# PROFILE (default quick), STEPS override the harness profile. DEVICE=cpu is a dry run of the flow on a
# machine without a GPU (tiny configs, fp32; nvidia-smi and the memory cap are then skipped or fail).
# Writes OUT/results/<gpu>.csv (+ .jmh.json), OUT/log.txt (everything, also on stdout),
# OUT/summary.txt (one line per stage), OUT/jni-build.log.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 OUT [jni equiv sd oom sdxl equivxl diagnose sdxlcompiled sdxlro sdxlat sdat aotisd aotisdxl matrix oomtable]" >&2; exit 2; }
out="$(mkdir -p "$1" && cd "$1" && pwd)"; shift
stages=("$@"); [ ${#stages[@]} -gt 0 ] || stages=(jni equiv sd oom sdxl equivxl)
deadline="${DEADLINE:-$(( $(date +%s) + 3600 ))}"
# RESULTS (default OUT/results) may sit outside OUT, e.g. to merge the rows of several calls on one
# machine; its files are copied into OUT/results after every stage.
results="${RESULTS:-$out/results}"; work="${WORK:-/tmp/diffbench-acceptance}"; mkdir -p "$results" "$out/results" "$work"
HARNESS_PROFILE="--profile=${PROFILE:-quick}${STEPS:+ --steps=$STEPS}"
DEVICE="${DEVICE:-gpu}"; DTYPE=fp16
if [ "$DEVICE" = cpu ]; then HARNESS_PROFILE+=" --device=cpu --tiny"; DTYPE=fp32; fi
BATCHES="${BATCHES:-1,16}"
export here results work HARNESS_PROFILE DEVICE DTYPE BATCHES PYTHONUNBUFFERED=1
exec > >(tee -a "$out/log.txt") 2>&1

run() { "$here/run-on-gpu-box.sh" "$results" "$@"; }
cli() { run diffbench.cli.DiffbenchCommand "$@"; }
# shellcheck disable=SC2086 # HARNESS_PROFILE is a list of options
harness() { run diffbench.jmh.HarnessMain $HARNESS_PROFILE "$@"; }

# stage NAME SECONDS: runs stage_NAME under a timeout cut to the deadline (30 s kept for the copy-out)
stage() {
  local name="$1" cap="$2" left=$(( deadline - $(date +%s) - 30 ))
  [ "$left" -lt "$cap" ] && cap="$left"
  if [ "$cap" -lt 20 ]; then
    echo "SKIPPED $name: deadline" | tee -a "$out/summary.txt"; return
  fi
  echo "==== $(date +%T) stage $name (up to ${cap} s)"
  local start; start=$(date +%s)
  timeout --kill-after=15 "$cap" bash -c "stage_$name"
  local rc=$?
  echo "$( [ $rc = 0 ] && echo OK || { [ $rc = 124 ] && echo TIMEOUT || echo "FAILED($rc)"; } ) $name in $(( $(date +%s) - start )) s" \
    | tee -a "$out/summary.txt"
  cp -f "$here/jni-build.log" "$out/" 2>/dev/null || true
  [ "$results" -ef "$out/results" ] || cp -f "$results"/* "$out/results/" 2>/dev/null || true
}

# archive_and_twin MODEL FILE [--tiny]: FILE.pt (the TorchScript diffbench runs) and FILE.py (its twin)
archive_and_twin() {
  cli export --model "$1" ${3:-} --dtype "$DTYPE" --out "$2.pt" && cli export-python --model "$1" ${3:-} --out "$2.py"
}

# equivalence MODEL SIZE [--tiny]: TorchScript vs twin in Python, then the JVM's forward vs the twin
equivalence() {
  local m="$1" size="$2" tiny="${3:-}" f="$work/eq-$1${3:+-tiny}"
  local py_device=cuda; [ "$DEVICE" = cpu ] && py_device=cpu
  archive_and_twin "$m" "$f" $tiny \
    && python3 "$here/peer/check_equivalence.py" --archive "$f.pt" --twin "$f.py" --size "$size" --device "$py_device" \
         --inputs-out "$f-in.safetensors" \
    && cli forward --model "$m" $tiny --dtype "$DTYPE" --device "$DEVICE" --inputs "$f-in.safetensors" --out "$f-jvm.safetensors" \
         --cache "$work/cache" \
    && python3 "$here/peer/check_equivalence.py" --archive "$f.pt" --twin "$f.py" --size "$size" --device "$py_device" \
         --jvm-output "$f-jvm.safetensors"
}

stage_jni() {
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available() and torch.cuda.get_device_name(0))'
  run diffbench.runtime.LocalLibtorch
}
stage_equiv() { equivalence sd15-unet 8 --tiny && equivalence sd15-unet 64; }
# check_rows PIPELINE: the rows the JVM wrote for it are whole: every cell ok with a sound output, and on a
# GPU the environment the JNI reads (cudnn, peak reserved memory) and the host CPU recorded; prints what is missing
check_rows() {
  python3 - "$results" "$1" "$DEVICE" <<'PY'
import csv, glob, sys
folder, pipeline, device = sys.argv[1:]
rows = [r for f in glob.glob(folder + "/*.csv") for r in csv.DictReader(open(f, newline=""))
        if r["pipeline"] == pipeline and r["runtime"] == "diffbench" and r["device"] == device]
bad = [f"{r['batch']} {r['mode']}: {what}" for r in rows for what, wrong in [
    ("outcome " + r["outcome"], r["outcome"] != "ok" and not (device == "cpu" and r["mode"] == "cuda-graph")),
    ("output " + r.get("output_check", ""), r["outcome"] == "ok" and r.get("output_check", "") != "ok"),
    ("no cudnn", device == "gpu" and not r.get("cudnn")),
    ("no peak_reserved_mib", device == "gpu" and r["outcome"] == "ok" and not r.get("peak_reserved_mib")),
    ("no images_per_second", r["outcome"] == "ok" and not r.get("images_per_second")),
    ("no host_cpu", not r.get("host_cpu"))] if wrong]
print(f"check_rows {pipeline}: {len(rows)} rows, " + ("all whole" if not bad else "; ".join(bad)))
sys.exit(1 if bad or not rows else 0)
PY
}
stage_sd() {
  harness --pipelines=sd-txt2img --batches=1,16 --modes=eager,ts-profiling,cuda-graph --cell-timeout=300 \
    --peer --peer-runtimes=python-eager,python-compile-reduce-overhead \
    && check_rows sd-txt2img
}
stage_oom() { harness --pipelines=sdxl-txt2img --batches=16,1 --modes=eager --emulate=T4 --cell-timeout=240; }
stage_sdxl() {
  harness --pipelines=sdxl-txt2img --batches=1,16 --modes=eager,cuda-graph --cell-timeout=300 --peer --peer-runtimes=python-eager
}
stage_equivxl() { equivalence sdxl-unet 128; }
stage_diagnose() {
  local f="$work/diag-sd15-unet"
  archive_and_twin sd15-unet "$f" \
    && python3 "$here/peer/diagnose_compiled.py" --archive "$f.pt" --twin "$f.py" --size 64 --batches 1,16 --ops 12
}
stage_sdxlcompiled() { harness --pipelines=sdxl-txt2img --batches=1,16 --modes=compiled --cell-timeout=300; }
# peer_only PIPELINE RUNTIME: the PyTorch side of PIPELINE at BATCHES, one torch.compile per batch
peer_only() { NO_JNI=1 harness --pipelines="$1" --batches="$BATCHES" --cell-timeout=900 --peer-only --peer-runtimes="$2"; }
stage_sdxlro() { peer_only sdxl-txt2img python-compile-reduce-overhead; }
stage_sdxlat() { peer_only sdxl-txt2img python-compile-max-autotune-no-cudagraphs; }
stage_sdat() { peer_only sd-txt2img python-compile-max-autotune-no-cudagraphs; }
# resumable UNTIL TAG [harness options]: the harness on the cells it has no finished row of, cut off at UNTIL
# (epoch s) less a minute, then what is still missing (harness --missing) into OUT/<first word of TAG>-missing.txt
resumable() {
  local until="$1" tag="$2"; shift 2
  local left=$(( until - $(date +%s) - 60 ))
  if [ "$left" -gt 20 ]; then timeout --kill-after=15 "$left" bash -c 'harness "$@"' _ "$@"; fi
  harness --missing "$@" > "$work/missing.txt"
  cat "$work/missing.txt" >> "$out/${tag%% *}-missing.txt"
  echo "$tag: $(grep -m1 -o '[0-9]* of [0-9]* cells already measured.*\|all [0-9]* cells already measured[^(]*' "$work/missing.txt")" \
    | tee -a "$out/summary.txt"
}
matrix_cells() { echo --pipelines="${PIPELINES:-sd-txt2img,sd-img2img,sd-inpaint,sd-controlnet,if,sdxl-txt2img}" \
  --batches="${MATRIX_BATCHES:-1,4,16}" --cell-timeout="${CELL_TIMEOUT:-600}"; }
# shellcheck disable=SC2046 # matrix_cells prints options
stage_matrix() {
  : > "$out/matrix-missing.txt"
  resumable $(( deadline - 30 )) matrix $(matrix_cells) --modes="${MODES:-eager,compiled,cuda-graph}"
}
stage_oomtable() {
  : > "$out/oomtable-missing.txt"
  local cards=(${EMULATE:-T4 V100-16GB A100-40GB RTX-3090 RTX-4090}) i
  for i in "${!cards[@]}"; do
    # each card gets its share of the time left, so every card's table is begun
    local share=$(( (deadline - 30 - $(date +%s)) / (${#cards[@]} - i) ))
    # shellcheck disable=SC2046
    resumable $(( $(date +%s) + share )) "oomtable ${cards[$i]}" $(matrix_cells) --modes=eager --emulate="${cards[$i]}"
  done
}
# aoti PIPELINE BATCHES: compiled (AOTInductor + CUDA graphs) and the peer's reduce-overhead on the same cells
aoti() {
  harness --pipelines="$1" --batches="$2" --modes=compiled --cell-timeout=900 \
    --peer --peer-runtimes=python-compile-reduce-overhead
  local rc=$?
  aoti_ratios "$1"
  return $rc
}
# aoti_ratios PIPELINE: compiled it/s over python-compile-reduce-overhead it/s per batch, compile time and cache
aoti_ratios() {
  python3 - "$results" "$1" "$DEVICE" <<'PY'
import csv, glob, sys
folder, pipeline, device = sys.argv[1:]
rows = [r for f in glob.glob(folder + "/*.csv") for r in csv.DictReader(open(f, newline=""))
        if r["pipeline"] == pipeline and r["device"] == device]
jvm = {r["batch"]: r for r in rows if r["runtime"] == "diffbench" and r["mode"] == "compiled"}
ro = {r["batch"]: r for r in rows if r["runtime"] == "python-compile-reduce-overhead"}
bad = 0
for b in sorted(jvm, key=int):
    j, p = jvm[b], ro.get(b)
    if j["outcome"] != "ok" or not p or p["outcome"] != "ok" or not j["its_mean"] or not p["its_mean"]:
        print(f"aoti {pipeline} b{b}: compiled {j['outcome']} {j['error_message'][:200]}; reduce-overhead "
              f"{p['outcome'] if p else 'missing'}")
        bad += 1
        continue
    ratio = float(j["its_mean"]) / float(p["its_mean"])
    print(f"aoti {pipeline} b{b}: compiled {float(j['its_mean']):.2f} it/s vs reduce-overhead {float(p['its_mean']):.2f}"
          f" = {ratio:.2f}x; compile {j.get('compile_seconds', '')} s ({j.get('compile_cache', '')}), warm-up "
          f"{j.get('warmup_seconds', '')} s vs torch.compile warm-up {p.get('warmup_seconds', '')} s; output {j.get('output_check', '')}")
sys.exit(1 if bad or not jvm else 0)
PY
}
stage_aotisd() { aoti sd-txt2img "${AOTI_SD_BATCHES:-1,4,16}"; }
stage_aotisdxl() { aoti sdxl-txt2img "${AOTI_SDXL_BATCHES:-1,16}"; }
# carry_packages: the compiled packages (weights-free) into OUT, when they fit what comes back
carry_packages() {
  local cache="${DIFFBENCH_CACHE:-$work/cache}/aoti" limit="${AOTI_CARRY_MIB:-48}"
  [ -d "$cache" ] || return 0
  local mib; mib=$(du -sm "$cache" | cut -f1)
  if [ "$mib" -le "$limit" ]; then
    mkdir -p "$out/aoti-packages" && cp -rf "$cache"/. "$out/aoti-packages/" \
      && find "$out/aoti-packages" \( -name twin.py -o -name compile.log \) -delete
    echo "aoti packages: $mib MiB copied to $out/aoti-packages"
  else
    echo "aoti packages: $mib MiB in $cache, over AOTI_CARRY_MIB=$limit: not copied"
  fi
}

export -f run cli harness archive_and_twin equivalence check_rows peer_only stage_jni stage_equiv stage_sd stage_oom stage_sdxl \
  stage_equivxl stage_diagnose stage_sdxlcompiled stage_sdxlro stage_sdxlat stage_sdat aoti aoti_ratios stage_aotisd stage_aotisdxl \
  resumable matrix_cells stage_matrix stage_oomtable
export deadline out
# the compiled mode's package cache: carried-in packages first, so a later lease loads what an earlier one compiled
export DIFFBENCH_CACHE="${DIFFBENCH_CACHE:-$work/cache}"
if [ -n "${AOTI_PACKAGES_IN:-}" ] && [ -d "$AOTI_PACKAGES_IN" ]; then
  mkdir -p "$DIFFBENCH_CACHE/aoti" && cp -rn "$AOTI_PACKAGES_IN"/. "$DIFFBENCH_CACHE/aoti/"
fi
echo "diffbench GPU acceptance $(cat "$here/COMMIT" 2>/dev/null) on $(hostname), stages: ${stages[*]}, deadline $(date -d "@$deadline" +%T)"
for s in "${stages[@]}"; do
  case "$s" in
    jni) stage jni 420 ;;
    equiv) stage equiv 180 ;;
    sd) stage sd 600 ;;
    oom) stage oom 240 ;;
    sdxl) stage sdxl 420 ;;
    equivxl) stage equivxl 180 ;;
    diagnose) stage diagnose 300 ;;
    sdxlcompiled) stage sdxlcompiled 300 ;;
    sdxlro|sdxlat|sdat) stage "$s" 1800 ;;
    matrix|oomtable) stage "$s" 86400 ;; # as long as the deadline allows
    aotisd|aotisdxl) stage "$s" 900; carry_packages ;;
    *) echo "unknown stage $s" | tee -a "$out/summary.txt" ;;
  esac
done
echo "==== $(date +%T) done"; cat "$out/summary.txt"
