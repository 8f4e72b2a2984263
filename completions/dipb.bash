# bash completion for dipb(1)
#
# Source this file, or install it as dipb in bash-completion's directory
# (/usr/share/bash-completion/completions).  It needs nothing but bash 4.
#
# The commands and options below follow 'dipb help' and 'dipb COMMAND
# --help'; tests/cli/docs.sh fails when they disagree.

_dipb_commands='init recommend edit review submit decide withdraw action declassify meeting migrate list todo show diff log report validate fmt verify allowed-signers schema sync help'
_dipb_global_opts='-C --color --version --help'

# The options of each command.
_dipb_opts()
{
	case $1 in
	init)		echo '--board --config --layout --retry --help' ;;
	recommend)	echo '--wg --title --summary --from --no-edit --retry --help' ;;
	edit)		echo '--no-edit --board --retry --help' ;;
	review)		echo '--request --recall --endorse --request-changes --object --reply-to --expect -m -F --retry --help' ;;
	submit)		echo '--reference --to --retry --help' ;;
	decide)		echo '--outcome -m --retry --help' ;;
	withdraw)	echo '-m --retry --help' ;;
	action)		echo '--done --dropped --open -m --due --reason --retry --help' ;;
	declassify)	echo '-m --retry --help' ;;
	meeting)	echo '--date --attendee --apology --agenda --title -m -F --retry --help' ;;
	migrate)	echo '--layout -m -F --retry --help' ;;
	list)		echo '--status --wg --priority --topic --author --owner --grep --format --help' ;;
	todo)		echo '--member --today --format --help' ;;
	show)		echo '--format --help' ;;
	diff)		echo '--since-review --all --stat -U --unified --color --exit-code --help' ;;
	log)		echo '--since --until --format --help' ;;
	report)		echo '--since --until --meeting --reference --title --today --max-classification --format -o --help' ;;
	validate)	echo '--canonical --warnings-as-errors --format --help' ;;
	fmt)		echo '--check --help' ;;
	verify)		echo '--since --format --help' ;;
	allowed-signers) echo '--at --help' ;;
	schema)		echo '--generic --help' ;;
	sync)		echo '--no-push --attempts --retry --help' ;;
	help)		echo '--help' ;;
	esac
}

# 0 when option $2 of command $1 takes an argument.
_dipb_takes_arg()
{
	case $2 in
	--config|--retry|--wg|--title|--summary|--from|-m|-F|--reference|\
	--to|--outcome|--status|--format|--since|--until|--title|--today|\
	--max-classification|--at|--expect|-o|--attempts|-U|--unified|\
	--reply-to|--date|--attendee|--apology|--agenda|--meeting)
		return 0 ;;
	--layout)
		return 0 ;;
	--priority|--topic|--author|--owner|--grep|--member)
		return 0 ;;
	--due|--reason)
		return 0 ;;
	--board)
		[ "$1" = init ] ;;
	*)
		return 1 ;;
	esac
}

