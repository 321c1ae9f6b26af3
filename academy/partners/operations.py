"""Partners, agreements (with their timeline, document, renewal and termination) and practice bases."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.audit.operations import changes, record
from academy.core.errors import OperationError
from academy.extensions import db
from academy.partners.models import Agreement, AgreementEvent, Partner, PracticeBase
from academy.progress.evidence import store_evidence

PARTNER_FIELDS = ("name_zh", "name_en", "kind", "contact_person", "phone", "email", "address", "website", "notes")
AGREEMENT_FIELDS = ("title", "type", "number", "signed_on", "effective_from", "effective_to", "scope",
                    "responsible_staff", "parties", "programmes")
BASE_FIELDS = ("name", "host_partner", "host_unit", "subdistrict", "address", "capacity", "agreement")
DOCUMENT_LIMIT = 20 * 1024 * 1024


def _save_named(model, obj, *, fields, name_field: str, taken: str, action: str, actor, values: dict):
    """Create or update a partner or practice base whose name must be unique; audited with what changed."""
    other = db.session.scalar(select(model).where(getattr(model, name_field) == values[name_field]))
    if other is not None and (obj is None or other.id != obj.id):
        raise OperationError(taken, field=name_field)
    created = obj is None
    obj = obj or model()
    for name, value in values.items():
        if name not in fields:
            raise TypeError(name)
        setattr(obj, name, value)
    changed = {} if created else changes(obj, fields)  # read before the flush resets the history
    db.session.add(obj)
    db.session.flush()
    record(f"{action}.create" if created else f"{action}.update", obj, actor=actor, **changed)
    return obj


def save_partner(partner: Partner | None, *, actor, **values) -> Partner:
    return _save_named(Partner, partner, fields=PARTNER_FIELDS, name_field="name_zh", action="partner",
                       taken=_l("A partner with this Chinese name already exists."), actor=actor, values=values)


def _event(agreement: Agreement, action: str, actor, **detail) -> None:
    db.session.add(AgreementEvent(agreement=agreement, action=action, actor_id=actor.id if actor else None,
                                  detail=detail))
    record(f"agreement.{action}", agreement, actor=actor, **detail)


def _check(values: dict, agreement: Agreement | None) -> None:
    if not values.get("parties"):
        raise OperationError(_l("An agreement needs at least one party."), field="parties")
    start, end = values.get("effective_from"), values.get("effective_to")
    if start and end and end < start:
        raise OperationError(_l("It cannot end before it takes effect."), field="effective_to")
    number = values.get("number")
    if number:
        other = db.session.scalar(select(Agreement).where(Agreement.number == number))
        if other is not None and (agreement is None or other.id != agreement.id):
            raise OperationError(_l("Another agreement has this number."), field="number")


def _attach(agreement: Agreement, document, actor) -> None:
    name, data = document
    agreement.document = store_evidence(actor, name, data, pdf_only=True, max_bytes=DOCUMENT_LIMIT, field="document")
    _event(agreement, "document", actor, file=name)


def save_agreement(agreement: Agreement | None, *, actor, document: tuple[str, bytes] | None = None,
                   **values) -> Agreement:
    """Create or change an agreement; a document is a (file name, PDF bytes) pair."""
    _check(values, agreement)
    created = agreement is None
    agreement = agreement or Agreement()
    with db.session.no_autoflush:
        for name, value in values.items():
            if name not in AGREEMENT_FIELDS:
                raise TypeError(name)
            setattr(agreement, name, value)
    db.session.add(agreement)
    db.session.flush()
    if created:
        _event(agreement, "create", actor, title=agreement.title)
    else:
        changed = changes(agreement, [f for f in AGREEMENT_FIELDS if f not in ("parties", "programmes")])
        _event(agreement, "update", actor, **changed)
    if document is not None:
        _attach(agreement, document, actor)
    db.session.flush()
    return agreement


def renew(agreement: Agreement, *, actor, effective_from: date, effective_to: date | None, signed_on: date | None,
          number: str | None = None, document: tuple[str, bytes] | None = None) -> Agreement:
    """A successor with the same parties, programmes and scope; the predecessor and its history stay."""
    if agreement.successor is not None:
        raise OperationError(_l("This agreement has already been renewed."))
    if agreement.terminated_on is not None:
        raise OperationError(_l("A terminated agreement cannot be renewed."))
    successor = save_agreement(
        None, actor=actor, document=document, title=agreement.title, type=agreement.type, number=number,
        signed_on=signed_on, effective_from=effective_from, effective_to=effective_to, scope=agreement.scope,
        responsible_staff=agreement.responsible_staff, parties=list(agreement.parties),
        programmes=list(agreement.programmes),
    )
    successor.predecessor = agreement
    _event(agreement, "renewed", actor, successor=successor.id)
    db.session.flush()
    return successor


def terminate(agreement: Agreement, *, actor, on: date, reason: str) -> None:
    if agreement.terminated_on is not None:
        raise OperationError(_l("This agreement is already terminated."))
    if not (reason or "").strip():
        raise OperationError(_l("Give the reason for terminating."), field="reason")
    agreement.terminated_on, agreement.termination_reason = on, reason.strip()
    _event(agreement, "terminated", actor, on=on.isoformat(), reason=reason.strip())
    db.session.flush()


def save_base(base: PracticeBase | None, *, actor, **values) -> PracticeBase:
    return _save_named(PracticeBase, base, fields=BASE_FIELDS, name_field="name", action="practice_base",
                       taken=_l("A practice base with this name already exists."), actor=actor, values=values)
