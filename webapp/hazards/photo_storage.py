"""Where the photo files of hazard reports live: a local directory or an S3 bucket.

`PHOTO_STORAGE=local` (the default) keeps them under `UPLOAD_DIR/hazards/`;
`PHOTO_STORAGE=s3` keeps them as objects `hazards/<name>` in `S3_BUCKET` of any
S3-compatible store (`S3_ENDPOINT_URL`, `S3_REGION`, `S3_ACCESS_KEY_ID`,
`S3_SECRET_ACCESS_KEY`). Nothing else in the app knows a photo's path: it names a
file and asks `photo_storage()` to write, rename, read, list or delete it.

Objects are written private (no ACL, no public policy needed) and only the app reads
them: a photo is streamed after the view's own access check, so a report made
private stops serving its photos at the next request, on every host.
"""

import logging
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import Flask, Response, current_app, request, send_from_directory
from werkzeug.exceptions import NotFound, ServiceUnavailable

log = logging.getLogger(__name__)

KINDS = ("local", "s3")
ADDRESSING_STYLES = ("auto", "path", "virtual")
FOLDER = "hazards"  # the sub-directory, or the key prefix, of hazard photos
MIMETYPE = "image/jpeg"
# Photo reads and writes give up after this long: a stuck store must not hold a worker.
S3_TIMEOUT_SECONDS = 10


class StorageUnavailable(OSError):
    """The store could not be reached or refused the operation."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    modified: float  # seconds since the epoch


class PhotoStorage(Protocol):
    where: str

    def put(self, name: str, data: bytes) -> None: ...
    def rename(self, name: str, new_name: str) -> None: ...
    def delete(self, names: Iterable[str]) -> None: ...
    def read(self, name: str) -> bytes: ...
    def size(self, name: str) -> int | None: ...
    def files(self) -> list[StoredFile]: ...
    def is_writable(self) -> bool: ...
    def response(self, name: str, *, max_age: int | None) -> Response: ...


class LocalStorage:
    """Files in one directory; a rename is atomic, as the sweep expects."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.where = str(self.directory)

    def put(self, name: str, data: bytes) -> None:
        """Write one file; a write that fails (disk full) leaves nothing behind."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / name
        try:
            path.write_bytes(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    def rename(self, name: str, new_name: str) -> None:
        os.replace(self.directory / name, self.directory / new_name)

    def delete(self, names: Iterable[str]) -> None:
        for name in names:
            (self.directory / name).unlink(missing_ok=True)

    def read(self, name: str) -> bytes:
        return (self.directory / name).read_bytes()

    def size(self, name: str) -> int | None:
        path = self.directory / name
        return path.stat().st_size if path.is_file() else None

    def files(self) -> list[StoredFile]:
        if not self.directory.is_dir():
            return []
        found = []
        for path in sorted(self.directory.iterdir()):
            try:
                if path.is_file():
                    status = path.stat()
                    found.append(StoredFile(path.name, status.st_size, status.st_mtime))
            except FileNotFoundError:  # renamed or removed meanwhile by its worker
                continue
        return found

    def is_writable(self) -> bool:
        """Whether a photo could be saved now: a real file is made and removed where it
        would be written (the nearest existing parent of a directory not yet made), so
        a full or read-only disk, a directory that is a file, or a lost mount all show;
        permission bits are not trusted (root ignores them)."""
        existing = next(path for path in (self.directory, *self.directory.parents) if path.exists())
        try:
            if not existing.is_dir():
                raise NotADirectoryError(f"{existing} is not a directory")
            with tempfile.NamedTemporaryFile(dir=existing, prefix=".healthz-"):
                pass
        except OSError as error:
            log.warning("health check: upload directory %s not writable: %s", self.where, error)
            return False
        return True

    def response(self, name: str, *, max_age: int | None) -> Response:
        return send_from_directory(self.directory, name, mimetype=MIMETYPE, max_age=max_age)


class S3Storage:
    """Objects `hazards/<name>` in one bucket. A rename is a server-side copy and a
    delete; the pending object stays until the copy is made, so nothing is lost
    between them (the sweep finishes a rename that a dead worker left half-done)."""

    def __init__(self, client, bucket: str):
        self.client = client
        self.bucket = bucket
        self.where = f"s3://{bucket}/{FOLDER}/"

    def _key(self, name: str) -> str:
        return f"{FOLDER}/{name}"

    def put(self, name: str, data: bytes) -> None:
        with _s3_errors():
            self.client.put_object(
                Bucket=self.bucket, Key=self._key(name), Body=data, ContentType=MIMETYPE
            )

    def rename(self, name: str, new_name: str) -> None:
        with _s3_errors():
            self.client.copy_object(
                Bucket=self.bucket,
                Key=self._key(new_name),
                CopySource={"Bucket": self.bucket, "Key": self._key(name)},
            )
            self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def delete(self, names: Iterable[str]) -> None:
        keys = [{"Key": self._key(name)} for name in names]
        with _s3_errors():
            for start in range(0, len(keys), 1000):  # the most one request may name
                self.client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": keys[start : start + 1000], "Quiet": True},
                )

    def read(self, name: str) -> bytes:
        return self._get(name)["Body"].read()

    def size(self, name: str) -> int | None:
        try:
            with _s3_errors():
                head = self.client.head_object(Bucket=self.bucket, Key=self._key(name))
        except FileNotFoundError:
            return None
        return head["ContentLength"]

    def files(self) -> list[StoredFile]:
        found = []
        with _s3_errors():
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=f"{FOLDER}/"
            )
            for page in pages:
                for item in page.get("Contents", []):
                    name = item["Key"].removeprefix(f"{FOLDER}/")
                    if name and "/" not in name:
                        found.append(
                            StoredFile(name, item["Size"], item["LastModified"].timestamp())
                        )
        return sorted(found, key=lambda file: file.name)

    def is_writable(self) -> bool:
        """Whether the bucket answers to the app's keys (a HEAD: the load balancer asks
        often, and a bucket that answers takes writes unless its policy changed)."""
        try:
            with _s3_errors():
                self.client.head_bucket(Bucket=self.bucket)
        except OSError as error:
            log.warning("health check: photo bucket %s unavailable: %s", self.bucket, error)
            return False
        return True

    def response(self, name: str, *, max_age: int | None) -> Response:
        """The photo streamed by the app (never a public object), with its ETag and
        Last-Modified, so that a browser's revalidation gets a 304."""
        try:
            answer = self._get(name)
        except FileNotFoundError:
            raise NotFound() from None
        except OSError:
            log.exception("photo %s could not be read from %s", name, self.where)
            raise ServiceUnavailable() from None
        response = Response(answer["Body"].read(), mimetype=MIMETYPE)
        response.set_etag(answer["ETag"].strip('"'))
        response.last_modified = answer["LastModified"]
        if max_age is not None:
            response.cache_control.max_age = max_age
        return response.make_conditional(request)

    def _get(self, name: str) -> dict:
        with _s3_errors():
            return self.client.get_object(Bucket=self.bucket, Key=self._key(name))


