"""Backup and restore round trips on both databases."""
import shutil

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from academy import create_app
from academy.auth.models import User
from academy.config import TestConfig
from academy.core.pagecache import PUBLIC, all_versions, bump_version
from academy.extensions import db
from academy.orgs.reference import seed_org_units

pytestmark = pytest.mark.own_database


def round_trip(url, tmp_path):
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(tmp_path))
    app = create_app(config)
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
        seed_org_units()
        db.session.commit()
        users = lambda: db.session.scalar(select(func.count(User.id)))  # noqa: E731
        runner.invoke(args=["academy", "create-user", "--role", "admin", "--phone", "13500000001", "--name", "备份前",
                            "--password", "winter-plum-blossom-road"])
        assert users() == 1
        target = tmp_path / "backup.bin"
        result = runner.invoke(args=["academy", "backup", str(target)])
        assert result.exit_code == 0, result.output
        runner.invoke(args=["academy", "create-user", "--role", "admin", "--phone", "13500000002", "--name", "备份后",
                            "--password", "winter-plum-blossom-road"])
        for _ in range(3):  # changes after the backup: pages are kept under these versions
            bump_version(db.session, PUBLIC)
            db.session.commit()
        before = all_versions()
        db.session.remove()
        assert users() == 2
        db.session.remove()
        result = runner.invoke(args=["academy", "restore", str(target), "--yes"])
        assert result.exit_code == 0, result.output
        assert [u.name for u in db.session.scalars(select(User))] == ["备份前"]
        after = all_versions()  # past every version a process may have kept pages under
        assert all(after[name] > value for name, value in before.items()), (before, after)
        db.session.remove()
        db.engine.dispose()


def test_sqlite_backup_and_restore(tmp_path):
    round_trip(f"sqlite:///{tmp_path / 'live.db'}", tmp_path)


@pytest.mark.postgres
def test_postgresql_backup_and_restore(postgres_url, tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (postgresql-client)")
    round_trip(postgres_url, tmp_path)
