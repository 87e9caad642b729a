"""The improvement plan kept as code: HSEEP corrective actions in `improvements/*.yaml`, each
answering an area for improvement from a drill log, checked by `tabletop validate`, and verified
by a later live drill (see docs/improvements.md)."""
