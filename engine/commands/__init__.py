"""Subcommands that live in their own modules. Each has `register(subparsers)`; imports of the
heavy parts happen inside the command's run function, so `tabletop validate` stays fast."""

COMMAND_MODULES = ("play", "log", "explore", "report", "drill", "msel", "cacao", "new", "coverage")
