"""Write an inject on the spot (inject.adhoc): what is read out, to whom, the services it changes and the
event it brings. Recording asks first, naming what follows; once in the log it is announced like any
inject, listed on the Injects pane marked ad hoc, and can be withdrawn with w."""

from __future__ import annotations

import re

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from engine.drill import events as ev
from engine.drill.foresight import foresee
from engine.drill.state import DrillState, EventError
from engine.tui import display
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.form import FormScreen, buttons, field, form_fields
from engine.tui.written_actions import effect_lines, events_listened, roles

_PAIR = re.compile(r"^\s*([^\s=:]+)\s*[=:\s]\s*(\S+)\s*$")


def parse_services(text: str, state: DrillState) -> dict[str, str]:
    """`relay-mx=down, teams degraded` -> {"relay-mx": "down", "teams": "degraded"}. Raises ValueError
    naming the part at fault and what is allowed."""
    out: dict[str, str] = {}
    for part in (p for p in text.split(",") if p.strip()):
        match = _PAIR.match(part)
        if match is None:
            raise ValueError(f"{part.strip()!r}: write each change as service=health, e.g. relay-mx=down")
        service, health = match.group(1), match.group(2).lower()
        if service not in state.plan.services:
            raise ValueError(f"no service {service!r}; the runbooks have {', '.join(state.plan.services)}")
        if health not in ev.HEALTH:
            raise ValueError(f"{service}: the health is up, degraded or down, not {health!r}")
        out[service] = health
    return out


class AdhocScreen(FormScreen[None]):
    DEFAULT_CSS = "AdhocScreen #to { height: auto; max-height: 4; width: 1fr; }"

    def compose(self) -> ComposeResult:
        drill = self.drill
        state = drill.state
        events = events_listened(state)
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(("Write an inject ", "bold"), "(ad hoc, delivered now as ",
                                          (drill.next_adhoc_id(), "bold"), ")"), classes="dialog-title")
            yield field("Text", Input(placeholder="what is read out to the room", id="text", compact=True))
            to = field("To", OptionList(*(Option(self._role(role), id=role) for role in self.roles), id="to"))
            to.styles.height, to.styles.max_height = "auto", 4  # a few roles on screen, not one
            yield to
            yield field("Services", Input(placeholder="optional: service=health, e.g. "
                                          f"{next(iter(state.plan.services), 'relay')}=down", id="services",
                                          compact=True))
            if events:
                yield field("Event", Select([(Content(e), e) for e in events], prompt="optional: an event it brings",
                                           id="event", compact=True))
            yield field("Expect", Input(placeholder="optional: the response expected (what evaluators rate)",
                                        id="expect", compact=True))
            yield field("Objectives", Input(placeholder="optional: objective ids, comma-separated, e.g. "
                                            f"{next(iter(state.plan.objectives), 'rb/objective').partition('/')[2]}",
                                            id="objectives", compact=True))
            yield field("By", Input(value=state.facilitator or "", placeholder="who wrote it", id="by", compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("space ticks a role (none: the room) · Enter: next · ctrl+s: review · "
                                        "Esc: cancel", "dim"))
            yield from buttons("Deliver")

    def __init__(self) -> None:
        super().__init__()
        self.roles = roles(self.drill.state)
        self.to: list[str] = []  # the roles ticked, in the order of the list

    def _role(self, role: str) -> Content:
        name = self.drill.state.participants.get(role)
        mark = "[x] " if role in self.to else "[ ] "  # reads without colour
        return Content.assemble((mark, "bold"), display.literal(role, one_line=True),
                                (f" ({display.literal(name, one_line=True)})" if name else "", "dim"))

    def toggle(self, index: int) -> None:
        """Tick or untick the role at `index` of the To list."""
        options = self.query_one("#to", OptionList)
        role = options.get_option_at_index(index).id or ""
        self.to = [r for r in self.roles if (r in self.to) != (r == role)]
        options.replace_option_prompt_at_index(index, self._role(role))

    def on_key(self, event: events.Key) -> None:
        options = self.query_one("#to", OptionList)
        if event.key == "space" and options.has_focus and options.option_count:
            event.stop()
            if options.highlighted is None:  # a space typed the moment the list took the focus: its first role
                options.highlighted = 0
            self.toggle(options.highlighted or 0)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click on a role ticks it (Enter moves on to the next field)
        self.toggle(event.option_index)

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.set_focus(self.query_one("#text", Input))

    def action_next_field(self) -> None:
        """Enter in the roles list moves on (space ticks a role), like Enter in any other field."""
        if self.focused is self.query_one("#to", OptionList):
            fields = form_fields(self)
            index = fields.index(self.focused)
            if index + 1 < len(fields):
                self.set_focus(fields[index + 1])
            return
        super().action_next_field()

    def payload(self) -> ev.InjectAdhoc | None:
        """The inject as filled in, or None after saying what is wrong in the form."""
        drill = self.drill
        text = self.query_one("#text", Input).value.strip()
        if not text:
            self.problem("An inject needs its text: what is read out to the room.")
            self.set_focus(self.query_one("#text", Input))
            return None
        try:
            services = parse_services(self.query_one("#services", Input).value, drill.state)
        except ValueError as exc:
            self.problem(str(exc))
            self.set_focus(self.query_one("#services", Input))
            return None
        objectives = self.objectives()
        if objectives is None:
            return None
        events = self.query(Select)
        event = events.first().value if events else None
        return ev.InjectAdhoc(drill.next_adhoc_id(), text, tuple(self.to),
                              services, event if isinstance(event, str) else None,
                              self.query_one("#by", Input).value.strip(),
                              " ".join(self.query_one("#expect", Input).value.split()), objectives)

    def objectives(self) -> tuple[str, ...] | None:
        """The objectives typed (an id, or runbook/id), as plan keys; None after naming one that is unknown."""
        known = self.drill.state.plan.objectives
        out: list[str] = []
        for word in (w.strip() for w in self.query_one("#objectives", Input).value.split(",")):
            if not word:
                continue
            keys = [k for k in known if k == word or k.partition("/")[2] == word]
            if len(keys) != 1:
                self.problem(f"No objective {word!r}" + (" (it is in more than one runbook: write runbook/id)"
                                                         if keys else "") + f"; the drill's: {', '.join(known)}")
                self.set_focus(self.query_one("#objectives", Input))
                return None
            out.append(keys[0])
        return tuple(dict.fromkeys(out))

    def action_submit(self) -> None:
        payload = self.payload()
        if payload is None:
            return
        drill = self.drill
        try:
            effects = foresee(drill.state, payload, drill.now_t())
        except EventError as exc:
            self.problem(str(exc))
            return
        to = ", ".join(payload.to) or "the whole room"
        lines = [f"{payload.inject} is delivered at {display.clock(drill.now_t())} to {to}, and counts as fired "
                 "by hand:", f"“{payload.text}”",
                 *(effect_lines(effects) or ["It changes no service and opens no step."]),
                 "It can be withdrawn later (w); the log and the report keep it, marked ad hoc."]

        def done(yes: bool | None) -> None:
            if yes:  # announced like a fired inject once the console is back (the form closes when recorded)
                self.drill_app.pending.append(payload.inject)
                if not self.record(lambda: drill.record(payload)):
                    self.drill_app.pending.remove(payload.inject)

        self.app.push_screen(ConfirmScreen(f"Deliver {payload.inject}?", "\n".join(lines), "Deliver"), done)
