"""Serve the app with gunicorn on a free loopback port, against the test database."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_WAIT_SECONDS = 60  # how long gunicorn may take to boot on a busy machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    """Whether something listens on this loopback port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def answers(url: str, *, status: int | None = None) -> bool:
    """Whether `url` answers over HTTP (with `status`, when given)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return status is None or response.status == status
    except urllib.error.HTTPError as error:
        return status is None or error.code == status
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def running(
    command: list[str], *, log_path: Path, ready: Callable[[], bool], name: str, **popen
) -> Iterator[subprocess.Popen]:
    """Start a child process writing to `log_path`; yield it once `ready()` is true; stop it
    afterwards (SIGTERM, then SIGKILL after 30 s). Fails with the log when the process
    exits first or is not ready within STARTUP_WAIT_SECONDS."""
    with log_path.open("ab") as output:
        process = subprocess.Popen(command, stdout=output, stderr=output, **popen)  # noqa: S603
    try:
        deadline = time.monotonic() + STARTUP_WAIT_SECONDS
        while not ready():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serve_app(
    *,
    database_url: str,
    upload_dir: str,
    workers: int = 2,
    env: dict | None = None,
    ready_path: str = "/healthz",
    app_module: str = "wsgi:app",
) -> Iterator[str]:
    """Yield the base URL of gunicorn serving `app_module` in the testing configuration,
    once `ready_path` answers 200 (a page that needs no database when it is down)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server_env = {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": database_url,
        "UPLOAD_DIR": upload_dir,
        **(env or {}),
    }
    log = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        app_module,
    ]
    healthy = partial(answers, f"{url}{ready_path}", status=200)
    try:
        with running(
            command, log_path=log, ready=healthy, name="gunicorn", cwd=ROOT, env=server_env
        ):
            yield url
    finally:
        log.unlink()
