# SPDX-License-Identifier: BSD-2-Clause
# bash completion for sca, the seccomp audit toolkit.          -*- shell-script -*-
#
# Install it as /usr/share/bash-completion/completions/sca (the bash-completion
# package then loads it the first time `sca` is completed), or source it from
# ~/.bashrc. It needs bash 4 and nothing from the bash-completion package, so
# it behaves the same with or without it; only the words after `--` (a
# command run under sca) get that command's own completion when the package is
# there, and plain file names when it is not.
#
# The option lists below are those of `sca help COMMAND`, and the value lists
# are taken from the same texts. tests/cli/test_completion.sh fails when the
# options here and in the help drift apart, so change both together.

_sca_commands='record analyze profile-gen inspect doctor help version'

# Options of each command. A trailing '=' marks an option that takes a value
# (the next word, or --opt=VALUE): the '=' is never offered, but it tells the
# scan below that the next word is a value and not a TRACE or `--`.
_sca_opts_record='-o= --output= --force --rotate= --rotate-time= --print --json
	--columns= --duration= --pid= --comm= --syscall= --code= --container= --pod=
	-n= --namespace= --host --runtime-root= --docker-root= --source= --rcvbuf=
	--ringbuf= --import= --profile= --all-syscalls --syscall-table= --learn= -h --help'
_sca_opts_analyze='--by= --events --columns= --sql= --db= --force --format= --top= --since=
	--until= --syscall= --code= --comm= --pid= --container= -h --help'
_sca_opts_profile_gen='-o= --output= --format= --name= --spo-api= --spo-namespace=
	--base= --default-action= --allow-denied --comm= --exe= --pid= --container= --pod=
	--namespace= --per-container= --diff= --strict --args= --explain --target= --caps=
	--kernel= --no-runtime-needs --verify -h --help'
_sca_opts_inspect='--events --damage -h --help'
_sca_opts_doctor='--format= -h --help'

# Values, as the help texts list them.
_sca_sources='auto audit bpf bpf-fentry bpf-kprobe'
_sca_codes='log kill_thread kill_process trap errno user_notif trace allow'
_sca_actions='errno kill_process kill_thread trap log'
_sca_by_keys='syscall code arch comm exe pid uid container pod namespace host'
_sca_record_columns='time pid tid ppid uid gid auid ses comm exe arch syscall nr
	code sig ip cgroup mntns runtime.containername k8s.namespace k8s.pod
	k8s.container'
_sca_analyze_columns='time host pid tid ppid uid gid auid ses comm exe arch
	syscall nr code sig ip args cgroup mntns runtime.containername
	k8s.namespace k8s.pod k8s.container'

# _sca_words WORDS TEXT: offer those of WORDS that start with TEXT.
_sca_words()
{
	mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -W "$1" -- "$2")
}

# _sca_list ITEMS TEXT: TEXT is a comma list (--by syscall,co); complete its
# last item and offer the whole list, since ',' does not split words for
# bash. Items already in the list are not offered again.
_sca_list()
{
	local head='' item
	[[ $2 == *,* ]] && head=${2%,*},
	for item in $(compgen -W "$1" -- "${2##*,}"); do
		[[ ,$head == *,"$item",* ]] || COMPREPLY+=("$head$item")
	done
}

# _sca_files KIND TEXT [EXT...]: file names. KIND is 'dirs' (directories
# only), 'all' (every file) or 'ext' (directories, and files ending in .EXT:
# a TRACE may be a directory of traces). compopt makes bash quote the names
# and add '/' to directories; it fails outside a real completion (the test
# calls _sca directly), which is harmless.
_sca_files()
{
	local kind=$1 text=$2 ext
	shift 2
	compopt -o filenames 2>/dev/null
	case $kind in
	all) mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -f -- "$text") ;;
	*)   mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -d -- "$text") ;;
	esac
	for ext; do
		mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -f -X "!*.$ext" -- "$text")
	done
}

