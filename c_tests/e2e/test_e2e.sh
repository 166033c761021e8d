#!/bin/bash
# End to end: the legacy-style server and client, relinked against sockctl,
# exchange messages over loopback; every line of both sides is checked byte
# for byte (the client's descriptor number is read from its own output, and
# the logger thread's start line may come anywhere after the first line, as
# in the original, where two threads print).
#   test_e2e.sh SERVER CLIENT OUTDIR [SERVER_REF CLIENT_REF]
# With the programs built against the C reference of the originals, the
# same exchange runs with them too, and both builds' output must be
# identical but for descriptor numbers and the (ephemeral) port.
set -u
server=$1 client=$2 dir=$3 server_ref=${4:-} client_ref=${5:-}
here=$(dirname "$0")
. "$(dirname "$0")/../lib/report.sh"

run_case() { # count interval
	local count=$1 interval=$2 port fd i
	if ! "$here/exchange.sh" "$server" "$client" "$dir" "$count" "$interval"; then
		bad "exchange of $count messages did not exit 0 on both sides"
		cat "$dir"/*.err >&2
		return
	fi
	ok
	port=$(cat "$dir/port")

	# Server: fully deterministic. Message counters, as in the original:
	# the server's count from 1 (incremented before printing), the
	# client's from 0 (printed, then incremented).
	{
		printf 'This is a server Proccesor\r\n'
		printf 'client connection is success!\r\n'
		for ((i = 0; i < count; i++)); do
			printf '[%d] recv data : hello World\r\n' $((i + 1))
			printf '[%d] send data : Im server\n\r\n' $((i + 1))
		done
	} >"$dir/server.want"
	if cmp -s "$dir/server.out" "$dir/server.want"; then ok; else
		bad "server output differs ($count messages)"; diff <(cat -A "$dir/server.want") <(cat -A "$dir/server.out") >&2
	fi

	# Client: the logger's start line exactly once, after the first line.
	local logger=$'Thread Start - loggerRunnerable\r'
	if [ "$(grep -c -x -F "$logger" "$dir/client.out")" = 1 ] && [ "$(head -n 1 "$dir/client.out")" != "$logger" ]; then
		ok
	else
		bad "client: logger start line not exactly once after the first line"
	fi
	fd=$(sed -n 's/^socket create \([0-9]*\)\r$/\1/p' "$dir/client.out")
	{
		printf 'Async Non Blocking Socket Proccess\r\n'
		printf 'Client Socket connect OK Server Socket[%s] IP[127.0.0.1, %d] \n' "$fd" $(( ((port & 255) << 8) | (port >> 8) ))
		printf 'socket create %s\r\n' "$fd"
		printf 'Thread Start - hostRxTxQueProcRunnerable\r\n'
		for ((i = 0; i < count; i++)); do
			printf '[%d] hello World\r\n' "$i"
			printf '[%d] Im server\n\r\n' "$i"
		done
	} >"$dir/client.want"
	if [ -n "$fd" ] && cmp -s <(grep -v -x -F "$logger" "$dir/client.out") "$dir/client.want"; then ok; else
		bad "client output differs ($count messages)"
		diff <(cat -A "$dir/client.want") <(grep -v -x -F "$logger" "$dir/client.out" | cat -A) >&2
	fi
	# Nothing unexpected on stderr but the server's port line.
	if [ "$(grep -v -E '^server: (listening on port|[0-9]+ descriptors open at (start|exit))' "$dir/server.err" | wc -c)" = 0 ] && [ ! -s "$dir/client.err" ]; then ok; else
		bad "unexpected stderr"; cat "$dir"/*.err >&2
	fi
}

run_case 1 10
run_case 5 10
run_case 20 0

normalise() { # descriptor numbers, the port, and the logger line (two threads print)
	sed -e 's/Socket\[[0-9]*\]/Socket[FD]/' -e 's/^socket create [0-9]*/socket create FD/' \
	    -e 's/IP\[127\.0\.0\.1, [0-9]*\]/IP[127.0.0.1, PORT]/' "$1" | grep -v -x -F $'Thread Start - loggerRunnerable\r'
}
if [ -n "$server_ref" ]; then
	for side in server client; do
		"$here/exchange.sh" "$server" "$client" "$dir/rs" 5 10 && ok || bad "sockctl build: exchange failed"
		"$here/exchange.sh" "$server_ref" "$client_ref" "$dir/c" 5 10 && ok || bad "C reference build: exchange failed"
		if cmp -s <(normalise "$dir/rs/$side.out") <(normalise "$dir/c/$side.out"); then ok; else
			bad "$side output differs between the sockctl and the C reference builds"
			diff <(normalise "$dir/c/$side.out" | cat -A) <(normalise "$dir/rs/$side.out" | cat -A) >&2
		fi
	done
fi

# A client with no server: tcpCreateClient fails, the client exits 1 with
# the legacy lines.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
out=$(timeout 20 "$client" -p "$port" -n 1 -i 10 2>/dev/null | grep -v -x -F $'Thread Start - loggerRunnerable\r'; echo "exit ${PIPESTATUS[0]}")
want=$(printf 'Async Non Blocking Socket Proccess\r\nconnection fail\r\nsocket create -1\r\nexit 1')
if [ "$out" = "$want" ]; then ok; else bad "client without server: got $(printf %q "$out")"; fi

summary test_e2e
