"""`tabletop validate` on one small file imports only what it uses (issue 16: start fast).

The lists below are the whole of it. A change that makes validate import
more (networkx for every runbook, pydantic for a file that is right, every
rule module, every command's module) fails here; if the new import is
needed, add it to the list and say why in the commit. pydantic comes in only
for a file that does not fit its model, to name each problem exactly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SMALL_RUNBOOK = ROOT / "runbooks" / "inbound-mail-continuity.yaml"
SMALL_SCENARIO = ROOT / "scenarios" / "m365-network-provider-2026-01-21.yaml"

_PROBE = """
import sys
from engine.cli import main
code = main(sys.argv[1:] if sys.argv[1] in ("report", "log") else ["validate", *sys.argv[1:]])
loaded = dict(sys.modules)
import json, sysconfig
site = (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])
third = {m.split(".")[0] for m, mod in loaded.items()
         if (getattr(mod, "__file__", None) or "").startswith(site)}
print(json.dumps({"code": code, "engine": sorted(m for m in loaded if m.split(".")[0] == "engine"),
                  "third": sorted(third), "all": sorted(loaded)}))
"""

RUNBOOK_RULES = [
    "cycle", "dead_end", "decision_default_no_within", "decision_default_unknown", "decision_options",
    "decision_within_no_default", "fallback_without_requires", "join_all_skippable", "needs_on_event",
    "option_no_next", "unknown_fallback", "unknown_need", "unknown_next", "unknown_objective", "unknown_role",
    "unknown_service", "unreachable_step", "unused_objective", "unused_role", "unused_service",
]
CORE = ["engine", "engine.bounds", "engine.cli", "engine.commands", "engine.commands.output", "engine.compose",
        "engine.config", "engine.duration", "engine.findings", "engine.formats", "engine.formats.text",
        "engine.load", "engine.model_shapes", "engine.quick_check", "engine.rules",
        "engine.rules.base", "engine.rules.duplicate_id", "engine.rules.unknown_control", "engine.schema",
        "engine.terminal", "engine.validate"]
# the runbook rules and what they share: the graph (without networkx), the static path walk and the step rules
RUNBOOK = ["engine.graph", "engine.paths", "engine.step_rules", "engine.rules._runbook",
           "engine.controls", "engine.controls.catalogue",  # it names controls: the shipped catalogues are read
           *(f"engine.rules.{r}" for r in RUNBOOK_RULES)]
THIRD_PARTY = ["_ruamel_yaml", "ruamel"]  # the YAML parser, and nothing else for a file that is right
PYDANTIC = {"annotated_types", "pydantic", "pydantic_core", "typing_extensions", "typing_inspection"}


def _imports(*paths: Path | str, cwd: Path = ROOT) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _PROBE, *map(str, paths)], cwd=cwd, capture_output=True,
                         text=True, check=True, env=env)
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _ours(names: list[str]) -> list[str]:
    """Third-party packages, without what the environment itself loads at start (editable installs, setuptools)."""
    return [n for n in names if not n.startswith(("__editable__", "_distutils_hack"))]


def test_validate_of_a_small_runbook_imports_this_and_nothing_more() -> None:
    seen = _imports(SMALL_RUNBOOK)
    assert seen["code"] == 0
    assert seen["engine"] == sorted(CORE + RUNBOOK)
    assert _ours(seen["third"]) == THIRD_PARTY  # no pydantic, networkx, jinja2, textual or rich


# standard-library modules that only some runs need: settings files, written files, suggestions, other formats
NOT_FOR_A_SMALL_FILE = ["difflib", "hashlib", "importlib.metadata", "json", "random", "tempfile", "tomllib",
                        "shutil"]  # argparse's way to the terminal's width, with its compression modules (issue 28)


def test_validate_where_there_are_no_settings_loads_no_toml_reader_and_no_other_formats(tmp_path: Path) -> None:
    seen = _imports(SMALL_RUNBOOK, cwd=tmp_path)
    assert seen["code"] == 0
    assert [m for m in NOT_FOR_A_SMALL_FILE if m in seen["all"]] == []


def test_validate_of_a_scenario_alone_builds_no_runbook_rules() -> None:
    seen = _imports(SMALL_SCENARIO)
    assert "engine.rules.inject_timing" in seen["engine"]
    assert "engine.rules._scenario" in seen["engine"]  # what the scenario rules share; runbooks alone go without
    assert not [m for m in seen["engine"] if m in RUNBOOK]
    assert "networkx" not in seen["third"]
    assert not PYDANTIC & set(seen["third"])
    assert "engine.scenario_model" not in seen["engine"]  # the quick check needs no model class


def test_an_improvement_plan_that_is_right_needs_no_pydantic_either() -> None:
    seen = _imports(ROOT / "improvements" / "m365-na-outage-2026-01-22.yaml")
    assert seen["code"] == 0
    assert "engine.rules.improvement_overdue" in seen["engine"]
    assert _ours(seen["third"]) == THIRD_PARTY


def test_a_file_that_does_not_fit_its_model_gets_pydantic_to_name_each_problem() -> None:
    seen = _imports(ROOT / "tests" / "fixtures" / "schema-bad-ids.yaml")
    assert seen["code"] == 1
    assert PYDANTIC <= set(seen["third"])
    assert "engine.model" in seen["engine"]


def test_a_runbook_with_a_cycle_still_gets_networkx_to_name_the_loop() -> None:
    seen = _imports(ROOT / "tests" / "fixtures" / "runbook-cycle.yaml")
    assert seen["code"] == 1
    assert "networkx" in seen["third"]
    assert "engine.scenario_model" not in seen["engine"]


# The report and `log verify` of a drill whose files are at hand and right (issue 28): the plan is read by
# the quick check, the runbook graphs are laid out without networkx, so neither pays for pydantic's models
# or networkx. The log is parsed by orjson; Markdown and HTML are rendered through jinja2; nothing else comes in.
REPORT_DATA = ROOT / "tests" / "report" / "data"
REPORT_FILES = ["--scenario", str(REPORT_DATA / "files" / "scenarios" / "m365-na-outage-2026-01-22.yaml"),
                "--runbooks", str(REPORT_DATA / "files" / "runbooks")]


@pytest.mark.parametrize("kind", ["md", "html"])
def test_the_report_of_a_drill_whose_files_are_right_needs_no_pydantic_or_networkx(kind: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{kind}"
    seen = _imports("report", REPORT_DATA / "golden.jsonl", *REPORT_FILES, "--format", kind, "-o", out, cwd=tmp_path)
    assert seen["code"] == 0
    assert out.stat().st_size > 0
    assert _ours(seen["third"]) == sorted([*THIRD_PARTY, "jinja2", "markupsafe", "orjson"])
    assert "engine.model" not in seen["engine"]


def test_log_verify_of_a_drill_whose_files_are_right_needs_no_pydantic_or_networkx(tmp_path: Path) -> None:
    seen = _imports("log", "verify", *REPORT_FILES, REPORT_DATA / "golden.jsonl", cwd=tmp_path)
    assert seen["code"] == 0
    assert _ours(seen["third"]) == sorted([*THIRD_PARTY, "orjson"])
    assert "engine.model" not in seen["engine"]
