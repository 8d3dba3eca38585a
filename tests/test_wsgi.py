"""The server's entry point."""

import gc
import importlib
import sys


def test_the_entry_point_builds_the_app_and_keeps_start_up_objects_out_of_full_collections(
    monkeypatch,
):
    monkeypatch.setenv("APP_ENV", "testing")
    monkeypatch.delitem(sys.modules, "wsgi", raising=False)
    gc.unfreeze()
    try:
        module = importlib.import_module("wsgi")
        assert module.app.name == "webapp"
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
