"""An application of its own on a database of its own (migrated and seeded), for the fault tests."""
from contextlib import contextmanager

from flask_migrate import upgrade

from academy import create_app
from academy.config import TestConfig
from academy.core.pagecache import clear_page_cache

from academy.extensions import db
from tests.conftest import IsolatedClient


@contextmanager
def own_app(url: str, tmp_path, **overrides):
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(tmp_path / "uploads"), **overrides)
    clear_page_cache(names=True)  # pages and names kept by the process for another database's rows
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        from academy.orgs.reference import seed_org_units
        from academy.partners.reference import seed_partners
        from academy.programmes.reference import seed_programmes
        from academy.progress.reference import seed_rules

        upgrade()
        seed_org_units(), seed_programmes(), seed_rules(), seed_partners()
        db.session.commit()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
            clear_page_cache(names=True)
