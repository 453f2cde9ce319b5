# bash completion for jumpshell. Generated from its parser by
# jumpshell/cli/completegen.py (`python -m jumpshell.cli.completegen --write`): do not edit.

_jumpshell_subs() {  # the subcommands of a command path ("" is jumpshell itself)
    case "$1" in
        "") REPLY="init key login logout lock status run env shell switch credential-process list whoami audit theme pick tmux completions import demo help" ;;
        "key") REPLY="add rotate remove import" ;;
        "theme") REPLY="list show" ;;
        "help") REPLY="init key login logout lock status run env shell switch credential-process list whoami audit theme pick tmux completions import demo help" ;;
        "help key") REPLY="add rotate remove import" ;;
        "help theme") REPLY="list show" ;;
        *) REPLY="" ;;
    esac
}

_jumpshell_flags() {
    case "$1" in
        "") REPLY="-h --help --version --debug" ;;
        "init") REPLY="-h --help --debug --account-id --user-name --mfa-serial --region --force" ;;
        "key") REPLY="-h --help --debug" ;;
        "key add") REPLY="-h --help --debug --no-check --jump" ;;
        "key rotate") REPLY="-h --help --debug --mfa-code --delete-unknown --jump" ;;
        "key remove") REPLY="-h --help --debug --jump" ;;
        "key import") REPLY="-h --help --debug --profile --yes --jump" ;;
        "login") REPLY="-h --help --debug --jump --mfa-code" ;;
        "logout") REPLY="-h --help --debug --jump" ;;
        "lock") REPLY="-h --help --debug" ;;
        "status") REPLY="-h --help --debug --json" ;;
        "run") REPLY="-h --help --debug --mfa-code --region --duration --yes --each --parallel --tag --production --no-production --all --refresh" ;;
        "env") REPLY="-h --help --debug --mfa-code --region --duration --yes --format --unset" ;;
        "shell") REPLY="-h --help --debug --mfa-code --region --duration --yes --static" ;;
        "switch") REPLY="-h --help --debug --mfa-code --region --duration --yes" ;;
        "credential-process") REPLY="-h --help --debug --mfa-code --region --duration --yes --session --jump" ;;
        "list") REPLY="-h --help --debug --json --skipped" ;;
        "whoami") REPLY="-h --help --debug" ;;
        "audit") REPLY="-h --help --debug --since --json" ;;
        "theme") REPLY="-h --help --debug" ;;
        "theme list") REPLY="-h --help --debug" ;;
        "theme show") REPLY="-h --help --debug --no-color" ;;
        "pick") REPLY="-h --help --debug --print" ;;
        "tmux") REPLY="-h --help --debug --tag --production --no-production --all --layout --window --session --detach --sync --socket --mfa-code --region --duration --yes" ;;
        "completions") REPLY="-h --help --debug" ;;
        "import") REPLY="-h --help --debug --file --yes" ;;
        "demo") REPLY="-h --help --debug" ;;
        "help") REPLY="-h --help --debug" ;;
        "help init") REPLY="-h --help --debug" ;;
        "help key") REPLY="-h --help --debug" ;;
        "help key add") REPLY="-h --help --debug" ;;
        "help key rotate") REPLY="-h --help --debug" ;;
        "help key remove") REPLY="-h --help --debug" ;;
        "help key import") REPLY="-h --help --debug" ;;
        "help login") REPLY="-h --help --debug" ;;
        "help logout") REPLY="-h --help --debug" ;;
        "help lock") REPLY="-h --help --debug" ;;
        "help status") REPLY="-h --help --debug" ;;
        "help run") REPLY="-h --help --debug" ;;
        "help env") REPLY="-h --help --debug" ;;
        "help shell") REPLY="-h --help --debug" ;;
        "help switch") REPLY="-h --help --debug" ;;
        "help credential-process") REPLY="-h --help --debug" ;;
        "help list") REPLY="-h --help --debug" ;;
        "help whoami") REPLY="-h --help --debug" ;;
        "help audit") REPLY="-h --help --debug" ;;
        "help theme") REPLY="-h --help --debug" ;;
        "help theme list") REPLY="-h --help --debug" ;;
        "help theme show") REPLY="-h --help --debug" ;;
        "help pick") REPLY="-h --help --debug" ;;
        "help tmux") REPLY="-h --help --debug" ;;
        "help completions") REPLY="-h --help --debug" ;;
        "help import") REPLY="-h --help --debug" ;;
        "help demo") REPLY="-h --help --debug" ;;
        *) REPLY="" ;;
    esac
}

