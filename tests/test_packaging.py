"""The distribution a user installs: its own name on PyPI, the metadata a published package needs, one version."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from engine import __version__

ROOT = Path(__file__).resolve().parents[1]
NAME = "tabletop-drills"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the checkout (building in place would leave build/ and egg-info)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "engine", source / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w",
                    str(out), str(source)], check=True, capture_output=True, text=True)
    (found,) = out.glob("*.whl")
    return found


def _metadata(wheel: Path) -> tuple[Parser, dict[str, list[str]], list[str]]:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        text = archive.read(meta).decode("utf-8")
        entry = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode("utf-8")
    message = Parser().parsestr(text)
    fields = {key: message.get_all(key) or [] for key in ("Name", "Version", "Classifier", "Project-URL",
                                                         "Requires-Python", "License-Expression",
                                                         "License-File")}
    fields["entry_points"] = entry.splitlines()
    return message, fields, names


def test_the_distribution_has_its_own_name_and_the_command_stays(wheel: Path) -> None:
    _, fields, _ = _metadata(wheel)
    assert fields["Name"] == [NAME]
    assert "tabletop = engine.cli:main" in fields["entry_points"]
    assert wheel.name.startswith("tabletop_drills-")


def test_the_version_is_written_once(wheel: Path) -> None:
    _, fields, _ = _metadata(wheel)
    assert fields["Version"] == [__version__]
    assert 'dynamic = ["version"]' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog
    for example in (ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml"):
        assert set(re.findall(r"rev: v(\S+)", example.read_text(encoding="utf-8"))) <= {__version__}, example


def test_the_metadata_a_published_package_needs(wheel: Path) -> None:
    _, fields, names = _metadata(wheel)
    assert fields["Requires-Python"] == [">=3.11"]
    assert fields["License-Expression"] == ["Apache-2.0"]
    assert fields["License-File"] == ["LICENSE"]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in fields["Classifier"])
    urls = dict(u.split(", ", 1) for u in fields["Project-URL"])
    assert {"Homepage", "Source", "Issues", "Changelog", "Documentation"} <= set(urls)


def test_the_wheel_carries_the_files_commands_read(wheel: Path) -> None:
    _, _, names = _metadata(wheel)
    assert "engine/py.typed" in names
    for folder, pattern in (("engine/report/templates/", ""), ("engine/room/static/", ""),
                            ("engine/room/templates/", ""), ("engine/tui/", ".tcss")):
        assert any(n.startswith(folder) and n.endswith(pattern) for n in names), folder
    from engine.controls.catalogue import SHIPPED

    for name in SHIPPED:  # validate and `tabletop evidence` read every control catalogue tabletop ships
        assert f"engine/controls/catalogues/{name}.toml" in names, name


def test_the_readme_installs_by_the_new_name_from_the_checkout() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pipx install .  " in readme
    assert f"pipx inject {NAME} " in readme
    assert f"`{NAME}`" in readme
