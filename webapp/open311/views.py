"""The Open311 GeoReport v2 API under /open311/v2/: JSON only.

GET answers anyone, with public reports only; POST requests.json needs an API
key issued in the back office, so the blueprint is exempt from the CSRF check
(no session or cookie is involved in a partner's call).
"""

import logging

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from webapp.common.identifiers import normalise_reference
from webapp.extensions import csrf, limiter
from webapp.hazards.categories import Category
from webapp.hazards.drafts import report_draft
from webapp.hazards.errors import HazardError
from webapp.i18n import current_language
from webapp.open311 import bp
from webapp.open311.documents import (
    discovery_document,
    error_list,
    request_document,
    service_definition,
    service_list,
    submitted_document,
)
from webapp.open311.forms import (
    InvalidQuery,
    PartnerReportForm,
    is_reference,
    parse_request_query,
    partner_formdata,
)
from webapp.open311.models import hash_token
from webapp.open311.services import (
    KeyRefused,
    RequestPage,
    authenticate,
    find_public_request,
    find_public_requests,
    submit_partner_report,
)
from webapp.page_cache import cached_page
from webapp.security import client_ip

log = logging.getLogger(__name__)
csrf.exempt(bp)


def errors(code: int, *descriptions):
    return jsonify(error_list(code, list(descriptions))), code


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Errors of this API in the GeoReport v2 format rather than as HTML pages."""
    code = error.code or 500
    messages = {
        404: _("Not found."),
        405: _("This method is not allowed here."),
        429: _("Too many requests: wait a minute and try again."),
    }
    return errors(code, messages.get(code, error.name))


def _key_for_limit() -> str:
    """Count requests per API key (hashed: the token is never kept), else per address."""
    token = request.form.get("api_key", "")
    if token:
        return "open311-key:" + hash_token(token)
    return "open311-ip:" + client_ip()


def _post_limit() -> str:
    return current_app.config["OPEN311_RATE_LIMIT"]


@bp.route("/discovery.json")
@cached_page
def discovery():
    return jsonify(discovery_document())


@bp.route("/services.json")
@cached_page
def services():
    return jsonify(service_list())


@bp.route("/services/<service_code>.json")
@cached_page
def service(service_code):
    if service_code not in set(Category):
        return errors(404, _("There is no service with the code %(code)s.", code=service_code))
    return jsonify(service_definition(Category(service_code)))


@bp.route("/requests.json", methods=["GET"])
@cached_page
def request_list():
    try:
        query = parse_request_query(request.args)
    except InvalidQuery as invalid:
        return errors(400, *invalid.problems)
    page = find_public_requests(query)
    response = jsonify(_documents(page))
    if page.has_next:
        response.headers["Link"] = f'<{_page_url(page.number + 1)}>; rel="next"'
    return response


def _page_url(number: int) -> str:
    args = {**request.args.to_dict(), "page": number}
    return url_for("open311.request_list", _external=True, **args)


def _documents(page: RequestPage) -> list[dict]:
    return [
        request_document(report, status_note=page.notes.get(report.id, "")) for report in page.items
    ]


@bp.route("/requests/<service_request_id>.json")
@cached_page
def request_detail(service_request_id):
    reference = normalise_reference(service_request_id)
    page = find_public_request(reference) if is_reference(reference) else None
    if page is None:
        return errors(
            404, _("There is no public request with the id %(id)s.", id=service_request_id)
        )
    return jsonify(_documents(page))


@bp.route("/requests.json", methods=["POST"])
@limiter.limit(_post_limit, key_func=_key_for_limit)
def create_request():
    try:
        key = authenticate(request.form.get("api_key"))
    except KeyRefused as refused:
        return errors(403, refused.message)
    form = PartnerReportForm(formdata=partner_formdata(request.form))
    if not form.validate():
        return errors(400, *form.problems())
    draft = report_draft(form, language=current_language())
    try:
        report = submit_partner_report(draft, key=key, ip=client_ip())
    except HazardError as refused:
        return errors(400, refused.message)
    log.info("open311 request %s created with key %s", report.reference, key.id)
    return jsonify(submitted_document(report)), 201


@bp.route("/<path:resource>.xml", methods=["GET", "POST"])
def xml_format(resource):
    return errors(400, _("Only JSON is supported: use the .json address instead of .xml."))


@bp.route("/<path:anything>", methods=["GET", "POST"])
def unknown(anything):
    return errors(404, _("Not found."))
