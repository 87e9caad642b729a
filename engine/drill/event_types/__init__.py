"""The event types of a drill log, one module per family, each class the one place its type is defined.

base: the envelope (Event), Payload, the registry and `decode`; codec: the
one codec derived from a payload's fields; readers: checks shared by
several types. The families: lifecycle, injects, steps, clock, notes,
corrections, discussion, feedback. Importing this package registers every
type; engine.drill.events gathers them under the names importers use.
"""

from engine.drill.event_types import (  # noqa: F401  (importing a family registers its types)
    clock,
    corrections,
    discussion,
    feedback,
    injects,
    lifecycle,
    notes,
    steps,
)
