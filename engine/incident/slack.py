"""A Slack channel export: the folder or zip Slack's export writes, or one day's JSON file.

An export holds `users.json`, `channels.json` and a folder per channel (at
the top, or inside one folder, as zipping the export's folder gives) with
one `YYYY-MM-DD.json` per day: a list of messages with `ts` (Unix seconds as
text), `user`, `text` and, for joins and the like, a `subtype`. Each message
with text becomes an update; joins, leaves, topic and purpose changes are
skipped. Speakers become the role `--role NAME=ROLE` gives them (NAME: the
user id, user name, real name or display name), else "participant 1",
"participant 2"... unless `--keep-names`; their names are replaced in the text
too. Slack's markup is read: `<@U123>` mentions, `<#C1|channel>`,
`<https://x|label>` links, `&amp;` `&lt;` `&gt;`.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.bounds import MAX_INCIDENT_BYTES, MAX_INCIDENT_FILES
from engine.incident import IncidentError, Record, Update, order
from engine.incident.read import check_count, check_text, json_of, text_of
from engine.incident.redact import Redactor
from engine.incident.text import plain
from engine.incident.times import epoch

if TYPE_CHECKING:
    from engine.incident.sources import Options

_DAY = re.compile(r"^(?:(?:.*/)?(?P<channel>[^/]+)/)?(?P<day>\d{4}-\d{2}-\d{2})\.json$")
_SKIP = {"channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name", "channel_archive",
         "channel_unarchive", "pinned_item", "unpinned_item", "group_join", "group_leave", "reminder_add"}
_MARKUP = re.compile(r"<([@#!])?([^<>|]*)(?:\|([^<>]*))?>")


def looks_like(data: Any) -> bool:
    """Whether parsed JSON is one day of a Slack channel: a list of messages with `ts`."""
    return isinstance(data, list) and bool(data) and all(isinstance(m, dict) and "ts" in m for m in data[:20])


def read(path: Path, options: Options, redactor: Redactor) -> Record:
    """The channel's messages from an export folder or zip. Raises IncidentError naming the file."""
    files = _files(path)
    users_file = min((n for n in files if n == "users.json" or n.endswith("/users.json")), key=len, default=None)
    users = _users(files.get(users_file) if users_file else None, f"{path}/{users_file}")
    days: dict[str, list[str]] = {}
    for name in files:
        match = _DAY.match(name)
        if match:
            days.setdefault(match.group("channel") or "", []).append(name)
    if not days:
        raise IncidentError(f"{path}: no per-day files (CHANNEL/YYYY-MM-DD.json); not a Slack export")
    channel = options.channel
    if channel is None:
        if len(days) > 1:
            raise IncidentError(f"{path}: {len(days)} channels; pick one with --channel "
                                f"({', '.join(sorted(days)[:8])}{', ...' if len(days) > 8 else ''})")
        channel = next(iter(days))
    elif channel.lstrip("#") not in days:
        raise IncidentError(f"{path}: no channel {channel!r}; the export has {', '.join(sorted(days)[:8])}")
    channel = channel.lstrip("#")
    messages: list[tuple[str, int, dict[str, Any]]] = []
    for name in sorted(days[channel]):
        data = json_of(text_of(files[name], f"{path}/{name}"), f"{path}/{name}")
        if not isinstance(data, list):
            raise IncidentError(f"{path}/{name}: $: expected a list of messages")
        messages += [(f"{path}/{name}", i, m) for i, m in enumerate(data)]
        check_count(len(messages), "messages", str(path))
    return _record(messages, users, options, redactor, str(path), channel or path.stem)


def read_day(data: Any, name: str, options: Options, redactor: Redactor) -> Record:
    """One day's file of a channel (a list of messages)."""
    if not isinstance(data, list):
        raise IncidentError(f"{name}: $: expected a list of Slack messages")
    check_count(len(data), "messages", name)
    return _record([(name, i, m) for i, m in enumerate(data)], {}, options, redactor, name, Path(name).parent.name)


def _files(path: Path) -> dict[str, bytes]:
    """The export's JSON files by path inside it (`channel/2026-01-22.json`), within the bounds."""
    out: dict[str, bytes] = {}
    total = 0
    if path.is_dir():
        entries = [p for p in path.rglob("*.json") if p.is_file()]
        if len(entries) > MAX_INCIDENT_FILES:
            raise IncidentError(f"{path}: {len(entries):,} files; a chat export may have at most "
                                f"{MAX_INCIDENT_FILES:,}")
        for entry in entries:
            total += entry.stat().st_size
            if total > MAX_INCIDENT_BYTES:
                raise IncidentError(f"{path}: more than {MAX_INCIDENT_BYTES:,} bytes of JSON; cut the export to the "
                                    "incident's channel and days")
            try:
                out[entry.relative_to(path).as_posix()] = entry.read_bytes()
            except OSError as exc:
                raise IncidentError(f"{entry}: cannot read it: {exc.strerror or exc}") from None
        return out
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and i.filename.endswith(".json")]
            if len(infos) > MAX_INCIDENT_FILES:
                raise IncidentError(f"{path}: {len(infos):,} files; a chat export may have at most "
                                    f"{MAX_INCIDENT_FILES:,}")
            for info in infos:
                total += info.file_size
                if total > MAX_INCIDENT_BYTES:
                    raise IncidentError(f"{path}: more than {MAX_INCIDENT_BYTES:,} bytes unpacked; cut the export "
                                        "to the incident's channel and days")
                with archive.open(info) as handle:
                    data = handle.read(info.file_size + 1)  # a header that lies about the size is caught here
                if len(data) > info.file_size:
                    raise IncidentError(f"{path}: {info.filename}: larger unpacked than its header says")
                out[info.filename.lstrip("/")] = data
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError) as exc:
        raise IncidentError(f"{path}: not a readable zip: {exc}") from None
    return out


