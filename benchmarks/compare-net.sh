#!/usr/bin/env bash
# Weft's network sitting: every server peer in one sitting, on one core each in turn, loaded from
# the other core. HTTP/1.1 keep-alive plaintext ("Hello, World!", the same minimal parsing on every
# peer) under wrk, plain and 16-deep pipelined; TCP echo of 64 B and 16 KiB messages under our own
# client (NetLoad); 50 and 256 connections each; then 10,000 idle connections per server. Peers:
# Weft through streams and through a Protocol, Netty 4.2 NIO and epoll with a raw handler (and NIO
# with HttpServerCodec), asyncio and uvloop (streams and Protocol), JDK virtual threads on blocking
# sockets with one carrier. Ranked by work per second of the server's own CPU (utime + stime from
# /proc/PID/stat around each run), beside requests/s, p50 and p99; JVM servers also report bytes
# allocated per request (jcmd Thread.print -e, all threads). Writes
# benchmarks/target/compare-net/network.md with the raw results beside it, and a copy to
# docs/performance-network.md.
#
# Usage: benchmarks/compare-net.sh [--quick] [--profile]
#   --quick    2 s runs, 1 s warm-ups and 2,000 idle connections, to check that everything works
#              (about 8 minutes; the whole sitting takes about 25); docs/ is left alone
#   --profile  also record a JFR profile of each Weft server (1 ms sampling) under
#              benchmarks/target/compare-net/jfr/; the profiler moves the numbers, so docs/ is
#              left alone
# Needs: wrk (Debian: apt-get install wrk), taskset (util-linux), python3, a JDK 21 or newer
# (WEFT_JDK21PLUS, default /usr/lib/jvm/temurin-25-jdk-amd64) for every JVM in the sitting, and
# Maven; uvloop (Debian: apt-get install python3-uvloop) for the uvloop peers, which are left out
# without it. Two cores at least: the server runs on core 0, the load on core 1.
# Environment: MAVEN_ARGS, extra Maven arguments (for example -o, or -Dmaven.repo.local=...);
# WEFT_NET_SECONDS, WEFT_NET_WARMUP, WEFT_NET_IDLE to change the run length, warm-up and idle count;
# WEFT_NET_PEERS, a comma-separated list of peer names (weft-streams,netty-nio-raw,...) to run only
# those (docs/ is then left alone: it holds whole sittings only).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/benchmarks"
OUT="$BENCH/target/compare-net"
JAR="$BENCH/target/benchmarks.jar"
PYPEER="$BENCH/src/peers/python/net_peer.py"
PIPELINE="$BENCH/src/peers/wrk/pipeline.lua"
REPORT="$OUT/network.md"
DOCS_REPORT="$ROOT/docs/performance-network.md"

run_seconds=10
warmup_seconds=2
idle_connections=10000
quick=0
profile=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1; run_seconds=2; warmup_seconds=1; idle_connections=2000 ;;
    --profile) profile=1 ;;
    *) echo "compare-net.sh: unknown option '$arg'; use --quick or --profile" >&2; exit 2 ;;
  esac
done
run_seconds=${WEFT_NET_SECONDS:-$run_seconds}
warmup_seconds=${WEFT_NET_WARMUP:-$warmup_seconds}
idle_connections=${WEFT_NET_IDLE:-$idle_connections}

