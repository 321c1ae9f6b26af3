"""Programme texts are edited by administrators; codes, tiers and directions are fixed."""
from academy.audit.operations import changes, record
from academy.extensions import db
from academy.programmes.models import Programme

EDITABLE_FIELDS = (
    "name_zh", "tagline_zh", "name_en", "summary_zh", "summary_en", "description_zh", "description_en",
    "audience_zh", "audience_en", "approval_required", "certificate_courses", "certificate_hours",
)


def update_programme(programme: Programme, *, actor=None, **values) -> dict:
    """Apply text changes and audit them field by field; returns what changed."""
    for name, value in values.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"{name} is not editable")
        setattr(programme, name, value)
    changed = changes(programme, EDITABLE_FIELDS)
    if changed:
        record("programme.update", programme, actor=actor, **changed)
    db.session.flush()
    return changed
