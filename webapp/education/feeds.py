"""Machine-readable views of the site: the Atom feed, the sitemap and robots.txt."""

from datetime import date
from xml.etree import ElementTree as ET

from flask import Response, current_app, url_for

from webapp.education import bp
from webapp.education.services import library
from webapp.education.vocabulary import SECTIONS
from webapp.i18n import HTML_LANG, current_language
from webapp.page_cache import cached_page
from webapp.templating import NAV_ITEMS, brigade_name

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_LENGTH = 20


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"  # articles are dated in Beijing time


def _xml(root: ET.Element, mimetype: str) -> Response:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype=mimetype)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


@bp.route("/feed.xml")
@cached_page
def feed():
    lang = current_language()
    lang_arg = {} if lang == current_app.config["BABEL_DEFAULT_LOCALE"] else {"lang": lang}
    articles = library().newest[lang][:FEED_LENGTH]
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": HTML_LANG.get(lang, lang)})
    _add(root, "title", brigade_name())
    _add(root, "id", url_for("public.home", _external=True))
    _add(root, "updated", _timestamp(articles[0].date if articles else date(2025, 1, 1)))
    _add(root, "link", rel="self", href=url_for(".feed", _external=True, **lang_arg))
    _add(root, "link", rel="alternate", href=url_for("public.home", _external=True, **lang_arg))
    _add(_add(root, "author"), "name", brigade_name())
    for article in articles:
        entry = _add(root, "entry")
        url = url_for(".article", section=article.section, slug=article.slug, _external=True)
        _add(entry, "title", article.title)
        _add(entry, "id", url)
        _add(entry, "link", rel="alternate", href=url if not lang_arg else f"{url}?lang={lang}")
        _add(entry, "updated", _timestamp(article.date))
        _add(entry, "summary", article.summary)
        _add(entry, "category", term=article.section, label=str(SECTIONS[article.section]))
    return _xml(root, "application/atom+xml")


def _public_pages() -> list[str]:
    pages = [url_for("public.home", _external=True)]
    pages += [url_for(".section_list", section=s, _external=True) for s in SECTIONS]
    for spec, _label in NAV_ITEMS:
        endpoint = spec.partition(":")[0]
        if endpoint in current_app.view_functions and not endpoint.startswith(bp.name):
            pages.append(url_for(endpoint, _external=True))
    return list(dict.fromkeys(pages))


@bp.route("/sitemap.xml")
@cached_page
def sitemap():
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for page in _public_pages():
        _add(_add(root, "url"), "loc", page)
    for article in library().newest[current_app.config["BABEL_DEFAULT_LOCALE"]]:
        url = _add(root, "url")
        _add(
            url,
            "loc",
            url_for(".article", section=article.section, slug=article.slug, _external=True),
        )
        _add(url, "lastmod", article.date.isoformat())
    return _xml(root, "application/xml")


@bp.route("/robots.txt")
@cached_page
def robots():
    lines = (
        "User-agent: *",
        "Disallow: /staff/",
        f"Sitemap: {url_for('.sitemap', _external=True)}",
    )
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
