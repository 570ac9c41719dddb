"""dvc.yaml: `dvc repro` runs the batch stages on a reduced configuration, reruns nothing when nothing
changed, and reruns only the stages that depend on a changed parameter."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SHARED, shared_path

pytestmark = [pytest.mark.shared, pytest.mark.slow]
BIN = Path(sys.executable).parent
COPIED = ("dvc.yaml", "params.yaml", "pipeline", "corpora", "models")


def _dvc(work: Path, *args: str) -> str:
    """Run dvc in the work copy with the venv first on PATH; return stdout+stderr, failing on error."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([str(BIN / "dvc"), *args], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def _ran(output: str) -> set[str]:
    """Stages dvc repro actually ran."""
    return set(re.findall(r"Running stage '([^']+)'", output))


def _set_params(work: Path, **changes) -> None:
    """Change dotted parameters (section__key=value) in the work copy's params.yaml."""
    params = yaml.safe_load((work / "params.yaml").read_text())
    for key, value in changes.items():
        section, name = key.split("__")
        params[section][name] = value
    (work / "params.yaml").write_text(yaml.safe_dump(params))


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A copy of the pipeline definition with a reduced configuration (few documents, two gold docs)."""
    pytest.importorskip("dvc")
    shared_path("reuters21578", "trade.jsonl")
    work = tmp_path_factory.mktemp("dvc")
    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, work / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if source.is_dir() else {}))
    params = yaml.safe_load((work / "params.yaml").read_text())
    params["corpora"] = {k: str(SHARED / Path(v).relative_to("../shared/corpora")) for k, v in params["corpora"].items()}
    params["prepare"]["limit"] = 3
    (work / "params.yaml").write_text(yaml.safe_dump(params))
    gold = [line for line in (work / "corpora/gold/dev.jsonl").read_text().splitlines() if line.strip()]
    (work / "corpora/gold/dev.jsonl").write_text("\n".join(gold[:2]) + "\n")
    # Training takes minutes (tests/stance covers it): leave the stage out; the committed model, if any, stays a dependency.
    stages = yaml.safe_load((work / "dvc.yaml").read_text())
    del stages["stages"]["train"]
    for stage in stages["stages"].values():
        stage["deps"] = [d for d in stage["deps"] if d != "${train.model}" or (work / params["train"]["model"]).exists()]
    (work / "dvc.yaml").write_text(yaml.safe_dump(stages, sort_keys=False))
    _dvc(work, "init", "--no-scm", "-q")
    return work


def test_repro_builds_every_stage(work):
    output = _dvc(work, "repro")
    expected = set(yaml.safe_load((work / "dvc.yaml").read_text())["stages"])
    assert _ran(output) == expected
    prepared = (work / "out/prepared/documents.jsonl").read_text().splitlines()
    assert len(prepared) == 3 * 3 + 1  # three per corpus, the seed has one
    assert not any(json.loads(line).get("split") == "test" for line in prepared)
    annotations = (work / "out/annotations.jsonl").read_text().splitlines()
    assert len(annotations) == len(prepared)
    scores = json.loads((work / "out/metrics/dev_eval.json").read_text())
    assert scores["documents"] == 2
    assert json.loads((work / "out/metrics/tables.json").read_text())["documents"] == len(prepared)
    assert (work / "out/report/index.html").exists()
    plots = json.loads((work / "out/plots/dev_eval.json").read_text())
    assert {p["item"] for p in plots} >= {"officials", "countries", "issues"}


def test_second_repro_rebuilds_nothing(work):
    output = _dvc(work, "repro")
    assert _ran(output) == set()
    assert "didn't change" in output
    assert "up to date" in _dvc(work, "status")


@pytest.mark.parametrize(("change", "changed", "expected"), [
    ({"report__period": "week"}, "report", {"report"}),
    ({"prepare__limit": 2}, "prepare", {"prepare", "extract", "report"}),
])
def test_a_param_change_reruns_only_dependent_stages(work, change, changed, expected):
    _set_params(work, **change)
    status = _dvc(work, "status")
    assert f"{changed}:" in status and "evaluate:" not in status
    assert _ran(_dvc(work, "repro")) == expected
    assert _ran(_dvc(work, "repro")) == set()
