"""bash: `--rcfile` that sources ~/.bashrc, then wraps PS1 from PROMPT_COMMAND."""

from __future__ import annotations

from jumpshell.shells import Prompt, sh_quote, write

# readline's markers around what takes no room on screen (what \[ and \] become): the prefix
# is put in PS1 as `${__jumpshell_prefix}`, which bash expands after decoding \[ \], so the
# variable holds the markers themselves. Its text is then never read as prompt escapes.
START, END = "\x01", "\x02"

RC = r"""# jumpshell: this shell's rc; removed as soon as bash has read it
command rm -rf -- {rc_dir}
if [ -f ~/.bashrc ]; then . ~/.bashrc; fi
{variables}
__jumpshell_ps1() {{
  local s=$? ours=$__jumpshell_prefix
  if shopt -q promptvars; then ours='${{__jumpshell_prefix}}'; fi
  if [ -n "${{__jumpshell_applied-}}" ] &&
    [ "${{PS1:0:${{#__jumpshell_applied}}}}" = "$__jumpshell_applied" ]; then
    PS1=${{PS1:${{#__jumpshell_applied}}}}
  fi
  PS1=$ours$PS1
  __jumpshell_applied=$ours
  return $s
}}
if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
  PROMPT_COMMAND+=(__jumpshell_ps1)
else
  PROMPT_COMMAND="${{PROMPT_COMMAND:+$PROMPT_COMMAND$'\n'}}__jumpshell_ps1"
fi
{function}
"""

# `switch` is the one verb a child cannot do: the function evals what it prints.
FUNCTION = r"""jumpshell() {{
  if [ "${{1-}}" = switch ] && [ $# -ge 2 ]; then
    shift
    case " $* " in *" -h "* | *" --help "*) command jumpshell switch "$@"; return;; esac
    local __jumpshell_script
    __jumpshell_script=$(command jumpshell switch --emit {name} --shell-pid $$ "$@") || return
    eval "$__jumpshell_script"
  else
    command jumpshell "$@"
  fi
}}"""


def prefix_text(prompt: Prompt, start: str, end: str) -> str:
    """Title and coloured segments, non-printing parts between `start` and `end`."""
    text = f"{start}\x1b]0;{prompt.title}\x07{end}"
    for s in prompt.segments:
        text += f"{start}\x1b[{s.sgr}m{end}{s.text}{start}\x1b[0m{end}" if s.sgr else s.text
    return text


class Bash:
    name = "bash"
    env_format = "sh"

    def variables(self, prompt: Prompt) -> str:
        return f"__jumpshell_prefix={sh_quote(prefix_text(prompt, START, END))}"

    def launch(self, path: str, env: dict[str, str], prompt: Prompt, rc_dir: str) -> list[str]:
        rc = RC.format(
            rc_dir=sh_quote(rc_dir),
            variables=self.variables(prompt),
            function=FUNCTION.format(name=self.name),
        )
        return [path, "--rcfile", write(rc_dir, "bashrc", rc), "-i"]
