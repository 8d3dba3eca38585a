"""A message is queued with the change that causes it, rendered in the person's language."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.factories import BOOKING_CONTEXT, create_outbox_message, create_user
from webapp.extensions import db
from webapp.notifications.messages import MESSAGES, MessageKind
from webapp.notifications.models import OutboxMessage
from webapp.notifications.services import queue_message
from webapp.notifications.states import MessageStatus
from webapp.staff.models import User
from webapp.staff.roles import Role


def _outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def _new_user(username: str) -> User:
    user = User(username=username, password_hash="x")
    user.roles = (Role.BOOKING_CLERK,)
    return user


def _queue(**overrides):
    fields = {
        "kind": MessageKind.BOOKING_CONFIRMED,
        "channel": "sms",
        "recipient": "13812345678",
        "language": "en",
        "subject_type": "booking",
        "subject_id": 7,
        "context": BOOKING_CONTEXT,
    }
    return queue_message(**{**fields, **overrides})


def test_a_message_queued_with_a_change_that_commits_is_in_the_outbox(app_context):
    db.session.add(_new_user("clerk"))
    _queue()
    db.session.commit()

    message = db.session.scalar(select(OutboxMessage))
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 0
    assert (message.subject_type, message.subject_id) == ("booking", 7)


def test_a_rolled_back_change_leaves_no_message(app_context):
    _queue()
    db.session.rollback()

    assert _outbox_count() == 0


def test_a_change_that_fails_to_commit_takes_its_message_with_it(app_context):
    create_user(username="taken")
    db.session.add(_new_user("taken"))
    _queue()
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()

    assert _outbox_count() == 0


def test_queue_message_does_not_commit(app, app_context):
    _queue()
    with app.app_context():  # another session sees only what is committed
        assert _outbox_count() == 0


def test_the_message_is_rendered_in_english_for_an_english_reader(app_context):
    message = create_outbox_message(language="en")

    assert message.subject == "Booking confirmed: B20261201-0001"
    assert "licence renewal" in message.body
    assert "9:30" in message.body  # 01:30 UTC shown in Beijing time
    assert "0353-122" in message.body


def test_the_message_is_rendered_in_chinese_for_a_chinese_reader(app_context):
    message = create_outbox_message(language="zh")

    assert message.subject == "预约成功：B20261201-0001"
    assert "请携带居民身份证" in message.body
    assert "2026年12月1日" in message.body


def test_an_unknown_language_falls_back_to_chinese(app_context):
    message = create_outbox_message(language="fr")

    assert message.language == "zh"
    assert message.subject.startswith("预约成功")


def test_a_placeholder_missing_from_the_context_fails_at_queue_time(app_context):
    with pytest.raises(KeyError):
        _queue(context={"reference": "B1"})


def test_every_kind_has_a_subject_and_a_body_in_both_languages(app_context):
    context = {
        "reference": "R1",
        "state": "closed",
        "message": "",
        "service": "s",
        "when": "w",
        "place": "p",
        "reason": "r",
        "link": "l",
        "stop": "s",
        "code": "123456",
        "wanted": "d",
        "hours": 12,
        "until": "u",
    }
    for kind in MessageKind:
        assert kind in MESSAGES
        for language in ("zh", "en"):
            message = _queue(kind=kind, language=language, context=context)
            assert message.subject and message.body
    db.session.rollback()


def test_a_message_with_a_queued_dedupe_key_is_not_queued_again(app_context):
    first = _queue(dedupe_key="reminder:booking:7")
    db.session.commit()
    again = _queue(dedupe_key="reminder:booking:7")
    db.session.commit()

    assert first is not None and again is None
    assert _outbox_count() == 1


def test_the_database_refuses_a_second_row_with_the_same_dedupe_key(app_context):
    create_outbox_message(dedupe_key="reminder:booking:8")
    db.session.add(
        OutboxMessage(
            channel="sms",
            recipient="13812345678",
            language="zh",
            subject_type="booking",
            subject_id=8,
            kind="reminder",
            dedupe_key="reminder:booking:8",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_nothing_is_queued_for_a_person_who_gave_no_contact(app_context):
    assert _queue(recipient="") is None
    db.session.commit()

    assert _outbox_count() == 0
