"""The drill core: a plan (runbooks + scenario), an event-sourced state, the durable log, the clock.

Nothing here reads the clock or touches a screen: time comes in through a
Clock object and the state is a pure fold over the events of the log.
"""
