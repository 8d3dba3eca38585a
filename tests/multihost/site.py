"""The several-hosts site on loopback: Debian's nginx, started with the shipped site file
(deploy/nginx/portal.conf, its ports and paths replaced), in front of app instances
started with the shipped settings (deploy/portal.env.example, its addresses replaced);
and a private Redis server."""

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from tests.live import ROOT, free_port, port_open, running
from webapp.static_files import collect

NGINX_SITE = ROOT / "deploy" / "nginx" / "portal.conf"
ENV_EXAMPLE = ROOT / "deploy" / "portal.env.example"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
# What the test may change in the shipped settings: where the shared services are,
# the secret, and each instance's own folders. Everything else is as shipped.
MACHINE_SETTINGS = frozenset(
    {
        "SECRET_KEY",
        "DATABASE_URL",
        "RATELIMIT_STORAGE_URI",
        "REDIS_URL",
        "S3_ENDPOINT_URL",
        "S3_BUCKET",
        "S3_REGION",
        "S3_ACCESS_KEY_ID",
        "S3_SECRET_ACCESS_KEY",
    }
)
SETTING_LINE = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]+)=(.*)$")


def example_settings(*, commented: bool = False) -> dict[str, str]:
    """The settings of deploy/portal.env.example: the ones set (or, with `commented`,
    also those shown at their defaults), as systemd's EnvironmentFile reads them."""
    settings = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = SETTING_LINE.match(line.strip())
        if match and (commented or not match.group(1)):
            settings[match.group(2)] = match.group(3).strip().strip('"')
    return settings


def nginx_binary() -> str | None:
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _replace(text: str, pattern: str, replacement: str, *, count: int) -> str:
    """Replace a line pattern that must occur exactly `count` times in the shipped file,
    so that a change of its shape fails here instead of testing something else."""
    result, made = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    if made != count:
        raise AssertionError(f"{NGINX_SITE.name}: {pattern!r} found {made} times, not {count}")
    return result


def site_config(
    *,
    upstreams: list[str],
    http_port: int,
    https_port: int,
    certificate: Path,
    key: Path,
    logs: Path,
    collected: Path,
) -> str:
    """deploy/nginx/portal.conf with loopback ports, the test's certificate, the
    checkout's static files, their fingerprinted copies in `collected` (as
    `flask static collect` writes them) and logs in `logs`; nothing else changed."""
    text = NGINX_SITE.read_text(encoding="utf-8")
    servers = "".join(
        f"    server {address} max_fails=3 fail_timeout=10s;\n" for address in upstreams
    )
    text = _replace(text, r"^    server 127\.0\.0\.1:8000 .*;\n", servers, count=1)
    text = _replace(text, r"^    listen \[::\]:\d+.*;\n", "", count=2)
    text = _replace(text, r"^    listen 80;", f"    listen 127.0.0.1:{http_port};", count=1)
    text = _replace(
        text, r"^    listen 443 ssl;", f"    listen 127.0.0.1:{https_port} ssl;", count=1
    )
    text = _replace(
        text, r"^    ssl_certificate .*;", f"    ssl_certificate {certificate};", count=1
    )
    text = _replace(
        text, r"^    ssl_certificate_key .*;", f"    ssl_certificate_key {key};", count=1
    )
    text = _replace(
        text,
        r"^    access_log /var/log/.*;",
        f"    access_log {logs}/access.log upstreams;",
        count=1,
    )
    text = _replace(
        text, r"^    error_log /var/log/.*;", f"    error_log {logs}/error.log;", count=1
    )
    text = _replace(
        text, r"^            root /var/www/portal;", f"            root {collected};", count=1
    )
    return _replace(
        text,
        r"^        alias /opt/portal/webapp/static/;",
        f"        alias {ROOT}/webapp/static/;",
        count=1,
    )


def main_config(prefix: Path, site: Path, *, as_root: bool) -> str:
    """The nginx.conf around the site, as Debian's includes it, in a temporary prefix.
    The access log names the instance that answered (the test reads how look-ups spread)."""
    user = "user root root;\n" if as_root else ""  # temp folders only root may enter
    return f"""{user}worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    log_format upstreams '$remote_addr $upstream_addr $status $request_method $request_uri';
    include {site};
}}
"""


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with openssl."""
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603
        [
            shutil.which("openssl") or "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


@contextmanager
def run_nginx(directory: Path, *, upstreams: list[str], as_root: bool) -> Iterator["Proxy"]:
    """Start nginx in the foreground (a child process, `daemon off`) with the shipped
    site; yield its addresses once it answers; stop it afterwards."""
    binary = nginx_binary()
    prefix = directory / "nginx"
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
        (prefix / name).mkdir(parents=True, exist_ok=True)
    certificate, key = make_certificate(prefix)
    proxy = Proxy(http_port=free_port(), https_port=free_port(), logs=prefix / "logs")
    collected = prefix / "www"
    collect(ROOT / "webapp" / "static", collected / "static")
    site = prefix / "portal.conf"
    site.write_text(
        site_config(
            upstreams=upstreams,
            http_port=proxy.http_port,
            https_port=proxy.https_port,
            certificate=certificate,
            key=key,
            logs=proxy.logs,
            collected=collected,
        )
    )
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site, as_root=as_root))
    error_log = str(prefix / "error.log")  # before the configuration is read, too
    command = [binary, "-p", str(prefix), "-e", error_log, "-c", str(conf), "-g", "daemon off;"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)  # noqa: S603
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused the site:\n{check.stderr}")
    with running(
        command,
        log_path=prefix / "nginx.out",
        ready=partial(port_open, proxy.https_port),
        name="nginx",
    ):
        yield proxy


class Proxy:
    def __init__(self, *, http_port: int, https_port: int, logs: Path):
        self.http_port, self.https_port, self.logs = http_port, https_port, logs
        self.url = f"https://127.0.0.1:{https_port}"

    def upstreams_of(self, method: str, path: str) -> list[str]:
        """The instance (address) that answered each logged request of this method and path."""
        log = self.logs / "access.log"
        lines = log.read_text().splitlines() if log.exists() else []
        return [
            fields[1]
            for fields in (line.split() for line in lines)
            if len(fields) >= 5 and fields[3] == method and fields[4] == path
        ]


@contextmanager
def run_redis() -> Iterator[str]:
    """A private Redis server on a free loopback port, nothing saved; yield its URL."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="redis-", suffix=".log")[1])
    command = [
        shutil.which("redis-server") or "redis-server",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    try:
        with running(command, log_path=log, ready=partial(port_open, port), name="redis-server"):
            yield f"redis://127.0.0.1:{port}/0"
    finally:
        log.unlink()
