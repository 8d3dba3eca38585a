"""About a dozen training requests across industries and states, as in the annual report."""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from webapp.common.clock import local_to_utc, local_today
from webapp.common.identifiers import credit_code_check_char, make_reference
from webapp.common.workflow import record_event
from webapp.extensions import db
from webapp.staff.models import User
from webapp.training.models import TrainingRequest
from webapp.training.states import TrainingState as S
from webapp.transactions import transactional

# company, industry, audience, topics, state, days from today of the session (or None)
# fmt: off
DEMO_REQUESTS = (
    ("运城市烟草公司城区营销部", "tobacco_retail", 45, "drunk_driving helmets_ebikes", S.DELIVERED, -40),
    ("顺达客运有限公司", "passenger_transport", 120, "fatigue_long_haul passenger_hazmat", S.DELIVERED, -21),
    ("通达物流有限公司", "freight_logistics", 80, "truck_blind_spots fatigue_long_haul", S.DELIVERED, -9),
    ("阳光校车服务有限公司", "school_transport", 30, "winter_night_driving crash_first_aid", S.SCHEDULED, 12),
    ("美团外卖城东配送站", "food_delivery", 60, "helmets_ebikes accident_cases", S.SCHEDULED, 19),
    ("华晋危险货物运输有限公司", "hazardous_goods", 50, "passenger_hazmat accident_cases", S.SCHEDULED, 26),
    ("恒信建材有限公司", "construction_mining", 70, "truck_blind_spots drunk_driving", S.REVIEWING, None),
    ("城区第二中学", "public_institution", 200, "helmets_ebikes crash_first_aid", S.REVIEWING, None),
    ("晋阳机械制造有限公司", "manufacturing", 150, "drunk_driving winter_night_driving", S.SUBMITTED, None),
    ("快捷速递城南营业部", "food_delivery", 35, "helmets_ebikes", S.SUBMITTED, None),
    ("平安出租汽车公司", "passenger_transport", 90, "fatigue_long_haul accident_cases", S.DECLINED, None),
    ("绿源农资经销部", "other", 12, "drunk_driving", S.WITHDRAWN, None),
)
# fmt: on
PATHS = {
    S.SUBMITTED: (S.SUBMITTED,),
    S.REVIEWING: (S.SUBMITTED, S.REVIEWING),
    S.SCHEDULED: (S.SUBMITTED, S.REVIEWING, S.SCHEDULED),
    S.DELIVERED: (S.SUBMITTED, S.REVIEWING, S.SCHEDULED, S.DELIVERED),
    S.DECLINED: (S.SUBMITTED, S.DECLINED),
    S.WITHDRAWN: (S.SUBMITTED, S.WITHDRAWN),
}
DECLINE_REASON = "该时段大队宣讲力量已排满，建议贵公司参加下月集中培训，或另选日期重新申请。"
SCHEDULE_MESSAGE = "培训时间已确定，请提前15分钟到场，并准备投影设备。"


def _credit_code(number: int) -> str:
    body = f"91140300MA0{number:06d}"
    return body + credit_code_check_char(body)


@transactional
def load_demo_training_requests() -> str | None:
    """Every demo request in one transaction, or none (a second run adds nothing)."""
    if db.session.scalar(select(func.count(TrainingRequest.id))):
        return None
    today = local_today()
    officer = db.session.scalar(User.by_username("education"))
    for number, row in enumerate(DEMO_REQUESTS, start=1):
        _add_request(number, row, today=today, officer=officer)
    return f"added {len(DEMO_REQUESTS)} training requests"


def _add_request(number, row, *, today, officer) -> None:
    company, industry, audience, topics, state, session_day = row
    received = today - timedelta(days=(50 if session_day is None else 60) - number)
    training = TrainingRequest(
        reference=make_reference("T", received),
        company_name=company,
        credit_code=_credit_code(number),
        industry=industry,
        contact_name="安全员",
        contact_phone=f"1390353{number:04d}",
        audience_size=audience,
        venue="on_site" if number % 3 else "brigade",
        address=f"{company}会议室" if number % 3 else "",
        state=state,
        created_at=local_to_utc(datetime.combine(received, time(9, 30))),
    )
    training.topics = topics.split()
    first_choice = (today + timedelta(days=session_day)) if session_day else today + timedelta(14)
    training.preferred_dates = [max(first_choice, received + timedelta(days=7))]
    _add_outcome(training, state, session_day, today=today, officer=officer)
    db.session.add(training)
    db.session.flush()
    _add_history(training, state)


def _add_history(training, state) -> None:
    """One event per step, a day apart from the request's arrival; delivery at the session."""
    for days, (before, after) in enumerate(zip((None, *PATHS[state]), PATHS[state], strict=False)):
        message = SCHEDULE_MESSAGE if after == S.SCHEDULED else ""
        message = DECLINE_REASON if after == S.DECLINED else message
        event = record_event(training, from_state=before, to_state=after, public_message=message)
        event.created_at = training.created_at + timedelta(days=days)
        if after == S.DELIVERED:
            event.created_at = training.session_starts_at + timedelta(hours=2)
        training.state_changed_at = event.created_at


def _add_outcome(training, state, session_day, *, today, officer) -> None:
    if session_day is not None:
        start = datetime.combine(today + timedelta(days=session_day), time(14, 30))
        training.session_starts_at = local_to_utc(start)
        training.session_venue = training.venue
        training.session_address = training.address
        training.assignee_id = getattr(officer, "id", None)
        training.officer_name = "" if officer else "赵警官"
    if state == S.DELIVERED:
        training.attendance = training.audience_size - 3
        training.delivery_notes = "讲解结合本地事故案例，现场互动良好。"
    if state == S.DECLINED:
        training.decline_reason = DECLINE_REASON
