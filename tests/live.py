"""Serve the app with gunicorn on a free loopback port, against the test database."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_WAIT_SECONDS = 60  # how long gunicorn may take to boot on a busy machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(
    url: str, process: subprocess.Popen, log_path: Path, ready_path: str = "/healthz"
) -> None:
    deadline = time.monotonic() + STARTUP_WAIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}{ready_path}", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not become healthy:\n{log_path.read_text()}")


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
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
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
    process = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=log, stderr=log)
    try:
        _wait_until_healthy(url, process, Path(log.name), ready_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        os.unlink(log.name)
