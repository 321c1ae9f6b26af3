"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL, and
go down and up again cleanly."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from academy import create_app
from academy.config import TestConfig
from academy.extensions import db


def schema_differences(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree_on_the_test_database(app):
    # The session's database was built by running the migrations.
    with app.app_context():
        assert schema_differences(db.engine) == []


def round_trip(url):
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = url
    application = create_app(config)
    with application.app_context():
        upgrade()
        assert schema_differences(db.engine) == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert schema_differences(db.engine) == []
        db.engine.dispose()


def test_upgrade_downgrade_upgrade_on_sqlite(tmp_path):
    round_trip(f"sqlite:///{tmp_path / 'roundtrip.db'}")


@pytest.mark.postgres
def test_upgrade_downgrade_upgrade_on_postgresql(postgres_url):
    round_trip(postgres_url)
