#!/usr/bin/env bash
# CI for slurm/: a single-node Slurm from Debian's packages (22.05), with two fake GPUs declared as
# GRES (/dev/null links named nvidia0/1, for which Slurm sets CUDA_VISIBLE_DEVICES per task), runs
# a tiny CPU matrix as a job array of two tasks through slurm/submit.sh, then checks: every cell has
# exactly one row (one per stage for IF), neither task's merges lost the other's rows, each task had
# its own CUDA_VISIBLE_DEVICES, the report job ran, status.sh counts every cell, and a second submit
# finds nothing to do. The daemons are stopped at the end, also on failure. Needs root and a built
# checkout (mvn install: the tasks run `mvn -o jmh:run`). Config, state and logs stay in a temp folder
# (SLURM_CONF points there): nothing under /etc/slurm is touched.
set -euo pipefail
home="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$home"

pkgs=(slurmctld slurmd slurm-client munge)
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
   || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null; }
fi

D="$(mktemp -d /tmp/diffbench-slurm-ci.XXXXXX)"
H="$(hostname -s)"
export SLURM_CONF="$D/slurm.conf"
mkdir -p "$D/state" "$D/spool" "$D/fakegpu"
ln -s /dev/null "$D/fakegpu/nvidia0"; ln -s /dev/null "$D/fakegpu/nvidia1" # GRES files must be character devices
cat > "$SLURM_CONF" <<CONF
ClusterName=diffbench-ci
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
NodeName=$H NodeAddr=127.0.0.1 CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=1000 Gres=gpu:2 State=UNKNOWN
PartitionName=ci Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
echo "NodeName=$H Name=gpu File=$D/fakegpu/nvidia[0-1]" > "$D/gres.conf"

munged_pid=""
# end PID: waits up to 10 s for that daemon to exit, then kills it
end() {
  [ -n "$1" ] || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$1" 2>/dev/null || true
}
stop() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "slurm CI: FAILED (exit $rc); daemon logs:" >&2
    tail -n 20 "$D"/slurmctld.log "$D"/slurmd.log >&2 2>/dev/null || true
  fi
  # this private cluster's jobs are all ours: none may outlive it (slurmd's shutdown leaves them running)
  squeue -h -o %A 2>/dev/null | xargs -r scancel 2>/dev/null || true
  for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
  scontrol shutdown >/dev/null 2>&1 || true # both Slurm daemons
  end "$(cat "$D/slurmctld.pid" 2>/dev/null)"; end "$(cat "$D/slurmd.pid" 2>/dev/null)"
  if [ -n "$munged_pid" ]; then kill "$munged_pid" 2>/dev/null || true; end "$munged_pid"; fi
  echo "slurm CI: daemons stopped (logs in $D)"
  exit $rc
}
trap stop EXIT

# munge: the system's, if one answers; else our own, stopped at the end
if ! (munge -n | unmunge) >/dev/null 2>&1; then
  install -d -o munge -g munge -m 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  munged_pid=$(cat /run/munge/munged.pid)
fi
slurmctld
slurmd
for _ in $(seq 100); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.3; done
[ "$(sinfo -h -o %T)" = idle ] || { echo "slurm CI: the node did not come up: $(sinfo -h -o '%T %E')" >&2; exit 1; }
echo "slurm CI: Slurm $(sinfo -V | cut -d' ' -f2) up on $H with $(sinfo -h -o %G)"

work="$D/work"
matrix=(-Ddevice=cpu -Dpipelines=sd-txt2img,if -Dbatches=1,2 -Dmodes=eager -Dsteps=2 -Dwarmups=0 -Dmeasurements=1)
csv="$work/results/cpu-smoke.csv"

# submit RUN: the tiny matrix over the two fake GPUs; waits until every job of the run has left the queue
submit() {
  slurm/submit.sh --tasks 2 --card fake='--cpus-per-task=1' --results "$work/results" --reports "$work/reports" \
    --run-dir "$work/$1" -- "${matrix[@]}"
  local jobs
  jobs=$(awk '{ print ($1 == "card") ? $3 : $2 }' "$work/$1/jobs" | paste -sd,)
  for _ in $(seq 600); do
    [ -z "$(squeue -h -j "$jobs" 2>/dev/null)" ] && return 0
    sleep 1
  done
  echo "slurm CI: jobs $jobs still queued after 10 minutes" >&2; squeue >&2; return 1
}
report_state() { scontrol -o show job "$(awk '$1 == "report" { print $2 }' "$work/$1/jobs")" | grep -o 'JobState=[A-Z]*'; }

submit run1
python3 - "$csv" "$work/run1/fake/devices.log" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
keys = sorted((r["pipeline"], r["batch"], r["stage"]) for r in rows)
want = sorted([("sd-txt2img", "1", ""), ("sd-txt2img", "2", ""), ("if", "1", "I"), ("if", "1", "II"), ("if", "1", "III"),
               ("if", "2", "I"), ("if", "2", "II"), ("if", "2", "III")])
assert keys == want, f"one row per cell and stage, none lost or doubled: {keys}"
assert all(r["outcome"] == "ok" for r in rows), [r["outcome"] + " " + r["error_message"] for r in rows]
tasks = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[2])]
assert sorted(t["task"] for t in tasks) == ["0", "1"], tasks
assert all(t["exit"] == "0" for t in tasks), tasks
assert all(t["CUDA_VISIBLE_DEVICES"] in ("0", "1") for t in tasks), f"each task got a GPU: {tasks}"
a, b = tasks
if int(a["start"]) <= int(b["end"]) and int(b["start"]) <= int(a["end"]):
    assert a["CUDA_VISIBLE_DEVICES"] != b["CUDA_VISIBLE_DEVICES"], f"tasks at the same time, one GPU each: {tasks}"
print("slurm CI: 8 rows for 4 cells, one each;", ", ".join(f"task {t['task']}: CUDA_VISIBLE_DEVICES={t['CUDA_VISIBLE_DEVICES']}" for t in tasks))
PY
# shard I/2 is batch I+1 of both pipelines: each task measured its own two cells, merged beside the other's
for t in 0 1; do
  [ "$(grep -cE "^\[[0-9]+/[0-9]+\] (sd-txt2img|if) b$((t + 1)) eager  ok  " "$work/run1/fake/task-$t.out")" = 2 ] \
    || { echo "slurm CI: task $t did not measure shard $t/2" >&2; cat "$work/run1/fake/task-$t.out" >&2; exit 1; }
done
[ "$(report_state run1)" = JobState=COMPLETED ] && [ -s "$work/reports/index.md" ] \
  || { echo "slurm CI: the report job did not render ($(report_state run1))" >&2; cat "$work/run1/report.out" >&2; exit 1; }
status=$(slurm/status.sh "$work/run1")
echo "$status"
grep -q "card fake: 4 of 4 cells finished in the 2 of 2 shards started -> $csv" <<<"$status"

# a second submit finds nothing to do: each task says so, and the results file stays as it was
before=$(sha256sum < "$csv")
submit run2
for t in 0 1; do
  grep -q "shard $t/2: all 2 cells already measured in $csv, nothing to do" "$work/run2/fake/task-$t.out" \
    || { echo "slurm CI: task $t of the second submit did not find its cells measured" >&2; cat "$work/run2/fake/task-$t.out" >&2; exit 1; }
done
[ "$(sha256sum < "$csv")" = "$before" ] || { echo "slurm CI: the second submit changed $csv" >&2; exit 1; }
[ "$(report_state run2)" = JobState=COMPLETED ]
echo "slurm CI: a second submit found nothing to do; ok"
