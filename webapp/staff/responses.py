"""Response templates: bilingual public messages admins keep per type and state.

A feature's state-change form offers `templates_for(subject_type, state)`.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.common.audit import record_audit
from webapp.extensions import db
from webapp.staff.inbox import all_sources
from webapp.staff.models import ResponseTemplate
from webapp.staff.services import AccountError
from webapp.transactions import transactional

# The kinds of submission (GLOSSARY.md codes); registered inbox sources add theirs.
SUBJECT_TYPES = {
    "hazard": _l("Road hazard report"),
    "booking": _l("Appointment"),
    "training": _l("Training request"),
}


class TemplateError(AccountError):
    pass


def subject_type_choices() -> list[tuple[str, str]]:
    labels = dict(SUBJECT_TYPES)
    labels.update({source.type: source.label for source in all_sources()})
    return [(code, str(label)) for code, label in labels.items()]


def templates_for(subject_type: str, state: str) -> list[ResponseTemplate]:
    """The templates for a move into `state` of this kind of submission, by title."""
    return list(db.session.scalars(ResponseTemplate.for_state(subject_type, state)))


def template_choices(subject_type: str, state: str, *, language: str) -> list[tuple[str, str]]:
    """(message, title) pairs for a state-change form's select: the value is the text itself."""
    return [
        (template.body_for(language), template.title)
        for template in templates_for(subject_type, state)
    ]


def list_templates() -> list[ResponseTemplate]:
    return list(db.session.scalars(ResponseTemplate.listed()))


def get_template(template_id: int) -> ResponseTemplate | None:
    return db.session.get(ResponseTemplate, template_id)


@transactional
def save_template(
    template: ResponseTemplate | None,
    *,
    subject_type: str,
    state: str,
    title: str,
    body_zh: str,
    body_en: str,
    actor,
    ip: str,
) -> ResponseTemplate:
    """Create or update a template; titles are unique per type and state."""
    clash = db.session.scalar(
        select(ResponseTemplate).where(
            ResponseTemplate.subject_type == subject_type,
            ResponseTemplate.state == state,
            ResponseTemplate.title == title,
        )
    )
    if clash is not None and clash is not template:
        raise TemplateError(_l("A template with this title already exists for this state."))
    if template is None:
        template = ResponseTemplate()
        db.session.add(template)
    template.subject_type, template.state, template.title = subject_type, state, title
    template.body_zh, template.body_en = body_zh, body_en
    db.session.flush()
    record_audit(
        "template.save", actor=actor, target=f"template:{template.id}", ip=ip, detail=title
    )
    return template


@transactional
def delete_template(template: ResponseTemplate, *, actor, ip: str) -> None:
    record_audit(
        "template.delete",
        actor=actor,
        target=f"template:{template.id}",
        ip=ip,
        detail=template.title,
    )
    db.session.delete(template)
