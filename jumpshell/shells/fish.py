"""fish: `--init-command` (run after config.fish) that wraps fish_prompt and sets the title."""

from __future__ import annotations

from jumpshell.segment import ansi
from jumpshell.shells import Prompt, fish_quote, write

INIT = r"""# jumpshell: this shell's init; removed as soon as fish has read it
command rm -rf -- {rc_dir}
{variables}
if functions -q fish_prompt
  functions -c fish_prompt __jumpshell_user_prompt
else
  function __jumpshell_user_prompt; printf '> '; end
end
function __jumpshell_status; return $argv[1]; end
function fish_prompt
  set -l s $status
  printf '%s' $__jumpshell_prefix
  __jumpshell_status $s  # the user's prompt may show the last command's status
  __jumpshell_user_prompt
end
function fish_title; printf '%s' $__jumpshell_title; end
function jumpshell
  if test (count $argv) -ge 2; and test "$argv[1]" = switch
    and not contains -- --help $argv; and not contains -- -h $argv
    set -l script (command jumpshell switch --emit fish --shell-pid $fish_pid $argv[2..-1])
    or return
    string join \n -- $script | source
  else
    command jumpshell $argv
  end
end
"""


class Fish:
    name = "fish"
    env_format = "fish"

    def variables(self, prompt: Prompt) -> str:
        return (
            f"set -g __jumpshell_prefix {fish_quote(ansi(prompt.segments))}\n"
            f"set -g __jumpshell_title {fish_quote(prompt.title)}"
        )

    def launch(self, path: str, env: dict[str, str], prompt: Prompt, rc_dir: str) -> list[str]:
        init = INIT.format(rc_dir=fish_quote(rc_dir), variables=self.variables(prompt))
        rc = write(rc_dir, "init.fish", init)
        return [path, "--interactive", "--init-command", f"source {fish_quote(rc)}"]
