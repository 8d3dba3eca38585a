"""Following a report by text message: consent, a code, limits, the texts, stopping them."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import create_hazard_report, create_user
from tests.pages import text_of
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.hazards import following
from webapp.hazards.models import HazardFollower
from webapp.hazards.retention import anonymise_followers
from webapp.hazards.services import reopen_by_reporter
from webapp.hazards.staff_services import StateChange, change_report_state
from webapp.hazards.states import HazardState
from webapp.notifications.models import OutboxMessage
from webapp.staff.inbox_actions import bulk_change_state
from webapp.staff.roles import Role

NEIGHBOUR = "13912340001"


def _messages(kind=None):
    db.session.rollback()  # a fresh snapshot
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def _followers():
    db.session.rollback()
    return db.session.scalars(select(HazardFollower).order_by(HazardFollower.id)).all()


def _ask(client_request, report, phone=NEIGHBOUR, *, lang="zh", expected_status=302, **data):
    fields = {"phone": phone, "consent": "y", **data}
    return client_request.post(
        f"/hazards/{report.reference}/follow?lang={lang}", fields, expected_status=expected_status
    )


def _code_sent():
    [message, *_] = reversed(_messages("follow_code"))
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def _confirm(client_request, report, code, *, expected_status=302):
    return client_request.post(
        f"/hazards/{report.reference}/follow/confirm?lang=en",
        {"code": code},
        expected_status=expected_status,
    )


def _follower(report, phone=NEIGHBOUR, *, language="zh", **fields):
    db.session.rollback()  # a fresh snapshot, after the requests' writes
    follower = HazardFollower(
        report_id=report.id,
        phone=phone,
        language=language,
        confirmed_at=fields.pop("confirmed_at", utcnow()),
        **fields,
    )
    db.session.add(follower)
    db.session.commit()
    return follower


@pytest.fixture
def report(app_context):
    return create_hazard_report(reporter_phone="13800138000", language="zh")


# --- Asking and confirming -----------------------------------------------------------


def test_the_report_page_offers_following_with_a_consent_box(client_request, report):
    page = client_request.get(f"/hazards/{report.reference}?lang=en")
    form = page.select_one("#follow form")
    assert form.select_one("input[name=phone][type=tel]")
    assert form.select_one("input[name=consent][type=checkbox]")
    assert "never shown publicly" in text_of(form)


def test_following_needs_the_consent_and_keeps_what_was_typed(client_request, report):
    page = _ask(client_request, report, "139 1234 0001", lang="en", consent="", expected_status=200)
    assert "Tick the box to agree: without it we cannot text you." in text_of(page)
    assert page.select_one("input[name=phone]")["value"] == NEIGHBOUR
    assert _followers() == [] and _messages() == []


def test_a_wrong_number_is_answered_on_the_page(client_request, report):
    page = _ask(client_request, report, "12345", lang="en", expected_status=200)
    assert "A mobile number has 11 digits; you entered 5." in text_of(page)
    assert _followers() == []


def test_a_code_is_texted_and_confirms_the_number(client_request, report):
    response = _ask(client_request, report, "+86 139 1234 0001", lang="en")
    assert response.headers["Location"].endswith(f"/hazards/{report.reference}/follow/confirm")
    [message] = _messages()
    assert message.kind == "follow_code" and message.recipient == NEIGHBOUR
    assert message.language == "en" and report.reference in message.body
    [follower] = _followers()
    assert follower.confirmed_at is None and _code_sent() not in follower.code_hash

    page = client_request.get(f"/hazards/{report.reference}/follow/confirm?lang=en")
    assert "139****0001" in text_of(page) and NEIGHBOUR not in str(page)

    done = _confirm(client_request, report, " ".join(_code_sent()))
    assert done.headers["Location"].endswith(f"/hazards/{report.reference}")
    [follower] = _followers()
    assert follower.is_active and follower.language == "en"
    shown = client_request.get(f"/hazards/{report.reference}?lang=en")
    assert "You follow this report: we will text 139****0001" in text_of(shown)


def test_the_confirm_page_without_asking_first_leads_back_to_the_form(client, report):
    response = client.get(f"/hazards/{report.reference}/follow/confirm")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/hazards/{report.reference}#follow")


def test_wrong_codes_are_counted_and_the_code_is_spent_after_five(client_request, report):
    _ask(client_request, report)
    right = _code_sent()
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        page = _confirm(client_request, report, wrong, expected_status=200)
        assert f"This code is wrong. You can try {left} more times." in text_of(page)
    page = _confirm(client_request, report, wrong, expected_status=200)
    assert "it cannot be tried again" in text_of(page)
    page = _confirm(client_request, report, right, expected_status=200)
    assert "This code can no longer be used. Ask for a new code." in text_of(page)
    [follower] = _followers()
    assert follower.attempts == 5 and follower.confirmed_at is None


def test_a_new_code_replaces_the_old_one(client_request, report):
    _ask(client_request, report)
    first = _code_sent()
    _ask(client_request, report)
    second = _code_sent()
    assert len(_followers()) == 1
    if first != second:
        page = _confirm(client_request, report, first, expected_status=200)
        assert "This code is wrong" in text_of(page)
    _confirm(client_request, report, second)
    assert _followers()[0].is_active


def test_an_old_code_has_expired(client_request, report):
    _ask(client_request, report)
    code = _code_sent()
    [follower] = _followers()
    follower.code_sent_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    page = _confirm(client_request, report, code, expected_status=200)
    assert "This code has expired." in text_of(page)


def test_the_code_must_be_six_digits(client_request, report):
    _ask(client_request, report)
    page = _confirm(client_request, report, "12ab", expected_status=200)
    assert "The code has 6 digits." in text_of(page)
    assert _followers()[0].attempts == 0


def test_a_finished_report_cannot_be_followed(client_request, app_context):
    rejected = create_hazard_report(state=HazardState.REJECTED)
    page = client_request.get(f"/hazards/{rejected.reference}")
    assert page.select_one("#follow") is None
    refused = _ask(client_request, rejected, lang="en", expected_status=200)
    assert "This report is finished" in text_of(refused)


def test_a_private_report_cannot_be_followed(client, client_request, app_context):
    private = create_hazard_report(is_private=True)
    _ask(client_request, private, expected_status=404)
    assert _followers() == []


# --- Limits --------------------------------------------------------------------------


def test_a_report_takes_a_limited_number_of_followers(app, client_request, report, monkeypatch):
    monkeypatch.setitem(app.config, "HAZARD_FOLLOWERS_PER_REPORT", 1)
    _follower(report, "13700000001")
    page = _ask(client_request, report, lang="en", expected_status=200)
    assert "This report has as many followers as we can text." in text_of(page)
    assert _messages() == []
    # An unconfirmed request does not take a place; a stopped follower gives theirs up.
    _followers()[0].unsubscribed_at = utcnow()
    db.session.commit()
    _ask(client_request, report)
    _confirm(client_request, report, _code_sent())
    assert [f.phone for f in _followers() if f.is_active] == [NEIGHBOUR]


def test_the_limit_of_followers_is_checked_again_at_the_code(
    app, client_request, report, monkeypatch
):
    monkeypatch.setitem(app.config, "HAZARD_FOLLOWERS_PER_REPORT", 1)
    _ask(client_request, report)
    _follower(report, "13700000001")  # confirmed meanwhile by someone else
    page = _confirm(client_request, report, _code_sent(), expected_status=200)
    assert "as many followers as we can text" in text_of(page)


def test_codes_to_one_number_are_limited_per_day(app, client_request, app_context, monkeypatch):
    monkeypatch.setitem(app.config, "FOLLOW_CODES_PER_NUMBER_PER_DAY", 2)
    reports = [create_hazard_report() for _ in range(3)]
    _ask(client_request, reports[0])
    _ask(client_request, reports[1], "+86 13912340001")
    page = _ask(client_request, reports[2], lang="en", expected_status=200)
    assert "We have sent as many codes to this number as we can today." in text_of(page)
    assert len(_messages("follow_code")) == 2
    _ask(client_request, reports[2], "13912340002")  # another number is served


def test_asking_to_follow_is_counted_with_the_other_message_forms_per_address(
    app, client, client_request, report, monkeypatch
):
    monkeypatch.setitem(app.config, "MESSAGE_FORM_RATE_LIMIT", "2 per minute")
    _ask(client_request, report, "13912340001")
    _ask(client_request, report, "13912340002")
    refused = _ask(client_request, report, "13912340003", expected_status=429)
    assert "请求过于频繁" in text_of(refused)
    assert len(_messages("follow_code")) == 2


def test_typing_codes_is_rate_limited_per_address(app, client_request, report, monkeypatch):
    monkeypatch.setitem(app.config, "LOOKUP_RATE_LIMIT", "3 per minute")
    _ask(client_request, report)
    for _ in range(3):
        _confirm(client_request, report, "12ab", expected_status=200)
    _confirm(client_request, report, _code_sent(), expected_status=429)


# --- The texts on a change of state --------------------------------------------------


def test_a_change_of_state_texts_followers_and_the_reporter_in_their_language(app_context, report):
    _follower(report, "13700000001", language="en")
    _follower(report, "13700000002", language="zh")
    _follower(report, "13700000003", unsubscribed_at=utcnow())
    _follower(report, "13700000004", confirmed_at=None)
    change_report_state(
        report,
        StateChange("investigating", public_message="民警已到现场核查。"),
        actor=create_user(),
    )
    messages = {message.recipient: message for message in _messages()}
    assert set(messages) == {"13800138000", "13700000001", "13700000002"}
    reporter, english, chinese = (
        messages[n] for n in ("13800138000", "13700000001", "13700000002")
    )
    assert reporter.kind == "state_changed" and "排查中" in reporter.body
    assert "民警已到现场核查。" in reporter.body
    assert english.kind == chinese.kind == "followed_state_changed"
    assert english.language == "en" and "that you follow is now: Investigating" in english.body
    assert (
        chinese.language == "zh" and "您关注的隐患报告" in chinese.body and "排查中" in chinese.body
    )
    link = f"http://localhost/hazards/{report.reference}"
    for message in messages.values():
        assert link in message.body
        assert re.search(r"http://localhost/hazards/stop/\S+", message.body)
    assert _stop_link(english) != _stop_link(chinese) != _stop_link(reporter)


def _stop_link(message) -> str:
    return re.search(r"http://localhost(/hazards/stop/\S+)", message.body).group(1)


def test_a_bulk_move_texts_the_followers_too(app_context, report):
    _follower(report)
    officer = create_user(roles=[Role.HAZARD_OFFICER])
    bulk_change_state(
        [f"hazard:{report.id}"], state="investigating", message="已受理。", actor=officer, ip=""
    )
    assert {m.recipient for m in _messages("followed_state_changed")} == {NEIGHBOUR}


def test_the_reporters_reopening_texts_the_followers_too(app_context):
    closed = create_hazard_report(
        state=HazardState.CLOSED, reporter_phone="13800138000", closed_at=utcnow()
    )
    _follower(closed)
    reopen_by_reporter(reference=closed.reference, phone="13800138000", message="护栏还是坏的。")
    followed = _messages("followed_state_changed")
    assert [m.recipient for m in followed] == [NEIGHBOUR]
    assert "排查中" in followed[0].body


def test_a_reporter_who_follows_their_own_report_gets_one_text(app_context, report):
    _follower(report, "13800138000")
    change_report_state(report, StateChange("investigating"), actor=create_user())
    assert [m.kind for m in _messages()] == ["state_changed"]


def test_followers_of_a_report_made_private_are_not_texted(app_context, report):
    _follower(report)
    report.is_private = True
    db.session.commit()
    change_report_state(report, StateChange("investigating"), actor=create_user())
    assert [m.recipient for m in _messages()] == ["13800138000"]


# --- Stopping the texts ---------------------------------------------------------------


def test_the_stop_link_asks_first_and_then_stops_the_texts(client_request, report):
    _follower(report, language="en")
    change_report_state(report, StateChange("investigating"), actor=create_user())
    [message] = _messages("followed_state_changed")
    page = client_request.get(_stop_link(message) + "?lang=en")
    assert f"Stop the text messages about report {report.reference}" in text_of(page)
    assert _followers()[0].unsubscribed_at is None  # a GET (a link preview) stops nothing
    done = client_request.post(_stop_link(message) + "?lang=en", {})
    assert "you will get no more texts about report" in text_of(done)
    assert [f.unsubscribed_at is not None for f in _followers()] == [True]
    change_report_state(
        report, StateChange("rectifying", responsible_party="市政"), actor=create_user()
    )
    assert len(_messages("followed_state_changed")) == 1
    # Using the link again changes nothing and says the same.
    assert "no more texts" in text_of(client_request.post(_stop_link(message) + "?lang=en", {}))


def test_the_reporters_stop_link_stops_the_reporters_texts(client_request, report):
    change_report_state(report, StateChange("investigating"), actor=create_user())
    [message] = _messages("state_changed")
    client_request.post(_stop_link(message), {})
    db.session.rollback()
    change_report_state(
        report, StateChange("rectifying", responsible_party="市政"), actor=create_user()
    )
    assert len(_messages("state_changed")) == 1
    assert report.reporter_texts_stopped_at is not None


def test_a_forged_or_unknown_stop_link_is_not_found(client, app_context, report):
    assert client.get("/hazards/stop/not-a-token").status_code == 404
    forged = following.stop_token(report=report)[:-2] + "xx"
    assert client.get(f"/hazards/stop/{forged}").status_code == 404
    assert client.get(f"/hazards/stop/{_token_for_follower_id(999999)}").status_code == 404


def _token_for_follower_id(follower_id: int) -> str:
    return following.stop_token(follower=HazardFollower(id=follower_id))


# --- Personal data ------------------------------------------------------------------


def test_staff_see_the_count_and_masked_numbers_only(client_request, login_as, report):
    login_as(Role.HAZARD_OFFICER)
    _follower(report, "13700000001")
    _follower(report, "13700000002")
    _follower(report, "13700000003", unsubscribed_at=utcnow())
    page = client_request.get(f"/staff/hazards/{report.reference}?lang=en")
    followers = page.select_one("[data-followers]").get_text()
    assert followers.startswith("2") and "137****0001" in followers and "137****0002" in followers
    html = (
        str(page) + str(client_request.get("/staff/hazards/")) + str(client_request.get("/staff/"))
    )
    assert not re.search(r"1370000000\d", html)


def test_follower_numbers_are_on_no_public_page_nor_in_open311(client, client_request, report):
    _follower(report, "13700000001")
    pages = [
        client.get(url).get_data(as_text=True)
        for url in (
            f"/hazards/{report.reference}",
            "/hazards/",
            "/open311/v2/requests.json",
            f"/open311/v2/requests/{report.reference}.json",
        )
    ]
    assert client.get("/open311/v2/requests.json").status_code == 200
    assert all("13700000001" not in page and "0001" not in page for page in pages)


def test_retention_blanks_the_numbers_whose_use_has_ended(app_context):
    long_ago = utcnow() - timedelta(days=400)
    finished = create_hazard_report(state=HazardState.CLOSED)
    finished.state_changed_at = long_ago
    still_open = create_hazard_report()
    of_finished = _follower(finished, "13700000001")
    stopped = _follower(still_open, "13700000002", unsubscribed_at=long_ago)
    never_confirmed = _follower(still_open, "13700000003", confirmed_at=None, created_at=long_ago)
    active = _follower(still_open, "13700000004", created_at=long_ago)
    assert anonymise_followers(utcnow() - timedelta(days=365)) == 3
    db.session.commit()
    phones = {f.id: f.phone for f in _followers()}
    assert phones[of_finished.id] == phones[stopped.id] == phones[never_confirmed.id] == ""
    assert phones[active.id] == "13700000004"
    assert anonymise_followers(utcnow() - timedelta(days=365)) == 0


# --- "I see this too" -----------------------------------------------------------------


def test_i_see_this_too_offers_following(client_request, report):
    page = client_request.get(f"/hazards/{report.reference}?lang=en")
    assert page.select_one(".confirm-box a[href='#follow']")
    client_request.post(f"/hazards/{report.reference}/confirm", {}, expected_status=302)
    thanked = client_request.get(f"/hazards/{report.reference}?lang=en")
    assert "To get a text when the report changes, follow it below." in text_of(thanked)
    assert thanked.select_one("#follow form")
