#!/usr/bin/env bash
# Submits the benchmark matrix to Slurm from a login node: per card model a job array of N tasks,
# each on one GPU running shard I/N of the matrix (slurm/matrix.sbatch), and one report job that
# runs after all of them (afterany; slurm/report.sbatch). Prints the job ids and where to look.
# Re-submitting runs only what is missing: each task skips the cells its card's results file
# already holds a finished row of.
usage() {
  cat <<'USAGE'
usage: slurm/submit.sh --card NAME=SBATCH_OPTIONS [--card ...] [options] [-- -Dname=value ...]

  --card NAME=OPTIONS  a card model and the sbatch options that reach it, e.g.
                       --card a100='--partition=gpu-a100'  --card v100='--gres=gpu:v100:1'
                       (NAME only labels the jobs and the run folder; rows name the card nvidia-smi sees)
  --tasks N            tasks (GPUs) per card, each running every N-th cell (default 4)
  --results DIR        results folder on the shared filesystem (default: the checkout's results/)
  --reports DIR        where the report job writes (default: the checkout's reports/)
  --report OPTIONS     sbatch options of the report job (default: none; it needs no GPU)
  --run-dir DIR        this submission's logs and progress (default: slurm-runs/<time> in the checkout)
  -- -Dname=value ...  harness options, as for mvn jmh:run (-Dpipelines=..., -Dprofile=full, -Dremeasure=true)

Progress: slurm/status.sh [RUN_DIR]
USAGE
}
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
here="$home/slurm"
cards=(); tasks=4; results="$home/results"; reports="$home/reports"; report_opts=""; run_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --card) cards+=("${2:?--card needs NAME=SBATCH_OPTIONS}"); shift 2 ;;
    --card=*) cards+=("${1#--card=}"); shift ;;
    --tasks) tasks="${2:?}"; shift 2 ;;
    --results) results="${2:?}"; shift 2 ;;
    --reports) reports="${2:?}"; shift 2 ;;
    --report) report_opts="${2?}"; shift 2 ;;
    --run-dir) run_dir="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    *) echo "slurm/submit.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
harness_args=("$@")
[ ${#cards[@]} -gt 0 ] || { echo "slurm/submit.sh: name at least one card: --card NAME='SBATCH_OPTIONS' (e.g. --card a100='--partition=gpu-a100')" >&2; exit 2; }
[[ "$tasks" =~ ^[1-9][0-9]*$ ]] || { echo "slurm/submit.sh: --tasks takes a positive number, not '$tasks'" >&2; exit 2; }
for a in "${harness_args[@]}"; do
  [[ "$a" == -D* ]] || { echo "slurm/submit.sh: harness options go after -- as -Dname=value (as for mvn jmh:run), not '$a'" >&2; exit 2; }
  case "$a" in -Dshard=*|-Dprogress=*|-Dgpus=*) echo "slurm/submit.sh: $a is the job array's to set" >&2; exit 2 ;; esac
done
for f in "$home/jmh/target/classes/META-INF/BenchmarkList" "$home/reports/target/diffbench-reports.jar"; do
  [ -e "$f" ] || { echo "slurm/submit.sh: $f is missing: build the checkout first (mvn install)" >&2; exit 2; }
done
command -v sbatch >/dev/null || { echo "slurm/submit.sh: sbatch not found: run this on a Slurm login node" >&2; exit 2; }

mkdir -p "$results"
results="$(cd "$results" && pwd)"
run_dir="${run_dir:-$home/slurm-runs/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"
# the tasks take these from the environment (--export=ALL, whatever SBATCH_EXPORT the site sets)
export DIFFBENCH_HOME="$home" DIFFBENCH_RESULTS="$results" DIFFBENCH_REPORTS="$reports" DIFFBENCH_RUN_DIR="$run_dir" \
  DIFFBENCH_TASKS="$tasks"
: > "$run_dir/jobs"
array_jobs=()
for card in "${cards[@]}"; do
  name="${card%%=*}"; opts=""
  [[ "$card" == *=* ]] && opts="${card#*=}"
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "slurm/submit.sh: card name '$name': letters, digits, . _ - only" >&2; exit 2; }
  mkdir -p "$run_dir/$name"
  # shellcheck disable=SC2086  # the card's sbatch options are words, as the user wrote them
  job=$(DIFFBENCH_CARD="$name" sbatch --parsable --export=ALL --array="0-$((tasks - 1))" --job-name="diffbench-$name" \
        --output="$run_dir/$name/task-%a.out" $opts "$here/matrix.sbatch" "${harness_args[@]}")
  job="${job%%;*}" # a federation's ";cluster"
  echo "card $name $job $tasks" >> "$run_dir/jobs"
  array_jobs+=("$job")
  echo "$name: job array $job, $tasks tasks of one GPU each ($opts)"
done
dependency="afterany:$(IFS=:; echo "${array_jobs[*]}")"
# shellcheck disable=SC2086
report=$(sbatch --parsable --export=ALL --dependency="$dependency" --output="$run_dir/report.out" $report_opts "$here/report.sbatch")
report="${report%%;*}"
echo "report $report" >> "$run_dir/jobs"
echo "report: job $report, after ${array_jobs[*]} -> $reports"
echo "results: $results; logs: $run_dir"
echo "progress: slurm/status.sh $run_dir"
