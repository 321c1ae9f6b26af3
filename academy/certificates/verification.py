"""Documents of other domains verified at /verify too: a domain registers a lookup from a code to the
template and context that show it, so this domain never imports theirs."""
_lookups: list = []


def register(lookup) -> None:
    """`lookup(code)` returns (template name, context) when the code is one of its documents, else None."""
    if lookup not in _lookups:
        _lookups.append(lookup)


def find(code: str):
    for lookup in _lookups:
        found = lookup(code)
        if found is not None:
            return found
    return None
