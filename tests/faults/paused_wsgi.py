"""The real WSGI app, with one fault put in from the test side: the first form (POST)
to commit writes its process id to the file named by PAUSE_MARKER and waits
there, its transaction open, so that a test can kill the worker in the middle of a save."""

import os
import time
from pathlib import Path

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from wsgi import app

PAUSE_SECONDS = 120


@event.listens_for(Session, "before_commit")
def _pause_the_first_commit(session) -> None:
    if not has_request_context() or request.method != "POST":
        return
    try:
        with Path(os.environ["PAUSE_MARKER"]).open("x") as marker:  # only the first one pauses
            marker.write(str(os.getpid()))
    except FileExistsError:
        return
    time.sleep(PAUSE_SECONDS)


__all__ = ["app"]
