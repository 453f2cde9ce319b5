"""`jumpshell theme list|show NAME`: the themes there are, and what their prefixes look like."""

from __future__ import annotations

import argparse
import os

from jumpshell import paths, themes
from jumpshell.cli import tty
from jumpshell.errors import EXIT_USAGE, ConfigError

# One sample hop per environment class, then a shell nested in another
SAMPLES = (
    themes.Hop("payments-prod", "Admin", "production"),
    themes.Hop("payments-staging", "Developer", "staging"),
    themes.Hop("payments-dev", "Developer", "dev"),
    themes.Hop("alice-sandbox", "Admin", "sandbox"),
    themes.Hop("shared-services", "ReadOnly", "other"),
)
CHAIN = (SAMPLES[0], themes.Hop("payments-dev", "ReadOnly", "dev"))


def cmd_theme(args: argparse.Namespace, command: list[str]) -> int:
    """theme list | theme show [NAME] [--no-color]."""
    if args.theme_command == "list":
        return _list()
    color = themes.color_wanted(os.environ) and not args.no_color
    _show(themes.load(args.name or _configured()), color)
    return 0


def _configured() -> str:
    """The config's `[defaults] theme`; "default" when there is no config yet."""
    path = paths.config_file()
    if not os.path.exists(path):
        return "default"
    from jumpshell.app import load_config

    return load_config(tty.front_end(), path).defaults.theme


def _list() -> int:
    configured, broken = _configured(), 0
    found = themes.available()
    width = max(map(len, found), default=4)
    for name, path in found.items():
        try:
            theme = themes.read(path, name)
        except ConfigError as exc:  # the others still list; each broken one is said
            tty.say(f"jumpshell: {exc.render()}")
            broken += 1
            continue
        shipped = os.path.exists(os.path.join(themes.SHIPPED, f"{name}.toml"))
        where = "shipped" if path.startswith(themes.SHIPPED) else "yours"
        where += " (replaces the shipped one)" if shipped and where == "yours" else ""
        mark = "*" if name == configured else " "
        print(f"{mark} {name:<{width}}  {theme.description}  [{where}]")
    return EXIT_USAGE if broken else 0


def _show(theme: themes.Theme, color: bool) -> None:
    print(f"{theme.name}: {theme.description}")
    print(f"  from {theme.path}")
    for hop in SAMPLES:
        print(f"  {hop.env_class:<11} {themes.ansi(themes.prefix(theme, [hop], color))}$")
    print(f"  {'nested':<11} {themes.ansi(themes.prefix(theme, CHAIN, color))}$")
    print("tmux pane borders (inactive | active):")
    for name, style in theme.classes.items():
        print(f"  {name:<11} {style.tmux_border or '-'} | {style.tmux_active_border or '-'}")
