#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Test the bash completion (completion/sca.bash) against sca's own help: every
# option `sca help CMD` lists is offered for `sca CMD -<TAB>`, and nothing else
# is, so the test fails when an option is added to one and not the other. Also
# the command list, option values and file names.
#
# usage: test_completion.sh PATH/TO/sca PATH/TO/sca.bash
#
# Completion is driven the way bash drives it: set COMP_WORDS, COMP_CWORD,
# COMP_LINE and COMP_POINT, call _sca and read COMPREPLY. Every failed check
# prints a FAIL line with what was expected and what came out; the script
# exits 1 if any check failed, 77 (skipped) if there is no bash.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 PATH/TO/sca PATH/TO/sca.bash" >&2
	exit 2
fi
SCA=$1
SCRIPT=$2

if [ ! -x "$SCA" ]; then
	echo "FAIL: $SCA is not an executable" >&2
	exit 1
fi
if [ ! -r "$SCRIPT" ]; then
	echo "FAIL: cannot read $SCRIPT" >&2
	exit 1
fi
if ! command -v bash >/dev/null 2>&1; then
	echo "SKIP: no bash"
	exit 77
fi
# Some checks run in a temporary directory.
case $SCA in /*) ;; *) SCA=$(pwd)/$SCA ;; esac
case $SCRIPT in /*) ;; *) SCRIPT=$(pwd)/$SCRIPT ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

checks=0
failed=0

# Options that the help texts name in option lines but that are not sca's:
# profile-gen's --format text mentions Docker's --security-opt.
foreign='--security-opt'

# offered WORD...: the words of a command line, the last being the one under
# the cursor ('' for a new word); prints what the completion offers, one a
# line, sorted. Runs a fresh bash without rc files. Anything the script
# writes on stderr fails the check (noted in a file: this runs in $(...)).
offered() {
	BASH_ENV='' bash --norc --noprofile -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=(stale)
		_sca || exit 1
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}"
	' bash "$SCRIPT" "$@" 2>"$tmp/offered.err" | sort -u
	if [ -s "$tmp/offered.err" ]; then
		echo "FAIL: completing '$*' wrote on stderr:" >&2
		sed 's/^/    /' "$tmp/offered.err" >&2
		echo "$*" >>"$tmp/stderr-failures"
	fi
}

# help_options [CMD]: the options `sca help CMD` lists (without CMD: sca's
# own, from `sca help`), one a line, sorted: every -x and --xxx token of
# - the usage lines of the form `sca CMD ...` (version's `sca --version` is
#   sca's option, not version's), and
# - the option lines: indented lines that start with '-'. Several options may
#   share one (analyze: `--syscall S, --code C, --comm C, --pid P, ...`), and
#   their wrapped descriptions may name more (`with -o, ...`). Prose starts
#   at column 0, so its options (profile-gen's `sca record --rotate`) are
#   not taken.
help_options() {
	"$SCA" help ${1+"$1"} | awk -v cmd="${1-}" -v foreign="$foreign" '
	function take(from,   i, f) {
		for (i = from; i <= NF; i++) {
			f = $i
			sub(/^[[(]+/, "", f)
			if (match(f, /^--?[A-Za-z][A-Za-z0-9-]*/))
				print substr(f, 1, RLENGTH)
		}
	}
	/^usage:/ { sub(/^usage:/, ""); usage = 1 }
	/^[ \t]*$/ { usage = 0; next }
	usage {
		if ($1 == "sca")  # a new form of the command line
			ours = (cmd == "" || $2 == cmd)
		if (ours)
			take(1)
		next
	}
	/^[ \t]+-/ { take(1) }
	' | grep -vxF -e "$foreign" | sort -u
}

# help_commands: the commands `sca help` lists.
help_commands() {
	"$SCA" help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }' |
		sort -u
}

