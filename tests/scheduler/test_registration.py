"""What a feature hands the scheduler through register_feature."""

from flask import Flask

from webapp import features
from webapp.notifications import retention


def test_a_feature_registers_its_periodic_tasks_and_nightly_clean_ups(monkeypatch):
    monkeypatch.setattr(features, "PERIODIC_TASKS", {})
    monkeypatch.setattr(retention, "NIGHTLY_CLEAN_UPS", {})

    def refresh():
        return None

    def tidy():
        return "0 removed"

    features.register_feature(
        Flask("feature"),
        blueprints=[],
        periodic=[("refresh", refresh, 5)],
        nightly=[("tidy", tidy)],
    )

    periodic, nightly = features.PERIODIC_TASKS, retention.NIGHTLY_CLEAN_UPS
    assert periodic == {"refresh": (refresh, 5)}
    assert nightly == {"tidy": tidy}


def test_the_photo_sweep_is_a_nightly_clean_up_not_an_anonymiser(app):
    name = "hazard photo files without a report"
    assert name in retention.NIGHTLY_CLEAN_UPS
    assert name not in retention.ANONYMISERS
