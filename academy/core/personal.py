"""Whose personal data a row holds, declared beside its columns: `__personal__ = Personal(...)`.

A person's data download and the closing of an account read these declarations from the mapper
registry, so a new table of someone's data is given out and cleared by saying so where it is defined,
never by adding it to a list elsewhere. Every model with a column pointing at an account declares
(tests/test_personal.py walks them); `Personal()` says "names accounts only as the people who acted".
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
import enum

from sqlalchemy import select

from academy.core.derived import model_named
from academy.extensions import db


@dataclass(frozen=True)
class Personal:
    # The column naming the account whose data the row is (a worker's enrolment, a judge's score sheet).
    subject: str | None = None
    # (column, model name) when the person is found through another row: an enrolment's event names its
    # enrolment, whose `subject` names the worker.
    through: tuple[str, str] | None = None
    # Columns cleared when the account is closed: identity and contact details, bank details; the rest of
    # the row stays, as the rules on training records require.
    erase: tuple[str, ...] = ()
    # Columns never given out, not even to the person (keyed hashes of passwords, links and codes).
    secret: tuple[str, ...] = ()

    @property
    def about_someone(self) -> bool:
        return bool(self.subject or self.through)


def personal_of(cls) -> Personal | None:
    """The model's own declaration (None when it declares nothing)."""
    return cls.__dict__.get("__personal__")


def personal_models() -> list[type]:
    """Every model holding someone's data, by table name (a stable order for the download's sections)."""
    models = [mapper.class_ for mapper in db.Model.registry.mappers
              if (declared := personal_of(mapper.class_)) is not None and declared.about_someone]
    return sorted(models, key=lambda model: model.__tablename__)


def rows_of(model, person_id: int):
    """The statement selecting the model's rows that are the person's (following `through` links)."""
    declared = personal_of(model)
    if declared.subject:
        return select(model).where(getattr(model, declared.subject) == person_id)
    column, parent_name = declared.through
    parent = model_named(parent_name)
    parent_ids = rows_of(parent, person_id).with_only_columns(*parent.__mapper__.primary_key)
    return select(model).where(getattr(model, column).in_(parent_ids.scalar_subquery()))


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def as_record(row) -> dict:
    """The row's columns as plain values (codes for enumerations, ISO times, decimals as strings),
    without the columns the model keeps secret."""
    secret = set(personal_of(type(row)).secret)
    return {column.key: _plain(getattr(row, column.key)) for column in type(row).__mapper__.column_attrs
            if column.key not in secret}


def everything_of(session, person_id: int) -> dict[str, list[dict]]:
    """{table name: [row, ...]} of every row any model declares as this person's: one statement a model."""
    result = {}
    for model in personal_models():
        statement = rows_of(model, person_id).order_by(*model.__mapper__.primary_key)
        result[model.__tablename__] = [as_record(row) for row in session.scalars(statement)]
    return result


def erase_everything_of(session, person_id: int) -> dict[str, int]:
    """Clear the declared `erase` columns of every row of the person, through the session (so that the
    derived data sees it); {table: rows changed}. Nothing is deleted."""
    changed = {}
    for model in personal_models():
        columns = personal_of(model).erase
        if not columns:
            continue
        # a column that may not be empty is cleared to the empty text
        blank = {column: None if model.__table__.c[column].nullable else "" for column in columns}
        for row in session.scalars(rows_of(model, person_id)):
            if any(getattr(row, column) not in (None, "") for column in columns):
                for column, value in blank.items():
                    setattr(row, column, value)
                changed[model.__tablename__] = changed.get(model.__tablename__, 0) + 1
    session.flush()
    return changed
