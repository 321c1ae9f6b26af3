"""Whether the data is whole: the checks an operator runs after an incident or a restore
(`flask --app wsgi academy check`), and the repair of what can be derived from the rows (`--repair`)."""
