from datetime import date, timedelta

import pytest

from tests.factories import make_id_number
from webapp.appointments.rules import SERVICES, RuleBroken

SESSION_DAY = date(2026, 3, 10)


def test_a_motorcycle_applicant_who_turns_18_on_the_session_day_may_book(app_context):
    id_number = make_id_number(birth=date(2008, 3, 10))
    assert (
        SERVICES["motorcycle_exam"].check(
            id_number=id_number, session_day=SESSION_DAY, licence_class="E", licence_expiry=None
        )
        == []
    )


def test_a_motorcycle_applicant_under_18_on_the_session_day_is_refused(app_context):
    id_number = make_id_number(birth=date(2008, 3, 11))
    with pytest.raises(RuleBroken) as refused:
        SERVICES["motorcycle_exam"].check(
            id_number=id_number, session_day=SESSION_DAY, licence_class="E", licence_expiry=None
        )
    assert refused.value.field == "id_number"
    assert "18" in str(refused.value.message)


def test_a_renewal_90_days_before_expiry_is_accepted_and_91_is_refused(app_context):
    rule = SERVICES["licence_renewal"]
    id_number = make_id_number()
    assert (
        rule.check(
            id_number=id_number,
            session_day=SESSION_DAY,
            licence_class=None,
            licence_expiry=SESSION_DAY + timedelta(days=90),
        )
        == []
    )
    with pytest.raises(RuleBroken) as refused:
        rule.check(
            id_number=id_number,
            session_day=SESSION_DAY,
            licence_class=None,
            licence_expiry=SESSION_DAY + timedelta(days=91),
        )
    assert refused.value.field == "licence_expiry"
    assert "2026-03-11" in str(refused.value.message)


def test_an_expired_licence_is_accepted_with_a_notice_of_what_to_bring(app_context):
    notices = SERVICES["licence_renewal"].check(
        id_number=make_id_number(),
        session_day=SESSION_DAY,
        licence_class=None,
        licence_expiry=SESSION_DAY - timedelta(days=30),
    )
    assert notices == [SERVICES["licence_renewal"].expired_notice]


def test_review_education_has_no_age_rule_and_only_large_vehicle_classes():
    rule = SERVICES["review_education"]
    assert rule.min_age is None
    assert rule.licence_classes == ("A1", "A2", "A3", "B1", "B2")


def test_a_licence_class_the_service_does_not_take_is_refused(app_context):
    with pytest.raises(RuleBroken) as refused:
        SERVICES["review_education"].check(
            id_number=make_id_number(),
            session_day=SESSION_DAY,
            licence_class="E",
            licence_expiry=None,
        )
    assert refused.value.field == "licence_class"
    assert "A1/A2/A3/B1/B2" in str(refused.value.message)
