"""Static files named by their content: `css/site.css` is linked as
`css/site.3f2a9c1e5b7d.css`, kept a year by browsers and proxies, and a new version
of the file gets a new name.

`url_for("static", filename="css/site.css")` gives the fingerprinted name everywhere
(templates and Python alike). A fingerprinted name whose fingerprint is the file's
own is answered with IMMUTABLE; a plain name, or a fingerprint of an older version
(a page kept from before a release), gets the current file with REVALIDATE, so a
stale file is never kept as if it could not change. nginx answers the same way from
the copies that `flask static collect` writes (deploy/nginx/portal.conf).

Another folder of files (a package's own) uses the same two pieces:
`fingerprint_urls(app, endpoint=..., directory=...)` for its links and
`send_fingerprinted(directory, filename)` in its view.
"""

import hashlib
import re
import shutil
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import click
from flask import Flask, Response, current_app, send_from_directory
from flask.cli import AppGroup
from werkzeug.security import safe_join

FINGERPRINT_LENGTH = 12
FINGERPRINTED = re.compile(
    rf"^(?P<stem>.+)\.(?P<fingerprint>[0-9a-f]{{{FINGERPRINT_LENGTH}}})(?P<suffix>\.[A-Za-z0-9]+)$"
)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"


@lru_cache(maxsize=1024)
def _content_fingerprint(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:FINGERPRINT_LENGTH]


def fingerprint_of(directory: str | Path, filename: str) -> str | None:
    """The file's content fingerprint, or None when `filename` is not a file inside
    `directory`. Read once per version of the file (its size and modification time)."""
    path = safe_join(str(directory), filename)
    if path is None:
        return None
    try:
        status = Path(path).stat()
    except OSError:
        return None
    if not Path(path).is_file():
        return None
    return _content_fingerprint(path, status.st_mtime_ns, status.st_size)


def fingerprinted_name(directory: str | Path, filename: str) -> str:
    """`css/site.css` -> `css/site.<fingerprint>.css`; a name without a suffix or not
    found in `directory` is given back as it is."""
    head, _, leaf = filename.rpartition("/")
    stem, dot, suffix = leaf.rpartition(".")
    fingerprint = fingerprint_of(directory, filename)
    if not (stem and dot and fingerprint):
        return filename
    return f"{head}/{stem}.{fingerprint}.{suffix}" if head else f"{stem}.{fingerprint}.{suffix}"


def split_fingerprint(filename: str) -> tuple[str, str | None]:
    """`css/site.<fingerprint>.css` -> (`css/site.css`, fingerprint); a plain name -> (name, None)."""
    head, _, leaf = filename.rpartition("/")
    match = FINGERPRINTED.match(leaf)
    if match is None:
        return filename, None
    plain = match["stem"] + match["suffix"]
    return (f"{head}/{plain}" if head else plain), match["fingerprint"]


def send_fingerprinted(directory: str | Path, filename: str) -> Response:
    """Answer a plain or fingerprinted name with the current file: kept a year when the
    fingerprint is the file's own, asked again before each use otherwise."""
    plain, fingerprint = split_fingerprint(filename)
    current = fingerprint_of(directory, plain) if fingerprint else None
    if current is None:  # a plain name, or a file whose own name looks fingerprinted
        plain = filename
    response = send_from_directory(directory, plain)
    response.headers["Cache-Control"] = (
        IMMUTABLE if current is not None and current == fingerprint else REVALIDATE
    )
    response.headers.pop("Expires", None)
    return response


def fingerprint_urls(app: Flask, *, endpoint: str, directory: Callable[[], str | Path]) -> None:
    """Let `url_for(endpoint, filename=...)` name the file of `directory()` by its
    fingerprint."""

    def add_fingerprint(url_endpoint: str, values: dict) -> None:
        if url_endpoint == endpoint and "filename" in values:
            values["filename"] = fingerprinted_name(directory(), values["filename"])

    app.url_defaults(add_fingerprint)


def _static_folder() -> str:
    return current_app.static_folder or ""


def _send_static_file(filename: str) -> Response:
    return send_fingerprinted(_static_folder(), filename)


def files_of(directory: str | Path) -> Iterator[str]:
    """The names (with their folders, `/`-separated) of every file under `directory`."""
    root = Path(directory)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix()


def collect(directory: str | Path, destination: str | Path) -> list[str]:
    """Copy each file of `directory` to `destination` under its fingerprinted name;
    return the names written. Copies made for earlier versions stay: a page from
    before a release still finds its files."""
    written = []
    for filename in files_of(directory):
        name = fingerprinted_name(directory, filename)
        if name == filename:
            continue
        target = Path(destination) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(directory) / filename, target)
        target.chmod(0o644)
        written.append(name)
    return written


static_cli = AppGroup("static", help="The static files.")


@static_cli.command("collect")
@click.argument("destination", type=click.Path(file_okay=False))
def collect_command(destination):
    """Copy the static files, under their fingerprinted names, where nginx serves them."""
    target = Path(destination) / current_app.static_url_path.strip("/")
    written = collect(_static_folder(), target)
    click.echo(f"{len(written)} files in {target}")


def register_static_files(app: Flask) -> None:
    """Fingerprinted links to the app's static files, and the answers that go with them."""
    app.view_functions["static"] = _send_static_file
    fingerprint_urls(app, endpoint="static", directory=_static_folder)
