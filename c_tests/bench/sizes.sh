#!/bin/bash
# make bench (and make bench-sizes): the size of what sockctl ships, against
# the C original (c_tests/reference/reference.c), for the host and every
# cross target the Makefile knows. Measured and reported, never asserted.
#   sizes.sh OUT.md
# Replaces the part of OUT.md between the "sizes" markers (appends it if
# there are none). Run from the top of the tree.
#
# Environment: MAKE (the make to run), CROSS_TARGETS (as in the Makefile),
# CC (the host's C compiler; a cross target always gets its own, computed as
# the Makefile computes it), CFLAGS and LDFLAGS (passed on to make as they are).
#
# Per target it builds, with the Makefile's own rules:
#   make lib build/server build/client build/server-ref build/client-ref [TARGET=t]
#     the library, and the legacy programs linked against libsockctl.a and
#     against reference.c with no other flag (musl: -static);
#   the same programs with B=<B>/gc-sections LDFLAGS=-Wl,--gc-sections
#     (the same link rule, one more flag for both);
# and, with the target's C compiler, the C original as a shared library:
#   $CC -O2 -shared -fPIC -Iinclude c_tests/reference/reference.c
# A target whose toolchain is missing is listed with the reason.
set -u
out=$1
MAKE=${MAKE:-make}
[ -n "${CROSS_TARGETS:-}" ] || eval "$($MAKE -s --no-print-directory print-toolchain)"
host_cc=${CC:-cc}
host=$(rustc -vV | sed -n 's/^host: //p')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
begin='<!-- sizes.sh: begin (generated; edit c_tests/bench/sizes.sh) -->'
end='<!-- sizes.sh: end -->'

# Goals (issue 8): a program linked with no other flag at most 1 KiB larger
# (text+data) than with the C original, with the same NEEDED; the shared
# library at most 2 KiB over the C original.
PROG_GOAL=1024 SO_GOAL=2048

# text+data of an ELF file or object (Berkeley format, as size prints it).
td() { "$SIZE" "$1" | awk 'NR == 2 { print $1 + $2 }'; }
fsize() { stat -c %s "$1"; }
needed() { # comma-separated NEEDED entries, or "none (static)"
	local n
	n=$(readelf -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | paste -sd' ' -)
	echo "${n:-none (static)}"
}
# Thousands separators for the tables.
group3() { sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
num() { printf '%d' "$1" | group3; }
sdiff() { printf '%+d' "$1" | group3; }
# On 32-bit ARM: the instruction set of a function in a program, from the
# low bit of its symbol's value (set for Thumb).
isa() { # program symbol
	readelf -sW "$1" | awk -v s="$2" '$8 == s && $4 == "FUNC" { print ($2 ~ /[13579bdfBDF]$/ ? "Thumb-2" : "A32"); exit }'
}

# The text+data difference of two programs, section group by section group:
# "code +X, rodata +Y, unwind +Z, dynamic linking +W, other +V".
breakdown() { # sockctl-program C-program
	paste <("$SIZE" -A "$1" | group) <("$SIZE" -A "$2" | group) |
		awk '{ d = $2 - $4; if (d) printf "%s%s %+d", (n++ ? ", " : ""), $1, d } END { if (!n) printf "none" }'
}
group() { # size -A output -> text+data per group, fixed order
	awk '$1 ~ /^\./ && $1 != ".bss" && $1 != ".tbss" && $1 !~ /^\.(debug|comment|ARM\.attributes|gnu_debuglink|symtab|strtab|shstrtab|note\.GNU-stack|gnu\.build\.attributes)/ {
		s = $1
		if (s ~ /^\.text|^\.init$|^\.fini$/) g = "code"
		else if (s ~ /^\.rodata/) g = "rodata"
		else if (s ~ /^\.eh_frame|^\.ARM\.ex|^\.gcc_except_table/) g = "unwind"
		else if (s ~ /^\.(dynsym|dynstr|dynamic|gnu\.version|gnu\.hash|hash|rela?\.|plt|got|interp)/) g = "dynamic-linking"
		else if (s ~ /^\.data|^\.tdata/) g = "data"
		else g = "other"
		t[g] += $2
	}
	END { split("code rodata unwind dynamic-linking data other", o, " "); for (i = 1; i <= 6; i++) printf "%s %d\n", o[i], t[o[i]] }'
}
# The undefined dynamic symbols that do not come from the C library: the
# reason for an extra NEEDED entry.
foreign_undef() {
	"$NM" -D --undefined-only "$1" 2>/dev/null | awk '$NF !~ /@GLIBC_|^_ITM_|^__gmon_start__$/ { print $NF }' | paste -sd' ' -
}

