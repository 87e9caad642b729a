"""The drill room: participants and evaluators follow a live drill from their own browsers.

A thin ASGI adapter (Starlette, served by uvicorn in the console's own event
loop) over `engine.drill.session.Drill`; the console stays the one writer of
the log. See app.py for the routes and views.py for what each seat sees.
"""
