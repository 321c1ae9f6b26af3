"""Every model says what derived data it feeds: a new table cannot be forgotten by the caches and
summary tables, as the route walk forbids an unclassified route."""
from academy.core.feeds import Feeds, feeds_of
from academy.extensions import db


def test_every_mapped_model_declares_what_it_feeds(app):
    undeclared = sorted(mapper.class_.__name__ for mapper in db.Model.registry.mappers
                        if not isinstance(feeds_of(mapper.class_), Feeds))
    assert undeclared == []


def test_declarations_name_columns_and_models_that_exist(app):
    models = {mapper.class_.__name__: mapper for mapper in db.Model.registry.mappers}
    for name, mapper in models.items():
        feeds = feeds_of(mapper.class_)
        columns = set(mapper.columns.keys())
        if feeds.owner:
            assert feeds.owner in columns, name
        if isinstance(feeds.public, tuple):
            assert set(feeds.public) <= columns, name
        assert set(feeds.summaries) <= columns, name
        for family, tallied in feeds.tallies.items():
            assert tallied and set(tallied) <= columns and feeds.owner, (name, family)
        for through in filter(None, (feeds.owner_through, feeds.summaries_via)):
            assert through[1] in models or through[0] in models, (name, through)
        if feeds.owner_through:
            column, model = feeds.owner_through
            assert column in columns and feeds_of(models[model].class_).owner, name
        if feeds.summaries_via:
            model, column = feeds.summaries_via
            assert column in models[model].columns and feeds_of(models[model].class_).owner, name


def test_an_empty_declaration_means_shown_on_no_kept_page():
    assert Feeds() == Feeds(public=False, owner=None, everyone=False, families=(), summaries=())
    assert not Feeds(public=("name",)).shows_publicly({"name"}, new=True)
    assert Feeds(public=("name",)).shows_publicly({"name"})
    assert not Feeds(public=("name",)).shows_publicly({"password_hash"})
