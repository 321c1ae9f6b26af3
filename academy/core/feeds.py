"""What a model's rows are shown in, declared beside its columns: `__feeds__ = Feeds(...)`.

The caches and summary tables read these declarations from the mapper registry, so a new model is
kept current by saying what it feeds, never by adding it to a list elsewhere. Every mapped model
declares something (tests/test_feeds.py walks them); `Feeds()` says "shown on no cached page".
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Feeds:
    # The anonymous public pages (catalogue, course and programme pages): True for any change, or the
    # names of the columns whose change shows there (an instructor's name, not their password; a new
    # row of such a model shows nowhere until a row that is public links to it).
    public: bool | tuple[str, ...] = False
    # The column naming the worker whose own pages (my learning, the learning record) show the row.
    owner: str | None = None
    # (column, model name) when the worker is found through another row: an attendance mark names its
    # enrolment, whose `owner` names the worker.
    owner_through: tuple[str, str] | None = None
    # Every worker's own pages show it (a rule, a partner's name): no single owner.
    everyone: bool = False
    # Further families of kept pages and results that show the rows ("reports", "agreements", ...).
    families: tuple[str, ...] = ()
    # The columns whose change moves what the row's worker adds to the reports' summary tables
    # (read by academy.reports.tallies).
    summaries: tuple[str, ...] = ()
    # (model name, column) for a row that has no owner but moves the contributions of the workers who
    # own the rows of that model pointing at it: a course's dates move its enrolled workers'.
    summaries_via: tuple[str, str] | None = None
    # Further families of summary tables, by name: {"registry": (columns, ...)}, the columns whose change
    # moves what the row's worker (its `owner`) adds to that family (read by the family's keeper).
    tallies: dict = field(default_factory=dict, hash=False)

    def tallied(self, family: str) -> tuple[str, ...]:
        return self.tallies.get(family, ())

    def shows_publicly(self, changed_columns, new: bool = False) -> bool:
        if self.public is True:
            return True
        return bool(self.public) and not new and any(column in self.public for column in changed_columns)


def feeds_of(cls) -> Feeds | None:
    """The model's own declaration (None when it declares nothing)."""
    return cls.__dict__.get("__feeds__")
