#!/usr/bin/env bash
# Weft's files and subprocess comparison, in one sitting: builds benchmarks.jar with the Kotlin peer,
# makes the fixtures in a temporary folder under benchmarks/target/ (10,000 files of 4 KiB, one
# text file of 256 MiB in lines of 100 bytes), and runs the same rows on Weft's AsyncFiles, aiofiles
# on asyncio, plain blocking Java and kotlinx.coroutines' Dispatchers.IO:
#   read-small   10,000 files of 4 KiB: open, read whole, close; 64 at once (a gather of 64, batch
#                after batch) on the async peers, one after the other in blocking Java
#   write-small  the same, writing
#   read-lines   the 256 MiB file line by line          read-whole   the same, in one read
#   write-lines  256 MiB, one write per 100-byte line   write-whole  the same, in one write
#   spawn-seq    500 children `echo hi`, spawn + communicate, one after the other
#   spawn-16     the same, 16 at once
# then the mechanism question for read-small (default executor, virtual threads,
# AsynchronousFileChannel), and writes benchmarks/target/compare-files/files.md and, without
# --quick, docs/performance-files.md. Each JVM row also prints a ROUNDS line on stderr: the min,
# median and max rate of its rounds and the process's CPU time per unit, for before/after runs. The temporary folder is deleted at the end, and every run is
# bounded by `timeout`.
#
# Usage: benchmarks/compare-files.sh [--quick]
#   --quick  small sizes (1,000 small files, 16 MiB, 50 children, one round): checks that everything
#            works in about two minutes; only benchmarks/target/compare-files/files.md is written
# Needs: python3 with aiofiles (Debian: apt-get install python3-aiofiles; elsewhere:
# pip install aiofiles). Environment: WEFT_JDK (default /usr/lib/jvm/temurin-25-jdk-amd64) runs every
# JVM peer; MAVEN_ARGS, extra Maven arguments (such as -o or -Dmaven.repo.local=...);
# WEFT_FILES_TIMEOUT, the bound of each run in seconds (default 900); WEFT_FILES_WARMUP_SECONDS, the
# least warm-up of each JVM row in seconds (default 5).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/benchmarks"
OUT="$BENCH/target/compare-files"
JAR="$BENCH/target/benchmarks.jar"
RESULTS="$OUT/results.txt"
REPORT="$OUT/files.md"
DOC="$ROOT/docs/performance-files.md"
BIG_MIB=256
quick=0
for arg in "$@"; do
  case "$arg" in
    --quick)
      quick=1
      BIG_MIB=16
      export WEFT_FILES_SMALL=1000 WEFT_FILES_SPAWNS=50 WEFT_FILES_WARMUP=1 WEFT_FILES_WARMUP_SECONDS=0 WEFT_FILES_ROUNDS=1 \
             WEFT_FILES_AIOFILES_LINE_MIB=2 ;;
    *) echo "compare-files.sh: unknown option '$arg'; use --quick" >&2; exit 2 ;;
  esac
done
export WEFT_FILES_BATCH=${WEFT_FILES_BATCH:-64}
LIMIT=${WEFT_FILES_TIMEOUT:-900}

say() { printf '\n== %s\n' "$*" >&2; }

# The Debian package installs aiofiles for /usr/bin/python3, which may not be the first python3
# on the PATH (pyenv), so both are tried.
PYTHON=
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import aiofiles' 2>/dev/null; then
    PYTHON=$py
    break
  fi
done
if [[ -z "$PYTHON" ]]; then
  echo "compare-files.sh: aiofiles is missing: install it with 'apt-get install python3-aiofiles' (Debian, Ubuntu) or 'pip install aiofiles'" >&2
  exit 1
fi

JAVA="${WEFT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[[ -x "$JAVA" ]] || JAVA=java
JVM_OPTS=(-Xms1g -Xmx4g)

say "building the runtime, the weaver and benchmarks.jar with the Kotlin peer (-Ppeers)"
# shellcheck disable=SC2086
(cd "$ROOT" && mvn -q ${MAVEN_ARGS:-} -pl annotations,weaver,weaver-maven-plugin,runtime install -DskipTests -Dinvoker.skip=true)
# shellcheck disable=SC2086
(cd "$BENCH" && mvn -q ${MAVEN_ARGS:-} -Ppeers package -DskipTests)