_jumpshell_value() {  # what flag $2 of path $1 takes: "", choices:..., tags, themes, files
    case "$1${1:+ }$2" in
        "init --account-id") REPLY="" ;;
        "init --user-name") REPLY="" ;;
        "init --mfa-serial") REPLY="" ;;
        "init --region") REPLY="" ;;
        "key add --jump") REPLY="" ;;
        "key rotate --mfa-code") REPLY="" ;;
        "key rotate --jump") REPLY="" ;;
        "key remove --jump") REPLY="" ;;
        "key import --profile") REPLY="files" ;;
        "key import --jump") REPLY="" ;;
        "login --jump") REPLY="" ;;
        "login --mfa-code") REPLY="" ;;
        "logout --jump") REPLY="" ;;
        "run --mfa-code") REPLY="" ;;
        "run --region") REPLY="" ;;
        "run --duration") REPLY="" ;;
        "run --each") REPLY="targets" ;;
        "run --parallel") REPLY="" ;;
        "run --tag") REPLY="tags" ;;
        "env --mfa-code") REPLY="" ;;
        "env --region") REPLY="" ;;
        "env --duration") REPLY="" ;;
        "env --format") REPLY="choices:sh fish json dotenv" ;;
        "shell --mfa-code") REPLY="" ;;
        "shell --region") REPLY="" ;;
        "shell --duration") REPLY="" ;;
        "switch --mfa-code") REPLY="" ;;
        "switch --region") REPLY="" ;;
        "switch --duration") REPLY="" ;;
        "credential-process --mfa-code") REPLY="" ;;
        "credential-process --region") REPLY="" ;;
        "credential-process --duration") REPLY="" ;;
        "credential-process --jump") REPLY="" ;;
        "audit --since") REPLY="" ;;
        "tmux --tag") REPLY="tags" ;;
        "tmux --layout") REPLY="choices:tiled even-horizontal even-vertical main-vertical" ;;
        "tmux --window") REPLY="" ;;
        "tmux --session") REPLY="" ;;
        "tmux --socket") REPLY="" ;;
        "tmux --mfa-code") REPLY="" ;;
        "tmux --region") REPLY="" ;;
        "tmux --duration") REPLY="" ;;
        "import --file") REPLY="files" ;;
        *) return 1 ;;
    esac
}

_jumpshell_positional() {  # target, targets, themes, files, choices:...
    case "$1" in
        "run") REPLY="target" ;;
        "env") REPLY="target" ;;
        "shell") REPLY="target" ;;
        "switch") REPLY="target" ;;
        "credential-process") REPLY="target" ;;
        "theme show") REPLY="themes" ;;
        "tmux") REPLY="targets" ;;
        "completions") REPLY="choices:bash zsh fish" ;;
        "import") REPLY="choices:aws-config" ;;
        "demo") REPLY="choices:code" ;;
        "help completions") REPLY="choices:bash zsh fish" ;;
        "help import") REPLY="choices:aws-config" ;;
        "help demo") REPLY="choices:code" ;;
        *) REPLY="" ;;
    esac
}

_jumpshell_words() {  # `jumpshell __complete KIND ...` into COMPREPLY, descriptions dropped
    mapfile -t COMPREPLY < <(command jumpshell __complete "$@" 2>/dev/null)
    COMPREPLY=("${COMPREPLY[@]%%$'\t'*}")
}