say() { printf '\n== %s\n' "$*" >&2; }
die() { echo "compare-net.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------- what the sitting needs

command -v wrk >/dev/null || die "wrk is missing: install it with 'apt-get install wrk' (Debian's package)"
command -v taskset >/dev/null || die "taskset is missing: install it with 'apt-get install util-linux'"
(( $(nproc) >= 2 )) || die "needs two cores (server on core 0, load on core 1); this machine has $(nproc)"
JDK="${WEFT_JDK21PLUS:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$JDK/bin/java" ]] || die "no JDK at '$JDK': set WEFT_JDK21PLUS to a JDK 21 or newer (virtual threads)"
JAVA="$JDK/bin/java"
JCMD="$JDK/bin/jcmd"
(( $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p') >= 21 )) \
  || die "'$JAVA' is older than Java 21: set WEFT_JDK21PLUS to a JDK 21 or newer (virtual threads)"

# The Debian package python3-uvloop installs for /usr/bin/python3, which may not be the first
# python3 on the PATH (pyenv). asyncio runs on the same interpreter as uvloop, so that the two
# differ by the loop only.
PYTHON=python3
have_uvloop=0
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import uvloop' 2>/dev/null; then
    PYTHON=$py
    have_uvloop=1
    break
  fi
done
if ((!have_uvloop)); then
  echo "compare-net.sh: uvloop is missing (install it with 'apt-get install python3-uvloop'): the uvloop peers are left out" >&2
fi

# 10,000 idle connections need as many descriptors in the server and in the client.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > idle_connections + 1000 )) || die "ulimit -n is $(ulimit -n): raise it above $((idle_connections + 1000))"

# Every process this script starts is ended when it ends, however it ends.
pids=()
cleanup() {
  local p
  for p in "${pids[@]+"${pids[@]}"}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]+"${pids[@]}"}"; do
    wait "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building the runtime, the weaver and benchmarks.jar with the Netty peers (-Ppeers)"
# shellcheck disable=SC2086
(cd "$ROOT" && mvn -q ${MAVEN_ARGS:-} -pl annotations,weaver,weaver-maven-plugin,runtime install -DskipTests -Dinvoker.skip=true)
# shellcheck disable=SC2086
(cd "$BENCH" && mvn -q ${MAVEN_ARGS:-} -Ppeers package -DskipTests)

rm -rf "$OUT"
mkdir -p "$OUT/logs"
RESULTS="$OUT/results.tsv"
IDLE="$OUT/idle.tsv"
META="$OUT/meta.txt"
printf 'workload\tcase\tconnections\tpeer\tcount\tseconds\trate\tp50_us\tp99_us\tserver_cpu_s\tper_server_cpu_s\talloc_bytes_per_op\tnote\n' > "$RESULTS"
printf 'peer\tconnections\taccepted\trss_before_kib\trss_after_kib\theap_before_kib\theap_after_kib\tbytes_per_connection\tnote\n' > "$IDLE"

# Every JVM peer runs with the same options. On the one core that taskset gives it, the JVM's
# ergonomics pick the Serial collector anyway; it is named so that nobody has to know that.
JVM_OPTS=(-Xms1g -Xmx1g -XX:+UseSerialGC)
# Netty's leak detector samples buffers by default; its own benchmarks turn it off, and so do we,
# to measure against Netty at its fastest.
NETTY_OPTS=(-Dio.netty.leakDetection.level=disabled)
VT_OPTS=(-Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1)
CLIENT=("$JAVA" -Xms512m -Xmx512m -XX:+UseSerialGC -cp "$JAR" dev.weft.benchmarks.net.NetLoad)
CLK_TCK=$(getconf CLK_TCK)

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "load average at start (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "JVM: $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'), ${JVM_OPTS[*]} for every JVM server; Netty with ${NETTY_OPTS[*]}; virtual threads with ${VT_OPTS[*]}"
  echo "Netty: $(sed -n 's:.*<netty.version>\(.*\)</netty.version>.*:\1:p' "$BENCH/pom.xml")"
  echo "Python: $("$PYTHON" -c 'import platform; print(platform.python_version())') ($PYTHON) for asyncio and uvloop; uvloop $( ((have_uvloop)) && "$PYTHON" -c 'import uvloop; print(uvloop.__version__)' || echo 'not installed')"
  echo "wrk: $(wrk -v 2>&1 | head -1 | awk '{print $2}'), one thread"
  echo "runs: ${run_seconds} s measured after ${warmup_seconds} s of the same load (and, outside --quick, 8 s of warm-up for each server first); server on core 0, load on core 1; ${idle_connections} idle connections"
} > "$META"

# ---------------------------------------------------------------- helpers

SERVER_PID=
# start_server NAME PORT COMMAND...: starts the server on core 0 and waits until it listens.
start_server() {
  local name=$1 port=$2; shift 2
  local log="$OUT/logs/$name.log"
  taskset -c 0 "$@" > "$log" 2>&1 &
  SERVER_PID=$!
  pids+=("$SERVER_PID")
  local i
  for ((i = 0; i < 300; i++)); do
    if [[ -f $log ]] && grep -q '^READY' "$log"; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "compare-net.sh: $name did not start; its log ($log):" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "compare-net.sh: $name did not listen on port $port within 30 s" >&2
  return 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# The server's CPU time so far, in clock ticks (utime + stime; the fields after "pid (comm)").
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# Bytes allocated so far by all of a JVM's threads, from jcmd Thread.print -e ("allocated=12K").
alloc_bytes() {
  "$JCMD" "$1" Thread.print -e 2>/dev/null | grep -o 'allocated=[0-9]*[BKMG]' | awk -F= '
    { v = $2; u = substr(v, length(v)); n = substr(v, 1, length(v) - 1) + 0
      if (u == "K") n *= 1024; else if (u == "M") n *= 1048576; else if (u == "G") n *= 1073741824
      s += n }
    END { printf "%.0f", s }'
}

# wrk's time ("812.00us", "1.23ms", "2.01s") in microseconds.
to_us() { awk -v t="$1" 'BEGIN {
  if (t ~ /us$/) v = substr(t, 1, length(t) - 2)
  else if (t ~ /ms$/) v = substr(t, 1, length(t) - 2) * 1000
  else if (t ~ /s$/) v = substr(t, 1, length(t) - 1) * 1000000
  else if (t ~ /m$/) v = substr(t, 1, length(t) - 1) * 60000000
  else v = -1
  printf "%.0f", v }'; }

# load_http PORT CONNECTIONS PIPELINED(0/1) SECONDS OUTFILE
load_http() {
  local script=()
  if [[ $3 == 1 ]]; then
    script=(-s "$PIPELINE")
  fi
  taskset -c 1 timeout $(($4 + 30)) wrk -t1 -c"$2" -d"$4"s --timeout 5s --latency ${script[@]+"${script[@]}"} \
    "http://127.0.0.1:$1/" > "$5" 2>&1 || true
}

# load_echo PORT CONNECTIONS SIZE SECONDS OUTFILE
load_echo() {
  taskset -c 1 timeout $(($4 + 30)) "${CLIENT[@]}" echo "$1" "$2" "$3" "$4" > "$5" 2>&1 || true
}

# measure WORKLOAD CASE CONNECTIONS PEER JVM(0/1) LOADER ARGS...: a warm-up, then the measured run.
measure() {
  local workload=$1 case=$2 conns=$3 peer=$4 jvm=$5 loader=$6; shift 6
  local out="$OUT/logs/$peer-$workload-$case-$conns.txt"
  "$loader" "$@" "$warmup_seconds" "$out.warmup"
  local a0=- a1=- c0 c1
  ((jvm)) && a0=$(alloc_bytes "$SERVER_PID")
  c0=$(cpu_ticks "$SERVER_PID")
  "$loader" "$@" "$run_seconds" "$out"
  c1=$(cpu_ticks "$SERVER_PID")
  ((jvm)) && a1=$(alloc_bytes "$SERVER_PID")
  local count seconds rate p50 p99 note=""
  if [[ $loader == load_http ]]; then
    count=$(sed -n 's/^ *\([0-9]*\) requests in \([0-9.]*\)\(m\?s\).*/\1/p' "$out")
    seconds=$(sed -n 's/^ *[0-9]* requests in \([0-9.]*\)\(m\?s\).*/\1 \2/p' "$out" | awk '{print ($2 == "ms") ? $1 / 1000 : $1}')
    rate=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$out")
    p50=$(to_us "$(awk '$1 == "50%" {print $2}' "$out")")
    p99=$(to_us "$(awk '$1 == "99%" {print $2}' "$out")")
    note=$(grep -E 'Socket errors|Non-2xx' "$out" | tr -s ' ' | tr '\n' ' ' || true)
  else
    local line
    line=$(grep '^RESULT' "$out" || true)
    count=$(sed -n 's/.*messages=\([0-9]*\).*/\1/p' <<< "$line")
    seconds=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<< "$line")
    rate=$(sed -n 's/.* rate=\([0-9]*\).*/\1/p' <<< "$line")
    p50=$(sed -n 's/.*p50_us=\([0-9-]*\).*/\1/p' <<< "$line")
    p99=$(sed -n 's/.*p99_us=\([0-9-]*\).*/\1/p' <<< "$line")
    [[ -n $line ]] || note="the client failed: $(tail -1 "$out")"
  fi
  if [[ -z $count ]]; then
    count=0 seconds=0 rate=0 p50=-1 p99=-1
    [[ -n $note ]] || note="the load failed: $(tail -1 "$out")"
  fi
  local cpu per alloc=-
  cpu=$(awk -v a="$c0" -v b="$c1" -v t="$CLK_TCK" 'BEGIN {printf "%.2f", (b - a) / t}')
  per=$(awk -v n="$count" -v c="$cpu" 'BEGIN {printf "%.0f", (c > 0) ? n / c : 0}')
  if ((jvm)) && [[ -n $a0 && -n $a1 ]] && ((count > 0)); then
    alloc=$(awk -v a="$a0" -v b="$a1" -v n="$count" 'BEGIN {printf "%.0f", (b - a) / n}')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$workload" "$case" "$conns" "$peer" "$count" \
    "$seconds" "$rate" "$p50" "$p99" "$cpu" "$per" "$alloc" "$note" | tee -a "$RESULTS" >&2
}

# ---------------------------------------------------------------- the peers

# name | JVM (1) or not | the server command, with WORKLOAD and PORT to fill in
declare -a PEERS=(
  "weft-streams|1|java WeftNetServer WORKLOAD streams PORT"
  "weft-protocol|1|java WeftNetServer WORKLOAD protocol PORT"
  "netty-nio-raw|1|netty nio RAW PORT"
  "netty-epoll-raw|1|netty epoll RAW PORT"
  "netty-nio-codec|1|netty nio codec-http PORT"
  "virtual-threads|1|vt WORKLOAD PORT"
  "asyncio-streams|0|py WORKLOAD streams PORT"
  "asyncio-protocol|0|py WORKLOAD protocol PORT"
)
if ((have_uvloop)); then
  PEERS+=("uvloop-streams|0|py WORKLOAD streams PORT --uvloop" "uvloop-protocol|0|py WORKLOAD protocol PORT --uvloop")
fi

# server_command NAME WORKLOAD PORT [idle]: the command line of a peer's server, into CMD. For the
# idle connections a JVM's heap is made resident at start (-XX:+AlwaysPreTouch), so that the growth
# of its resident memory is the native part; the client adds the live heap's growth.
server_command() {
  local name=$1 workload=$2 port=$3 idle=${4:-} spec
  local entry
  for entry in "${PEERS[@]}"; do
    [[ ${entry%%|*} == "$name" ]] && spec=${entry##*|}
  done
  local raw=raw-http
  [[ $workload == echo ]] && raw=echo
  spec=${spec//WORKLOAD/$workload}
  spec=${spec//PORT/$port}
  spec=${spec//RAW/$raw}
  read -r -a words <<< "$spec"
  local kind=${words[0]}
  local rest=("${words[@]:1}")
  local extra=()
  [[ $idle == idle ]] && extra=(-XX:+AlwaysPreTouch)
  if ((profile)) && [[ $name == weft-* ]]; then
    mkdir -p "$OUT/jfr"
    "$JDK/bin/jfr" configure --input profile jdk.ExecutionSample#period=1ms --output "$OUT/jfr/fast.jfc" >/dev/null 2>&1 || true
    extra+=("-XX:StartFlightRecording=filename=$OUT/jfr/$name-$workload.jfr,settings=$OUT/jfr/fast.jfc")
  fi
  case "$kind" in
    java) CMD=("$JAVA" "${JVM_OPTS[@]}" ${extra[@]+"${extra[@]}"} -cp "$JAR" "dev.weft.benchmarks.net.${rest[0]}" "${rest[@]:1}") ;;
    netty) CMD=("$JAVA" "${JVM_OPTS[@]}" ${extra[@]+"${extra[@]}"} "${NETTY_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.peers.NettyNetServer "${rest[@]}") ;;
    vt) CMD=("$JAVA" "${JVM_OPTS[@]}" ${extra[@]+"${extra[@]}"} "${VT_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.net.VirtualThreadNetServer "${rest[@]}") ;;
    py) CMD=("$PYTHON" "$PYPEER" "${rest[@]}") ;;
  esac
}

peer_names() {
  local e
  for e in "${PEERS[@]}"; do
    if [[ -z ${WEFT_NET_PEERS:-} || ,$WEFT_NET_PEERS, == *,"${e%%|*}",* ]]; then
      echo "${e%%|*}"
    fi
  done
}
peer_jvm() {
  local e
  for e in "${PEERS[@]}"; do
    if [[ ${e%%|*} == "$1" ]]; then
      e=${e#*|}
      echo "${e%%|*}"
    fi
  done
}

port=18100
# The epoll transport needs its native library (linux-x86_64, and others that netty-all ships).
have_epoll=1
server_command netty-epoll-raw echo "$port"
if ! start_server epoll-check "$port" "${CMD[@]}"; then
  echo "compare-net.sh: Netty's epoll transport does not load here: the epoll peer is left out" >&2
  have_epoll=0
fi
stop_server

for peer in $(peer_names); do
  [[ $peer == netty-epoll-* ]] && ((!have_epoll)) && continue
  jvm=$(peer_jvm "$peer")
  for workload in http echo; do
    [[ $peer == netty-nio-codec && $workload == echo ]] && continue
    port=$((port + 1))
    say "$peer, $workload"
    server_command "$peer" "$workload" "$port"
    start_server "$peer-$workload" "$port" "${CMD[@]}" || continue
    # A JVM server's first seconds of load are spent compiling, on the server's own core: each
    # server first gets a longer warm-up of every kind of its loads, unmeasured.
    if ((!quick)); then
      if [[ $workload == http ]]; then
        load_http "$port" 50 1 4 "$OUT/logs/$peer-http-first-warmup.txt"
        load_http "$port" 50 0 4 "$OUT/logs/$peer-http-first-warmup.txt"
      else
        load_echo "$port" 50 64 4 "$OUT/logs/$peer-echo-first-warmup.txt"
        load_echo "$port" 50 16384 4 "$OUT/logs/$peer-echo-first-warmup.txt"
      fi
    fi
    for conns in 50 256; do
      if [[ $workload == http ]]; then
        measure http plain "$conns" "$peer" "$jvm" load_http "$port" "$conns" 0
        measure http pipelined-16 "$conns" "$peer" "$jvm" load_http "$port" "$conns" 1
      else
        measure echo 64B "$conns" "$peer" "$jvm" load_echo "$port" "$conns" 64
        measure echo 16KiB "$conns" "$peer" "$jvm" load_echo "$port" "$conns" 16384
      fi
    done
    stop_server
  done
done

say "idle connections: $idle_connections per server"
for peer in $(peer_names); do
  [[ $peer == netty-epoll-* ]] && ((!have_epoll)) && continue
  port=$((port + 1))
  server_command "$peer" http "$port" idle
  start_server "$peer-idle" "$port" "${CMD[@]}" || continue
  sleep 1
  jcmd_arg=()
  [[ $(peer_jvm "$peer") == 1 ]] && jcmd_arg=("$JCMD")
  line=$(taskset -c 1 timeout 180 "${CLIENT[@]}" idle "$port" "$idle_connections" "$SERVER_PID" ${jcmd_arg[@]+"${jcmd_arg[@]}"} \
    2>&1 | tee "$OUT/logs/$peer-idle.txt" | grep '^RESULT' || true)
  stop_server
  if [[ -z $line ]]; then
    printf '%s\t%s\t-\t-\t-\t-\t-\t-\tthe idle client failed\n' "$peer" "$idle_connections" | tee -a "$IDLE" >&2
    continue
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$idle_connections" \
    "$(sed -n 's/.*accepted=\([0-9-]*\).*/\1/p' <<< "$line")" \
    "$(sed -n 's/.*rss_before_kib=\([0-9]*\).*/\1/p' <<< "$line")" \
    "$(sed -n 's/.*rss_after_kib=\([0-9]*\).*/\1/p' <<< "$line")" \
    "$(sed -n 's/.*heap_before_kib=\([0-9-]*\).*/\1/p' <<< "$line")" \
    "$(sed -n 's/.*heap_after_kib=\([0-9-]*\).*/\1/p' <<< "$line")" \
    "$(sed -n 's/.*bytes_per_connection=\([0-9-]*\).*/\1/p' <<< "$line")" \
    "$(sed -n 's/.*bytes_per_connection=[0-9-]* *//p' <<< "$line")" | tee -a "$IDLE" >&2
done

echo "load average at end (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)" >> "$META"
[[ -n ${WEFT_NET_PEERS:-} ]] && echo "peers: only $WEFT_NET_PEERS (WEFT_NET_PEERS)" >> "$META"
((quick)) && echo "quick run: yes (--quick), smoke numbers only" >> "$META"
((profile)) && echo "profiled: the Weft servers ran under JFR (--profile); their numbers carry the profiler's cost" >> "$META"

say "report"
notes="$BENCH/performance-network-notes.md"
[[ -f "$notes" ]] || notes=-
"$JAVA" -cp "$JAR" dev.weft.benchmarks.report.NetReport "$META" "$RESULTS" "$IDLE" "$notes" "$REPORT"
if ((!quick && !profile)) && [[ -z ${WEFT_NET_PEERS:-} ]]; then
  cp "$REPORT" "$DOCS_REPORT"
  echo "compare-net.sh: wrote $REPORT and $DOCS_REPORT" >&2
else
  echo "compare-net.sh: wrote $REPORT" >&2
fi
