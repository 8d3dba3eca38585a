"""Before sending, the form shows open reports of the same kind nearby."""

from tests.factories import create_hazard_report
from tests.hazards.conftest import valid_report_data
from tests.hazards.images import INSIDE
from tests.pages import text_of
from webapp.hazards.states import HazardState


def _check(client_request, latitude, longitude, category="guardrail"):
    return client_request.post(
        "/hazards/new",
        valid_report_data(
            category=category, latitude=str(latitude), longitude=str(longitude), check="1"
        ),
    )


def test_the_hint_finds_a_nearby_report_and_not_a_far_one(client_request, app_context):
    near = create_hazard_report(latitude=INSIDE[0] + 0.0009, longitude=INSIDE[1])  # ~100 m
    far = create_hazard_report(latitude=INSIDE[0] + 0.0018, longitude=INSIDE[1])  # ~200 m
    page = _check(client_request, *INSIDE)
    hint = text_of(page.find(id="nearby"))
    assert near.reference in hint
    assert far.reference not in hint


def test_the_hint_leaves_out_other_kinds_closed_and_private_reports(client_request, app_context):
    other = create_hazard_report(category="lighting", latitude=INSIDE[0], longitude=INSIDE[1])
    closed = create_hazard_report(state=HazardState.CLOSED, latitude=INSIDE[0], longitude=INSIDE[1])
    private = create_hazard_report(is_private=True, latitude=INSIDE[0], longitude=INSIDE[1])
    page = _check(client_request, *INSIDE)
    hint = text_of(page.find(id="nearby"))
    for report in (other, closed, private):
        assert report.reference not in hint


def test_checking_does_not_send_the_report_or_show_errors(client_request, app_context):
    page = client_request.post(
        "/hazards/new",
        {
            **valid_report_data(latitude=str(INSIDE[0]), longitude=str(INSIDE[1])),
            "check": "1",
            "description": "",
        },
    )
    assert not page.find(class_="error-summary")
    assert page.find(id="nearby")


def test_checking_without_coordinates_says_what_is_needed(client_request):
    page = client_request.post("/hazards/new?lang=en", {**valid_report_data(), "check": "1"})
    assert "give the latitude and longitude" in text_of(page.find(id="nearby"))


def test_checking_with_nobody_nearby_says_so(client_request, app_context):
    page = _check(client_request, *INSIDE)
    assert "150" in text_of(page.find(id="nearby"))
    assert not page.find(id="nearby").find("a")
