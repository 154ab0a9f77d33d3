#!/usr/bin/env bash
# CI: the runnable harness jar that `mvn install` builds (jmh/target/benchmarks.jar, as JMH's archetype
# names it) runs two tiny CPU cells from outside Maven and outside the checkout; its forks find their
# class path through the jar's manifest. Also checks --version and JMH's gc profiler in the JSON.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$repo/jmh/target/benchmarks.jar"
[ -f "$jar" ] || { echo "runnable jar CI: $jar missing: run mvn install first" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$repo/pom.xml" | head -1)"
java -jar "$jar" --version | grep -q "^diffbench-harness $version" \
  || { echo "runnable jar CI: --version does not say $version: $(java -jar "$jar" --version)" >&2; exit 1; }

java -jar "$jar" --device=cpu --pipelines=sd-txt2img --batches=1,2 --modes=eager --steps=2 --warmups=0 \
    --measurements=1 --results="$work/cpu-smoke.csv" --prof=gc > "$work/run.log" 2>&1 \
  || { echo "runnable jar CI: the run failed" >&2; cat "$work/run.log" >&2; exit 1; }
rows=$(grep -c ',ok,' "$work/cpu-smoke.csv" || true)
[ "$rows" = 2 ] || { echo "runnable jar CI: want 2 ok rows, got $rows" >&2; cat "$work/run.log" >&2; exit 1; }
grep -q '"gc.alloc.rate"' "$work/cpu-smoke.jmh.json" \
  || { echo "runnable jar CI: --prof=gc left no GC figures in the JMH JSON" >&2; exit 1; }
grep -qE '^\[2/2\] sd-txt2img b2 eager  ok  ' "$work/run.log" \
  || { echo "runnable jar CI: no progress line for the second cell" >&2; cat "$work/run.log" >&2; exit 1; }
echo "runnable jar CI: java -jar jmh/target/benchmarks.jar ran 2 cells from $work, with the gc profiler's figures"
