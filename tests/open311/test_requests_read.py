"""GET requests.json and requests/<id>.json: fields, status, filters, paging, privacy."""

from datetime import datetime, timedelta
from io import BytesIO

import pytest

from tests.factories import create_hazard_report
from tests.hazards.images import jpeg_bytes
from tests.open311.conftest import REQUEST_FIELDS
from webapp.common.workflow import change_state
from webapp.extensions import db
from webapp.hazards.services import ReportDraft, Upload, submit_report
from webapp.hazards.states import HazardState

BASE = "/open311/v2"
FRIDAY_0930 = datetime(2026, 11, 27, 1, 30)  # 09:30 in Beijing, stored as UTC


def _get(client, query="", *, expected=200):
    response = client.get(f"{BASE}/requests.json{query}")
    assert response.status_code == expected, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response


def _ids(response) -> list[str]:
    return [item["service_request_id"] for item in response.get_json()]


def test_a_request_has_exactly_the_georeport_fields_in_beijing_time(client, app_context):
    report = create_hazard_report(category="signal", created_at=FRIDAY_0930)
    (document,) = _get(client, "?lang=en").get_json()
    assert set(document) == REQUEST_FIELDS
    assert document["service_request_id"] == report.reference
    assert document["status"] == "open"
    assert document["service_code"] == "signal"
    assert document["service_name"] == "Traffic signal fault"
    assert document["requested_datetime"] == "2026-11-27T09:30:00+08:00"
    assert document["updated_datetime"] == "2026-11-27T09:30:00+08:00"
    assert document["service_notice"] == "Submitted"
    assert document["agency_responsible"] == "First Traffic Police Brigade"
    assert document["lat"] is None and document["long"] is None
    assert document["media_url"] is None
    assert document["status_notes"] is None


def test_the_expected_time_is_the_working_day_target_of_the_current_state(client, app_context):
    create_hazard_report(created_at=FRIDAY_0930)
    (document,) = _get(client).get_json()
    # One working day after a Friday morning is the Monday morning.
    assert document["expected_datetime"] == "2026-11-30T09:30:00+08:00"


def test_a_closed_request_has_no_expected_time(client, app_context):
    create_hazard_report(state=HazardState.CLOSED, created_at=FRIDAY_0930)
    (document,) = _get(client).get_json()
    assert document["expected_datetime"] is None


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (HazardState.SUBMITTED, "open"),
        (HazardState.INVESTIGATING, "open"),
        (HazardState.RECTIFYING, "open"),
        (HazardState.CLOSED, "closed"),
        (HazardState.REJECTED, "closed"),
        (HazardState.DUPLICATE, "closed"),
    ],
)
def test_hazard_states_map_to_open_or_closed(client, app_context, state, status):
    create_hazard_report(state=state)
    (document,) = _get(client).get_json()
    assert document["status"] == status


def test_the_status_filter_keeps_open_or_closed_requests(client, app_context):
    submitted = create_hazard_report(state=HazardState.SUBMITTED)
    rejected = create_hazard_report(state=HazardState.REJECTED)
    closed = create_hazard_report(state=HazardState.CLOSED)
    assert _ids(_get(client, "?status=open")) == [submitted.reference]
    assert set(_ids(_get(client, "?status=closed"))) == {rejected.reference, closed.reference}
    assert len(_ids(_get(client, "?status=open,closed"))) == 3


def test_the_service_code_filter(client, app_context):
    signal = create_hazard_report(category="signal")
    create_hazard_report(category="lighting")
    assert _ids(_get(client, "?service_code=signal")) == [signal.reference]


def test_status_notes_carry_the_latest_public_message_masked(client, app_context):
    report = create_hazard_report()
    change_state(report, HazardState.INVESTIGATING, public_message="已派人到现场查看。")
    change_state(
        report,
        HazardState.RECTIFYING,
        public_message="已转交市政，联系人电话13800138000。",
    )
    report.responsible_party = "市政工程处"
    db.session.commit()
    (document,) = _get(client).get_json()
    assert document["status_notes"] == "已转交市政，联系人电话138****8000。"
    assert document["agency_responsible"] == "市政工程处"


def test_the_first_public_photo_is_an_absolute_media_url_that_answers(client, app_context):
    draft = ReportDraft(category="sign", location="解放路口", description="限速标志被树挡住了。")
    report = submit_report(draft, uploads=[Upload(stream=BytesIO(jpeg_bytes()), filename="a.jpg")])
    (document,) = _get(client).get_json()
    assert document["media_url"] == f"http://localhost/hazards/{report.reference}/photos/1"
    photo = client.get(document["media_url"])
    assert photo.status_code == 200
    assert photo.mimetype == "image/jpeg"