# help_values CMD OPTION MARKER: the values the help of CMD lists for OPTION:
# in OPTION's description (its option line and the lines under it), the
# comma separated words after MARKER, without remarks in parentheses and up
# to a ';'.
help_values() {
	"$SCA" help "$1" | awk -v opt="$2" -v marker="$3" '
	/^[ \t]*$/ || /^[ \t]+-/ { on = ($1 == opt) }
	on { text = text " " $0 }
	END {
		i = index(text, marker)
		if (!i)
			exit
		text = substr(text, i + length(marker))
		gsub(/\([^)]*\)/, "", text)
		sub(/;.*/, "", text)
		n = split(text, w, /[ \t,]+/)
		for (i = 1; i <= n; i++)
			if (w[i] != "")
				print w[i]
	}' | sort -u
}

# same WHAT WANT GOT: the two lists (one item a line) must be equal.
same() {
	checks=$((checks + 1))
	printf '%s\n' "$2" | sed '/^$/d' | sort -u >"$tmp/want"
	printf '%s\n' "$3" | sed '/^$/d' | sort -u >"$tmp/got"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		failed=$((failed + 1))
		echo "FAIL: $1" >&2
		echo "    missing: $(comm -23 "$tmp/want" "$tmp/got" | tr '\n' ' ')" >&2
		echo "    extra:   $(comm -13 "$tmp/want" "$tmp/got" | tr '\n' ' ')" >&2
	fi
}

# has WHAT ITEM LIST: LIST (one item a line) must hold ITEM.
has() {
	checks=$((checks + 1))
	if ! printf '%s\n' "$3" | grep -qxF -e "$2"; then
		failed=$((failed + 1))
		echo "FAIL: $1: '$2' not offered; got: $(printf '%s' "$3" | tr '\n' ' ')" >&2
	fi
}

commands=$(help_commands)
same "sca help lists the seven commands" \
	"$(printf '%s\n' record analyze profile-gen inspect doctor help version)" "$commands"
same "sca <TAB> offers the commands of sca help" "$commands" "$(offered sca '')"
same "sca help <TAB> offers the commands" "$commands" "$(offered sca help '')"
same "sca -<TAB> offers the options of sca's usage line" \
	"$(help_options)" "$(offered sca -)"

# The help parser itself, so that a parser finding nothing cannot pass: it
# must see options several to a line and skip the foreign one.
analyze_opts=$(help_options analyze)
for o in --since --until --syscall --code --comm --pid --container --by --format -h; do
	has "help_options analyze finds $o" "$o" "$analyze_opts"
done
pg_opts=$(help_options profile-gen)
for o in -o --output --verify --exe --namespace --diff; do
	has "help_options profile-gen finds $o" "$o" "$pg_opts"
done
same "help_options profile-gen drops Docker's option and record's prose" "" \
	"$(printf '%s\n' "$pg_opts" | grep -xF -e --security-opt -e --rotate)"
same "help_options version leaves out sca --version" "" "$(help_options version)"

# Both directions, for every command: what help lists is offered, and nothing
# else is.
for cmd in $commands; do
	opts=$(help_options "$cmd")
	same "sca $cmd -<TAB> offers exactly the options of sca help $cmd" \
		"$opts" "$(offered sca "$cmd" -)"
	same "sca $cmd --<TAB> offers exactly the long options of sca help $cmd" \
		"$(printf '%s\n' "$opts" | grep -e '^--')" "$(offered sca "$cmd" --)"
done

# Values listed in the help texts.
same "record --source values are those of its help" \
	"$(help_values record --source 'from:')" "$(offered sca record --source '')"
same "sca record --source <TAB> offers the five sources" \
	"$(printf '%s\n' auto audit bpf bpf-fentry bpf-kprobe)" \
	"$(offered sca record --source '')"
same "record --code values are those of its help" \
	"$(help_values record --code 'only:')" "$(offered sca record --code '')"
same "record --columns values are those of its help" \
	"$(help_values record --columns 'one of:')" "$(offered sca record --columns '')"
same "analyze --columns values are those of its help" \
	"$(help_values analyze --columns 'one of:')" "$(offered sca analyze --columns '')"
same "analyze --by values are those of its help" \
	"$(help_values analyze --by 'list of:')" "$(offered sca analyze --by '')"
same "profile-gen --default-action values are those of its help" \
	"$(help_values profile-gen --default-action 'ACTION')" \
	"$(offered sca profile-gen --default-action '')"
same "sca analyze --format <TAB>" "$(printf '%s\n' table csv json)" \
	"$(offered sca analyze --format '')"
