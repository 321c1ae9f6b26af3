"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL, and
go down and up again cleanly."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from academy import create_app
from academy.config import TestConfig
from academy.core.schema import compared_by_alembic, expression_indexes
from academy.extensions import db


def schema_differences(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_object": compared_by_alembic})
        differences = compare_metadata(context, db.metadata)
        if connection.dialect.name == "sqlite":
            names = {row[0] for row in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        else:
            names = {row[0] for row in connection.exec_driver_sql("SELECT indexname FROM pg_indexes")}
    return differences + [("missing index on an expression", name)
                          for name in sorted(expression_indexes(db.metadata) - names)]


def test_the_indexes_on_expressions_are_found_by_name():
    assert "ix_qualification_records_registry_order" in expression_indexes(db.metadata)


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


def with_data_down_and_up(url, upload_dir):
    """Batch migrations rebuild tables: with rows that reference each other they must still pass, and the
    migrations that add summary tables or their columns fill them from the rows already there."""
    from sqlalchemy import func, select

    from academy.auth.models import User
    from academy.demo import load_demo
    from academy.orgs.reference import seed_org_units
    from academy.partners.reference import seed_partners
    from academy.programmes.reference import seed_programmes
    from academy.progress.reference import seed_rules
    from academy.reports.raw_tallies import raw_tallies, stored_tallies, without_zeros

    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(upload_dir))
    application = create_app(config)
    with application.app_context():
        upgrade()
        seed_org_units(), seed_programmes(), seed_rules(), seed_partners()
        load_demo()
        db.session.commit()
        users = db.session.scalar(select(func.count(User.id)))
        db.session.remove()
        downgrade(revision="71799338fdaf")  # before the summary tables: later migrations fill them from the rows
        upgrade()
        assert schema_differences(db.engine) == []
        assert db.session.scalar(select(func.count(User.id))) == users
        connection = db.session.connection()
        assert stored_tallies(connection) == without_zeros(raw_tallies(connection))
        db.session.remove()
        db.engine.dispose()


def test_upgrade_downgrade_upgrade_on_sqlite(tmp_path):
    round_trip(f"sqlite:///{tmp_path / 'roundtrip.db'}")


@pytest.mark.own_database  # the demo data must go into this database, not the per-test session's
def test_migrations_keep_data_on_sqlite(tmp_path):
    with_data_down_and_up(f"sqlite:///{tmp_path / 'data.db'}", tmp_path)


@pytest.mark.postgres
def test_upgrade_downgrade_upgrade_on_postgresql(postgres_url):
    round_trip(postgres_url)


@pytest.mark.postgres
@pytest.mark.own_database
def test_migrations_keep_data_on_postgresql(postgres_url, tmp_path):
    with_data_down_and_up(postgres_url, tmp_path)


@pytest.mark.own_database
def test_profile_levels_are_carried_into_the_registry(tmp_path):
    """A level held in a profile before the registry becomes a record: verified where the profile was."""
    from sqlalchemy import select

    from academy.auth.enums import Qualification
    from academy.core.tallying import raw_of, stored_of
    from academy.orgs.reference import seed_org_units
    from academy.qualifications.models import QualificationEvent, QualificationRecord, RecordStatus
    from academy.qualifications.tallies import TALLIES
    from datetime import date
    from tests import factories

    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'levels.db'}", UPLOAD_DIR=str(tmp_path))
    application = create_app(config)
    with application.app_context():
        upgrade(revision="b3d5f7a9c1e2")
        seed_org_units()
        verified = factories.create_worker(consented=False, certificate_no="z2019110100001", registration_date=date(2019, 6, 1))
        declared = factories.create_worker(consented=False, qualification=Qualification.SOCIAL_WORKER, qualification_verified=False,
                                           certificate_no="Z2021110100002", registration_date=date(2021, 3, 1))
        no_number = factories.create_worker(consented=False, certificate_no=None)
        db.session.remove()
        upgrade()
        found = {r.worker_id: r for r in db.session.scalars(select(QualificationRecord))}
        assert set(found) == {verified.id, declared.id} and no_number.id not in found
        assert (found[verified.id].status, found[verified.id].certificate_no, found[verified.id].exam_year) == (
            RecordStatus.VERIFIED, "Z2019110100001", 2019)
        assert (found[declared.id].status, found[declared.id].level) == (RecordStatus.DECLARED, Qualification.SOCIAL_WORKER)
        assert len(db.session.scalars(select(QualificationEvent)).all()) == 2
        connection = db.session.connection()
        assert stored_of(connection, TALLIES) == raw_of(connection, TALLIES)
        assert raw_of(connection, TALLIES)["certificates"] == {(2019, "assistant", verified.profile.subdistrict_id): [1]}
        db.session.remove()
        downgrade(revision="b3d5f7a9c1e2")
        assert db.session.scalars(select(QualificationRecord)).all() == []
        db.session.remove()
        db.engine.dispose()
