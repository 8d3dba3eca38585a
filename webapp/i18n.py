"""Language and reading preferences: `?lang=` and `?text=` on any page.

Order for the language (SPEC.md, "Language"): `?lang=zh|en`, kept in the
session; otherwise Accept-Language; otherwise Chinese.
"""

from urllib.parse import urlencode

from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_locale

from webapp.extensions import babel
from webapp.security import same_site_path

TEXT_SIZES = ("normal", "large")
HTML_LANG = {"zh": "zh-CN", "en": "en"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def remember_preferences() -> None:
    """Keep `?lang=` and `?text=` from the query string in the session."""
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    text = request.args.get("text")
    if text in TEXT_SIZES:
        session["text"] = text


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])[:2]


def url_with(**changes: str) -> str:
    """The current page with some query arguments replaced, as a link on this site."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        args[key] = [value]
    return same_site_path(urlencode([(k, v) for k, vs in args.items() for v in vs]))


def template_globals() -> dict:
    language = current_language()
    return {
        "current_language": language,
        "html_lang": HTML_LANG.get(language, language),
        "large_text": session.get("text") == "large",
        "url_with": url_with,
        "same_site_path": same_site_path,
    }


class RequestCachedDomain(Domain):
    """Flask-Babel's message domain, with the request's catalogue looked up once.

    Flask-Babel resolves the context, the locale and its cache on every message,
    and a page has dozens (many through lazy strings: labels, choices, menu
    entries). The catalogue is kept on Flask-Babel's own request namespace,
    keyed by the locale object, so that force_locale() (a letter in Chinese, a
    message in the applicant's language) still switches.
    """

    def get_translations(self):
        context = g.get("_flask_babel") if has_app_context() else None
        cached = getattr(context, "portal_translations", None)
        if cached is not None and cached[0] is getattr(context, "babel_locale", None):
            return cached[1]
        translations = super().get_translations()
        context = g.get("_flask_babel") if has_app_context() else None
        if context is not None and getattr(context, "babel_locale", None) is not None:
            context.portal_translations = (context.babel_locale, translations)
        return translations


def _translations():
    """The request's catalogue, for templates: straight to the domain above, without
    Flask-Babel's look-up of which domain is current."""
    return babel.domain_instance.get_translations()


def register_i18n(app: Flask) -> None:
    babel.domain_instance = RequestCachedDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.before_request(remember_preferences)
    app.context_processor(template_globals)
    app.jinja_env.install_gettext_callables(
        gettext=lambda message: _translations().ugettext(message),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
    )
