"""A test-only pause, so that the fault tests can kill a worker in the middle of a save.

Honoured only in the testing configuration: with `PAUSE_BEFORE_COMMIT` naming the
point and `PAUSE_MARKER` a file path, the first request to reach the point writes
its process id to the marker file and waits there, with its transaction open.
"""

import os
import time
from pathlib import Path

from flask import current_app

PAUSE_SECONDS = 120


def pause_before_commit(point: str) -> None:
    if current_app.config.get("NAME") != "testing":
        return
    if os.environ.get("PAUSE_BEFORE_COMMIT") != point:
        return
    marker = Path(os.environ["PAUSE_MARKER"])
    try:
        with marker.open("x") as file:  # only the first request pauses
            file.write(str(os.getpid()))
    except FileExistsError:
        return
    time.sleep(PAUSE_SECONDS)