@contextmanager
def _s3_errors():
    """Turn botocore's errors into OSError, as a disk's would be: a missing object into
    FileNotFoundError, anything else into StorageUnavailable."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in ("NoSuchKey", "404", "NotFound"):
            raise FileNotFoundError(str(error)) from error
        raise StorageUnavailable(str(error)) from error
    except BotoCoreError as error:
        raise StorageUnavailable(str(error)) from error


def photo_storage(app: Flask | None = None) -> PhotoStorage:
    """The app's photo store, as PHOTO_STORAGE names it (one per process and setting)."""
    app = app or current_app
    return storage_of_kind(app, app.config.get("PHOTO_STORAGE", "local"))


def storage_of_kind(app: Flask, kind: str) -> PhotoStorage:
    """The store of this kind made from the app's settings, whichever one PHOTO_STORAGE
    names (`flask photos migrate` reads one and writes the other)."""
    config = app.config
    if kind == "local":
        settings = ("local", config["UPLOAD_DIR"])
    elif kind == "s3":
        settings = ("s3", *(config.get(name, "") for name in S3_SETTINGS))
    else:
        raise ValueError(f"PHOTO_STORAGE={kind!r} is not known; use one of: {', '.join(KINDS)}")
    stores = app.extensions.setdefault("photo_storage", {})
    if settings not in stores:
        stores[settings] = _make(kind, config)
    return stores[settings]


S3_SETTINGS = (
    "S3_ENDPOINT_URL",
    "S3_BUCKET",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_ADDRESSING_STYLE",
)


def _make(kind: str, config) -> PhotoStorage:
    if kind == "local":
        return LocalStorage(Path(config["UPLOAD_DIR"]) / FOLDER)
    import boto3
    from botocore.config import Config as BotoConfig

    client = boto3.client(
        "s3",
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region_name=config.get("S3_REGION") or None,
        aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
        config=BotoConfig(
            connect_timeout=S3_TIMEOUT_SECONDS,
            read_timeout=S3_TIMEOUT_SECONDS,
            retries={"max_attempts": 2, "mode": "standard"},
            s3={"addressing_style": config.get("S3_ADDRESSING_STYLE") or "auto"},
        ),
    )
    return S3Storage(client, config["S3_BUCKET"])


def check_settings(app: Flask) -> None:
    """Stop start-up on a PHOTO_STORAGE that cannot work, naming the setting."""
    kind = app.config.get("PHOTO_STORAGE", "local")
    if kind not in KINDS:
        raise SystemExit(f"PHOTO_STORAGE={kind!r} is not known; use one of: {', '.join(KINDS)}")
    if kind != "s3":
        return
    if not app.config.get("S3_BUCKET"):
        raise SystemExit("PHOTO_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL, keys, region)")
    style = app.config.get("S3_ADDRESSING_STYLE") or "auto"
    if style not in ADDRESSING_STYLES:
        raise SystemExit(
            f"S3_ADDRESSING_STYLE={style!r} is not known; use one of: {', '.join(ADDRESSING_STYLES)}"
        )
