"""The API's conventions as marshmallow fields: enumerations as a stable code with a label in the
requested language, times in ISO 8601 with Beijing's offset, hours as decimal strings."""
from decimal import Decimal

from marshmallow import fields

from academy.core.i18n import LOCAL_TZ


class Coded(fields.Field):
    """An enumeration member as {"code": "published", "label": "已发布"}."""

    def __init__(self, enum_class, **kwargs):
        self.enum_class = enum_class
        metadata = {"type": "object", "required": ["code", "label"], "properties": {
            "code": {"type": "string", "enum": [member.value for member in enum_class]},
            "label": {"type": "string"}}}
        if kwargs.get("allow_none"):
            metadata["type"] = ["object", "null"]
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        member = self.enum_class(value)
        return {"code": member.value, "label": str(member.label)}


class LocalDateTime(fields.DateTime):
    """A stored UTC time given in Beijing time with its offset: 2026-12-07T09:00:00+08:00."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


class Hours(fields.Field):
    """Hours as a decimal string ("4.5"), never a binary float."""

    def __init__(self, **kwargs):
        metadata = {"type": ["string", "null"] if kwargs.get("allow_none") else "string",
                    "pattern": r"^\d+(\.\d)?$", "example": "4.5"}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return format(Decimal(value).quantize(Decimal("0.1")), "f")
