"""Every interface string has its Chinese translation: the catalogue is extracted from the code and
templates as `make extract-messages` does, and each message must be translated in the zh catalogue."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _extracted() -> set:
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    def only_the_sources(path: str) -> bool:
        return Path(path).name not in ("node_modules", "bench", "docs", "static", "migrations", "tests")

    found = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=only_the_sources):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_interface_string_is_translated_into_chinese():
    with open(ROOT / "academy/translations/zh/LC_MESSAGES/messages.po", "rb") as catalogue_file:
        catalogue = read_po(catalogue_file)
    translated = {message.id[0] if isinstance(message.id, tuple) else message.id
                  for message in catalogue if message.id and not message.fuzzy and (
                      all(message.string) if isinstance(message.string, tuple) else message.string)}
    extracted = _extracted()
    assert len(extracted) > 500  # the walk found the code and the templates
    assert sorted(message for message in extracted if message and message not in translated) == []


def test_chinese_text_uses_full_width_punctuation():
    """A sentence in Chinese ends with 。 and joins with ，：；（） — a half-width stop reads as a typo."""
    import re

    with open(ROOT / "academy/translations/zh/LC_MESSAGES/messages.po", "rb") as catalogue_file:
        catalogue = read_po(catalogue_file)
    han = re.compile(r"[\u4e00-\u9fff]")
    half_width = re.compile(r"[\u4e00-\u9fff][.,;:!?(]|\)[\u4e00-\u9fff]|[.;!?]\s*$")
    offenders = [message.string for message in catalogue if message.id and isinstance(message.string, str)
                 and han.search(message.string) and half_width.search(message.string)]
    assert offenders == []


def test_no_message_is_translated_twice():
    """Branches append to one catalogue: a message entered twice would keep only one of its translations."""
    import re
    from collections import Counter

    text = (ROOT / "academy/translations/zh/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    ids = Counter(re.findall(r'^msgid ((?:".*"\n)+)', text, re.M))
    assert sorted(key for key, count in ids.items() if count > 1 and key != '""\n') == []