same "sca profile-gen --format <TAB>" "$(printf '%s\n' oci spo)" \
	"$(offered sca profile-gen --format '')"
same "sca doctor --format <TAB>" "$(printf '%s\n' text json)" \
	"$(offered sca doctor --format '')"
same "sca doctor --format=<TAB>" "$(printf '%s\n' text json)" \
	"$(offered sca doctor --format =)"

# Comma lists: the item after the last comma is completed, the whole list is
# offered, and items already in it are not offered again.
same "sca analyze --by sys<TAB>" syscall "$(offered sca analyze --by sys)"
same "sca analyze --by syscall,co<TAB>" \
	"$(printf '%s\n' syscall,code syscall,comm syscall,container)" \
	"$(offered sca analyze --by syscall,co)"
same "sca analyze --by syscall,<TAB> leaves syscall out" \
	"$(offered sca analyze --by '' | grep -vx syscall | sed 's/^/syscall,/')" \
	"$(offered sca analyze --by syscall,)"
same "sca record --code log,kill_p<TAB>" log,kill_process \
	"$(offered sca record --code log,kill_p)"
# --by=syscall,co as bash splits it at '=' (COMP_WORDBREAKS)
same "sca analyze --by=syscall,co<TAB>" \
	"$(printf '%s\n' syscall,code syscall,comm syscall,container)" \
	"$(offered sca analyze --by = syscall,co)"
same "sca record --source=<TAB>" "$(offered sca record --source '')" \
	"$(offered sca record --source =)"

# Files: TRACEs are *.trace files and directories; profiles .json/.yaml/.yml.
mkdir "$tmp/files" "$tmp/files/sub"
for f in a.trace b.txt c.json d.yaml e.yml f.db; do
	: >"$tmp/files/$f"
done
cd "$tmp/files" || exit 1
same "sca analyze <TAB> offers traces, databases and directories" \
	"$(printf '%s\n' a.trace f.db sub)" "$(offered sca analyze '')"
same "sca inspect <TAB> offers traces and directories" \
	"$(printf '%s\n' a.trace sub)" "$(offered sca inspect '')"
same "sca profile-gen <TAB> offers traces and directories" \
	"$(printf '%s\n' a.trace sub)" "$(offered sca profile-gen '')"
same "sca profile-gen --base <TAB> offers profiles and directories" \
	"$(printf '%s\n' c.json d.yaml e.yml sub)" "$(offered sca profile-gen --base '')"
same "sca profile-gen --per-container <TAB> offers directories" sub \
	"$(offered sca profile-gen --per-container '')"
has "sca profile-gen -o <TAB> offers any file" b.txt "$(offered sca profile-gen -o '')"
has "sca record --import <TAB> offers any file" b.txt "$(offered sca record --import '')"
# A value is not a TRACE, and inspect reads no option after its first TRACE.
same "sca analyze --db a.trace -<TAB> still offers options" \
	"$(help_options analyze)" "$(offered sca analyze --db a.trace -)"
same "sca inspect a.trace -<TAB> offers nothing" "" "$(offered sca inspect a.trace -)"
cd / || exit 1

# After `--`, a command line of its own.
has "sca record -- <TAB> offers commands" sh "$(offered sca record -- s)"
has "sca profile-gen --verify -- <TAB> offers commands" sh \
	"$(offered sca profile-gen --verify -- s)"
same "sca record --comm -- -<TAB>: that -- is --comm's value" \
	"$(help_options record)" "$(offered sca record --comm -- -)"
same "sca version <TAB> offers nothing" "" "$(offered sca version '')"
# doctor takes no argument: its options, and nothing after a --format value
# or a `--`.
same "sca doctor <TAB> offers its options" "$(help_options doctor)" "$(offered sca doctor '')"
same "sca doctor --format json <TAB> offers its options" "$(help_options doctor)" \
	"$(offered sca doctor --format json '')"
same "sca doctor -- <TAB> offers nothing" "" "$(offered sca doctor -- '')"

if [ -s "$tmp/stderr-failures" ]; then
	n=$(wc -l <"$tmp/stderr-failures")
	checks=$((checks + n))
	failed=$((failed + n))
fi
echo "$((checks - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
