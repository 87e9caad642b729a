"""The console's screens: start, console, the modal forms, hot wash and summary."""
