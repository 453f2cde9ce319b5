"""The bash and zsh completion scripts for completegen's model of the parser (fish's:
completefish.py).

Each script holds the static part (verbs, flags, choices) as data and asks
`jumpshell __complete` for targets, tags and themes; after `--` the shell's own completion
of the command takes over.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    """One option: its strings, help, and what its value completes with.

    value: None (no value), "" (free text), "choices:A B", "tags", "themes", "targets", "files".
    """

    names: tuple[str, ...]
    help: str
    value: str | None
    repeat: bool


@dataclass(frozen=True)
class Verb:
    """A command path ("" for jumpshell itself, "run", "key add") and what follows it.

    positional: "" (none), "target", "targets", "themes", "files", "choices:A B";
    subs: (name, help) of its own subcommands.
    """

    path: str
    help: str
    flags: tuple[Flag, ...]
    positional: str
    subs: tuple[tuple[str, str], ...]


HEAD = (
    "# {shell} completion for jumpshell. Generated from its parser by\n"
    "# jumpshell/cli/completegen.py (`python -m jumpshell.cli.completegen --write`): do not edit.\n"
)


def _case_bash(pairs: list[tuple[str, str]], default: str) -> str:
    lines = [f'        "{key}") REPLY="{value}" ;;' for key, value in pairs]
    return "\n".join([*lines, f"        *) {default} ;;"])


def bash(verbs: list[Verb]) -> str:
    """The bash script: `_jumpshell`, registered for `jumpshell`."""
    subs = [(v.path, " ".join(n for n, _ in v.subs)) for v in verbs if v.subs]
    flags = [(v.path, " ".join(n for f in v.flags for n in f.names)) for v in verbs]
    values = [
        (f"{v.path} {n}".strip(), f.value)
        for v in verbs
        for f in v.flags
        for n in f.names
        if f.value is not None
    ]
    positional = [(v.path, v.positional) for v in verbs if v.positional]
    return HEAD.format(shell="bash") + _BASH.format(
        subs=_case_bash(subs, 'REPLY=""'),
        flags=_case_bash(flags, 'REPLY=""'),
        values=_case_bash(values, "return 1"),
        positional=_case_bash(positional, 'REPLY=""'),
    )


_BASH = r"""
_jumpshell_subs() {{  # the subcommands of a command path ("" is jumpshell itself)
    case "$1" in
{subs}
    esac
}}

_jumpshell_flags() {{
    case "$1" in
{flags}
    esac
}}

_jumpshell_value() {{  # what flag $2 of path $1 takes: "", choices:..., tags, themes, files
    case "$1${{1:+ }}$2" in
{values}
    esac
}}

_jumpshell_positional() {{  # target, targets, themes, files, choices:...
    case "$1" in
{positional}
    esac
}}

_jumpshell_words() {{  # `jumpshell __complete KIND ...` into COMPREPLY, descriptions dropped
    mapfile -t COMPREPLY < <(command jumpshell __complete "$@" 2>/dev/null)
    COMPREPLY=("${{COMPREPLY[@]%%$'\t'*}}")
}}

_jumpshell_kind() {{  # complete $cur as a value of kind $1
    case "$1" in
        choices:*) mapfile -t COMPREPLY < <(compgen -W "${{1#choices:}}" -- "$cur") ;;
        target | targets) _jumpshell_words targets "$cur" ;;
        themes) _jumpshell_words themes "$cur" ;;
        files) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
        tags)
            _jumpshell_words tags "$cur"
            compopt -o nospace 2>/dev/null
            ;;
    esac
}}

_jumpshell_command() {{  # after --: the command's own completion
    if declare -F _command_offset >/dev/null; then
        _command_offset "$1"
    elif ((COMP_CWORD == $1)); then
        mapfile -t COMPREPLY < <(compgen -c -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
}}

_jumpshell() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} word path="" n=0 i=1 many=0 REPLY
    COMPREPLY=()
    while ((i < COMP_CWORD)); do
        word=${{COMP_WORDS[i]}}
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
            path="${{path:+$path }}$word"
        elif [[ -z $path ]]; then
            path=shell n=1  # `jumpshell TARGET`, as `ssh HOST`: shell's options follow
        else
            ((n++))
        fi
        ((i++))
    done
    local prev=${{COMP_WORDS[COMP_CWORD - 1]}} before=${{COMP_WORDS[COMP_CWORD - 2]}}
    if [[ $cur == = ]] && _jumpshell_value "$path" "$prev"; then
        cur="" _jumpshell_kind "$REPLY"  # --format=
    elif [[ $cur == = ]] && _jumpshell_value "$path" "$before" && [[ $REPLY == tags ]]; then
        _jumpshell_words tag-values "$prev" ""  # --tag KEY=
    elif [[ $prev == = ]] && _jumpshell_value "$path" "$before"; then
        _jumpshell_kind "$REPLY"  # --format=js
    elif [[ $prev == = ]] && _jumpshell_value "$path" "${{COMP_WORDS[COMP_CWORD - 3]}}" &&
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
        local verbs=("${{COMPREPLY[@]}}")
        _jumpshell_words targets "$cur"
        COMPREPLY=("${{verbs[@]}}" "${{COMPREPLY[@]}}")
    elif _jumpshell_subs "$path" && [[ -n $REPLY ]]; then
        ((n == 0)) && mapfile -t COMPREPLY < <(compgen -W "$REPLY" -- "$cur")
    else
        _jumpshell_positional "$path"
        ((many)) && REPLY=targets
        [[ $REPLY == targets || $n == 0 ]] && _jumpshell_kind "$REPLY"
    fi
    return 0
}}

