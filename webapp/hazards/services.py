"""What residents do with hazard reports: submit, look at, confirm, reopen."""

import logging
from dataclasses import asdict, dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload, load_only

from webapp.common.audit import record_audit, target_of
from webapp.common.clock import utcnow
from webapp.common.identifiers import mask_personal_data_in_text
from webapp.common.references import add_with_new_reference
from webapp.common.workflow import REOPEN, WorkflowEvent, change_state, record_event
from webapp.extensions import db
from webapp.hazards import photos as photo_files
from webapp.hazards.errors import PHOTOS_NOT_SAVED, OutsideArea, PhotosNotSaved, ReopenRefused
from webapp.hazards.geo import bounding_box, haversine_m, inside
from webapp.hazards.models import HazardPhoto, HazardReport
from webapp.hazards.photo_storage import PhotoStorage, photo_storage
from webapp.hazards.states import OPEN_STATES, HazardState
from webapp.notifications.messages import MessageKind
from webapp.notifications.services import queue_message
from webapp.transactions import transactional, when_committed

log = logging.getLogger(__name__)

REFERENCE_PREFIX = "H"
DUPLICATE_RADIUS_M = 150
PER_PAGE = 20
# What the public list shows: nothing more is read, so nothing personal can leak into it.
LIST_COLUMNS = (
    HazardReport.reference,
    HazardReport.category,
    HazardReport.location,
    HazardReport.state,
    HazardReport.created_at,
    HazardReport.confirmations,
)


@dataclass
class ReportDraft:
    category: str
    location: str
    description: str
    latitude: float | None = None
    longitude: float | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    submission_token: str | None = None
    location_from_photo: bool = False
    language: str = "zh"


@dataclass(frozen=True)
class Upload:
    stream: object
    filename: str


def area_bounds() -> tuple[float, float, float, float]:
    return tuple(current_app.config["AREA_BOUNDS"])


def outside_area_message():
    return _l(
        "These coordinates are outside our area. Check them, or leave them empty and describe the place."
    )


def find_by_token(token: str | None) -> HazardReport | None:
    if not token:
        return None
    return db.session.scalar(
        select(HazardReport)
        .where(HazardReport.submission_token == token)
        .options(lazyload(HazardReport.assignee), lazyload(HazardReport.duplicate_of))
    )


def submit_report(
    draft: ReportDraft, *, uploads: list[Upload], ip: str = "", actor_name: str = "resident"
) -> HazardReport:
    """Save a resident's report with its photos, or nothing at all.

    Each photo is checked, decoded and written (under a pending name) before the
    next is read, so that one decoded photo at most is held at a time; then the
    report's rows are saved in one transaction, joining the caller's if there is
    one. The files take their final names when that transaction commits, and
    are deleted when it does not: a worker killed before the commit leaves only
    pending files, which `flask photos sweep` removes. The same form sent twice
    (its one-time token, unique in the table) returns the first report.
    Raises PhotoRejected or OutsideArea.
    """
    stored: list[photo_files.StoredPhoto] = []
    try:
        gps = None
        for upload in uploads:
            photo = photo_files.prepare_photo(
                upload.stream, filename=upload.filename, max_pixels=_max_pixels()
            )
            if not stored:
                gps = photo.gps  # the first photo's position places the report
            stored.append(_store(photo))
            del photo  # let the decoded image go before the next one is read
        _place_report(draft, gps)
        report, saved = _save_report(draft, stored, ip=ip, actor_name=actor_name)
    except BaseException:
        _forget(stored)
        raise
    if not saved:
        _forget(stored)
    else:
        _publish_when_committed(stored)
    return report


@transactional
def _save_report(
    draft: ReportDraft, stored: list, *, ip: str, actor_name: str
) -> tuple[HazardReport, bool]:
    """The report's rows under a new reference, or the report this form already made
    (its token is taken): then False."""
    try:
        report = add_with_new_reference(
            lambda reference: _add_report(draft, stored, reference, ip=ip, actor_name=actor_name),
            prefix=REFERENCE_PREFIX,
            model=HazardReport,
        )
    except IntegrityError:  # the same form again: its token is taken
        report = find_by_token(draft.submission_token)
        if report is None:
            raise
        return report, False
    return report, True