summary=() goals=() why=()
body="$tmp/body.md"
: >"$body"

for t in "$host" $CROSS_TARGETS; do
	why_not= STATIC=
	if [ "$t" = "$host" ]; then
		B=build TD=target/release CC_T=$host_cc tools= tflag=() label="$t (host)"
	else
		B=build/$t TD=target/$t/release tflag=(TARGET="$t") label=$t
		# The Makefile's toolchain for t: CC_TARGET, TOOLS (binutils prefix),
		# RUN, STD, STATIC; and whether it is all here (tools/setup.sh says why not).
		eval "$($MAKE -s --no-print-directory print-toolchain TARGET="$t" CROSS_TARGETS="$CROSS_TARGETS")"
		CC_T=$CC_TARGET tools=$TOOLS
		why_not=$(tools/setup.sh --check-target "$t") && why_not=
	fi
	musl=$STATIC
	echo "== sizes: $t ($CC_T)"
	if [ -z "$why_not" ]; then
		log=$tmp/$t.make.log
		if ! "$MAKE" --no-print-directory lib "$B/server" "$B/client" "$B/server-ref" "$B/client-ref" \
			"${tflag[@]}" CC="$CC_T" >"$log" 2>&1; then
			why_not="make lib and the programs failed: $(grep -m1 -i 'error' "$log" || tail -n 1 "$log")"
		elif ! "$MAKE" --no-print-directory "$B/gc-sections/server" "$B/gc-sections/client" \
			"$B/gc-sections/server-ref" "$B/gc-sections/client-ref" \
			"${tflag[@]}" CC="$CC_T" B="$B/gc-sections" LDFLAGS="${LDFLAGS:-} -Wl,--gc-sections" >>"$log" 2>&1; then
			why_not="the --gc-sections programs failed to build: $(grep -m1 -i 'error' "$log" || tail -n 1 "$log")"
		elif [ -z "$musl" ] && ! $CC_T -O2 -shared -fPIC -Iinclude -o "$tmp/$t.ref.so" c_tests/reference/reference.c 2>>"$log"; then
			why_not="$CC_T -shared on reference.c failed: $(tail -n 1 "$log")"
		fi
	fi
	if [ -n "$why_not" ]; then
		echo "   not measured: $why_not"
		summary+=("| $label | not measured: $why_not | | | | |")
		goals+=("- $t: not measured ($why_not)")
		continue
	fi
	SIZE=size NM=nm
	command -v "${tools}size" >/dev/null && SIZE=${tools}size
	command -v "${tools}nm" >/dev/null && NM=${tools}nm
	ccv=$($CC_T --version | head -n 1)

	# The archive: as cargo writes it, as shipped, and its sockctl object.
	a_cargo=$TD/libsockctl.a a_ship=$B/lib/libsockctl.a
	member=$(ar t "$a_ship" | grep -m1 '^sockctl.*\.o$')
	ar p "$a_ship" "$member" >"$tmp/$t.sockctl.o"
	obj_td=$(td "$tmp/$t.sockctl.o")
	nmembers=$(ar t "$a_ship" | wc -l)
	nbuiltins=$(ar t "$a_cargo" | grep -c -v '^sockctl-')

	{
		echo "### $label"
		echo
		echo "C compiler: \`${CC_T#"$PWD"/}\` ($ccv); sizes with \`$SIZE\`, NEEDED with \`readelf -d\`."
		echo
		echo "| artifact | measure | C original | sockctl | sockctl - C |"
		echo "| --- | --- | ---: | ---: | ---: |"
		echo "| \`$a_cargo\` (as cargo writes it) | file | | $(num "$(fsize "$a_cargo")") | |"
		echo "| \`$a_ship\` (shipped: tools/ship-archive.sh) | file | | $(num "$(fsize "$a_ship")") | |"
		echo "| its sockctl object ($nmembers member; cargo's archive has $nbuiltins more, the compiler builtins, which are not shipped) | text+data | | $(num "$obj_td") | |"
	} >>"$body"

	so_cell="(no shared library on musl)"
	if [ -z "$musl" ]; then
		so=$B/lib/libsockctl.so.0.1.0 ref_so=$tmp/$t.ref.so
		so_td=$(td "$so") ref_td=$(td "$ref_so") so_d=$(($(td "$so") - $(td "$ref_so")))
		so_n=$(needed "$so") ref_n=$(needed "$ref_so")
		{
			echo "| \`$so\` / C original \`-O2 -shared -fPIC\` | file | $(num "$(fsize "$ref_so")") | $(num "$(fsize "$so")") | $(sdiff $(($(fsize "$so") - $(fsize "$ref_so")))) |"
			echo "| | text+data | $(num "$ref_td") | $(num "$so_td") | **$(sdiff "$so_d")** |"
			echo "| | NEEDED | $ref_n | $so_n | $([ "$so_n" = "$ref_n" ] && echo same || echo DIFFERS) |"
		} >>"$body"
		so_ok=met; [ "$so_d" -le "$SO_GOAL" ] || so_ok="MISSED (by $((so_d - SO_GOAL)))"
		[ "$so_n" = "$ref_n" ] || so_ok="$so_ok; NEEDED differs ($so_n against $ref_n)"
		goals+=("- $t, shared library: $(sdiff "$so_d") bytes text+data over the C original (goal <= $SO_GOAL), $so_ok")
		so_cell="$(num "$ref_td") / $(num "$so_td") / **$(sdiff "$so_d")**"
	fi

	prog_cells=() explained=
	for p in server client; do
		for v in plain gc; do
			if [ $v = plain ]; then
				d=$B flags="no other flag"; [ -n "$musl" ] && flags="\`-static\`, no other flag"
			else
				d=$B/gc-sections flags="\`-Wl,--gc-sections\`"; [ -n "$musl" ] && flags="\`-static -Wl,--gc-sections\`"
			fi
			rs=$(td "$d/$p") c=$(td "$d/$p-ref") diff=$(($(td "$d/$p") - $(td "$d/$p-ref")))
			rn=$(needed "$d/$p") cn=$(needed "$d/$p-ref")
			{
				echo "| \`$d/$p\` / \`$p-ref\`, $flags | text+data | $(num "$c") | $(num "$rs") | **$(sdiff "$diff")** |"
				echo "| | NEEDED | $cn | $rn | $([ "$rn" = "$cn" ] && echo same || echo DIFFERS) |"
			} >>"$body"
			if [ $v = plain ]; then
				ok=met; [ "$diff" -le "$PROG_GOAL" ] || ok="MISSED (by $((diff - PROG_GOAL)))"
				nok=; [ "$rn" = "$cn" ] || nok="; NEEDED MISSED: $rn against $cn"
				goals+=("- $t, $p with no other flag: $(sdiff "$diff") bytes text+data (goal <= $PROG_GOAL), $ok$nok")
				extra=$(comm -23 <(tr ' ' '\n' <<<"$rn" | sort) <(tr ' ' '\n' <<<"$cn" | sort) | paste -sd' ' -)
				prog_cells+=("$(sdiff "$diff")$([ "$rn" = "$cn" ] || echo ", NEEDED +$extra")")
				if [ "$diff" -gt "$PROG_GOAL" ] || [ "$rn" != "$cn" ]; then
					w="- $t, $p: the difference by section group: $(breakdown "$d/$p" "$d/$p-ref")."
					if [ "$rn" != "$cn" ] && [ -z "$explained" ]; then
						fu=$(foreign_undef "$d/$p")
						w="$w NEEDED gains $extra for these undefined symbols: \`$fu\`."
						[[ $fu == *__aeabi_unwind_cpp_pr* ]] && w="$w That is the ARM EHABI personality routine: the \`.ARM.exidx\` unwind entries of sockctl's functions refer to it (an \`R_ARM_NONE\` relocation, \`readelf -r\` on the sockctl object), even with panic=abort; gcc's C functions have no such entries, and gcc resolves the reference from \`libgcc_s.so.1\` (\`--as-needed\`). The shared library has the same NEEDED for the same reason."
					fi
					if [[ $t == arm* || $t == thumb* ]] && [ -z "$explained" ]; then
						ri=$(isa "$d/$p" listenSocket) ci=$(isa "$d/$p-ref" listenSocket)
						[ "$ri" != "$ci" ] && w="$w The code: sockctl's functions are $ri code, the C original's $ci (gcc's default here; \`readelf -s\`: odd symbol values are Thumb), which is most of the code difference."
					fi
					[ -n "$explained" ] && [ "$rn" != "$cn" ] && w="$w NEEDED: as for the $explained."
					why+=("$w")
					explained=$p
				fi
			else
				prog_cells+=("$(sdiff "$diff")")
			fi
		done
	done
	# Where the bytes of the helpers are: sockctl's functions in the
	# server against the C original's three.
	fns_rs=$("$NM" -S -t d --size-sort "$B/server" | awk '$4 ~ /^(listenSocket|tcpCreateClient|tcpCloseSocket)$|sockctl/ { s += $2; n++ } END { printf "%d bytes in %d functions", s, n }')
	fns_c=$("$NM" -S -t d --size-sort "$B/server-ref" | awk '$4 ~ /^(listenSocket|tcpCreateClient|tcpCloseSocket)$/ { s += $2; n++ } END { printf "%d bytes in %d functions", s, n }')
	{
		echo
		echo "The helpers' code in \`$B/server\`: sockctl $fns_rs, the C original $fns_c (\`$NM -S --size-sort\`)."
		echo "The no-flag server against its C build, by section group: $(breakdown "$B/server" "$B/server-ref")."
		if [ "${prog_cells[0]}" = "${prog_cells[1]}" ] && [ "${prog_cells[2]}" = "${prog_cells[3]}" ]; then
			# (zig cc: its linker collects unused sections unless told not to.)
			echo "The no-flag and \`--gc-sections\` programs are the same: this toolchain's linker drops unused"
			echo "sections by default. So the sockctl programs keep only the helpers they call, while the C"
			echo "original (one section) keeps all three and the C library code they call, statically linked"
			echo "(\`sigaction\`; \`inet_ntoa\` and \`getsockopt\`, which sockctl does not call): hence programs smaller than the original's."
		fi
		echo
	} >>"$body"
	summary+=("| $label | $(num "$(fsize "$a_ship")") ($(num "$obj_td")) | $so_cell | ${prog_cells[0]} / ${prog_cells[1]} | ${prog_cells[2]} / ${prog_cells[3]} |")
