"""Exercise handbooks: the Situation Manual for participants, the Facilitator and Evaluator Handbook,
and the participant feedback form, built from a scenario and its runbooks (never from a drill log).

`content.build()` turns the files into a `Book` of plain blocks; `markdown`, `html` and `word`
render a book, and `html` also feeds the PDF. Audience rules live in one place, `content`.
"""
