"""Kept public pages: who gets them, what is never kept, and that a change shows at once."""

import re

import pytest
from flask import template_rendered
from sqlalchemy import create_engine, text

from tests.factories import create_hazard_report, create_session
from tests.hazards.conftest import valid_report_data
from webapp.extensions import db
from webapp.page_cache import CACHEABLE_KEY, FileDataStamp, PageCache, mark_writes

# --- the middleware on its own, around a small WSGI app --------------------------------


class CountingApp:
    """A WSGI app that says how often it ran, and answers as told."""

    def __init__(self, status="200 OK", headers=(), mark=True):
        self.calls, self.status, self.headers, self.mark = 0, status, list(headers), mark

    def __call__(self, environ, start_response):
        self.calls += 1
        environ[CACHEABLE_KEY] = self.mark
        start_response(
            self.status, [("Content-Type", "text/html"), ("X-Request-ID", "r1"), *self.headers]
        )
        return [f"page {self.calls}".encode()]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def get(cache, path="/", **environ):
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=headers)

    base = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "HTTP_HOST": "x"}
    body = b"".join(cache({**base, **environ}, start_response))
    return answer["status"], dict(answer["headers"]), body.decode()


@pytest.fixture
def stamp(tmp_path):
    stamp = FileDataStamp(tmp_path / "stamp")
    stamp.touch()
    return stamp


def make_cache(inner, stamp, **options):
    return PageCache(inner, seconds=10, stamp=stamp, languages=("zh", "en"), **options)


def test_a_kept_page_is_served_without_running_the_app_again(stamp):
    inner = CountingApp()
    cache = make_cache(inner, stamp)
    assert get(cache)[2] == "page 1"
    status, headers, body = get(cache)
    assert (status, body, inner.calls) == ("200 OK", "page 1", 1)
    assert "X-Request-ID" not in headers  # each answer gets its own, outside the cache


def test_a_page_is_made_again_once_its_time_is_up(stamp):
    inner, clock = CountingApp(), Clock()
    cache = make_cache(inner, stamp, clock=clock)
    get(cache)
    clock.now += 9.9
    assert get(cache)[2] == "page 1"
    clock.now += 0.2
    assert get(cache)[2] == "page 2"


def test_a_write_to_the_data_makes_every_kept_page_stale(stamp):
    inner = CountingApp()
    cache = make_cache(inner, stamp)
    get(cache, "/a")
    get(cache, "/b")
    stamp.touch()
    assert get(cache, "/a")[2] == "page 3"
    assert get(cache, "/b")[2] == "page 4"


@pytest.mark.parametrize(
    "environ",
    [
        {"HTTP_COOKIE": "session=abc"},
        {"HTTP_AUTHORIZATION": "Basic eDp5"},
        {"REQUEST_METHOD": "POST"},
        {"REQUEST_METHOD": "HEAD"},
    ],
)
def test_requests_with_a_cookie_credentials_or_another_method_always_reach_the_app(stamp, environ):
    inner = CountingApp()
    cache = make_cache(inner, stamp)
    get(cache)
    get(cache, **environ)
    assert inner.calls == 2


@pytest.mark.parametrize(
    "inner",
    [
        CountingApp(mark=False),
        CountingApp(status="404 NOT FOUND"),
        CountingApp(headers=[("Set-Cookie", "session=new; HttpOnly")]),
    ],
    ids=["view not marked", "not found", "sets a cookie"],
)
def test_unmarked_views_errors_and_answers_that_set_a_cookie_are_never_kept(stamp, inner):
    cache = make_cache(inner, stamp)
    get(cache)
    get(cache)
    assert inner.calls == 2


