"""Any other shell: the environment and a best-effort PS1 (no rc of ours, no `switch`)."""

from __future__ import annotations

from jumpshell.segment import ansi
from jumpshell.shells import Prompt


class Other:
    name = "other"
    env_format = "sh"

    def variables(self, prompt: Prompt) -> str:
        return ""

    def launch(self, path: str, env: dict[str, str], prompt: Prompt, rc_dir: str) -> list[str]:
        env["PS1"] = ansi(prompt.segments) + env.get("PS1", "$ ")
        return [path, "-i"]
