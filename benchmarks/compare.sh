#!/usr/bin/env bash
# Weft's side-by-side comparison, in one sitting: builds what it needs, runs the same workloads
# (spawn, TaskGroup spawn + join, a semaphore-limited fan-out, ping-pong, chain of 1,000 nested
# awaits, an async generator handing 1,000,000 values to its consumer, one million 2 s sleepers)
# on Weft, JDK virtual threads, hand-written CompletableFuture chains, kotlinx.coroutines and
# Python's asyncio (and uvloop when installed), runs the JMH suite with the GC profiler, then
# writes docs/performance.md and docs/performance.png. The
# CompletableFuture peer has no task group or semaphore, so it runs the other four only; nor do it
# and virtual threads have a generator. Kotlin's generator peers are kotlinx's flow {} + collect and
# the standard library's synchronous sequence {} (reported as the peer kotlin-sequence).
#
# Usage: benchmarks/compare.sh [--long] [--quick] [--no-jmh]
#   --long    JMH with 3 forks, 5 warm-up and 10 measured iterations, 15 measured rounds for the peers
#   --quick   small sizes and a short JMH run, to check that everything works (about a minute);
#             the report is then written under benchmarks/target/compare/ instead of docs/
#   --no-jmh  skip the JMH suite (the report keeps no JMH table)
# Environment: WEFT_JDK21PLUS, a JDK 21 or newer for the virtual-threads peer and every JVM run
# (default /usr/lib/jvm/temurin-25-jdk-amd64; without one, the JVM runs use `java` and virtual
# threads are left out). MAVEN_ARGS, extra Maven arguments (for example -o once all is downloaded).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/benchmarks"
OUT="$BENCH/target/compare"
JAR="$BENCH/target/benchmarks.jar"
RESULTS="$OUT/results.txt"
JMH_CSV="$OUT/jmh.csv"
REPORT_MD="$ROOT/docs/performance.md"
REPORT_PNG="$ROOT/docs/performance.png"

jmh_args=()
run_jmh=1
for arg in "$@"; do
  case "$arg" in
    --long)
      jmh_args=(-f 3 -wi 5 -i 10)
      export WEFT_WARMUP_ROUNDS=5 WEFT_ROUNDS=15 ;;
    --quick)
      jmh_args=(-f 1 -wi 1 -i 1 -w 300ms -r 300ms)
      export WEFT_SPAWN_TASKS=10000 WEFT_TASKGROUP_TASKS=10000 WEFT_SEMAPHORE_REPEATS=5 WEFT_PINGPONG_HOPS=10000 WEFT_CHAIN_REPEATS=50 WEFT_GENERATOR_VALUES=100000 \
             WEFT_SLEEPERS=50000 WEFT_SLEEP_SECONDS=0.5 WEFT_WARMUP_ROUNDS=1 WEFT_WARMUP_SECONDS=0 WEFT_ROUNDS=1
      REPORT_MD="$OUT/performance.md"
      REPORT_PNG="$OUT/performance.png" ;;
    --no-jmh) run_jmh=0 ;;
    *) echo "compare.sh: unknown option '$arg'; use --long, --quick or --no-jmh" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*" >&2; }

say "building the runtime, the weaver and benchmarks.jar with the Kotlin peer (-Ppeers)"
# shellcheck disable=SC2086
(cd "$ROOT" && mvn -q ${MAVEN_ARGS:-} -pl annotations,weaver,weaver-maven-plugin,runtime install -DskipTests -Dinvoker.skip=true)
# shellcheck disable=SC2086
(cd "$BENCH" && mvn -q ${MAVEN_ARGS:-} -Ppeers package)

JDK21="${WEFT_JDK21PLUS:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [[ -x "$JDK21/bin/java" ]] && (( $(java_major "$JDK21/bin/java") >= 21 )); then
  JAVA="$JDK21/bin/java"
  have_vt=1
else
  JAVA=java
  have_vt=0
  echo "compare.sh: no JDK 21 or newer at '$JDK21' (set WEFT_JDK21PLUS): the virtual-threads peer is left out" >&2
fi
JVM_OPTS=(-Xms1g -Xmx4g)
# StructuredTaskScope, the virtual threads' task group, is a preview API up to JDK 25 at least.
VT_OPTS=()
if ((have_vt)) && "$JAVA" --enable-preview -version >/dev/null 2>&1; then
  VT_OPTS=(--enable-preview)
fi

# The Debian package python3-uvloop installs for /usr/bin/python3, which may not be the first
# python3 on the PATH (pyenv), so both are tried.
UVLOOP_PYTHON=
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import uvloop' 2>/dev/null; then
    UVLOOP_PYTHON=$py
    break
  fi