def test_dates_filter_on_the_requested_time_with_time_zones(client, app_context):
    late_on_the_20th = create_hazard_report(created_at=datetime(2026, 11, 20, 15, 30))
    early_on_the_21st = create_hazard_report(created_at=datetime(2026, 11, 20, 16, 30))
    # 23:30 and 00:30 in Beijing: the local midnight lies between them.
    after = _get(client, "?start_date=2026-11-21T00:00:00%2B08:00")
    assert _ids(after) == [early_on_the_21st.reference]
    before = _get(client, "?end_date=2026-11-21T00:00:00%2B08:00")
    assert _ids(before) == [late_on_the_20th.reference]
    same_instant_in_utc = _get(client, "?start_date=2026-11-20T16:00:00Z")
    assert _ids(same_instant_in_utc) == [early_on_the_21st.reference]


def test_a_plus_sign_left_unencoded_in_a_date_is_understood(client, app_context):
    create_hazard_report(created_at=datetime(2026, 11, 20, 15, 30))
    assert _ids(_get(client, "?start_date=2026-11-21T00:00:00+08:00")) == []


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("?start_date=2026-11-21", "start_date"),
        ("?end_date=yesterday", "end_date"),
        ("?start_date=2026-11-22T00:00:00Z&end_date=2026-11-21T00:00:00Z", "end_date"),
        ("?status=pending", "status"),
        ("?service_code=volcano", "service_code"),
        ("?page_size=101", "page_size"),
        ("?page_size=0", "page_size"),
        ("?page=-1", "page"),
    ],
)
def test_invalid_filters_are_a_400_naming_the_argument(client, app_context, query, argument):
    (error,) = _get(client, query + "&lang=en", expected=400).get_json()
    assert error["code"] == 400
    assert error["description"].startswith(f"{argument}:")


def test_each_invalid_filter_is_its_own_error_object(client, app_context):
    errors = _get(client, "?status=x&page_size=500&start_date=no", expected=400).get_json()
    assert len(errors) == 3
    assert all(error["code"] == 400 for error in errors)


def test_requests_are_paged_newest_first_with_a_link_to_the_next_page(client, app_context):
    start = datetime(2026, 11, 2, 2, 0)
    references = [
        create_hazard_report(created_at=start + timedelta(hours=n)).reference for n in range(5)
    ]
    newest_first = list(reversed(references))
    first = _get(client, "?page_size=2")
    assert _ids(first) == newest_first[:2]
    assert first.headers["Link"] == (
        '<http://localhost/open311/v2/requests.json?page_size=2&page=2>; rel="next"'
    )
    assert _ids(_get(client, "?page_size=2&page=2")) == newest_first[2:4]
    last = _get(client, "?page_size=2&page=3")
    assert _ids(last) == newest_first[4:]
    assert "Link" not in last.headers


def test_service_request_ids_select_requests_and_other_filters_are_ignored(client, app_context):
    one = create_hazard_report(state=HazardState.CLOSED)
    two = create_hazard_report()
    create_hazard_report()
    query = f"?service_request_id={one.reference.lower()},{two.reference}&status=open"
    assert set(_ids(_get(client, query))) == {one.reference, two.reference}


def test_ids_that_cannot_be_references_match_nothing(client, app_context):
    create_hazard_report()
    assert _ids(_get(client, "?service_request_id=%00,'%20OR%201=1")) == []


def test_private_reports_never_appear(client, app_context):
    public = create_hazard_report()
    private = create_hazard_report(is_private=True)
    assert _ids(_get(client)) == [public.reference]
    assert _ids(_get(client, f"?service_request_id={private.reference}")) == []
    response = client.get(f"{BASE}/requests/{private.reference}.json")
    assert response.status_code == 404
    assert response.get_json()[0]["code"] == 404


def test_no_personal_data_appears_in_any_answer(client, app_context):
    report = create_hazard_report(
        reporter_name="王小明",
        reporter_phone="13712345678",
        location="晋A12345停车处旁",
        description="车主电话13911112222，身份证140302199001011234，车牌晋A12345挡路。",
    )
    for url in (f"{BASE}/requests.json", f"{BASE}/requests/{report.reference}.json"):
        text = client.get(url).get_data(as_text=True)
        document = client.get(url).get_json()[0]
        for secret in ("王小明", "13712345678", "13911112222", "140302199001011234", "A12345"):
            assert secret not in text
        assert "reporter" not in text
        assert document["description"] == report.public_description
        assert document["address"] == report.public_location


def test_one_request_is_a_list_of_one_document(client, app_context):
    report = create_hazard_report()
    response = client.get(f"{BASE}/requests/{report.reference}.json")
    assert response.status_code == 200
    (document,) = response.get_json()
    assert set(document) == REQUEST_FIELDS
    assert document["service_request_id"] == report.reference


def test_an_unknown_request_is_a_404_in_the_error_format(client, app_context):
    response = client.get(f"{BASE}/requests/H20260101-XXXXXX.json?lang=en")
    assert response.status_code == 404
    assert response.get_json() == [
        {"code": 404, "description": "There is no public request with the id H20260101-XXXXXX."}
    ]


def test_a_duplicate_names_its_public_original_in_the_notice(client, app_context):
    original = create_hazard_report()
    create_hazard_report(state=HazardState.DUPLICATE, duplicate_of_id=original.id)
    documents = _get(client, "?lang=en&status=closed").get_json()
    assert documents[0]["service_notice"] == (
        f"Duplicate: the same hazard as {original.reference}."
    )
