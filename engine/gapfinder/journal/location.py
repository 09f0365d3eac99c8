"""Where the journal lives when no path is given: the user's data folder, per platform.

Order: an explicit path, then $GAPFINDER_JOURNAL, then the platform's data folder
(XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support on macOS,
%APPDATA% on Windows) + gapfinder/journal.sqlite. A small function instead of platformdirs,
which is not among the engine's dependencies.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "GAPFINDER_JOURNAL"
FILE_NAME = "journal.sqlite"


def data_dir(platform: str | None = None, env: dict | None = None) -> Path:
    """The per-user data folder for gapfinder on this platform."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    if platform.startswith("win"):
        base = Path(env["APPDATA"]) if env.get("APPDATA") else home / "AppData" / "Roaming"
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = env.get("XDG_DATA_HOME")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".local" / "share"
    return base / "gapfinder"


def journal_path(explicit: str | os.PathLike | None = None, env: dict | None = None,
                 platform: str | None = None) -> Path:
    """The journal file to use: explicit path, $GAPFINDER_JOURNAL, or the default."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit).expanduser()
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    return data_dir(platform, env) / FILE_NAME