# _sca_join_words: bash splits words at '=' (it is in COMP_WORDBREAKS), so
# `--source=au` arrives as "--source" "=" "au". Join such pieces again into
# words[] and cword, so the rest sees the words as sca's getopt_long does.
# orig[] keeps each word's index in COMP_WORDS, for handing the words after
# `--` to another command's completion.
_sca_join_words()
{
	local i glue=0 last
	words=() orig=() cword=0
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		last=$((${#words[@]} - 1))
		if ((i > 0)) && [[ ${COMP_WORDS[i]} == = ]]; then
			words[last]+='='
			glue=1
		elif ((glue)); then
			words[last]+=${COMP_WORDS[i]}
			glue=0
		else
			words+=("${COMP_WORDS[i]}")
			orig+=("$i")
		fi
		((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
	done
}

# _sca_takes_value OPTS WORD: whether WORD is an option of OPTS that takes
# its value from the next word.
_sca_takes_value()
{
	[[ $2 == -* && $2 != *=* && " $1 " == *[[:space:]]"$2="[[:space:]]* ]]
}

# _sca_value CMD OPT TEXT: complete TEXT as the value of CMD's option OPT.
# Options whose values are free-form (a pid, a name, a size, a duration, a
# query) get nothing.
_sca_value()
{
	local cmd=$1 opt=$2 text=$3
	case $cmd:$opt in
	*:-o | *:--output | analyze:--db | record:--import)
		_sca_files all "$text" ;;
	record:--profile | profile-gen:--base | profile-gen:--diff)
		_sca_files ext "$text" json yaml yml ;;
	record:--docker-root | profile-gen:--per-container)
		_sca_files dirs "$text" ;;
	record:--runtime-root)
		# RUNTIME=DIR: RUNTIME is any name, DIR a directory.
		[[ $text == *=* ]] && _sca_files dirs "${text##*=}" ;;
	record:--source) _sca_words "$_sca_sources" "$text" ;;
	record:--columns) _sca_list "$_sca_record_columns" "$text" ;;
	analyze:--columns) _sca_list "$_sca_analyze_columns" "$text" ;;
	analyze:--by) _sca_list "$_sca_by_keys" "$text" ;;
	analyze:--format) _sca_words 'table csv json' "$text" ;;
	profile-gen:--format) _sca_words 'oci spo' "$text" ;;
	doctor:--format) _sca_words 'text json' "$text" ;;
	profile-gen:--spo-api) _sca_words 'v1 v1beta1' "$text" ;;
	profile-gen:--target) _sca_words 'runtime docker' "$text" ;;
	profile-gen:--default-action) _sca_words "$_sca_actions" "$text" ;;
	# --code takes comma lists like the other filters.
	*:--code) _sca_list "$_sca_codes" "$text" ;;
	esac
}

_sca()
{
	local words orig cword
	_sca_join_words
	local cur=${words[cword]} prev=${words[cword-1]}
	COMPREPLY=()

	# sca's own options come only before the command, and --help and
	# --version take no command after them, except that `sca --help CMD`
	# is `sca help CMD`.
	if ((cword == 1)); then
		if [[ $cur == -* ]]; then
			_sca_words '--help --version' "$cur"
		else
			_sca_words "$_sca_commands" "$cur"
		fi
		return 0
	fi

	local cmd=${words[1]} opts
	case $cmd in
	help | -h | --help)
		((cword == 2)) && _sca_words "$_sca_commands" "$cur"
		return 0 ;;
	record) opts=$_sca_opts_record ;;
	analyze) opts=$_sca_opts_analyze ;;
	profile-gen) opts=$_sca_opts_profile_gen ;;
	inspect) opts=$_sca_opts_inspect ;;
	doctor) opts=$_sca_opts_doctor ;;
	*) return 0 ;;  # version, or not a command: nothing to offer
	esac

	# Walk the words before the cursor as getopt_long would: skip option
	# values, find a `--`, and count the non-option words (TRACEs).
	local i dashdash=0 ntrace=0
	for ((i = 2; i < cword; i++)); do
		if [[ ${words[i]} == -- ]]; then
			dashdash=$i
			break
		elif _sca_takes_value "$opts" "${words[i]}"; then
			((i++))
		elif [[ ${words[i]} != -* ]]; then
			((ntrace++))
		fi
	done

	if ((dashdash)); then
		case $cmd in
		record | profile-gen)
			# `-- CMD ARGS...`: a command line of its own. bash-completion
			# (2.12 renamed the function) completes it as if typed alone.
			if declare -F _comp_command_offset >/dev/null; then
				_comp_command_offset $((orig[dashdash] + 1))
			elif declare -F _command_offset >/dev/null; then
				_command_offset $((orig[dashdash] + 1))
			elif ((cword == dashdash + 1)); then
				mapfile -t COMPREPLY < <(compgen -c -- "$cur")
			else
				_sca_files all "$cur"
			fi ;;
		analyze) _sca_files ext "$cur" trace db ;;
		inspect) _sca_files ext "$cur" trace ;;
		esac
		return 0
	fi

	# The value of an option: `--opt VALUE` or `--opt=VALUE`. With '=' in
	# COMP_WORDBREAKS (the default) bash replaces only the text after the
	# last '='; otherwise the whole word, so the part before is put back.
	local opt='' text=$cur
	if [[ $cur == -*=* ]] && _sca_takes_value "$opts" "${cur%%=*}"; then
		opt=${cur%%=*} text=${cur#*=}
	elif _sca_takes_value "$opts" "$prev"; then
		opt=$prev
	fi
	if [[ $opt ]]; then
		_sca_value "$cmd" "$opt" "$text"
		if [[ $COMP_WORDBREAKS != *=* ]]; then
			local rest=$text head
			[[ $opt == --runtime-root ]] && rest=${text##*=}
			head=${cur%"$rest"}
			[[ $head ]] && COMPREPLY=("${COMPREPLY[@]/#/"$head"}")
		fi
		return 0
	fi

	local options=${opts//=/}
	# inspect stops reading options at its first TRACE.
	[[ $cmd == inspect ]] && ((ntrace)) && options=
	if [[ $cur == -* ]]; then
		_sca_words "$options" "$cur"
		return 0
	fi

	case $cmd in
	record | doctor) _sca_words "$options" "$cur" ;;  # they take no TRACE
	analyze) _sca_files ext "$cur" trace db ;;  # TRACE... or FILE.db
	profile-gen | inspect) _sca_files ext "$cur" trace ;;
	esac
	return 0
}

complete -F _sca sca
