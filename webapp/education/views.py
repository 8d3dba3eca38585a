"""Public pages: section lists with filters, articles, search and cover images."""

from flask import abort, redirect, render_template, request, send_from_directory, url_for

from webapp.common.identifiers import reference_in_query
from webapp.common.pagination import page_number, paginate_list
from webapp.education import bp
from webapp.education.search import find, hit, query_terms
from webapp.education.services import library
from webapp.education.vocabulary import CAUSES, SECTIONS
from webapp.hazards.services import REFERENCE_PREFIX as HAZARD_REFERENCE_PREFIX
from webapp.i18n import current_language
from webapp.page_cache import cached_page

SECTION = "<any({}):section>".format(", ".join(SECTIONS))
PER_PAGE = 10
# Covers are the content writers' own files; even so they may not run anything.
COVER_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _page_or_404(items: list):
    page = paginate_list(items, number=page_number(request.args.get("page")), per_page=PER_PAGE)
    if page.number > page.pages:
        abort(404)
    return page


@bp.route(f"/{SECTION}/")
@cached_page
def section_list(section: str):
    content, lang = library(), current_language()
    tag = request.args.get("tag", "")
    tag = tag if tag in content.tags else ""
    cause = request.args.get("cause", "") if section == "exposures" else ""
    cause = cause if cause in CAUSES else ""
    page = _page_or_404(content.section(lang, section, tag=tag, cause=cause))
    return render_template(
        "education/section.html",
        section=section,
        page=page,
        tag=tag,
        cause=cause,
        tags=content.tags_in_section(lang, section),
        causes=content.causes_in_section(lang, section),
    )


@bp.route(f"/{SECTION}/<slug>")
@cached_page
def article(section: str, slug: str):
    content = library()
    found = content.article(current_language(), section, slug)
    if found is None:
        abort(404)
    return render_template(
        "education/article.html", article=found, related=content.related_articles(found)
    )


@bp.route("/search")
@cached_page
def search():
    query = request.args.get("q", "").strip()
    reference = reference_in_query(query, prefix=HAZARD_REFERENCE_PREFIX)
    if reference:  # a report's reference: the look-up opens it (or says it is not found)
        return redirect(url_for("hazards.find", reference=reference), 303)
    terms = query_terms(query)
    page = _page_or_404(find(library().newest[current_language()], terms))
    hits = [hit(article, terms) for article in page.items]
    return render_template("education/search.html", query=query, page=page, hits=hits)


@bp.route("/content/<path:filename>")
def cover(filename: str):
    content = library()
    if filename not in content.covers:
        abort(404)
    response = send_from_directory(content.content_dir, filename, max_age=86400)
    response.headers["Content-Security-Policy"] = COVER_POLICY
    return response
