"""Public pages: the list, a report's public view, privacy, "I see this too"."""

from datetime import timedelta

from sqlalchemy import select

from tests.factories import create_hazard_report, create_user
from tests.hazards.conftest import upload, valid_report_data
from tests.hazards.images import jpeg_bytes
from tests.pages import text_of
from webapp.common.clock import utcnow
from webapp.common.workflow import change_state
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.states import HazardState


def test_the_public_view_never_shows_the_reporters_name_or_phone(client_request, app_context):
    report = create_hazard_report(reporter_name="张三丰", reporter_phone="13912345678")
    html = client_request.client.get(f"/hazards/{report.reference}").get_data(as_text=True)
    assert "张三丰" not in html and "13912345678" not in html
    listing = client_request.client.get("/hazards/").get_data(as_text=True)
    assert "张三丰" not in listing and "13912345678" not in listing


def test_a_plate_number_phone_and_id_in_a_description_are_masked_publicly(
    client_request, app_context
):
    report = create_hazard_report(
        description="晋C·12345 天天停在人行道上，车主电话 13912345678，身份证 11010519491231002X。"
    )
    page = client_request.get(f"/hazards/{report.reference}")
    text = text_of(page)
    assert "12345 " not in text and "晋C·12345" not in text
    assert "晋C·*****" in text
    assert "13912345678" not in text and "139****5678" in text
    assert "11010519491231002X" not in text


def test_the_list_is_newest_first_and_filters_by_status_and_category(client_request, app_context):
    old = create_hazard_report(location="李荫路冯家庄路口", created_at=utcnow() - timedelta(days=3))
    new = create_hazard_report(location="漾泉大道魏家峪村口", category="sign")
    closed = create_hazard_report(location="赛鱼十字路口", state=HazardState.CLOSED)
    text = text_of(client_request.get("/hazards/"))
    assert text.index(new.reference) < text.index(old.reference)
    by_state = text_of(client_request.get("/hazards/?state=closed"))
    assert closed.reference in by_state and new.reference not in by_state
    by_category = text_of(client_request.get("/hazards/?category=sign"))
    assert new.reference in by_category and old.reference not in by_category
    assert client_request.get("/hazards/?state=bogus&category=x&page=zz")


def test_the_list_is_paginated(client_request, app_context):
    reports = [create_hazard_report(created_at=utcnow() - timedelta(minutes=n)) for n in range(21)]
    first = client_request.get("/hazards/")
    assert first.find("a", rel="next")
    second = text_of(client_request.get("/hazards/?page=2"))
    assert reports[-1].reference in second and reports[0].reference not in second


def test_a_private_report_is_off_every_public_page_and_its_photos_are_404(
    client_request, app_context, photo_store
):
    client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": [upload(jpeg_bytes())]},
        content_type="multipart/form-data",
        expected_status=302,
    )
    report = db.session.scalar(select(HazardReport))
    assert client_request.client.get(f"/hazards/{report.reference}/photos/1").status_code == 200
    report.is_private = True
    db.session.commit()
    assert report.reference not in text_of(client_request.get("/hazards/"))
    client_request.get(f"/hazards/{report.reference}", expected_status=404)
    for path in ("photos/1", "thumbnails/1", "received"):
        assert client_request.client.get(f"/hazards/{report.reference}/{path}").status_code == 404


def test_i_see_this_too_counts_once_per_session(client_request, app_context):
    report = create_hazard_report()
    for _ in range(3):
        client_request.post(f"/hazards/{report.reference}/confirm", expected_status=302)
    db.session.rollback()  # a fresh snapshot
    assert report.confirmations == 1
    page = client_request.get(f"/hazards/{report.reference}")
    assert not page.find("form", action=f"/hazards/{report.reference}/confirm")


def test_i_see_this_too_is_rate_limited(app, client_request, app_context):
    reports = [create_hazard_report() for _ in range(11)]
    statuses = [
        client_request.client.post(
            f"/hazards/{report.reference}/confirm",
            data={"csrf_token": client_request.csrf_token()},
        ).status_code
        for report in reports
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429


def test_public_messages_are_signed_by_the_brigade_never_the_officer(client_request, app_context):
    officer = create_user(display_name="王警官")
    report = create_hazard_report()
    change_state(
        report, HazardState.INVESTIGATING, actor=officer, public_message="民警已到现场查看。"
    )
    db.session.commit()
    text = text_of(client_request.get(f"/hazards/{report.reference}"))
    assert "民警已到现场查看。" in text
    assert "王警官" not in text and officer.username not in text


def test_staff_notes_are_never_shown_publicly(client_request, app_context):
    from webapp.common.workflow import add_note

    officer = create_user()
    report = create_hazard_report()
    add_note(report, "内部：联系园林中心李科长", author=officer)
    db.session.commit()
    assert "李科长" not in text_of(client_request.get(f"/hazards/{report.reference}"))


def test_an_unknown_reference_is_404(client_request):
    client_request.get("/hazards/H20260101-XXXXXX", expected_status=404)


def test_hazard_counts_give_the_received_and_closed_figures(app_context):
    from webapp.hazards.services import hazard_counts

    create_hazard_report()
    create_hazard_report(state=HazardState.CLOSED)
    create_hazard_report(state=HazardState.CLOSED, is_private=True)
    assert hazard_counts() == {"received": 3, "closed": 2}


def test_the_home_page_shows_live_hazard_figures(client_request, app_context):
    create_hazard_report()
    create_hazard_report(state=HazardState.CLOSED)
    figures = [text_of(figure) for figure in client_request.get("/?lang=en").select(".live-figure")]
    assert "2 road hazards reported" in figures
    assert "1 road hazards closed out" in figures