def test_pages_are_kept_per_address_query_and_language(stamp):
    inner = CountingApp()
    cache = make_cache(inner, stamp)
    get(cache, "/a")
    get(cache, "/a", QUERY_STRING="page=2")
    get(cache, "/a", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    get(cache, "/a", HTTP_HOST="other.example")
    assert inner.calls == 4
    # Accept-Language that picks the same language shares the page.
    get(cache, "/a", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert inner.calls == 4


def test_the_number_and_size_of_kept_pages_are_bounded(stamp):
    inner = CountingApp()
    cache = make_cache(inner, stamp, max_pages=2)
    for path in ("/a", "/b", "/c"):
        get(cache, path)
    get(cache, "/a")  # the oldest went first
    assert inner.calls == 4

    small = make_cache(CountingApp(), stamp, max_page_bytes=3)
    get(small)
    get(small)
    assert small.wsgi_app.calls == 2


def test_only_committed_writes_move_the_stamp(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    stamp = FileDataStamp(tmp_path / "stamp")
    stamp.touch()
    mark_writes(engine, stamp)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    before = stamp.read()

    with engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM t"))
        connection.commit()
    assert stamp.read() == before

    with engine.connect() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
        connection.rollback()
    assert stamp.read() == before

    with engine.begin() as connection:
        connection.execute(text("UPDATE t SET x = 2"))
    assert stamp.read() > before
    engine.dispose()


# --- the real site, with the cache on -----------------------------------------------


@pytest.fixture
def renders(cached_app):
    """The templates rendered by the cached app, in order."""
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, cached_app)
    yield names
    template_rendered.disconnect(record, cached_app)


def test_a_first_time_visitor_gets_the_same_page_without_it_being_made_again(cached_app, renders):
    first = cached_app.test_client().get("/campaigns/")
    second = cached_app.test_client().get("/campaigns/")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert renders == ["education/section.html"]
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert second.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_visitor_who_chose_english_gets_english_not_the_kept_chinese_page(cached_app):
    assert "安全" in cached_app.test_client().get("/").get_data(as_text=True)
    reader = cached_app.test_client()
    reader.get("/?lang=en")
    page = reader.get("/").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert '<html lang="zh-CN"' in cached_app.test_client().get("/").get_data(as_text=True)


def test_the_browser_language_picks_the_kept_page(cached_app):
    english = cached_app.test_client().get("/", headers={"Accept-Language": "en-US,en;q=0.8"})
    chinese = cached_app.test_client().get("/", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en"' in english.get_data(as_text=True)
    assert '<html lang="zh-CN"' in chinese.get_data(as_text=True)


def test_a_new_report_and_a_report_made_private_show_in_the_kept_list_at_once(cached_app):
    with cached_app.app_context():
        create_hazard_report(location="桃北西街与北大街口")
    assert "桃北西街与北大街口" in cached_app.test_client().get("/hazards/").get_data(as_text=True)

    with cached_app.app_context():
        report = create_hazard_report(location="南大街加油站门前")
    assert "南大街加油站门前" in cached_app.test_client().get("/hazards/").get_data(as_text=True)

    with cached_app.app_context():
        report = db.session.merge(report)
        report.is_private = True
        db.session.commit()
    assert "南大街加油站门前" not in cached_app.test_client().get("/hazards/").get_data(
        as_text=True
    )


def test_a_report_sent_with_the_form_shows_in_the_kept_list_at_once(cached_app):
    """The form saves on a connection of its own, outside the session: the cache hears of it."""
    assert "桃园路口" not in cached_app.test_client().get("/hazards/").get_data(as_text=True)
    resident = cached_app.test_client()
    form = resident.get("/hazards/new?danger=no").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    sent = resident.post(
        "/hazards/new", data=valid_report_data(location="桃园路口", csrf_token=token)
    )
    assert sent.status_code == 302
    assert "桃园路口" in cached_app.test_client().get("/hazards/").get_data(as_text=True)


def test_a_page_with_a_form_is_never_shared_between_visitors(cached_app):
    with cached_app.app_context():
        session_id = create_session().id
    url = f"/appointments/motorcycle_exam/?session_id={session_id}"
    tokens = [
        re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        for page in (cached_app.test_client().get(url).get_data(as_text=True) for _ in range(2))
    ]
    assert tokens[0] != tokens[1]


def test_the_open311_list_is_kept_for_machine_clients_and_shows_a_new_report_at_once(cached_app):
    url = "/open311/v2/requests.json"
    with cached_app.app_context():
        first = create_hazard_report(location="北大街邮局门前").reference
    client = cached_app.test_client()
    assert [item["address"] for item in client.get(url).get_json()] == ["北大街邮局门前"]
    with cached_app.app_context():
        create_hazard_report(location="桃北西街路口")
    answer = cached_app.test_client().get(url)
    assert answer.headers["Content-Type"] == "application/json"
    assert [item["address"] for item in answer.get_json()] == ["桃北西街路口", "北大街邮局门前"]
    assert answer.get_json()[1]["service_request_id"] == first
