"""gunicorn loses its database in the middle of a run, with connections open in its pool:
a form sent then gets the clear 503 page and leaves nothing, and once the database is
back the site recovers by itself, without a restart, with earlier data intact."""

import pytest
from sqlalchemy import func, make_url, select

from tests.faults.http import Browser
from tests.faults.tcp_proxy import TcpProxy
from tests.hazards.conftest import valid_report_data
from tests.live import serve_app
from tests.training.sample import request_form
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.training.models import TrainingRequest

pytestmark = pytest.mark.slow

SQLITE_REASON = (
    "an SQLite database is a file that each worker holds open: it cannot drop the "
    "connections of a running server; the file gone from the start is covered by "
    "test_database_unreachable_live.py"
)


@pytest.fixture
def site(app, app_context, tmp_path):
    """One gunicorn worker whose database connections all pass through a relay."""
    database_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if database_url.get_backend_name() != "postgresql":
        pytest.skip(SQLITE_REASON)
    with TcpProxy(database_url.host or "127.0.0.1", database_url.port or 5432) as proxy:
        proxied = database_url.set(host=proxy.host, port=proxy.port)
        with serve_app(
            database_url=proxied.render_as_string(hide_password=False),
            upload_dir=str(tmp_path),
            workers=1,
        ) as base:
            yield proxy, Browser(base)


def _rows() -> tuple[int, int]:
    """Training requests and workflow events, read directly from the database."""
    db.session.rollback()
    counts = (
        db.session.scalar(select(func.count()).select_from(TrainingRequest)),
        db.session.scalar(select(func.count()).select_from(WorkflowEvent)),
    )
    db.session.rollback()
    return counts


def _saved(company_name: str) -> list[tuple]:
    db.session.rollback()
    rows = db.session.execute(
        select(
            TrainingRequest.reference,
            TrainingRequest.company_name,
            TrainingRequest.contact_phone,
            TrainingRequest.state,
        ).where(TrainingRequest.company_name == company_name)
    ).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


def _form(browser: Browser, company_name: str) -> dict:
    """The training form as a user fills it in, with the token of the page just opened."""
    return {
        **request_form(company_name=company_name),
        "csrf_token": browser.csrf_token("/training/new"),
    }


def test_the_site_answers_503_while_its_database_is_lost_and_recovers_by_itself(site):
    proxy, browser = site
    # A normal run: pages served, one request saved.
    assert browser.open("/")[0] == 200
    assert browser.open("/training/new", _form(browser, "先前运输公司"))[0] == 302
    before = _saved("先前运输公司")
    assert len(before) == 1
    assert _rows() == (1, 1)
    assert proxy.relayed() >= 1, "the worker's pool holds no open connection"

    # The user opens the form; then the database is lost.
    form = _form(browser, "断线期间运输公司")
    proxy.cut()
    assert proxy.relayed() == 0
    status, page = browser.open("/training/new", form)
    assert status == 503
    assert "服务暂时不可用" in page and "不会丢失" in page
    assert "OperationalError" not in page and "Traceback" not in page
    assert browser.open("/healthz")[0] == 503
    assert browser.open("/healthz")[0] == 503  # still away: no false recovery

    # The database is back; the same server recovers by itself.
    proxy.restore()
    assert browser.open("/healthz")[0] == 200
    assert _saved("断线期间运输公司") == []
    assert _rows() == (1, 1)
    assert browser.open("/training/new", _form(browser, "恢复后运输公司"))[0] == 302
    assert len(_saved("恢复后运输公司")) == 1
    assert _rows() == (2, 2)
    assert _saved("先前运输公司") == before


def test_connections_lost_between_requests_are_replaced_unseen(site):
    """The database is lost and back before the next request: the pool's dead connections
    are found by the ping before use and replaced, so no user sees the blip."""
    proxy, browser = site
    assert browser.open("/training/new", _form(browser, "先前运输公司"))[0] == 302
    form = _form(browser, "闪断之后运输公司")
    assert proxy.relayed() >= 1, "the worker's pool holds no open connection"

    proxy.cut()
    proxy.restore()
    assert browser.open("/training/new", form)[0] == 302
    assert len(_saved("闪断之后运输公司")) == 1
    assert _rows() == (2, 2)


def _reports(location: str) -> int:
    db.session.rollback()
    found = db.session.scalar(
        select(func.count()).select_from(HazardReport).where(HazardReport.location == location)
    )
    db.session.rollback()
    return found


def _report(browser: Browser, location: str) -> dict:
    """The hazard form, which is saved on a pooled connection outside the session."""
    token = browser.csrf_token("/hazards/new?danger=no")
    return {**valid_report_data(location=location), "csrf_token": token}


def test_a_hazard_report_sent_while_the_database_is_lost_gets_503_and_the_next_is_saved(site):
    proxy, browser = site
    assert browser.open("/hazards/new", _report(browser, "先前的路口"))[0] == 302
    assert proxy.relayed() >= 1, "the worker's pool holds no open connection"

    form = _report(browser, "断线期间的路口")
    proxy.cut()
    status, page = browser.open("/hazards/new", form)
    assert status == 503
    assert "服务暂时不可用" in page and "Traceback" not in page

    proxy.restore()
    assert browser.open("/hazards/new", _report(browser, "恢复后的路口"))[0] == 302
    assert (_reports("先前的路口"), _reports("断线期间的路口"), _reports("恢复后的路口")) == (
        1,
        0,
        1,
    )


def test_hazard_connections_lost_between_requests_are_replaced_unseen(site):
    proxy, browser = site
    assert browser.open("/hazards/new", _report(browser, "先前的路口"))[0] == 302
    form = _report(browser, "闪断之后的路口")
    proxy.cut()
    proxy.restore()
    assert browser.open("/hazards/new", form)[0] == 302
    assert _reports("闪断之后的路口") == 1
