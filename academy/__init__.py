"""The Dongcheng District Social Work Academy learning platform."""
from functools import lru_cache

from flask import Flask

from academy.config import INSTANCE_DIR, PROJECT_ROOT, Config
from academy.core.i18n import AcademyRequest, install_template_gettext


def create_app(config=None) -> Flask:
    """Build the application. `config` is a config class or a mapping of overrides."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(INSTANCE_DIR),
        instance_relative_config=True,
    )
    app.request_class = AcademyRequest
    if config is None or isinstance(config, type):
        app.config.from_object(config or Config)
    else:
        app.config.from_object(Config)
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set. Export SECRET_KEY=<a long random string> in the environment, "
            "or run `make run`, which writes one to instance/secret_key."
        )
    from academy.certificates.seal import check_seal

    check_seal(app.config)  # a configured seal image that is missing stops the start, saying so
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE_DIR.mkdir(exist_ok=True)

    if app.config.get("PROXY_FIX_X_FOR"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)
    _init_extensions(app)
    from academy.core.urls import DatabaseIdConverter

    app.url_map.converters["int"] = DatabaseIdConverter  # before the routes are added: ids stay in range
    _register_blueprints(app)
    _register_template_helpers(app)

    from academy.core.errors import register_error_handlers
    from academy.core.faults import init_fault_handling, init_rate_limit_fallback
    from academy.core.security import init_security

    register_error_handlers(app)
    init_fault_handling(app)
    init_rate_limit_fallback()
    init_security(app)

    from academy.cli import academy_cli

    app.cli.add_command(academy_cli)
    return app


def _init_extensions(app: Flask) -> None:
    from academy import models  # noqa: F401  (all tables known before migrations run)
    from academy.core.database import configure_postgresql, configure_sqlite, ping_after_idle
    from academy.core.i18n import select_locale
    from academy.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
    from academy.core.pagecache import init_page_cache
    from academy.core.personalcache import init_personal_cache
    from academy.core.tallying import declare
    from academy.qualifications.tallies import TALLIES as REGISTRY_TALLIES
    from academy.qualifications.tallies import init_registry_tallies
    from academy.reports.raw_tallies import FAMILY as REPORT_TALLIES
    from academy.reports.tallies import init_tallies

    if app.config.get("DATABASE_PING") == "pre_ping":
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": True}
    db.init_app(app)
    declare(REPORT_TALLIES, REGISTRY_TALLIES)  # rebuilt, checked and repaired together
    init_tallies()  # each registers with academy.core.derived, which runs them in their declared order
    init_registry_tallies()
    init_personal_cache()
    init_page_cache()
    with app.app_context():
        configure_sqlite(db.engine)
        configure_postgresql(db.engine)
        if app.config.get("DATABASE_PING") != "pre_ping":
            ping_after_idle(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    _configure_login(app)
    _register_job_kinds(app)


def _register_job_kinds(app: Flask) -> None:
    """Every domain's long work, declared with the jobs (academy/jobs/kinds.py) by its own jobs module."""
    from academy.jobs.channels import init_channels
    from academy.jobs import maintenance  # noqa: F401
    from academy.reports import jobs as report_jobs  # noqa: F401
    from academy.certificates import jobs as certificate_jobs  # noqa: F401
    from academy.enrolment import jobs as enrolment_jobs  # noqa: F401
    from academy.qualifications import jobs as results_jobs  # noqa: F401
    from academy.claims import jobs as claims_jobs  # noqa: F401

    init_channels(app)
    if app.config.get("SCHEDULER_IN_PROCESS") and not app.testing:
        from academy.jobs.scheduler import start_in_process

        start_in_process(app)


def _configure_login(app: Flask) -> None:
    from flask import session
    from flask_babel import lazy_gettext as _l
    from sqlalchemy.orm.attributes import set_committed_value

    from academy.extensions import db, login_manager

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str):
        # token is "<id>:<session version>"; a bumped version ends older sessions.
        user_id, _, version = token.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        noted = session.get(PROFILE_HINT)
        mine = isinstance(noted, list) and len(noted) == 2 and noted[0] == token
        with_profile = bool(noted[1]) if mine else True
        row = db.session.execute(_user_statement(with_profile), {"user_id": int(user_id)}).first()
        if row is None:
            return None
        user, user.unread_notifications = row
        if not user.active or user.session_version != int(version):
            return None
        if not with_profile:
            set_committed_value(user, "profile", None)  # known: not read again by each page that asks
        elif not mine:
            session[PROFILE_HINT] = [token, user.profile is not None]
        return user


