"""The console's widgets, one a file. Each renders from the drill state it is given."""
