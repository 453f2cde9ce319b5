"""The fish completion script for completegen's model of the parser: `complete` lines whose
conditions read the command line's state (cached per command line: fish asks every one)."""

from __future__ import annotations

from jumpshell.cli.completeshells import HEAD, Verb


def _fish_cond(path: str, what: str) -> str:
    return f"'__jumpshell_{what} \"{path}\"'"


def _fish_line(verb: Verb) -> list[str]:
    out = []
    for name, text in verb.subs:
        out.append(f"complete -c jumpshell -n {_fish_cond(verb.path, 'pos')} -a {name} -d '{text}'")
    for flag in verb.flags:
        opts = " ".join(f"-l {n[2:]}" if n.startswith("--") else f"-s {n[1:]}" for n in flag.names)
        value = ""
        if flag.value == "files":
            value = " -r -F"
        elif flag.value is not None and flag.value.startswith("choices:"):
            value = f" -x -a '{flag.value[8:]}'"
        elif flag.value in ("tags", "themes", "targets"):
            value = f" -x -a '(__jumpshell_{flag.value})'"
        elif flag.value is not None:
            value = " -x"
        cond = _fish_cond(verb.path, "at")
        out.append(f"complete -c jumpshell -n {cond} {opts}{value} -d '{flag.help}'")
    kind = verb.positional
    if kind and not verb.subs:
        what = "at" if kind == "targets" else "pos"
        if kind.startswith("choices:"):
            words = f"'{kind[8:]}'"
        else:
            words = {"files": "'(__fish_complete_path)'"}.get(kind, f"'(__jumpshell_{kind})'")
            words = words.replace("__jumpshell_target)", "__jumpshell_targets)")
        out.append(f"complete -c jumpshell -n {_fish_cond(verb.path, what)} -a {words}")
    return out


def fish(verbs: list[Verb]) -> str:
    """The fish script: `complete` lines whose conditions read the command line's state."""
    takes = " ".join(
        f"'{v.path}{' ' if v.path else ''}{n}'"
        for v in verbs
        for f in v.flags
        for n in f.names
        if f.value is not None
    )
    many = " ".join(
        f"'{v.path} {n}'" for v in verbs for f in v.flags for n in f.names if f.value == "targets"
    )
    subs = "\n".join(
        f"        case '{v.path}'\n            printf '%s\\n' {' '.join(n for n, _ in v.subs)}"
        for v in verbs
        if v.subs
    )
    lines = [line for v in verbs for line in _fish_line(v)]
    lines.append("complete -c jumpshell -n '__jumpshell_pos \"\"' -a '(__jumpshell_targets)'")
    return (
        HEAD.format(shell="fish")
        + _FISH.format(takes=takes, many=many, subs=subs)
        + "\n".join(lines)
        + "\n"
    )


_FISH = r"""
complete -c jumpshell -f

function __jumpshell_subs -a path
    switch $path
{subs}
    end
end

function __jumpshell_state -d 'command path, then the positionals after it (-- once past --)'
    set -l line (commandline -cp)
    if test "$line" = "$__jumpshell_line"
        printf '%s\n' $__jumpshell_state
        return
    end
    set -l takes {takes}
    set -l many {many}
    set -l many_on 0
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path ''
    set -l n 0
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
        else if test "$t" = --
            set path --
            break
        else if string match -q -- '-*' $t
            if not string match -q -- '*=*' $t; and contains -- (string trim -- "$path $t") $takes
                set skip 1
            end
            if contains -- (string trim -- "$path $t") $many
                set many_on 1  # run --each A B ...: every word a target, none the first
            end
        else if test $n = 0; and contains -- $t (__jumpshell_subs $path)
            set path (string trim -- "$path $t")
        else if test -z "$path"
            set path shell
            set n 1
        else if test $many_on = 0
            set n (math $n + 1)
        end
    end
    set -g __jumpshell_line $line
    set -g __jumpshell_state $path $n
    printf '%s\n' $path $n
end

function __jumpshell_at -a path -d 'at this command path (not after --)'
    set -l state (__jumpshell_state)
    test "$state[1]" = "$path"
end

function __jumpshell_pos -a path -d 'at this command path, before its first positional'
    set -l state (__jumpshell_state)
    test "$state[1]" = "$path"; and test "$state[2]" = 0
end

function __jumpshell_targets
    command jumpshell __complete targets (commandline -ct) 2>/dev/null
end

function __jumpshell_themes
    command jumpshell __complete themes '' 2>/dev/null
end

function __jumpshell_tags
    command jumpshell __complete tags (commandline -ct) 2>/dev/null
end

function __jumpshell_command -d 'after --: the command completed as fish would'
    set -l tokens (commandline -opc)
    set -l at (contains -i -- -- $tokens)
    set -l rest
    if test $at -lt (count $tokens)
        set rest $tokens[(math $at + 1)..-1]
    end
    complete -C (string join ' ' -- (string escape -- $rest) (commandline -ct))
end

complete -c jumpshell -n '__jumpshell_at --' -a '(__jumpshell_command)'
"""
