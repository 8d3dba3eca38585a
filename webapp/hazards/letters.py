"""The referral letter (函) to the party responsible for a hazard, and the copy kept of it.

SPEC.md §2: staff print a referral letter from a report. The deadline and the
contact are what the officer enters (issue 18, item 5); the officer reviews the
text, and the letter as sent is kept with the report as an event of kind
"letter" whose staff-only `detail` is the text. The letter is always in Chinese.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale

from webapp.common import clock
from webapp.common.audit import record_audit, target_of
from webapp.common.workflow import LETTER, WorkflowEvent, record_event
from webapp.extensions import db
from webapp.hazards.categories import RECTIFICATION_REQUESTS, Category
from webapp.hazards.models import HazardReport
from webapp.templating import brigade_name
from webapp.transactions import transactional

BLANK = "__________"


@dataclass(frozen=True)
class LetterDetails:
    """What the officer decides for one letter."""

    deadline_days: int
    contact_name: str
    contact_unit: str
    contact_phone: str


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def compose_letter(report: HazardReport, details: LetterDetails, *, today: date) -> str:
    """The letter's text, one paragraph a line: what the preview shows and what is kept."""
    with force_locale("zh"):
        category, brigade = report.category_label, brigade_name()
    received = _chinese_date(clock.to_local(report.created_at).date())
    request = report.rectification_request or RECTIFICATION_REQUESTS.get(
        Category(report.category), ""
    )
    contact = details.contact_name or BLANK
    if details.contact_unit:
        contact += f"（{details.contact_unit}）"
    return "\n".join(
        [
            f"关于{report.location}道路交通安全隐患整改的函",
            f"编号：{report.reference}",
            f"{report.responsible_party or BLANK}：",
            f"我大队在道路交通安全隐患排查工作中（隐患编号 {report.reference}，{received}受理），"
            f"发现{report.location}{_coordinates(report)}存在以下道路交通安全隐患：",
            report.finding or report.description,
            f"上述隐患类别为“{category}”，易引发道路交通事故，危及群众出行安全。"
            "根据《中华人民共和国道路交通安全法》等有关规定，请贵单位：",
            request,
            f"请于收函之日起 {details.deadline_days} 个工作日内完成整改，并将整改情况函告我大队。"
            "整改完成后，我大队将现场核查并予以销号。",
            f"联系人：{contact}　联系电话：{details.contact_phone or BLANK}",
            brigade,
            _chinese_date(today),
        ]
    )


def _coordinates(report: HazardReport) -> str:
    """The place's position after the place as the resident typed it, when it has one."""
    if not report.has_coordinates:
        return ""
    return f"（位置坐标：北纬 {report.latitude:.6f}°，东经 {report.longitude:.6f}°，WGS84）"


@transactional
def keep_letter(
    report: HazardReport, details: LetterDetails, *, actor, ip: str = ""
) -> WorkflowEvent:
    """Keep the letter as sent with the report (an event; the state does not change)."""
    text = compose_letter(report, details, today=clock.local_today())
    event = record_event(
        report,
        from_state=report.state,
        to_state=report.state,
        actor=actor,
        kind=LETTER,
        detail=text,
    )
    db.session.flush()
    record_audit(
        "hazard.letter",
        actor=actor,
        target=target_of(report),
        ip=ip,
        detail=f"{details.deadline_days} working days",
    )
    return event


def kept_letter(report: HazardReport, event_id: int) -> WorkflowEvent | None:
    event = db.session.get(WorkflowEvent, event_id)
    if event is None or event.kind != LETTER:
        return None
    if (event.subject_type, event.subject_id) != (report.SUBJECT_TYPE, report.id):
        return None
    return event