_jumpshell_kind() {  # complete $cur as a value of kind $1
    case "$1" in
        choices:*) mapfile -t COMPREPLY < <(compgen -W "${1#choices:}" -- "$cur") ;;
        target | targets) _jumpshell_words targets "$cur" ;;
        themes) _jumpshell_words themes "$cur" ;;
        files) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
        tags)
            _jumpshell_words tags "$cur"
            compopt -o nospace 2>/dev/null
            ;;
    esac
}

_jumpshell_command() {  # after --: the command's own completion
    if declare -F _command_offset >/dev/null; then
        _command_offset "$1"
    elif ((COMP_CWORD == $1)); then
        mapfile -t COMPREPLY < <(compgen -c -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
}

_jumpshell() {
    local cur=${COMP_WORDS[COMP_CWORD]} word path="" n=0 i=1 many=0 REPLY
    COMPREPLY=()
    while ((i < COMP_CWORD)); do
        word=${COMP_WORDS[i]}
        if [[ $word == -- ]]; then
            _jumpshell_command $((i + 1))
            return
        elif [[ $word == = ]]; then
            ((i += 2))  # KEY=VALUE, split by bash at the =
            continue
        elif [[ $word == -* ]]; then
            if [[ $word != *=* ]] && _jumpshell_value "$path" "$word"; then
                [[ $REPLY == targets ]] && many=1  # run --each A B ...: every word a target
                ((i++))
            fi
        elif _jumpshell_subs "$path" && ((n == 0)) && [[ " $REPLY " == *" $word "* ]]; then
            path="${path:+$path }$word"
        elif [[ -z $path ]]; then
            path=shell n=1  # `jumpshell TARGET`, as `ssh HOST`: shell's options follow
        else
            ((n++))
        fi
        ((i++))
    done
    local prev=${COMP_WORDS[COMP_CWORD - 1]} before=${COMP_WORDS[COMP_CWORD - 2]}
    if [[ $cur == = ]] && _jumpshell_value "$path" "$prev"; then
        cur="" _jumpshell_kind "$REPLY"  # --format=
    elif [[ $cur == = ]] && _jumpshell_value "$path" "$before" && [[ $REPLY == tags ]]; then
        _jumpshell_words tag-values "$prev" ""  # --tag KEY=
    elif [[ $prev == = ]] && _jumpshell_value "$path" "$before"; then
        _jumpshell_kind "$REPLY"  # --format=js
    elif [[ $prev == = ]] && _jumpshell_value "$path" "${COMP_WORDS[COMP_CWORD - 3]}" &&
        [[ $REPLY == tags ]]; then
        _jumpshell_words tag-values "$before" "$cur"  # --tag KEY=VA
    elif [[ $prev == -* && $prev != *=* ]] && _jumpshell_value "$path" "$prev"; then
        _jumpshell_kind "$REPLY"
    elif [[ $cur == -* ]]; then
        _jumpshell_flags "$path"
        mapfile -t COMPREPLY < <(compgen -W "$REPLY" -- "$cur")
    elif [[ -z $path ]]; then
        _jumpshell_subs ""
        mapfile -t COMPREPLY < <(compgen -W "$REPLY" -- "$cur")
        local verbs=("${COMPREPLY[@]}")
        _jumpshell_words targets "$cur"
        COMPREPLY=("${verbs[@]}" "${COMPREPLY[@]}")
    elif _jumpshell_subs "$path" && [[ -n $REPLY ]]; then
        ((n == 0)) && mapfile -t COMPREPLY < <(compgen -W "$REPLY" -- "$cur")
    else
        _jumpshell_positional "$path"
        ((many)) && REPLY=targets
        [[ $REPLY == targets || $n == 0 ]] && _jumpshell_kind "$REPLY"
    fi
    return 0
}

complete -F _jumpshell jumpshell
