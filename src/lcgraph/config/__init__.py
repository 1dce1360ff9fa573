"""Settings: every knob of lcgraph, typed, defaulted and documented once.

settings.py holds `Settings` (the project's paths and the store) and where values come
from; groups.py the groups (build, service, analysis, remote); layers.py the project
folder, its lcgraph.toml and the flat names of lcgraph 0.1; display.py `lcgraph settings`
and docs/settings.md. The CLI passes its options in explicitly; nothing reads settings at
import time.
"""

from lcgraph.config.groups import AnalysisSettings, BuildSettings, RemoteSettings, ServiceSettings
from lcgraph.config.settings import Settings, settings_from

__all__ = [
    "AnalysisSettings",
    "BuildSettings",
    "RemoteSettings",
    "ServiceSettings",
    "Settings",
    "settings_from",
]
