#!/usr/bin/env bash
# The streams' load test (issue 10, "Bad input, faults, load"): CONNECTIONS concurrent TCP
# connections on loopback, each echoing MESSAGE_BYTES-byte messages for SECONDS, server and client
# each on one loop in a process of its own (10,000 connections are 20,000 descriptors). Prints the
# errors (must be 0), the messages per second and the heap before, half-way and after; exits
# non-zero on any error. Not part of .ci/run: it takes SECONDS plus the connecting.
#
#   benchmarks/echo-load.sh [CONNECTIONS [SECONDS [MESSAGE_BYTES]]]      # 10000 30 64
#
# Builds the runtime with its tests first unless WEFT_LOAD_NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."

connections="${1:-10000}"
seconds="${2:-30}"
size="${3:-64}"
port="${WEFT_LOAD_PORT:-18777}"

if [ "${WEFT_LOAD_NO_BUILD:-0}" != 1 ]; then
  mvn -q -B install -pl annotations,weaver,weaver-maven-plugin -DskipTests ${MAVEN_ARGS:-}
  mvn -q -B process-test-classes -pl runtime ${MAVEN_ARGS:-}
fi

# Each side holds one descriptor per connection, plus the JDK's.
need=$((connections + 1024))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
echo "== $connections connections, $seconds s, $size B messages, port $port, ulimit -n $(ulimit -n)"

cp="runtime/target/classes:runtime/target/test-classes"
heap="${WEFT_LOAD_HEAP:--Xmx1g}"
log="$(mktemp)"
java $heap -cp "$cp" dev.weft.runtime.streams.EchoLoad server "$port" $((seconds + 300)) >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; cat "$log"; rm -f "$log"' EXIT
# The server says when it listens.
for _ in $(seq 1 300); do
  if grep -q listening "$log"; then break; fi
  sleep 0.1
done
status=0
java $heap -cp "$cp" dev.weft.runtime.streams.EchoLoad client "$port" "$connections" "$seconds" "$size" || status=$?
# The server ends once its connections are gone.
wait "$server" || status=$?
trap - EXIT
cat "$log"
rm -f "$log"
exit "$status"
