"""The event types of a drill log, one module per family, each class the one place its type is defined.

base: the envelope (Event), Payload, the registry and `decode`; codec: the
one codec derived from a payload's fields; readers: checks shared by
several types. The families: lifecycle, injects, steps, clock, notes,
corrections, discussion, feedback. Importing this package imports every
module in it, which registers every type (a new module needs no line
here); engine.drill.events gathers them under the names importers use.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
