"""zsh: a ZDOTDIR whose .zshenv and .zshrc source the user's, then a precmd hook."""

from __future__ import annotations

from jumpshell.shells import Prompt, sh_quote, write
from jumpshell.shells.bash import FUNCTION, prefix_text

ZSHENV = """# jumpshell: read first, it hands ZDOTDIR back to the user's own files
__jumpshell_rc_dir=$ZDOTDIR
{user_zdotdir}
if [[ -f ${{ZDOTDIR:-$HOME}}/.zshenv ]]; then source ${{ZDOTDIR:-$HOME}}/.zshenv; fi
__jumpshell_user_zdotdir=${{ZDOTDIR-}}
__jumpshell_user_zdotdir_set=${{ZDOTDIR+1}}
ZDOTDIR=$__jumpshell_rc_dir
"""

ZSHRC = r"""# jumpshell: this shell's rc; removed as soon as zsh has read it
if [[ -n $__jumpshell_user_zdotdir_set ]]; then ZDOTDIR=$__jumpshell_user_zdotdir
else unset ZDOTDIR; fi
command rm -rf -- $__jumpshell_rc_dir
unset __jumpshell_rc_dir __jumpshell_user_zdotdir __jumpshell_user_zdotdir_set
if [[ -f ${{ZDOTDIR:-$HOME}}/.zshrc ]]; then source ${{ZDOTDIR:-$HOME}}/.zshrc; fi
{variables}
__jumpshell_precmd() {{
  local ours=$__jumpshell_prefix
  if [[ -o promptsubst ]]; then ours='${{__jumpshell_prefix}}'; fi
  local n=${{#__jumpshell_applied}}
  if [[ -n $__jumpshell_applied && ${{PS1[1,n]}} == "$__jumpshell_applied" ]]; then
    PS1=${{PS1[n+1,-1]}}
  fi
  PS1=$ours$PS1
  __jumpshell_applied=$ours
}}
typeset -ga precmd_functions
precmd_functions+=(__jumpshell_precmd)
{function}
"""


class Zsh:
    name = "zsh"
    env_format = "sh"

    def variables(self, prompt: Prompt) -> str:
        escaped = Prompt(
            tuple(type(s)(s.text.replace("%", "%%"), s.sgr) for s in prompt.segments),
            prompt.title.replace("%", "%%"),
        )
        return f"__jumpshell_prefix={sh_quote(prefix_text(escaped, '%{', '%}'))}"

    def launch(self, path: str, env: dict[str, str], prompt: Prompt, rc_dir: str) -> list[str]:
        user = env.get("ZDOTDIR")
        write(
            rc_dir,
            ".zshenv",
            ZSHENV.format(user_zdotdir=f"ZDOTDIR={sh_quote(user)}" if user else "unset ZDOTDIR"),
        )
        rc = ZSHRC.format(variables=self.variables(prompt), function=FUNCTION.format(name="zsh"))
        write(rc_dir, ".zshrc", rc)
        env["ZDOTDIR"] = rc_dir
        return [path, "-i"]
