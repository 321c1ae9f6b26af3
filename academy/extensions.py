"""Extensions, created unbound and attached to the app in create_app."""
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from academy.core import ratestore  # noqa: F401 - `memory://` without a timer thread (academy/core/ratestore.py)

# Stable constraint names, so migrations can find and alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Committed objects keep the state the request gave them: what a view does after its commit (the message
# in the user's language, the redirect) would otherwise load the signed-in account again, and on SQLite
# take the write lock a second time. Rows changed past the ORM (a seat taken) are expired where changed.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()


class ViewLimiter(Limiter):
    """Flask-Limiter with the academy's limits on views only, each checked by its decorator when its view is
    called. Flask-Limiter also checks every request before any view for the application's, default and
    blueprint limits; the academy declares none (tests/security/test_protection.py), so that pass found nothing
    at every request, a fifth of the app's floor (docs/performance.md). It runs again as soon as such a
    limit is configured."""

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        manager = self.limit_manager
        if in_middleware and not (manager.application_limits or manager.default_limits):
            return None
        return super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)


limiter = ViewLimiter(key_func=get_remote_address, default_limits=[])
