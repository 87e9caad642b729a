"""Where report templates run: Jinja's immutable sandbox, held to the files and the sizes it is given.

A `--template` folder is code someone may hand you. Beyond what the sandbox
already refuses (Python internals, changing the report, a range past its limit):

- `FolderLoader` reads only regular files whose real path lies inside the
  folder: a symbolic link to `/etc/passwd` or `~/.ssh/id_rsa`, or a name with
  `..` in it, is refused (SecurityError), never rendered; a template file is at
  most MAX_TEMPLATE_BYTES.
- `BoundedSandbox` refuses a value that would be longer than MAX_TEMPLATE_VALUE
  (`'x' * 3000000000`, `'x'.center(10 ** 9)`, `'%999999999s' % x`, a power of
  a huge exponent) before it is made, with a SecurityError the renderer reports
  as "not allowed in a template".
- `render_bounded` stops a template whose output passes MAX_REPORT_CHARS.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes
import jinja2.sandbox

from engine.bounds import MAX_REPORT_CHARS, MAX_TEMPLATE_BYTES, MAX_TEMPLATE_VALUE

_WIDTH = re.compile(r"%[-#0 +]*(\d+)|\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")  # a width in a %- or {}-format
_SIZED = (str, bytes, list, tuple)


class FolderLoader(jinja2.BaseLoader):
    """Templates from one folder, never from outside it (see the module doc)."""

    def __init__(self, folder: str) -> None:
        self.folder = os.path.realpath(folder)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        named = os.path.join(self.folder, *template.split("/"))
        if not os.path.lexists(named):
            raise jinja2.TemplateNotFound(template)  # the built-in one is used
        path = os.path.realpath(named)
        if os.path.commonpath([self.folder, path]) != self.folder or path == self.folder:
            raise jinja2.sandbox.SecurityError(f"{template} leads outside the template folder (a symbolic link or "
                                               "`..`); it is not read")
        if not Path(path).is_file():
            raise jinja2.sandbox.SecurityError(f"{template} is not a regular file; it is not read")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_TEMPLATE_BYTES + 1)
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise jinja2.TemplateSyntaxError(f"the template is over {MAX_TEMPLATE_BYTES:,} bytes", 1, template, path)
        mtime = os.path.getmtime(path)
        return raw.decode("utf-8"), path, lambda: os.path.getmtime(path) == mtime


class BoundedSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """The immutable sandbox, refusing values longer than MAX_TEMPLATE_VALUE before they are made."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("center", "indent", "wordwrap", "format", "replace", "truncate"):
            self.filters[name] = _bounded_filter(self.filters[name])

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_widths(left)
        elif operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
            _check_length(len(left) + len(right))
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_arguments(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def render_bounded(template: jinja2.Template, **values: Any) -> str:
    """The template's output, stopped with a SecurityError once it passes MAX_REPORT_CHARS characters."""
    parts: list[str] = []
    size = 0
    for part in template.generate(**values):
        size += len(part)
        if size > MAX_REPORT_CHARS:
            raise jinja2.sandbox.SecurityError(f"the output passes {MAX_REPORT_CHARS:,} characters")
        parts.append(part)
    return "".join(parts)


def _check_length(length: int) -> None:
    if length > MAX_TEMPLATE_VALUE:
        raise jinja2.sandbox.SecurityError(f"a value of {length:,} characters or items; a template may make values "
                                           f"of at most {MAX_TEMPLATE_VALUE:,}")


def _check_repeat(sequence: Any, times: Any) -> None:
    if isinstance(sequence, _SIZED) and isinstance(times, int):
        _check_length(len(sequence) * max(times, 0))


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        if max(abs(base).bit_length(), 1) * exponent > MAX_TEMPLATE_VALUE:
            raise jinja2.sandbox.SecurityError("a power too large to compute in a template")


def _check_widths(pattern: str) -> None:
    for match in _WIDTH.finditer(pattern):
        width = match.group(1) or match.group(2)
        if width and (len(width) > 9 or int(width) > MAX_TEMPLATE_VALUE):
            _check_length(MAX_TEMPLATE_VALUE + 1)


def _check_arguments(target: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A whole-number argument past the bound (a width, a count) is refused; so is a format with a huge width,
    and a replace whose result would be too long."""
    if target is jinja2.sandbox.safe_range:
        return  # the sandbox bounds range itself (MAX_RANGE items), and says so
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEMPLATE_VALUE:
            _check_length(abs(value))
    owner = getattr(target, "__self__", None)
    name = getattr(target, "__name__", "")
    if isinstance(owner, str):
        if name == "format":
            _check_widths(owner)
        elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
            _check_length(len(owner) + owner.count(args[0]) * len(args[1]) if args[0] else len(owner) * len(args[1]))


def _bounded_filter(apply: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that takes a width or a replacement, checked like a call from the template."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not isinstance(a, (jinja2.runtime.Context, jinja2.nodes.EvalContext,
                                                        jinja2.Environment))]
        if apply.__name__ == "do_replace" and len(values) >= 3:
            text, old, new = (str(v) for v in values[:3])
            _check_length(len(text) + (text.count(old) if old else len(text)) * len(new))
        elif apply.__name__ == "do_format" and values:
            _check_widths(str(values[0]))
        _check_arguments(apply, tuple(values[1:]), kwargs)
        return apply(*args, **kwargs)

    for attribute in ("jinja_pass_arg", "__name__", "__doc__"):
        if hasattr(apply, attribute):
            setattr(bounded, attribute, getattr(apply, attribute))
    return bounded
