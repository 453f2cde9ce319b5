"""Every shipped theme in every shell: the prefix's exact text and escapes, production or not."""

from __future__ import annotations

import pytest

from jumpshell import themes
from jumpshell.envclass import env_class
from tests.conftest import Demo
from tests.shells.conftest import MINE, open_shell

DEMO = "\x1b[1;30;46m[demo]\x1b[0m "


@pytest.mark.parametrize("theme", sorted(themes.available()))
def test_each_shipped_theme_colours_the_prompt(demo: Demo, shell: str, theme: str) -> None:
    text = demo.config.read_text().replace("[defaults]\n", f'[defaults]\ntheme = "{theme}"\n', 1)
    assert f'theme = "{theme}"' in text
    demo.config.write_text(text)
    demo.login()
    loaded = themes.load(theme)
    for name, args in ((demo.prod(), ("--yes",)), (demo.dev(), ())):
        account = demo.info.account(name)
        role = "Developer" if name == demo.dev() else account.roles[0]
        hop = themes.Hop(name, role, env_class(name, account.tags, account.production))
        wanted = themes.ansi(themes.prefix(loaded, [hop], color=True))
        session = open_shell(demo, shell, f"{name}/{role}", *args)
        assert f"{DEMO}{wanted}{MINE}" in session.prompt()
        assert session.exit() == 0