def _max_pixels() -> int:
    return current_app.config.get("PHOTO_MAX_PIXELS", photo_files.DEFAULT_MAX_PIXELS)


def _add_report(
    draft: ReportDraft, stored: list, reference: str, *, ip: str, actor_name: str
) -> HazardReport:
    """The report, its photos, its first event, the audit row and the reporter's SMS."""
    now = utcnow()
    report = HazardReport(
        **asdict(draft)
        | {
            "submission_token": draft.submission_token or None,
            "reporter_name": draft.reporter_name or "",
            "reporter_phone": draft.reporter_phone or "",
        },
        reference=reference,
        state=HazardState.SUBMITTED,
        created_at=now,
        state_changed_at=now,
        photos=[
            HazardPhoto(position=position, **asdict(photo))
            for position, photo in enumerate(stored, start=1)
        ],
    )
    db.session.add(report)
    db.session.flush()
    record_event(report, to_state=HazardState.SUBMITTED)
    record_audit("hazard.submit", actor_name=actor_name, target=target_of(report), ip=ip)
    tell_reporter(report, MessageKind.RECEIVED)
    return report


def _store(photo: photo_files.PreparedPhoto) -> photo_files.StoredPhoto:
    """Write one photo's files under pending names; a failed write keeps nothing of it."""
    storage = photo_storage()
    try:
        return photo_files.store_photo(photo, storage)
    except OSError:
        log.exception("hazard photos could not be written to %s", storage.where)
        raise PhotosNotSaved(PHOTOS_NOT_SAVED) from None


def tell_reporter(report: HazardReport, kind: str, **context) -> None:
    """Queue an SMS to the reporter in their language (nothing when they gave no number)."""
    queue_message(
        kind=kind,
        channel="sms",
        recipient=report.reporter_phone,
        language=report.language,
        subject_type=report.SUBJECT_TYPE,
        subject_id=report.id,
        context={"reference": report.reference, **context},
    )


def _forget(stored: list[photo_files.StoredPhoto]) -> None:
    """Delete the pending files of a submission that is not saved: no file left behind."""
    if stored:
        try:
            photo_files.delete_pending(photo_storage(), stored)
        except OSError:  # the sweep removes them within the hour
            log.exception("pending hazard photos could not be deleted")


def _publish_when_committed(stored: list[photo_files.StoredPhoto]) -> None:
    """Give the files their final names once the report's unit of work has committed
    (at once if it was its own), or delete them if it ends without a commit."""
    if stored:
        storage = photo_storage()
        when_committed(
            lambda: _publish(storage, stored),
            otherwise=lambda: photo_files.delete_pending(storage, stored),
        )


def _publish(storage: PhotoStorage, stored: list[photo_files.StoredPhoto]) -> None:
    try:
        photo_files.publish(storage, stored)
    except OSError:  # the rows are saved: the sweep renames what is left pending
        log.exception("saved hazard photos could not be renamed in %s", storage.where)


def _place_report(draft: ReportDraft, gps: tuple[float, float] | None) -> None:
    """Typed coordinates must lie in the area; otherwise use the first photo's GPS."""
    bounds = area_bounds()
    if draft.latitude is not None and draft.longitude is not None:
        if not inside(bounds, draft.latitude, draft.longitude):
            raise OutsideArea(outside_area_message())
        # The form's script fills the fields from the photo's GPS: still the photo's place.
        typed = (round(draft.latitude, 6), round(draft.longitude, 6))
        draft.location_from_photo = bool(gps) and typed == (round(gps[0], 6), round(gps[1], 6))
        return
    if gps and inside(bounds, *gps):
        draft.latitude, draft.longitude = round(gps[0], 6), round(gps[1], 6)
        draft.location_from_photo = True


# --- Reading ---------------------------------------------------------------


def public_report(reference: str) -> HazardReport | None:
    return db.session.scalar(HazardReport.public().where(HazardReport.reference == reference))


def public_timeline(report: HazardReport) -> list[WorkflowEvent]:
    """The report's changes of state, without staff-only records (letters)."""
    events = db.session.scalars(WorkflowEvent.history_of(report.SUBJECT_TYPE, report.id))
    return [event for event in events if event.is_public]


