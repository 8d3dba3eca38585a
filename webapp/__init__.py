"""The portal: the traffic police brigade's public services and back office."""

import logging
from pathlib import Path

from flask import Flask, redirect, url_for

from webapp import (
    appointments,
    education,
    errors,
    hazards,
    maps,
    models,  # noqa: F401  (every table known before use)
    notifications,
    open311,
    public,
    staff,
    training,
)
from webapp.cli import register_commands
from webapp.config import (
    INSTANCE_DIR,
    KNOWN_DEFAULT_KEYS,
    Config,
    config_from_environment,
    engine_options,
)
from webapp.database import configure_sqlite
from webapp.extensions import babel, csrf, db, limiter, login_manager, migrate
from webapp.hazards.photo_storage import check_settings as check_photo_storage
from webapp.i18n import register_i18n, select_locale
from webapp.page_cache import register_page_cache
from webapp.security import register_security, same_site_path
from webapp.static_files import register_static_files
from webapp.templating import register_filters

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the application from a config class (default: from `APP_ENV`).

    A dict is applied on top of the environment's class, for tests.
    """
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    _load_config(app, config)
    _refuse_weak_secret_key(app)
    check_photo_storage(app)
    register_logging(app)
    register_extensions(app)
    register_features(app)
    errors.register_error_handlers(app)
    register_commands(app)
    register_filters(app)
    register_static_files(app)
    register_middleware(app)
    return app


def _load_config(app: Flask, config: type[Config] | dict | None) -> None:
    if isinstance(config, dict):
        app.config.from_object(config_from_environment())
        app.config.update(config)
    else:
        app.config.from_object(config or config_from_environment())
    if app.config.get("SQLALCHEMY_ENGINE_OPTIONS") is None:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"], app.config["DATABASE_CONNECT_TIMEOUT"]
        )


def _refuse_weak_secret_key(app: Flask) -> None:
    if app.config.get("NAME") != "production":
        return
    if app.config.get("SECRET_KEY", "") in KNOWN_DEFAULT_KEYS:
        raise SystemExit(
            "SECRET_KEY is not set (or is a known default): set SECRET_KEY to a "
            "long random value, e.g. the output of: "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )


def register_logging(app: Flask) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.unauthorized_handler(_redirect_to_login)
    with app.app_context():
        configure_sqlite(db.engine)
    register_i18n(app)


def register_middleware(app: Flask) -> None:
    """WSGI layers around the app, innermost first: kept pages, headers, proxies."""
    with app.app_context():
        register_page_cache(app, db.engine)
    register_security(app)


def _redirect_to_login():
    return redirect(url_for("staff.login", next=same_site_path()))


# Each package adds its blueprints, inbox source, anonymiser, live figures and demo
# data in its own `register(app)`. The outbox's comes first: its anonymiser runs first.
FEATURES = (
    notifications,
    public,
    education,
    staff,
    maps,
    hazards,
    training,
    appointments,
    open311,
)


def register_features(app: Flask) -> None:
    for feature in FEATURES:
        feature.register(app)
