"""The page cache's "data changed" mark in Redis: several hosts, one truth.

Against the real Redis at 127.0.0.1:6379; each test uses a key of its own.
"""

import uuid

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.conftest import FreshContextClient
from tests.factories import create_hazard_report
from tests.test_page_cache import CountingApp, get
from webapp import create_app
from webapp.config import TestingConfig
from webapp.extensions import db
from webapp.page_cache import (
    FileDataStamp,
    PageCache,
    RedisDataStamp,
    data_stamp_from_config,
    mark_writes,
)

REDIS_URL = "redis://127.0.0.1:6379/0"
NOBODY_LISTENS = "redis://127.0.0.1:1/0"  # port 1: refused at once


@pytest.fixture
def redis_key():
    """A key no other test (or run) uses, deleted afterwards."""
    key = f"test:{uuid.uuid4().hex}:data-changed"
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    yield key
    client.delete(key)
    client.close()


def test_the_configuration_chooses_redis_when_redis_url_is_set(tmp_path, redis_key):
    by_file = data_stamp_from_config({"REDIS_URL": "", "PAGE_CACHE_STAMP": str(tmp_path / "s")})
    by_redis = data_stamp_from_config(
        {"REDIS_URL": REDIS_URL, "PAGE_CACHE_REDIS_KEY": redis_key, "PAGE_CACHE_STAMP": "unused"}
    )
    assert isinstance(by_file, FileDataStamp) and by_file.path == tmp_path / "s"
    assert isinstance(by_redis, RedisDataStamp) and by_redis.key == redis_key


def test_a_touch_on_one_host_is_read_on_another(redis_key):
    one_host = RedisDataStamp.from_url(REDIS_URL, key=redis_key)
    other_host = RedisDataStamp.from_url(REDIS_URL, key=redis_key)
    assert other_host.read() == 0
    one_host.touch()
    first = other_host.read()
    one_host.touch()
    assert first == 1
    assert other_host.read() == 2


def test_only_committed_writes_move_the_redis_stamp(tmp_path, redis_key):
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    stamp = RedisDataStamp.from_url(REDIS_URL, key=redis_key)
    mark_writes(engine, stamp)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    before = stamp.read()

    with engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM t"))
        connection.commit()
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
        connection.rollback()
    assert stamp.read() == before

    with engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (2)"))
    assert stamp.read() == before + 1
    engine.dispose()


def test_while_redis_cannot_be_read_pages_are_made_afresh_and_not_kept():
    cache = PageCache(
        CountingApp(),
        seconds=60,
        stamp=RedisDataStamp.from_url(NOBODY_LISTENS, key="unused"),
        languages=("zh", "en"),
    )
    assert get(cache)[2] == "page 1"
    assert get(cache)[2] == "page 2"
    assert cache.pages == {}


def test_a_write_is_saved_when_redis_cannot_be_reached_to_mark_it(tmp_path, caplog):
    unreachable = RedisDataStamp.from_url(NOBODY_LISTENS, key="unused")
    with pytest.raises(OSError, match="Redis"):
        unreachable.touch()
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    mark_writes(engine, unreachable)

    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))

    with engine.connect() as connection:
        assert connection.execute(text("SELECT x FROM t")).scalar() == 1
    assert "page cache stamp (the Redis key unused) not updated" in caplog.text
    engine.dispose()


# --- two hosts: two apps, each with its own stamp file, one Redis ----------------------


def _host(app, tmp_path, name: str, redis_url: str, redis_key: str):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    host = create_app(
        {
            **config,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_DIR": app.config["UPLOAD_DIR"],
            "PAGE_CACHE_SECONDS": 60,
            "PAGE_CACHE_STAMP": str(tmp_path / name / "data-changed"),  # no shared disk
            "REDIS_URL": redis_url,
            "PAGE_CACHE_REDIS_KEY": redis_key,
        }
    )
    host.test_client_class = FreshContextClient
    return host


@pytest.fixture
def two_hosts(app, tmp_path, redis_key):
    hosts = [_host(app, tmp_path, name, REDIS_URL, redis_key) for name in ("one", "two")]
    yield hosts
    for host in hosts:
        with host.app_context():
            db.engine.dispose()


def _hazard_list(host) -> str:
    return host.test_client().get("/hazards/").get_data(as_text=True)


def test_a_report_saved_on_one_host_shows_in_the_other_hosts_kept_list_at_once(two_hosts):
    one, two = two_hosts
    assert "桃北西街与北大街口" not in _hazard_list(two)  # now kept by host two

    with one.app_context():
        create_hazard_report(location="桃北西街与北大街口")

    assert "桃北西街与北大街口" in _hazard_list(two)


def test_without_redis_the_other_host_keeps_its_stale_page(app, tmp_path):
    """Why Redis is needed: each host's stamp file hears only of its own writes."""
    one, two = (_host(app, tmp_path, name, "", "unused") for name in ("one", "two"))
    try:
        assert "南大街加油站门前" not in _hazard_list(two)
        with one.app_context():
            create_hazard_report(location="南大街加油站门前")
        assert "南大街加油站门前" not in _hazard_list(two)
    finally:
        for host in (one, two):
            with host.app_context():
                db.engine.dispose()
