#!/bin/bash
# Runs the legacy-style server and client against each other on loopback.
#   exchange.sh [--show] SERVER CLIENT OUTDIR [COUNT [INTERVAL_MS [CLIENT_ARGS...]]]
# The server listens on an ephemeral port; the client sends COUNT messages.
# Leaves OUTDIR/{server,client}.{out,err,status}; with --show prints both
# sides' output. Exits 0 when both programs exited 0. Bounded: 60 s at most
# (120 s under a WRAP). WRAP="valgrind ..." runs both programs under it.
set -u
show=0
if [ "${1:-}" = --show ]; then show=1; shift; fi
server=$1 client=$2 dir=$3 count=${4:-3} interval=${5:-100}
shift 3; shift $(( $# < 2 ? $# : 2 ))
mkdir -p "$dir"
rm -f "$dir"/*
limit=60
[ -n "${WRAP:-}" ] && limit=120

timeout $limit ${WRAP:-} "$server" -p 0 -w "$dir/port" -r 50 >"$dir/server.out" 2>"$dir/server.err" &
spid=$!
for _ in $(seq 1 $((limit * 50))); do
	[ -s "$dir/port" ] && break
	kill -0 "$spid" 2>/dev/null || break
	sleep 0.01
done
if [ ! -s "$dir/port" ]; then
	echo "exchange: the server did not start listening" >&2
	cat "$dir/server.err" >&2
	kill "$spid" 2>/dev/null; wait "$spid"
	exit 1
fi
port=$(cat "$dir/port")
timeout $limit ${WRAP:-} "$client" -p "$port" -n "$count" -i "$interval" "$@" >"$dir/client.out" 2>"$dir/client.err"
echo $? >"$dir/client.status"
wait "$spid"
echo $? >"$dir/server.status"

if [ $show = 1 ]; then
	echo "==== server (port $port), exit $(cat "$dir/server.status") ===="
	tr -d '\r' <"$dir/server.out"
	echo "==== client, exit $(cat "$dir/client.status") ===="
	tr -d '\r' <"$dir/client.out"
fi
[ "$(cat "$dir/client.status")" = 0 ] && [ "$(cat "$dir/server.status")" = 0 ]
