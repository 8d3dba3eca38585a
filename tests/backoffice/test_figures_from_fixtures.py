"""Dashboard and annual figures from real hazard reports and training requests, with
answers worked out by hand."""

from datetime import datetime, timedelta

import pytest

from tests.factories import create_hazard_report, create_training_request, create_user
from tests.pages import text_of
from webapp.common.clock import local_to_utc
from webapp.hazards.categories import CATEGORY_LABELS, Category
from webapp.hazards.states import STATE_LABELS, HazardState
from webapp.staff.reporting import build_report, calendar_year
from webapp.staff.roles import Role
from webapp.training.states import STATE_LABELS as TRAINING_STATE_LABELS
from webapp.training.states import TrainingState
from webapp.training.vocabulary import INDUSTRIES


def _beijing(month: int, day: int, hour: int = 9) -> datetime:
    return local_to_utc(datetime(2025, month, day, hour))


@pytest.fixture
def hazards_2025(app_context):
    """Eight reports of 2025 and one of 2024 (left out).

    Closed in 10, 20, 30, 40 and 50 hours: median 30, 90th percentile 46
    (linear between ranks: 40 + 0.6 × 10). January: 3 reports; March: 5.
    """
    parties = ["市公路段", "市公路段", "市公路段", "市园林绿化中心", "市园林绿化中心"]
    for number, hours in enumerate((10, 20, 30, 40, 50)):
        created = _beijing(3, 1 + number)
        create_hazard_report(
            state=HazardState.CLOSED,
            category=Category.GUARDRAIL if number < 3 else Category.SIGNAL,
            created_at=created,
            closed_at=created + timedelta(hours=hours),
            responsible_party=parties[number],
        )
    create_hazard_report(category=Category.SIGNAL, created_at=_beijing(1, 5))
    create_hazard_report(category=Category.SIGNAL, created_at=_beijing(1, 6))
    create_hazard_report(
        state=HazardState.REJECTED, category=Category.SIGN, created_at=_beijing(1, 31, 23)
    )
    create_hazard_report(created_at=local_to_utc(datetime(2024, 12, 31, 23)))


@pytest.fixture
def training_2025(app_context):
    """Four requests of 2025: two delivered (school transport, 35 and 45 people; tobacco
    retail, 20), one submitted, one declined."""
    for industry, attendance in (("school_transport", 35), ("school_transport", 45)):
        create_training_request(
            state=TrainingState.DELIVERED,
            industry=industry,
            attendance=attendance,
            created_at=_beijing(4, 1),
            state_changed_at=_beijing(4, 11),
            session_starts_at=_beijing(4, 10),
        )
    create_training_request(
        state=TrainingState.DELIVERED,
        industry="tobacco_retail",
        attendance=20,
        created_at=_beijing(6, 1),
        state_changed_at=_beijing(6, 3),
        session_starts_at=_beijing(6, 2),
    )
    create_training_request(industry="tobacco_retail", created_at=_beijing(6, 2))


def _source(report, type_code):
    return next(item for item in report.sources if item.source.type == type_code)


def test_hazard_figures_count_states_categories_closing_times_trend_and_referrals(hazards_2025):
    admin = create_user(roles=[Role.ADMIN])
    hazards = _source(build_report(admin, calendar_year(2025)), "hazard")
    assert hazards.total == 8
    by_state = dict(hazards.figures.by_state)
    assert by_state[str(STATE_LABELS[HazardState.CLOSED])] == 5
    assert by_state[str(STATE_LABELS[HazardState.SUBMITTED])] == 2
    assert by_state[str(STATE_LABELS[HazardState.REJECTED])] == 1
    by_category = dict(hazards.figures.by_category)
    assert by_category[str(CATEGORY_LABELS[Category.GUARDRAIL])] == 3
    assert by_category[str(CATEGORY_LABELS[Category.SIGNAL])] == 4
    assert by_category[str(CATEGORY_LABELS[Category.SIGN])] == 1
    assert hazards.median_hours == pytest.approx(30)
    assert hazards.p90_hours == pytest.approx(46)
    assert hazards.monthly == [3, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    [referrals] = hazards.figures.tables
    assert list(referrals.rows) == [("市公路段", 3), ("市园林绿化中心", 2)]


def test_training_figures_count_requests_and_people_trained_by_industry(training_2025):
    admin = create_user(roles=[Role.ADMIN])
    training = _source(build_report(admin, calendar_year(2025)), "training")
    assert training.total == 4
    by_state = dict(training.figures.by_state)
    assert by_state[str(TRAINING_STATE_LABELS[TrainingState.DELIVERED])] == 3
    assert by_state[str(TRAINING_STATE_LABELS[TrainingState.SUBMITTED])] == 1
    assert dict(training.figures.by_category)[str(INDUSTRIES["tobacco_retail"])] == 2
    # Closed after 240, 240 and 48 hours.
    assert training.median_hours == pytest.approx(240)
    assert training.monthly[3] == 2 and training.monthly[5] == 2
    [people] = training.figures.tables
    trained = dict(people.rows)
    assert trained[str(INDUSTRIES["school_transport"])] == 80
    assert trained[str(INDUSTRIES["tobacco_retail"])] == 20


def test_the_annual_report_page_and_csv_give_the_same_figures(
    client, client_request, login_as, hazards_2025, training_2025
):
    login_as(Role.HAZARD_OFFICER, Role.EDUCATION_OFFICER)
    text = text_of(client_request.get("/staff/reports/annual?year=2025&lang=en"))
    assert "市公路段" in text and "市园林绿化中心" in text
    csv_text = client.get("/staff/reports/annual.csv?year=2025&lang=en").data.decode("utf-8-sig")
    assert "市公路段,3" in csv_text and "市园林绿化中心,2" in csv_text
    assert "Submissions received,,,12" in csv_text
    assert "School transport,80" in csv_text


def test_the_annual_report_of_another_year_leaves_these_out(client_request, login_as, hazards_2025):
    login_as(Role.HAZARD_OFFICER)
    text = text_of(client_request.get("/staff/reports/annual?year=2024&lang=en"))
    assert "市公路段" not in text