def _users(data: bytes | None, name: str) -> dict[str, list[str]]:
    """User id -> the names Slack knows the user by (real name, display name, user name)."""
    if data is None:
        return {}
    parsed = json_of(text_of(data, name), name)
    if not isinstance(parsed, list):
        raise IncidentError(f"{name}: $: expected a list of users")
    out = {}
    for user in parsed:
        if isinstance(user, dict) and isinstance(user.get("id"), str):
            out[user["id"]] = _names(user, user.get("profile"))
    return out


def _names(*sources: Any) -> list[str]:
    names: list[str] = []
    for source in sources:
        if isinstance(source, dict):
            for key in ("real_name", "display_name", "name", "real_name_normalized", "display_name_normalized"):
                value = source.get(key)
                if isinstance(value, str) and value.strip() and value.strip() not in names:
                    names.append(value.strip())
    return names


def _record(messages: list[tuple[str, int, dict[str, Any]]], users: dict[str, list[str]], options: Options,
            redactor: Redactor, name: str, channel: str) -> Record:
    labels: dict[str, str] = {}  # user id (or bot name) -> how the draft calls them
    notes: list[str] = []
    skipped = 0
    raw: list[tuple[Any, str, str, dict[str, Any]]] = []
    for file, i, message in messages:
        where = f"{file}: $[{i}]"
        if not isinstance(message, dict):
            raise IncidentError(f"{where}: expected a message object")
        if str(message.get("subtype")) in _SKIP:
            skipped += 1
            continue
        when = epoch(message.get("ts"), f"{where}.ts")
        user = next((v for v in (message.get("user"), message.get("bot_id"), message.get("username"))
                     if isinstance(v, str) and v), "")
        known = users.get(user, []) + _names(message.get("user_profile"))
        if message.get("username") and isinstance(message["username"], str):
            known.append(message["username"])
        if user and user not in labels:
            labels[user] = _label(user, known, options, len(labels) + 1)
        for person in known:
            redactor.add_name(person, labels.get(user, "a participant"))
        raw.append((when, where, user, message))
    for user, names in users.items():  # mentioned people who never wrote
        for person in names:
            redactor.add_name(person, labels.get(user, "a colleague"))
    updates = []
    for when, where, user, message in raw:
        text = _text(message, users, labels, options, redactor.removed)
        if not text:
            skipped += 1
            continue
        if user and not options.keep_names and labels.get(user) not in known:
            redactor.removed["names"] += 1  # the speaker's name, left out
        updates.append(Update(when, redactor.text(check_text(text, f"{where}.text")), where,
                              speaker=labels.get(user, "")))
    if skipped:
        notes.append(f"{name}: {skipped} messages without text (joins, leaves, topic changes, files) skipped")
    if not updates:
        raise IncidentError(f"{name}: no messages with text in #{channel}")
    unmapped = [label for label in labels.values() if label.startswith("participant ")]
    record = Record("Slack channel", f"#{channel}", f"#{channel}", order(updates, notes), notes,
                    slug=f"slack-{channel}")
    if unmapped and not options.keep_names:
        record.decisions.append(f"who {', '.join(unmapped[:6])}{', ...' if len(unmapped) > 6 else ''} stand for: "
                                "map speakers to roles with --role NAME=ROLE")
    return record


def _label(user: str, names: list[str], options: Options, n: int) -> str:
    for key in [user, *names]:
        if key in options.roles:
            return options.roles[key]
    if options.keep_names:
        return names[0] if names else user
    return f"participant {n}"


def _text(message: dict[str, Any], users: dict[str, list[str]], labels: dict[str, str], options: Options,
          removed: Counter[str]) -> str:
    """The message's text with Slack's markup read; mentions counted in `removed` when replaced."""
    text = message.get("text")
    if not isinstance(text, str) or not text.strip():
        attachments = message.get("attachments")
        parts = [a.get("text") or a.get("fallback") for a in (attachments if isinstance(attachments, list) else [])
                 if isinstance(a, dict)]
        text = "\n".join(p for p in parts if isinstance(p, str))

    def markup(match: re.Match[str]) -> str:
        sign, target, label = match.group(1), match.group(2), match.group(3)
        if sign == "@":
            if not options.keep_names:
                counted.append(target)
            if target in labels:
                return "@" + labels[target]
            if options.keep_names and users.get(target):
                return "@" + users[target][0]
            return "@" + (label if options.keep_names and label else "a colleague")
        if sign == "#":
            return "#" + (label or target)
        if sign == "!":
            return "@" + (label or target.split("^")[0])
        if target.startswith("mailto:"):
            return label or target[len("mailto:"):]
        return f"{label} ({target})" if label and label != target else target

    counted: list[str] = []
    out = plain(html.unescape(_MARKUP.sub(markup, text)))
    removed["names"] += len(counted)
    return out