complete -F _jumpshell jumpshell
"""


def _fname(path: str) -> str:
    return "_jumpshell__" + path.replace(" ", "_").replace("-", "_")


def _zsh_action(kind: str) -> str:
    if kind.startswith("choices:"):
        return f"({kind[8:]})"
    return {
        "target": "_jumpshell_targets",
        "targets": "_jumpshell_targets",
        "themes": "_jumpshell_themes",
        "tags": "_jumpshell_tags",
        "files": "_files",
    }.get(kind, " ")


def _zsh_specs(verb: Verb) -> list[str]:
    specs = []
    for flag in verb.flags:
        for name in flag.names:
            spec = f"{'*' if flag.repeat else ''}{name}[{flag.help or name}]"
            if flag.value is not None:
                # --each A B ...: every word up to the next option is one of its targets
                many = "*-*:" if flag.value == "targets" else ""
                spec += f":{many}{flag.names[-1].lstrip('-')}:{_zsh_action(flag.value)}"
            specs.append("'" + spec + "'")
    return specs


def _zsh_verb(verb: Verb) -> str:
    specs = _zsh_specs(verb)
    if verb.subs:
        described = " ".join(f"'{n}:{h}'" for n, h in verb.subs)
        return f"""
{_fname(verb.path)}() {{
    local curcontext=$curcontext state line
    _arguments -C {" ".join(specs)} '1: :->sub' '*:: :->rest' && return
    case $state in
        sub) local -a subs=({described}); _describe -t commands command subs ;;
        rest) local f={_fname(verb.path)}_${{words[1]//-/_}}; (( $+functions[$f] )) && $f ;;
    esac
}}
"""
    if verb.positional:
        many = "*" if verb.positional == "targets" else "1"
        message = verb.positional.split(":")[0]  # choices:A B -> choices (a ':' ends it)
        specs.append(f"'{many}:{message}:{_zsh_action(verb.positional)}'")
    return f"\n{_fname(verb.path)}() {{\n    _arguments {' '.join(specs)}\n}}\n"


def zsh(verbs: list[Verb]) -> str:
    """The zsh script: autoloaded from fpath as `_jumpshell`, or sourced (then compdef'd)."""
    top = verbs[0]
    shell = next(v for v in verbs if v.path == "shell")
    ssh = "_arguments " + " ".join(_zsh_specs(shell))
    body = "".join(_zsh_verb(v) for v in verbs[1:])
    return (
        "#compdef jumpshell\n"
        + HEAD.format(shell="zsh")
        + _ZSH.format(
            verbs=" ".join(f"'{n}:{h}'" for n, h in top.subs),
            specs=" ".join(_zsh_specs(top)),
            ssh=ssh,
            body=body,
        )
    )


_ZSH = r"""
_jumpshell_targets() {{  # WORD<TAB>DESCRIPTION from the names cache (PROD marks production)
    local -a lines=(${{(f)"$(command jumpshell __complete targets "$PREFIX" 2>/dev/null)"}})
    lines=(${{lines//:/\\:}})
    lines=(${{lines//$'\t'/:}})
    _describe -t targets target lines
}}

_jumpshell_themes() {{
    local -a found=(${{(f)"$(command jumpshell __complete themes "" 2>/dev/null)"}})
    compadd -a found
}}

_jumpshell_tags() {{  # KEY=VALUE: keys (then =), then the values that key has
    local -a found
    if compset -P 1 '*='; then
        local key=${{IPREFIX%=}}
        found=(${{(f)"$(command jumpshell __complete tag-values "$key" "$PREFIX" 2>/dev/null)"}})
        compadd -a found
    else
        found=(${{(f)"$(command jumpshell __complete tags "$PREFIX" 2>/dev/null)"}})
        compadd -S '=' -- "${{(@)found%=}}"
    fi
}}

_jumpshell_ssh() {{  # `jumpshell TARGET ...`, as `ssh HOST`: shell's options
    {ssh}
}}
{body}
_jumpshell() {{
    local i
    for ((i = 2; i < CURRENT; i++)); do
        if [[ ${{words[i]}} == -- ]]; then  # run TARGET -- CMD: the command's own completion
            words=("${{(@)words[i+1,-1]}}")
            ((CURRENT -= i))
            _normal
            return
        fi
    done
    local curcontext=$curcontext state line
    local -a verbs=({verbs})
    _arguments -C {specs} '1: :->first' '*:: :->rest' && return
    case $state in
        first)
            _describe -t commands command verbs
            _jumpshell_targets
            ;;
        rest)
            local f=_jumpshell__${{words[1]//-/_}}
            if (( ${{verbs[(I)${{words[1]}}:*]}} )) && (( $+functions[$f] )); then
                $f
            else
                _jumpshell_ssh
            fi
            ;;
    esac
}}

if [[ ${{zsh_eval_context[-1]}} == loadautofunc ]]; then
    _jumpshell "$@"
else
    compdef _jumpshell jumpshell
fi
"""
