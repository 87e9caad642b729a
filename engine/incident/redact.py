"""Taking contact details and people's names out of incident text, and counting what was taken.

E-mail addresses and phone numbers are found by pattern: an address is
`local@domain.tld`; a phone number is an optional `+country`, then three to
five groups of digits (or `+` and 8 to 15 digits in a row) separated by spaces, dashes, dots or brackets, 9 to 15
digits in all. Dates (2026-01-22), clock times, version numbers (4.3.2) and
IPv4 addresses are not phone numbers. Names are the ones the source itself
knows (chat members, paging agents); each is replaced by the role it was
mapped to (`--role`) or a neutral label ("responder 2"). The first name of a
name of two or more words is replaced too, where it is written with its
capital (`Dana` for Dana Okafor, but not `dana` or `Will` in "Will the relay
hold?" unless a Will is known): more is left out rather than less.
"""

from __future__ import annotations

import re
from collections import Counter

EMAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?![\w-])")
_PHONE = re.compile(r"(?<![\w.+:/-])(?:tel:)?(?:\+\d{8,15}|(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,5}"
                    r"(?:[ .-]\d{1,5}){1,5})(?![\w:/-]|\.\d)")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
EMAIL_LABEL = "[e-mail address removed]"
PHONE_LABEL = "[phone number removed]"


class Redactor:
    """Replaces contact details, and the names it is given, in text; counts what it replaced by kind."""

    def __init__(self, names: dict[str, str] | None = None, *, keep_names: bool = False) -> None:
        self.keep_names = keep_names
        self.removed: Counter[str] = Counter()
        self.names: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        self.first_names: dict[str, str] = {}
        self._first: re.Pattern[str] | None = None
        for name, label in (names or {}).items():
            self.add_name(name, label)

    def add_name(self, name: str, label: str) -> None:
        """Replace `name` (a person's name, at least 2 characters) by `label` wherever it occurs."""
        name = name.strip()
        if len(name) >= 2 and name.lower() not in {"bot", "system", "slackbot", "pagerduty"}:
            self.names.setdefault(name, label)
            self._pattern = None
            first = name.split()[0] if len(name.split()) > 1 else ""
            if len(first) >= 3 and first[0].isupper():
                self.first_names.setdefault(first, label)
                self._first = None

    def text(self, text: str) -> str:
        """`text` with e-mail addresses, phone numbers and known names replaced (unchanged with keep_names)."""
        if self.keep_names:
            return text
        text = EMAIL.sub(lambda m: self._count("e-mail addresses", EMAIL_LABEL), text)
        text = _PHONE.sub(self._phone, text)
        if not self.names:
            return text
        if self._pattern is None:
            longest = sorted(self.names, key=len, reverse=True)
            self._pattern = re.compile(r"(?<!\w)@?(" + "|".join(re.escape(n) for n in longest) + r")(?!\w)",
                                       re.IGNORECASE)
        lowered = {k.lower(): v for k, v in self.names.items()}
        text = self._pattern.sub(lambda m: self._count("names", lowered[m.group(1).lower()]), text)
        if not self.first_names:
            return text
        if self._first is None:
            self._first = re.compile(r"(?<!\w)@?(" + "|".join(re.escape(n) for n in self.first_names) + r")(?!\w)")
        return self._first.sub(lambda m: self._count("names", self.first_names[m.group(1)]), text)

    def _phone(self, match: re.Match[str]) -> str:
        found = match.group()
        bare = found.removeprefix("tel:")
        digits = sum(c.isdigit() for c in bare)
        if not 9 <= digits <= 15 or _DATE.match(bare) or _IPV4.match(bare):
            return found
        if not (bare.startswith(("+", "(")) or found.startswith("tel:") or re.search(r"\d[ -]\d", bare)
                or bare.count(".") >= 2 and not _IPV4.match(bare)):
            return found
        return self._count("phone numbers", PHONE_LABEL)

    def _count(self, kind: str, label: str) -> str:
        self.removed[kind] += 1
        return label
