"""Two app instances behind nginx on loopback, as two hosts would run: each with its own
instance folder and no shared disk, sharing PostgreSQL, Redis and the S3 bucket."""

import os
import secrets
import shutil
import ssl
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.faults.http import Browser
from tests.live import ROOT, running, serve_app
from tests.multihost.site import (
    MACHINE_SETTINGS,
    example_settings,
    nginx_binary,
    run_nginx,
    run_redis,
)
from tests.s3 import create_bucket, s3_settings

# Settings the test gives each instance on top of the shipped file, besides the shared
# services' addresses (MACHINE_SETTINGS): its own folders, and a page cache that keeps
# a page long enough that only a "data changed" mark can make it stale during a test.
OWN_FOLDERS = ("INSTANCE_DIR", "UPLOAD_DIR", "PAGE_CACHE_STAMP")
KEPT_SECONDS = "600"


@dataclass
class Host:
    name: str
    url: str  # the instance itself, bypassing nginx
    folder: Path
    env: dict = field(repr=False)

    @property
    def address(self) -> str:
        return self.url.removeprefix("http://")


@dataclass
class Site:
    proxy: object
    hosts: list[Host]
    redis_url: str
    tls: ssl.SSLContext

    def browser(self, **kwargs) -> Browser:
        """A client of the site through nginx, over HTTPS (the test's own certificate)."""
        return Browser(self.proxy.url, context=self.tls, **kwargs)

    def host_at(self, address: str) -> Host:
        return next(host for host in self.hosts if host.address == address)

    def other_than(self, host: Host) -> Host:
        return next(other for other in self.hosts if other is not host)


def _skip_unless_possible(app) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("several hosts share one database server: run with a PostgreSQL DATABASE_URL")
    if nginx_binary() is None:
        pytest.skip("Debian's nginx is not installed (`make nginx-deps` installs it as root)")
    for program in ("redis-server", "openssl"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed")


def host_env(*, name: str, folder: Path, shared: dict) -> dict:
    """The shipped settings, with the shared services' addresses and this host's folders."""
    assert set(shared) <= MACHINE_SETTINGS, set(shared) - MACHINE_SETTINGS
    return {
        **example_settings(),
        **shared,
        "INSTANCE_DIR": str(folder),
        "UPLOAD_DIR": str(folder / "uploads"),
        "PAGE_CACHE_STAMP": str(folder / "data-changed"),
        "PAGE_CACHE_SECONDS": KEPT_SECONDS,
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture(scope="module")
def site(app, s3_endpoint, tmp_path_factory):
    _skip_unless_possible(app)
    root = tmp_path_factory.mktemp("hosts")
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    with ExitStack() as stack:
        redis_url = stack.enter_context(run_redis())
        bucket = s3_settings(s3_endpoint, create_bucket(s3_endpoint))
        shared = {
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "RATELIMIT_STORAGE_URI": redis_url,
            "REDIS_URL": redis_url,
            **{key: bucket[key] for key in MACHINE_SETTINGS if key.startswith("S3_")},
        }
        hosts = []
        for name in ("host-a", "host-b"):
            folder = root / name
            folder.mkdir()
            env = host_env(name=name, folder=folder, shared=shared)
            url = stack.enter_context(
                serve_app(
                    database_url=database_url,
                    upload_dir=env["UPLOAD_DIR"],
                    workers=1,
                    env=env,
                )
            )
            hosts.append(Host(name, url, folder, env))
        proxy = stack.enter_context(
            run_nginx(root, upstreams=[host.address for host in hosts], as_root=os.geteuid() == 0)
        )
        tls = ssl.create_default_context(cafile=str(root / "nginx" / "cert.pem"))
        yield Site(proxy=proxy, hosts=hosts, redis_url=redis_url, tls=tls)


@pytest.fixture
def fresh_site(site):
    """The site with its Redis emptied: no rate-limit count or mark left by another test."""
    import redis

    redis.Redis.from_url(site.redis_url).flushdb()
    return site


@contextmanager
def outbox_worker(host: Host, *, env: dict):
    """`flask outbox work` as a host's service manager would start it, with its settings;
    yields once it says it has started, stops it (SIGTERM) afterwards."""
    log = Path(tempfile.mkstemp(prefix=f"outbox-{host.name}-", suffix=".log")[1])
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work", "--poll", "0.5"]

    def started() -> bool:
        text = log.read_text()
        return "outbox worker" in text and "started" in text

    try:
        with running(
            command,
            log_path=log,
            ready=started,
            name=f"the outbox worker of {host.name}",
            cwd=ROOT,
            env={**os.environ, **host.env, **env},
        ) as process:
            yield process
    finally:
        log.unlink()