done
if [[ -z "$UVLOOP_PYTHON" ]]; then
  echo "compare.sh: uvloop is missing (Debian package python3-uvloop): the uvloop peer is left out" >&2
fi

mkdir -p "$OUT"
: > "$RESULTS"
{
  echo "META date $(date -u +%Y-%m-%d)"
  echo "META load average at start (1, 5, 15 min) $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "META machine $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "META JVM $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.vm.vendor = //p') $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'), ${JVM_OPTS[*]}, for every Java and Kotlin peer and for JMH"
  echo "META kotlinx.coroutines $(sed -n 's:.*<kotlinx.coroutines.version>\(.*\)</kotlinx.coroutines.version>.*:\1:p' "$BENCH/pom.xml") on Kotlin $(sed -n 's:.*<kotlin.version>\(.*\)</kotlin.version>.*:\1:p' "$BENCH/pom.xml")"
  echo "META Python asyncio: $(python3 -c 'import platform; print(platform.python_version())'); uvloop: $([[ -n "$UVLOOP_PYTHON" ]] && "$UVLOOP_PYTHON" -c 'import platform, uvloop; print("uvloop", uvloop.__version__, "on Python", platform.python_version())' || echo 'not installed')"
  echo "META sizes spawn ${WEFT_SPAWN_TASKS:-100000} tasks; task group ${WEFT_TASKGROUP_TASKS:-100000} tasks; semaphore fan-out ${WEFT_SEMAPHORE_TASKS:-1000} tasks on 10 permits x ${WEFT_SEMAPHORE_REPEATS:-100}; ping-pong ${WEFT_PINGPONG_HOPS:-100000} hops; chain depth ${WEFT_CHAIN_DEPTH:-1000} x ${WEFT_CHAIN_REPEATS:-1000}; generator ${WEFT_GENERATOR_VALUES:-1000000} values; sleepers ${WEFT_SLEEPERS:-1000000} x ${WEFT_SLEEP_SECONDS:-2} s; median of ${WEFT_ROUNDS:-9} rounds after ${WEFT_WARMUP_ROUNDS:-5} (Python: ${WEFT_WARMUP_ROUNDS:-3}) warm-up rounds, JVM peers warming up for at least ${WEFT_WARMUP_SECONDS:-2} s"
} >> "$RESULTS"

# Each workload runs in a fresh process, as JMH forks: what one workload taught the JIT (type
# profiles at the loop's call sites) or left on the heap does not move the next one's number.
ALL_WORKLOADS="spawn taskgroup semaphore pingpong chain generator sleepers"
NO_GENERATOR="spawn taskgroup semaphore pingpong chain sleepers"
peer() {
  local name=$1 workloads=$2; shift 2
  say "$name"
  for workload in $workloads; do
    "$@" "$workload" | tee -a "$RESULTS"
  done
}

peer weft "$ALL_WORKLOADS" "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.weft.WeftPeer
peer completable-future "spawn pingpong chain sleepers" "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.compare.CompletableFuturePeer
if ((have_vt)); then
  peer virtual-threads "$NO_GENERATOR" "$JAVA" "${JVM_OPTS[@]}" ${VT_OPTS[@]+"${VT_OPTS[@]}"} -cp "$JAR" dev.weft.benchmarks.compare.VirtualThreadPeer
fi
peer kotlinx-coroutines "$ALL_WORKLOADS" "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.peers.KotlinPeer
peer kotlin-sequence "generator-sequence" "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.peers.KotlinPeer
peer asyncio "$ALL_WORKLOADS" python3 "$BENCH/src/peers/python/asyncio_peer.py"
if [[ -n "$UVLOOP_PYTHON" ]]; then
  peer uvloop "$ALL_WORKLOADS" "$UVLOOP_PYTHON" "$BENCH/src/peers/python/asyncio_peer.py" --uvloop
fi

jmh_csv=-
if ((run_jmh)); then
  say "JMH suite with the GC profiler"
  "$JAVA" -jar "$JAR" -prof gc -rf csv -rff "$JMH_CSV" ${jmh_args[@]+"${jmh_args[@]}"} | tee "$OUT/jmh.txt"
  jmh_csv="$JMH_CSV"
fi

# Other work on the machine moves every number: the report shows how busy it was.
echo "META load average at end (1, 5, 15 min) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS"

say "report"
notes="$BENCH/performance-notes.md"
[[ -f "$notes" ]] || notes=-
"$JAVA" -cp "$JAR" dev.weft.benchmarks.report.ReportWriter "$RESULTS" "$jmh_csv" "$notes" "$REPORT_MD" "$REPORT_PNG"
