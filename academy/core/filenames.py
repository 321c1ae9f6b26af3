"""File names that come from users (an upload's original name) or are built from their words (a
certificate's entry in a ZIP): cleaned so that they show what they are and lead nowhere.

Control and format characters go (U+202E would show "gpj.exe" as "exe.jpg", a NUL or a newline
breaks headers and listings), and so does any path: a name is its last component only, and the
characters Windows refuses in names become "_"."""
import re
import unicodedata

RESERVED = re.compile(r'[<>:"/\\|?*]')


def _printable(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return "".join(" " if char in "\t\r\n" else char for char in text
                   if char in "\t\r\n" or unicodedata.category(char) not in ("Cc", "Cf"))


def clean_filename(name: str | None, *, default: str = "file", max_length: int = 120) -> str:
    """The upload's name as kept and offered again: its last path component, printable, without the
    characters file systems refuse, at most `max_length` characters (the extension kept)."""
    text = _printable(name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = RESERVED.sub("_", text)
    text = " ".join(text.split()).strip(" .")
    if not text:
        return default
    if len(text) > max_length:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 8 and stem:
            text = stem[:max_length - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            text = text[:max_length].rstrip(" .")
    return text


def entry_name_part(text: str | None, *, default: str = "_", max_length: int = 60) -> str:
    """One part of a name built from user words (a holder's name in a ZIP entry): no path separator,
    no control or format character, no leading dot, at most `max_length` characters."""
    text = RESERVED.sub("_", _printable(text or ""))
    text = " ".join(text.split()).strip(" .")[:max_length].rstrip(" .")
    return text or default
