"""A real S3 API on a free loopback port (moto in server mode), for the photo store."""

import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from tests.live import answers, free_port, running

# moto accepts any keys; these only have to be the same on both sides.
ACCESS_KEY_ID = "portal-test"
SECRET_ACCESS_KEY = "portal-test-secret"  # noqa: S105
REGION = "cn-north-1"


@contextmanager
def serve_s3() -> Iterator[str]:
    """Yield the endpoint URL of `moto_server` once it answers; stop it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkstemp(prefix="moto-", suffix=".log")[1])
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    try:
        with running(
            command, log_path=log, ready=partial(answers, f"{url}/moto-api/"), name="moto_server"
        ):
            yield url
    finally:
        log.unlink()


def s3_settings(endpoint_url: str, bucket: str) -> dict:
    """The app's settings for a bucket on this server."""
    return {
        "PHOTO_STORAGE": "s3",
        "S3_ENDPOINT_URL": endpoint_url,
        "S3_BUCKET": bucket,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "S3_ADDRESSING_STYLE": "path",
    }


def create_bucket(endpoint_url: str) -> str:
    """A new empty bucket with a unique name, private as a bucket is by default."""
    import boto3

    bucket = f"photos-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return bucket