# [account token, whether it has a worker profile], noted in the session at the account's first load. A
# profile is made with a worker's account and never added to one later (auth.operations.create_user); the
# note names the account it was made for, so another account loaded in the same session is read in full.
PROFILE_HINT = "_profile"


@lru_cache(maxsize=2)
def _user_statement(with_profile: bool):
    """One query loads the signed-in account and their unread notification count for the header, with a
    worker's profile and the units it names (their pages show them); built once, as every signed-in
    request runs it. Staff have no profile: for them the joins would cost a third of a plain page."""
    from sqlalchemy import bindparam, select
    from sqlalchemy.orm import joinedload

    from academy.auth.models import User, WorkerProfile
    from academy.notifications.operations import unread_count_column

    statement = select(User, unread_count_column(User.id)).where(User.id == bindparam("user_id"))
    if with_profile:
        statement = statement.options(joinedload(User.profile).joinedload(WorkerProfile.work_unit),
                                      joinedload(User.profile).joinedload(WorkerProfile.subdistrict))
    return statement


def _register_blueprints(app: Flask) -> None:
    from academy.api.blueprint import bp as api_tokens_bp
    from academy.attendance.blueprint import bp as attendance_bp
    from academy.audit.blueprint import bp as audit_bp
    from academy.auth.blueprint import bp as auth_bp
    from academy.certificates.blueprint import bp as certificates_bp
    from academy.claims.blueprint import bp as claims_bp
    from academy.competitions.blueprint import bp as competitions_bp
    from academy.courses.blueprint import bp as courses_bp
    from academy.enrolment.blueprint import bp as enrolment_bp
    from academy.jobs.blueprint import bp as jobs_bp
    from academy.notifications.blueprint import bp as notifications_bp
    from academy.orgs.blueprint import bp as orgs_bp
    from academy.partners.blueprint import bp as partners_bp
    from academy.programmes.blueprint import bp as programmes_bp
    from academy.progress.blueprint import bp as progress_bp
    from academy.evaluations.blueprint import bp as evaluations_bp
    from academy.materials.blueprint import bp as materials_bp
    from academy.plans.blueprint import bp as plans_bp
    from academy.privacy.blueprint import bp as privacy_bp
    from academy.qualifications.blueprint import bp as qualifications_bp
    from academy.reports.blueprint import bp as reports_bp
    from academy.site.blueprint import bp as site_bp

    for blueprint in (
        site_bp, auth_bp, programmes_bp, courses_bp, enrolment_bp, attendance_bp, progress_bp, notifications_bp,
        certificates_bp, partners_bp, orgs_bp, qualifications_bp, materials_bp, evaluations_bp, reports_bp, audit_bp,
        claims_bp, competitions_bp, plans_bp, jobs_bp, privacy_bp, api_tokens_bp,
    ):
        app.register_blueprint(blueprint)
    from academy.api.core import init_api

    init_api(app)


def _register_template_helpers(app: Flask) -> None:
    from flask import request

    from academy.core.i18n import is_chinese, local_datetime, localized, name_list
    from academy.core.masking import mask_detail, mask_phone, mask_resident_id
    from academy.core.pagecache import navigation_menu
    from academy.core.permissions import Role
    from academy.core.reasons import readable

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(local_datetime=local_datetime, mask_phone=mask_phone, mask_id=mask_resident_id,
                                 mask_detail=mask_detail, reason=readable,
                                 name_list=name_list)
    app.jinja_env.globals.update(localized=localized, is_chinese=is_chinese, Role=Role, navigation_menu=navigation_menu)

    @app.context_processor
    def layout_context():
        from flask_login import current_user

        unread = getattr(current_user, "unread_notifications", 0) if current_user.is_authenticated else 0
        return {
            "language_next": request.full_path.rstrip("?"),
            "unread_notifications": unread,
        }