done

section="$tmp/section.md"
{
	echo "$begin"
	echo "## Size, per target"
	echo
	echo "Measured by \`c_tests/bench/sizes.sh\` (\`make bench\`, or \`make bench-sizes\` for this section"
	echo "alone) on $(date -u '+%Y-%m-%d'), $(rustc --version). Bytes. text+data is \`size\`'s text plus data"
	echo "(the loaded code, read-only data, unwind tables, dynamic-linking tables and data; not bss,"
	echo "not debug information). Each program is the legacy gateway's server or client (\`c_tests/legacy/\`, moved onto sockctl by \`c_tests/migration/migrate.sh\`), built by"
	echo "the Makefile's one link rule (\`CFLAGS\` ${CFLAGS:--O2 -g}, the same for both) against \`libsockctl.a\` and"
	echo "against the C original \`c_tests/reference/reference.c\`; the \`--gc-sections\` builds are the same"
	echo "rule with \`LDFLAGS=-Wl,--gc-sections\`. The C original's shared library is"
	echo "\`\$CC -O2 -shared -fPIC -Iinclude c_tests/reference/reference.c\`."
	echo
	echo "Reading the \`--gc-sections\` rows: libsockctl.a has one object with all three functions, each"
	echo "in a section of its own, so without the flag a program takes all three and with it only what it"
	echo "calls (the server: \`listenSocket\`); reference.c is one object built without"
	echo "\`-ffunction-sections\`, so the flag removes nothing of it. sockctl no longer needs the flag (no"
	echo "Rust runtime to discard: both crates are \`no_std\`); it only trims the helpers a program does not call."
	echo
	echo "Goals (issue 8): a program linked with no other flag at most $PROG_GOAL bytes larger than with the C"
	echo "original and NEEDED the same; the shared library at most $SO_GOAL bytes over the C original."
	echo
	echo "| target | libsockctl.a shipped (its sockctl object, text+data) | .so text+data: C / sockctl / difference | server, sockctl - C: no other flag / \`--gc-sections\` | client, sockctl - C: no other flag / \`--gc-sections\` |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	printf '%s\n' "${summary[@]}"
	echo
	cat "$body"
	echo "### Goals"
	echo
	printf '%s\n' "${goals[@]}"
	if [ ${#why[@]} -gt 0 ]; then
		echo
		echo "### Where a goal is missed"
		echo
		printf '%s\n' "${why[@]}"
	fi
	echo "$end"
} >"$section"

if [ -f "$out" ] && grep -qF "$begin" "$out"; then
	awk -v b="$begin" -v e="$end" -v f="$section" '
		$0 == b { while ((getline l < f) > 0) print l; skip = 1; next }
		$0 == e { skip = 0; next }
		!skip' "$out" >"$tmp/out.md"
	cat "$tmp/out.md" >"$out"
else
	{ [ -s "$out" ] && echo; cat "$section"; } >>"$out"
fi
cat "$section"
echo "sizes: wrote the size section of $out"