@dataclass(frozen=True)
class ReportPage:
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def list_public_reports(*, state: str = "", category: str = "", number: int = 1) -> ReportPage:
    """Newest first, one page; no total count, so the cost does not grow with the table."""
    query = HazardReport.public().options(
        load_only(*LIST_COLUMNS, raiseload=True),
        lazyload(HazardReport.assignee),
        lazyload(HazardReport.duplicate_of),
    )
    if state:
        query = query.where(HazardReport.state == state)
    if category:
        query = query.where(HazardReport.category == category)
    query = query.order_by(HazardReport.created_at.desc(), HazardReport.id.desc())
    rows = list(db.session.scalars(query.offset((number - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    return ReportPage(items=rows[:PER_PAGE], number=number, has_next=len(rows) > PER_PAGE)


def nearby_open_reports(
    *, category: str, latitude: float, longitude: float, radius_m: float = DUPLICATE_RADIUS_M
) -> list[tuple[HazardReport, int]]:
    """Open public reports of this category within radius_m, nearest first, with metres."""
    south, west, north, east = bounding_box(latitude, longitude, radius_m)
    candidates = db.session.scalars(
        HazardReport.public()
        .where(
            HazardReport.category == category,
            HazardReport.state.in_(OPEN_STATES),
            HazardReport.latitude.between(south, north),
            HazardReport.longitude.between(west, east),
        )
        .limit(200)
    )
    found = []
    for report in candidates:
        distance = haversine_m(latitude, longitude, report.latitude, report.longitude)
        if distance <= radius_m:
            found.append((report, round(distance)))
    return sorted(found, key=lambda pair: pair[1])[:5]


def reports_received() -> int:
    return db.session.scalar(select(func.count(HazardReport.id))) or 0


def reports_closed() -> int:
    closed = select(func.count(HazardReport.id)).where(HazardReport.state == HazardState.CLOSED)
    return db.session.scalar(closed) or 0


def received_figure() -> tuple:
    """The home page's live count of road hazards reported."""
    return _l("road hazards reported"), reports_received()


def closed_figure() -> tuple:
    """The home page's live count of road hazards closed out."""
    return _l("road hazards closed out"), reports_closed()


def hazard_counts() -> dict[str, int]:
    """Live figures: reports received and reports closed out (排查—整改—销号)."""
    return {"received": reports_received(), "closed": reports_closed()}


# --- Residents acting on a report ------------------------------------------


@transactional
def confirm_report(report: HazardReport) -> None:
    """Count one more "I see this too"; the caller makes sure it is once per session."""
    db.session.execute(
        update(HazardReport)
        .where(HazardReport.id == report.id)
        .values(confirmations=HazardReport.confirmations + 1)
    )


GENERIC_REOPEN_REFUSAL = _l(
    "We found no closed report with this reference and phone number. Check both and try again."
)


@transactional
def reopen_by_reporter(*, reference: str, phone: str, message: str, ip: str = "") -> HazardReport:
    """The reporter says a closed hazard is still there: back to investigating.

    Only within REOPEN_DAYS of closing (SPEC.md §2); a wrong reference and
    phone pair gets the same answer as an unknown reference.
    """
    report = db.session.scalar(HazardReport.by_reference(reference))
    if report is None or not report.reporter_phone or report.reporter_phone != phone:
        raise ReopenRefused(GENERIC_REOPEN_REFUSAL)
    if not report.is_closed:
        raise ReopenRefused(_l("This report is not closed: the brigade is still handling it."))
    if not report.can_be_reopened(utcnow()):
        raise ReopenRefused(
            _l("This report was closed more than 30 days ago. Please send a new report.")
        )
    # The event's kind, not a prefix in the text, says who reopened it: its label is
    # translated when shown, in the reader's language.
    change_state(
        report,
        HazardState.INVESTIGATING,
        public_message=mask_personal_data_in_text(message),
        kind=REOPEN,
    )
    report.closed_at = None
    record_audit("hazard.reopen", actor_name="reporter", target=target_of(report), ip=ip)
    return report
