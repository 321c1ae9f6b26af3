"""Masking of personal data (PIPL): applied on screen and in exports unless asked otherwise."""
import re

from sqlalchemy import String, case, func, literal


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def mask_phone_sql(column):
    """mask_phone in SQL, for exports that stream rows straight from the database (a test keeps them equal)."""
    length = func.length(column)
    return case((length >= 7, func.substr(column, 1, 3, type_=String) + literal("****")
                 + func.substr(column, length - 3, type_=String)),
                else_=func.substr(literal("******"), 1, length, type_=String))


def mask_resident_id(number: str | None) -> str:
    """Hide the birth date and sequence, keep region prefix and last four for recognition."""
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_name(name: str | None) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧**娜; a Latin name keeps its first letter per word."""
    if not name:
        return ""
    if " " in name.strip():
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
    if len(name) <= 2:
        return name[0] + "*" * (len(name) - 1)
    return name[0] + "*" * (len(name) - 2) + name[-1]


# A mainland mobile number or a resident ID number standing alone in free text.
MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
RESIDENT_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    """Free text with every mobile and resident ID number in it masked."""
    text = RESIDENT_ID_IN_TEXT.sub(lambda match: mask_resident_id(match.group()), text)
    return MOBILE_IN_TEXT.sub(lambda match: mask_phone(match.group()), text)


def mask_detail(value, key: str | None = None):
    """Audit details with personal data masked: a `resident_id` entry wholly, and any mobile or ID
    number inside any text. Applied when an event is written and again when the
    trail is shown (events written before masking)."""
    if isinstance(value, dict):
        return {name: mask_detail(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [mask_detail(item, key) for item in value]
    if isinstance(value, str):
        if key == "resident_id" and "*" not in value:
            return mask_resident_id(value)
        return mask_text(value)  # a mobile number wherever it stands (an office's landline is no person's)
    return value
