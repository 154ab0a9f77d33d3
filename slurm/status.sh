#!/usr/bin/env bash
# Per-card progress of a slurm/submit.sh run: finished cells out of the cells of the shards that
# have started (from each task's progress file, which its harness rewrites after every cell), the
# card's results file, and the state of every job (scontrol while Slurm remembers it, else sacct).
#   slurm/status.sh [RUN_DIR]      (default: the newest run under slurm-runs/)
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
run_dir="${1:-$(ls -d "$home"/slurm-runs/*/ 2>/dev/null | sort | tail -1)}"
[ -n "$run_dir" ] && [ -f "$run_dir/jobs" ] || { echo "slurm/status.sh: no run folder (with a jobs file) given or under $home/slurm-runs" >&2; exit 2; }
run_dir="${run_dir%/}"

# "STATE xN, STATE xM" for a job (an array's tasks counted by state).
states() {
  local job="$1" out
  if out=$(scontrol -o show job "$job" 2>/dev/null) && [ -n "$out" ]; then
    # one line per task, or per range of pending tasks (ArrayTaskId=2-5)
    echo "$out" | awk '{
        n = 1; state = "?"
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^JobState=/) state = substr($i, 10)
          if ($i ~ /^ArrayTaskId=[0-9]+-[0-9]+/) { split(substr($i, 13), r, "[-%]"); n = r[2] - r[1] + 1 }
        }
        count[state] += n
      } END { sep = ""; for (s in count) { printf "%s%s x%d", sep, s, count[s]; sep = ", " } print "" }'
  elif out=$(sacct -n -X -P -j "$job" -o State 2>/dev/null) && [ -n "$out" ]; then
    echo "$out" | awk '{ count[$1]++ } END { sep = ""; for (s in count) { printf "%s%s x%d", sep, s, count[s]; sep = ", " } print "" }'
  else
    echo "unknown to Slurm now (ended; no accounting)"
  fi
}

echo "run $run_dir"
while read -r kind name job tasks; do
  if [ "$kind" = card ]; then
    finished=0; cells=0; started=0; csv=""
    for p in "$run_dir/$name"/task-*.progress; do
      [ -e "$p" ] || continue
      line=$(cat "$p")
      started=$((started + 1))
      f="${line#finished=}"; finished=$((finished + ${f%% *}))
      c="${line#* cells=}"; cells=$((cells + ${c%% *}))
      csv="${line#* results=}"
    done
    echo "card $name: $finished of $cells cells finished in the $started of $tasks shards started${csv:+ -> $csv}"
    echo "  job array $job: $(states "$job")"
  elif [ "$kind" = report ]; then
    echo "report: job $name: $(states "$name")"
  fi
done < "$run_dir/jobs"