# The ids of the board's records, of the given statuses (all when none).
# $1 is the dipb to run, $2 the -C directory or empty.
_dipb_ids()
{
	local bin=$1 dir=$2 s
	local -a C=()
	shift 2
	[ -n "$dir" ] && C=(-C "$dir")
	if [ $# -eq 0 ]; then
		"$bin" "${C[@]}" list --format ids 2>/dev/null
		return
	fi
	for s; do
		"$bin" "${C[@]}" list --status "$s" --format ids 2>/dev/null
	done
}

# The versions ID@N of the record $2, for a word ID@ (dipb-show(1),
# dipb-diff(1)), from its tags ID/N-EVENT; $1 is the -C directory or empty.
_dipb_versions()
{
	local t
	git ${1:+-C "$1"} tag -l "$2/*" 2>/dev/null | while IFS= read -r t; do
		t=${t#*/}
		printf '%s\n' "$2@${t%%-*}"
	done | LC_ALL=C sort -u
}

# The members' emails in dipb.yaml at the top of the board's work tree.
_dipb_emails()
{
	local top
	local -a C=()
	[ -n "$1" ] && C=(-C "$1")
	top=$(git "${C[@]}" rev-parse --show-toplevel 2>/dev/null) || return
	[ -r "$top/dipb.yaml" ] || return
	sed -n "s/^    email:[[:space:]]*['\"]\{0,1\}\([^'\" #]*\).*/\1/p" \
	    "$top/dipb.yaml"
}

# The working group keys of dipb.yaml at the top of the board's work tree.
_dipb_wgs()
{
	local top
	local -a C=()
	[ -n "$1" ] && C=(-C "$1")
	top=$(git "${C[@]}" rev-parse --show-toplevel 2>/dev/null) || return
	[ -r "$top/dipb.yaml" ] || return
	sed -n "s/^  - key:[[:space:]]*['\"]\{0,1\}\([^'\" #]*\).*/\1/p" \
	    "$top/dipb.yaml"
}

# COMPREPLY from compgen's output, one word per line (file names may
# hold spaces).
_dipb_compgen()
{
	mapfile -t COMPREPLY < <(compgen "$@" 2>/dev/null)
}

# COMPREPLY from the words of $1 (split at blanks and newlines, as compgen
# -W splits its list) that begin with $2 as the shell reads it (quotes and
# backslashes undone, as compgen -W undoes them), compared as text.  For
# the words that come from the board: ids, tags, dipb.yaml's keys and
# emails, remotes.  compgen -W expands each word of its list as the shell
# expands a word, so a $(...) or `...` in a tag's name (anyone may push
# one, and dipb sync fetches it) or in dipb.yaml would run on TAB.  Sets
# _dipb's quote: _dipb puts such words on the line quoted.
_dipb_wordlist()
{
	local w c
	local -a l
	COMPREPLY=()
	quote=1
	_dipb_unquote c "$2"
	openq=$_dipb_openq
	while read -ra l; do
		for w in "${l[@]}"; do
			if [[ $w == "$c"* ]]; then
				COMPREPLY+=("$w")
			fi
		done
	done <<<"$1"
}

# Sets words and cword (the caller's) from COMP_WORDS and COMP_CWORD, with
# the pieces bash split at '@' or ':' (both in COMP_WORDBREAKS) joined
# again where the line has no blank between them: a version ID@N
# (dipb-show(1), dipb-diff(1)) and an email are one word.  '=' stays
# split: --opt=VAL is read as the words --opt, =, VAL.
_dipb_words()
{
	local line=${COMP_LINE-} i w cw=0 glued=''
	words=()
	cword=-1
	if [ -z "${COMP_LINE+set}" ]; then
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		return
	fi
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if [ "$cword" -ge 0 ] && [[ $line != [[:blank:]]* ]] &&
		    { [[ -n $w && $w != *[!@:]* ]] || [ -n "$glued" ]; }; then
			words[cword]+=$w
		else
			cword=$((cword + 1))
			words[cword]=$w
		fi
		glued=''
		[[ -n $w && $w != *[!@:]* ]] && glued=1
		line=${line#"${line%%[![:blank:]]*}"}
		line=${line#"$w"}
		[ "$i" -eq "$COMP_CWORD" ] && cw=$cword
	done
	cword=$cw
}

# Sets the variable named $1 to the word $2 as the shell reads it: quotes
# '...', "..." and $'...' and backslashes undone, a leading ~ or ~/ made
# $HOME.  Done by hand, not by eval, which would run what the word holds.
_dipb_unquote()
{
	local _s=$2 _o='' _c _q='' _t
	case $_s in
	\~|\~/*)
		_o=$HOME
		_s=${_s#\~} ;;
	esac
	while [ -n "$_s" ]; do
		_c=${_s:0:1}
		_s=${_s:1}
		if [ "$_q" = "'" ]; then
			if [ "$_c" = "'" ]; then _q=''; else _o+=$_c; fi
		elif [ "$_q" = '"' ]; then
			case $_c in
			'"')	_q='' ;;
			\\)
				case ${_s:0:1} in
				'$'|'`'|'"'|\\)
					_o+=${_s:0:1}
					_s=${_s:1} ;;
				$'\n')	_s=${_s:1} ;;
				*)	_o+=$_c ;;
				esac ;;
			*)	_o+=$_c ;;
			esac
		else
			case $_c in
			"'"|'"') _q=$_c ;;
			'$')
				# $'...': its escapes as bash reads them, by
				# ${x@E} (bash 4.4), never by eval.
				if [ "${_s:0:1}" != "'" ]; then
					_o+=$_c
					continue
				fi
				_s=${_s:1}
				_t=''
				while [ -n "$_s" ] && [ "${_s:0:1}" != "'" ]; do
					if [ "${_s:0:1}" = \\ ]; then
						_t+=${_s:0:2}
						_s=${_s:2}
					else
						_t+=${_s:0:1}
						_s=${_s:1}
					fi
				done
				_s=${_s:1}
				_o+=${_t@E} ;;
			\\)
				[ "${_s:0:1}" = $'\n' ] || _o+=${_s:0:1}
				_s=${_s:1} ;;
			*)	_o+=$_c ;;
			esac
		fi
	done
	printf -v "$1" %s "$_o"
	_dipb_openq=$_q
}

_dipb()
{
	local -a words
	local cword cur pre brk='' quote='' openq='' i w
	_dipb_words
	_dipb_complete
	# bash puts a reply in place of the text from the word's last '@' (in
	# COMP_WORDBREAKS; the '@' itself is replaced too) or after its last
	# ':' (likewise), not of the whole word: leave out what is before.
	cur=${words[cword]}
	case $COMP_WORDBREAKS in *@*) brk=@ ;; esac
	case $COMP_WORDBREAKS in *:*) brk+=: ;; esac
	[ -n "$brk" ] && pre=${cur%"${cur##*["$brk"]}"} || pre=''
	pre=${pre%@}
	# A board's words (_dipb_wordlist) are as the shell reads them, and
	# so is what is left out of them.  readline splits the word at an
	# '@' or ':' outside quotes and not after a backslash only: at
	# another, where a reply would go is not known, so none is given and
	# the line stays as typed.
	if [ -n "$quote" ] && [ -n "$pre" ]; then
		w=${pre%:}
		_dipb_unquote pre "$pre"
		if [ -n "$_dipb_openq" ] || [[ $w =~ (^|[^\\])(\\\\)*\\$ ]]
		then
			COMPREPLY=()
		fi
	fi
	if [ -n "$pre" ]; then
		COMPREPLY=("${COMPREPLY[@]#"$pre"}")
	fi
	# A word with a character the shell reads is put on the line as the
	# shell would read it back, as zsh and fish put it, so that Enter
	# passes it as it is rather than running it: after an open ' as it
	# is (one holding a ' cannot be), after an open " with \ before
	# $ ` " and \, else quoted by printf %q.
	if [ -n "$quote" ]; then
		for i in "${!COMPREPLY[@]}"; do
			w=${COMPREPLY[i]}
			case $openq in
			"'")
				[[ $w == *"'"* ]] && unset 'COMPREPLY[i]' ;;
			'"')
				w=${w//\\/\\\\}
				w=${w//\$/\\\$}
				w=${w//\`/\\\`}
				w=${w//\"/\\\"}
				COMPREPLY[i]=$w ;;
			*)
				if [[ $w == *[!A-Za-z0-9@%+,./:=_-]* ]]; then
					printf -v "COMPREPLY[$i]" %q "$w"
				fi ;;
			esac
		done
		COMPREPLY=("${COMPREPLY[@]}")
	fi
	return 0
}

_dipb_complete()
{
	local cur=${words[cword]}
	local bin=${words[0]} dir='' cmd='' cmdi=0 opt='' eq='' i w npos=0

	# Global options, up to the command.
	i=1
	while [ "$i" -lt "$cword" ]; do
		w=${words[i]}
		case $w in
		-C)
			# As typed: "my board" or my\ board (dipb(1) -C).
			[ $((i + 1)) -lt "$cword" ] &&
			    _dipb_unquote dir "${words[i+1]}"
			i=$((i + 2))
			continue ;;
		-C?*)
			_dipb_unquote dir "${w#-C}" ;;
		--color)
			if [ "${words[i+1]}" = = ]; then
				i=$((i + 3))
			else
				i=$((i + 2))
			fi
			continue ;;
		-*)
			;;
		*)
			cmd=$w
			cmdi=$i
			break ;;
		esac
		i=$((i + 1))
	done
	_dipb_unquote bin "$bin"

	# The option whose value is being completed: "--opt VAL", "--opt=VAL"
	# (COMP_WORDBREAKS splits at '=', so the words are --opt, =, VAL).
	if [ "$cur" = = ]; then
		opt=${words[cword-1]}
		cur=
		eq=1
	elif [ "$cword" -ge 2 ] && [ "${words[cword-1]}" = = ]; then
		opt=${words[cword-2]}
		eq=1
	elif [ "$cword" -ge 1 ]; then
		opt=${words[cword-1]}
	fi

	if [ -z "$cmd" ]; then
		case $opt in
		-C)
			_dipb_compgen -d -- "$cur"
			return ;;
		--color)
			_dipb_compgen -W 'auto always never' -- "$cur"
			return ;;
		esac
		case $cur in
		-*)	_dipb_compgen -W "$_dipb_global_opts" -- "$cur" ;;
		*)	_dipb_compgen -W "$_dipb_commands" -- "$cur" ;;
		esac
		return
	fi

	# diff's --color takes its WHEN only as --color=WHEN.
	if [ "$cmd" = diff ] && [ "$opt" = --color ] && [ -n "$eq" ]; then
		_dipb_compgen -W 'auto always never' -- "$cur"
		return
	fi

	if [ "$cword" -gt $((cmdi + 1)) ] && _dipb_takes_arg "$cmd" "$opt"; then
		case $opt in
		--wg)
			_dipb_wordlist "$(_dipb_wgs "$dir")" "$cur" ;;
		--status)
			_dipb_compgen -W 'draft in-review returned endorsed
			    submitted decided withdrawn' -- "$cur" ;;
		--outcome)
			_dipb_compgen -W 'agreed noted deferred declined' \
			    -- "$cur" ;;
		--priority)
			_dipb_compgen -W 'high medium low none' -- "$cur" ;;
		--layout)
			_dipb_compgen -W 'flat sharded' -- "$cur" ;;
		--member|--author|--owner|--attendee|--apology|--reply-to)
			_dipb_wordlist "$(_dipb_emails "$dir")" "$cur" ;;
		--agenda)
			_dipb_wordlist "$(_dipb_ids "$bin" "$dir")" "$cur" ;;
		--format)
			case $cmd in
			list)	_dipb_compgen -W 'table json ids' -- "$cur" ;;
			todo)	_dipb_compgen -W 'text json' -- "$cur" ;;
			show)	_dipb_compgen -W 'yaml json markdown html' \
				    -- "$cur" ;;
			log)	_dipb_compgen -W 'text json' -- "$cur" ;;
			report)
				_dipb_compgen -W 'markdown html man latex json' \
				    -- "$cur" ;;
			validate)
				_dipb_compgen -W 'gcc json github junit sarif gitlab auto' \
				    -- "$cur" ;;
			verify)	_dipb_compgen -W 'text json github junit sarif' \
				    -- "$cur" ;;
			esac ;;
		--config|--from|-F|-o)
			compopt -o filenames 2>/dev/null
			_dipb_compgen -f -- "$cur" ;;
		*)
			COMPREPLY=() ;;
		esac
		return
	fi

	case $cur in
	-*)
		_dipb_compgen -W "$(_dipb_opts "$cmd")" -- "$cur"
		return ;;
	esac

	# Count the arguments before this one, leaving out options and their
	# values.
	i=$((cmdi + 1))
	while [ "$i" -lt "$cword" ]; do
		w=${words[i]}
		case $w in
		=)
			i=$((i + 2))
			continue ;;
		-*)
			if _dipb_takes_arg "$cmd" "$w" &&
			    [ "${words[i+1]}" != = ]; then
				i=$((i + 2))
				continue
			fi ;;
		*)
			npos=$((npos + 1)) ;;
		esac
		i=$((i + 1))
	done

	case $cmd in
	init)
		[ "$npos" -eq 0 ] && {
			compopt -o filenames 2>/dev/null
			_dipb_compgen -d -- "$cur"
		} ;;
	help)
		[ "$npos" -eq 0 ] &&
		    _dipb_compgen -W "$_dipb_commands" -- "$cur" ;;
	validate|fmt)
		compopt -o filenames 2>/dev/null
		_dipb_compgen -f -- "$cur" ;;
	show)
		if [ "$npos" -eq 0 ] && [ "${cur#*@}" != "$cur" ]; then
			_dipb_wordlist "$(_dipb_versions "$dir" \
			    "${cur%%@*}")" "$cur"
		elif [ "$npos" -eq 0 ]; then
			_dipb_wordlist "$(_dipb_ids "$bin" "$dir")" "$cur"
		fi ;;
	diff)
		# The id, then versions: N-EVENT, from the record's tags, or
		# ID@N.
		if [ "$npos" -eq 0 ]; then
			_dipb_wordlist "$(_dipb_ids "$bin" "$dir")" "$cur"
		elif [ "$npos" -le 2 ] && [ "${cur#*@}" != "$cur" ]; then
			_dipb_wordlist "$(_dipb_versions "$dir" \
			    "${cur%%@*}")" "$cur"
		elif [ "$npos" -le 2 ]; then
			w=${words[cmdi + 1]}
			_dipb_wordlist "$(git ${dir:+-C "$dir"} tag -l \
			    "$w/*" 2>/dev/null | sed 's,^[^/]*/,,')" "$cur"
		fi ;;
	log)
		[ "$npos" -eq 0 ] && _dipb_wordlist "board meeting $(_dipb_ids \
		    "$bin" "$dir")" "$cur" ;;
	report)
		[ "$npos" -eq 0 ] && _dipb_compgen -W 'status package minutes
		    actions agenda' -- "$cur" ;;
	schema)
		[ "$npos" -eq 0 ] && _dipb_compgen -W 'record draft board' \
		    -- "$cur" ;;
	edit)
		case " ${words[*]:cmdi:cword-cmdi} " in
		*" --board "*)	return 0 ;;
		esac
		[ "$npos" -eq 0 ] && _dipb_wordlist "$(_dipb_ids "$bin" \
		    "$dir" draft returned)" "$cur" ;;
	review)
		[ "$npos" -eq 0 ] && _dipb_wordlist "$(_dipb_ids "$bin" \
		    "$dir" draft returned in-review)" "$cur" ;;
	submit)
		_dipb_wordlist "$(_dipb_ids "$bin" "$dir" endorsed)" "$cur" ;;
	decide)
		# decided: a deferred decision is decided again
		[ "$npos" -eq 0 ] && _dipb_wordlist "$(_dipb_ids "$bin" \
		    "$dir" submitted decided)" "$cur" ;;
	withdraw)
		[ "$npos" -eq 0 ] && _dipb_wordlist "$(_dipb_ids "$bin" \
		    "$dir" draft in-review returned endorsed)" "$cur" ;;
	action)
		[ "$npos" -eq 0 ] && _dipb_wordlist "$(_dipb_ids "$bin" \
		    "$dir" decided)" "$cur" ;;
	declassify)
		[ "$npos" -eq 0 ] && _dipb_wordlist "$(_dipb_ids "$bin" \
		    "$dir")" "$cur" ;;
	sync)
		[ "$npos" -eq 0 ] && _dipb_wordlist "$(git ${dir:+-C "$dir"} \
		    remote 2>/dev/null)" "$cur" ;;
	esac
	return 0
}

complete -F _dipb dipb
