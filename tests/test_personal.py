"""Every table holding someone's data says so (academy/core/personal.py): a person's download and the
closing of an account cannot forget a new table, as the route walk forbids an unclassified route."""
from academy.core.feeds import feeds_of
from academy.core.personal import Personal, personal_models, personal_of
from academy.extensions import db


def _mappers():
    return {mapper.class_.__name__: mapper for mapper in db.Model.registry.mappers}


def _points_at(mapper, tables: set[str]) -> bool:
    return any(key.column.table.name in tables for column in mapper.columns for key in column.foreign_keys)


def test_every_model_pointing_at_an_account_or_at_someones_row_declares(app):
    mappers = _mappers()
    personal_tables = {"users"} | {model.__tablename__ for model in personal_models()}
    undeclared = sorted(name for name, mapper in mappers.items()
                        if _points_at(mapper, personal_tables) and not isinstance(personal_of(mapper.class_), Personal))
    assert undeclared == []


def test_declarations_name_columns_and_models_that_exist(app):
    mappers = _mappers()
    for name, mapper in mappers.items():
        declared = personal_of(mapper.class_)
        if declared is None:
            continue
        columns = set(mapper.columns.keys())
        assert not (declared.subject and declared.through), name
        if declared.subject:
            assert declared.subject in columns, name
        if declared.through:
            column, parent = declared.through
            assert column in columns and personal_of(mappers[parent].class_).about_someone, name
        assert set(declared.erase) <= columns and set(declared.secret) <= columns, name
        assert not declared.erase or declared.about_someone, name


def test_a_worker_s_own_pages_show_only_rows_declared_as_someones(app):
    # what a worker's own pages show is theirs: it must be in their download too
    for mapper in db.Model.registry.mappers:
        feeds = feeds_of(mapper.class_)
        if feeds and (feeds.owner or feeds.owner_through):
            assert personal_of(mapper.class_) and personal_of(mapper.class_).about_someone, mapper.class_.__name__
