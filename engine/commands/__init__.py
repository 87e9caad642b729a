"""Subcommands that live in their own modules. Each has `register(subparsers)`; imports of the
heavy parts happen inside the command's run function, so `tabletop validate` stays fast."""

import argparse
import sys

EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Say what went wrong in one line on stderr, the way every command does, and return the exit code."""
    print(f"tabletop: error: {message}", file=sys.stderr)
    return code


def usage(parser: argparse.ArgumentParser) -> int:
    """A command group run without its subcommand: show its help and exit as a usage error."""
    parser.print_help(sys.stderr)
    return EXIT_USAGE


COMMAND_MODULES = ("play", "log", "explore", "report", "drill", "msel", "cacao", "new", "coverage")
