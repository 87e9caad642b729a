"""The shipped report templates are compiled once and kept; a user's template folder never is (issue 28)."""

from __future__ import annotations

from pathlib import Path

from engine.report import render


def test_the_shipped_templates_are_kept_compiled_and_a_users_folder_is_not(tmp_path: Path) -> None:
    assert render._environment(None, html=False).bytecode_cache is not None
    assert render._environment(str(tmp_path), html=False).bytecode_cache is None


def test_the_svg_escape_is_the_xml_escape_it_replaces() -> None:
    from xml.sax.saxutils import escape

    from engine.report import svg

    text = "a & b < c > d \"e\" 'f' &amp;"
    assert svg.text(text) == escape(text, {'"': "&quot;", "'": "&#39;"})


def test_only_a_users_folder_runs_in_the_sandbox_and_the_shipped_templates_render_alike(tmp_path: Path) -> None:
    import jinja2.sandbox

    from engine.report.builder import build_report

    assert not isinstance(render._environment(None, html=True), jinja2.sandbox.SandboxedEnvironment)
    assert isinstance(render._environment(str(tmp_path), html=True), jinja2.sandbox.SandboxedEnvironment)
    data = Path(__file__).resolve().parent / "data"
    report = build_report(str(data / "golden.jsonl"), roots=[str(data / "files")])
    for show in (render.render_markdown, render.render_html):  # an empty folder: the shipped templates, sandboxed
        assert show(report, str(tmp_path), appendix=True) == show(report, appendix=True)