mkdir -p "$OUT"
DIR=$(mktemp -d "$BENCH/target/files-sitting.XXXXXX")
trap 'rm -rf "$DIR"' EXIT

say "fixtures in $DIR"
timeout "$LIMIT" "$PYTHON" - "$DIR" "${WEFT_FILES_SMALL:-10000}" "$BIG_MIB" <<'PY'
import os, sys
d, n, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
line = "x" * 99 + "\n"
small = line * 40 + "y" * 96
os.makedirs(os.path.join(d, "small"))
for i in range(n):
    with open(os.path.join(d, "small", f"f{i:05d}.txt"), "w") as f:
        f.write(small)
with open(os.path.join(d, "big.txt"), "w") as f:
    f.write(line * (mib * 1024 * 1024 // 100))
PY

ROWS=(read-small write-small read-lines read-whole write-lines write-whole spawn-seq spawn-16)
{
  echo "META date $(date -u +%Y-%m-%d)"
  echo "META load average at start (1, 5, 15 min) $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "META machine $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr), $(df -T "$DIR" | awk 'NR==2 {print $2}') file system"
  echo "META JVM $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'), ${JVM_OPTS[*]}; kotlinx.coroutines $(sed -n 's:.*<kotlinx.coroutines.version>\(.*\)</kotlinx.coroutines.version>.*:\1:p' "$BENCH/pom.xml"); Python $("$PYTHON" -c 'import platform; print(platform.python_version())') with aiofiles $("$PYTHON" -c 'import importlib.metadata as m; print(m.version("aiofiles"))' 2>/dev/null || echo '?')"
  echo "META sizes ${WEFT_FILES_SMALL:-10000} files of 4 KiB, $WEFT_FILES_BATCH at once; $BIG_MIB MiB in lines of 100 bytes (aiofiles' line rows over the first ${WEFT_FILES_AIOFILES_LINE_MIB:-8} MiB); ${WEFT_FILES_SPAWNS:-500} children; median of ${WEFT_FILES_ROUNDS:-3} rounds after at least ${WEFT_FILES_WARMUP:-1} warm-up round and, on the JVM peers, at least ${WEFT_FILES_WARMUP_SECONDS:-5} s of warm-up (aiofiles' line rows: one round)"
} > "$RESULTS"

# Each row runs in a fresh process, so that what one row left to the JIT or on the heap does not
# move the next; the page cache is warm for every peer (the fixtures were just written). The
# peers take turns row by row, not peer by peer, so that a slow stretch of a shared machine lands
# on every peer's run of some row, not on all the rows of one peer.
run_row() {
  local name=$1 row=$2; shift 2
  timeout "$LIMIT" "$@" "$DIR" "$row" | tee -a "$RESULTS" || echo "compare-files.sh: $name $row failed or ran out of time" >&2
}
for row in "${ROWS[@]}"; do
  say "$row"
  run_row weft "$row" "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.files.WeftFilesPeer
  run_row blocking-java "$row" "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.files.BlockingFilesPeer
  run_row kotlinx-io "$row" "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.peers.KotlinFilesPeer
  run_row aiofiles "$row" "$PYTHON" "$BENCH/src/peers/python/aiofiles_peer.py"
done

say "mechanisms for read-small"
timeout "$LIMIT" "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" dev.weft.benchmarks.files.FileMechanisms "$DIR" | tee -a "$RESULTS"

echo "META load average at end (1, 5, 15 min) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS"

say "report"
notes="$BENCH/performance-files-notes.md"
[[ -f "$notes" ]] || notes=-
"$JAVA" -cp "$JAR" dev.weft.benchmarks.files.FilesReport "$RESULTS" "$notes" "$REPORT"
if ((!quick)); then
  cp "$REPORT" "$DOC"
  echo "compare-files.sh: wrote $DOC" >&2
fi
echo "compare-files.sh: wrote $REPORT" >&2
