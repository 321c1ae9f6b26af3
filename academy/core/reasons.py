"""Reasons the system writes itself (a result's, a correction's) are stored as data — a code and its
figures — and put into words when read, in the reader's language. A reason a person typed is stored
and shown as typed. Domains define their codes' sentences; the core knows none of them.
"""
import json

PREFIX = "§r:"  # what marks a stored reason as data rather than a person's words
_sentences: dict = {}


def define(code: str, sentence) -> None:
    """The sentence (a lazy translation with %(name)s places) a code is read as."""
    _sentences[code] = sentence


def coded(code: str, **figures) -> str:
    """The stored form of the reason `code` with its figures (numbers and Decimals are kept as text)."""
    if code not in _sentences:
        raise ValueError(f"unknown reason {code}")
    return PREFIX + json.dumps([code, {key: value if isinstance(value, (int, type(None))) else str(value)
                                       for key, value in figures.items()}], ensure_ascii=False)


def readable(text) -> str:
    """A stored reason in the reader's language; a person's words (or an older stored sentence) as they are."""
    if not isinstance(text, str) or not text.startswith(PREFIX):
        return text
    try:
        code, figures = json.loads(text[len(PREFIX):])
        sentence = _sentences[code]
    except (ValueError, KeyError, TypeError):
        return text
    figures = {key: readable(value) if value is not None else "" for key, value in figures.items()}
    return str(sentence) % figures if figures else str(sentence)
