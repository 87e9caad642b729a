"""The facilitator's console: a Textual app that drives a drill through engine.drill.session.Drill.

Only this package imports Textual and Rich; the drill core knows nothing of it.
"""
