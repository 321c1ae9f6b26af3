"""Hostile names: what an attacker types as a name or title, for every test of a format user words
enter (PDF, ZIP, CSV/XLSX exports, pages). The `hostile_name` fixture in conftest.py runs a test
once per name.

Each is what the pen test used or a close relative: ReportLab markup that fetches, forges or
breaks, HTML, right-to-left and other format characters, paths, control characters and a name of
200 characters. `fit` cuts one to a column's length (a person's name holds 50 characters)."""
import unicodedata

HOSTILE_NAMES = {
    "img-url": '<img src="http://127.0.0.1:9/verify/AAAA" width="40" height="40"/>',
    "img-file": '<img src="/etc/hostname" width="40" height="40"/>',
    "forged-line": "Q<br/>共 900 学时，考核优秀",
    "link": '<a href="https://evil.example">点此核验</a>',
    "bad-colour": '<font color="nosuchcolour">红字</font>',
    "script": "<script>alert(1)</script><b>粗",
    "entities": "&amp; &lt;b&gt; & <b <para>",
    "rtl-override": "张三\u202egpj.exe",
    "bidi-isolates": "\u2067李四\u2069\u200f\u200b王",
    "path": "../../etc/passwd",
    "windows-path": "..\\..\\Windows\\win.ini:stream",
    "control": "王\t五\r\n\x07六\x1b[31m",
    "long": ("长名字<b>&" * 20)[:200],
}


def fit(text: str, length: int) -> str:
    return text[:length]


def printable(text: str) -> str:
    """The name as it must read back: format and control characters dropped, no whitespace (text
    extraction breaks lines where the layout does)."""
    return "".join(char for char in text
                   if unicodedata.category(char) not in ("Cc", "Cf") and not char.isspace())


def squeeze(text: str) -> str:
    """Text without whitespace, to compare with `printable`."""
    return "".join(text.split())
