#!/bin/bash
# Soak: the relinked legacy server and client exchange COUNT numbered
# messages; none may be lost, duplicated or altered. Then a client killed
# mid-stream: the server must exit cleanly with no descriptor left open.
#   test_soak.sh SERVER CLIENT OUTDIR [COUNT]
set -u
server=$1 client=$2 dir=$3 count=${4:-10000}
here=$(dirname "$0")
. "$(dirname "$0")/../lib/report.sh"

start=$(date +%s.%N)
if "$here/exchange.sh" "$server" "$client" "$dir/soak" "$count" 0 -s; then ok; else bad "exchange of $count messages failed"; cat "$dir"/soak/*.err >&2; fi
end=$(date +%s.%N)
# The server saw exactly "hello World 1" .. "hello World COUNT", in order,
# and numbered its lines from 1 (each counter incremented before its line).
lines() { tr -d '\r' <"$1" | grep -E "$2" | md5sum; }
got=$(lines "$dir/soak/server.out" '^\[[0-9]+\] recv data : ')
want=$(for ((i = 1; i <= count; i++)); do echo "[$i] recv data : hello World $i"; done | md5sum)
if [ "$got" = "$want" ]; then ok; else bad "the server did not receive messages 1..$count exactly once each, in order, as [1]..[$count]"; fi
got=$(lines "$dir/soak/server.out" '^\[[0-9]+\] send data : ')
want=$(for ((i = 1; i <= count; i++)); do echo "[$i] send data : Im server"; done | md5sum)
if [ "$got" = "$want" ]; then ok; else bad "the server did not send $count replies numbered [1]..[$count]"; fi
# The client numbered what it sent and received from 0 (printed, then incremented).
got=$(lines "$dir/soak/client.out" '^\[[0-9]+\] Im server$')
want=$(for ((i = 0; i < count; i++)); do echo "[$i] Im server"; done | md5sum)
if [ "$got" = "$want" ]; then ok; else bad "the client did not get $count replies numbered [0]..[$((count - 1))]"; fi
got=$(lines "$dir/soak/client.out" '^\[[0-9]+\] hello World [0-9]+$')
want=$(for ((i = 0; i < count; i++)); do echo "[$i] hello World $((i + 1))"; done | md5sum)
if [ "$got" = "$want" ]; then ok; else bad "the client did not send messages 1..$count numbered [0]..[$((count - 1))]"; fi
fds_start=$(sed -n 's/^server: \([0-9]*\) descriptors open at start$/\1/p' "$dir/soak/server.err")
fds_exit=$(sed -n 's/^server: \([0-9]*\) descriptors open at exit$/\1/p' "$dir/soak/server.err")
if [ -n "$fds_start" ] && [ "$fds_start" = "$fds_exit" ]; then ok; else bad "server descriptors: $fds_start at start, $fds_exit at exit"; fi
echo "soak: $count messages in $(echo "$end - $start" | awk '{ printf "%.2f", $1 - $3 }') s, server descriptors $fds_start at start, $fds_exit at exit"

# A client killed mid-stream.
k=$dir/kill
mkdir -p "$k"; rm -f "$k"/*
timeout 60 "$server" -p 0 -w "$k/port" -r 50 >"$k/server.out" 2>"$k/server.err" &
spid=$!
for _ in $(seq 1 500); do [ -s "$k/port" ] && break; sleep 0.01; done
# No timeout wrapper: $! must be the client itself, which this script kills.
"$client" -p "$(cat "$k/port")" -n 0 -i 1 -s >"$k/client.out" 2>"$k/client.err" &
cpid=$!
for _ in $(seq 1 500); do [ "$(grep -c 'recv data' "$k/server.out" 2>/dev/null)" -ge 50 ] && break; sleep 0.01; done
kill -9 "$cpid"
wait "$cpid" 2>/dev/null
wait "$spid"
status=$?
received=$(grep -c 'recv data' "$k/server.out")
if [ "$status" = 0 ]; then ok; else bad "server exit status $status after its client was killed"; fi
fds_start=$(sed -n 's/^server: \([0-9]*\) descriptors open at start$/\1/p' "$k/server.err")
fds_exit=$(sed -n 's/^server: \([0-9]*\) descriptors open at exit$/\1/p' "$k/server.err")
if [ -n "$fds_start" ] && [ "$fds_start" = "$fds_exit" ]; then ok; else bad "killed client: server descriptors $fds_start at start, $fds_exit at exit"; fi
echo "soak: client killed after $received messages; server exit $status, descriptors $fds_start at start, $fds_exit at exit"

summary test_soak
