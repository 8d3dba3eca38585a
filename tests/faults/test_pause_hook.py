"""The test-only pause that the worker-kill test relies on: honoured only in testing."""

import os

import pytest

from webapp.common import faults


@pytest.fixture
def marker(tmp_path, monkeypatch):
    path = tmp_path / "paused"
    monkeypatch.setenv("PAUSE_BEFORE_COMMIT", "training.submit")
    monkeypatch.setenv("PAUSE_MARKER", str(path))
    naps = []
    monkeypatch.setattr(faults.time, "sleep", naps.append)
    return path, naps


def test_the_first_request_at_the_point_leaves_its_process_id_and_waits(app, app_context, marker):
    path, naps = marker
    faults.pause_before_commit("training.submit")
    assert path.read_text() == str(os.getpid())
    assert naps == [faults.PAUSE_SECONDS]
    faults.pause_before_commit("training.submit")  # the next one goes straight on
    assert naps == [faults.PAUSE_SECONDS]


def test_another_point_does_not_pause(app, app_context, marker):
    path, naps = marker
    faults.pause_before_commit("hazards.submit")
    assert not path.exists() and naps == []


def test_outside_the_testing_configuration_nothing_pauses(app, app_context, marker, monkeypatch):
    monkeypatch.setitem(app.config, "NAME", "production")
    path, naps = marker
    faults.pause_before_commit("training.submit")
    assert not path.exists() and naps == []
