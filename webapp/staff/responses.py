"""Response templates: bilingual public messages admins keep per type and state.

A feature's state-change form offers `replies_for(subject_type, state)`: both texts
of each, so that the officer sees both and the message is prefilled in the
language the submission was made in.
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Reply:
    """A public message in both languages, as a state-change form offers it."""

    title: str
    zh: str
    en: str

    def text_for(self, language: str) -> str:
        """The text in the language, Chinese when there is no English text."""
        return self.en if language == "en" and self.en else self.zh


def subject_type_choices() -> list[tuple[str, str]]:
    labels = dict(SUBJECT_TYPES)
    labels.update({source.type: source.label for source in all_sources()})
    return [(code, str(label)) for code, label in labels.items()]


def state_key(subject_type: str, state: str) -> str:
    """How the template form names a kind and one of its workflow's states: `hazard:closed`."""
    return f"{subject_type}:{state}"


def state_label(subject_type: str, state: str) -> str:
    """A template's state as its workflow labels it (the code when the kind is unknown)."""
    for source in all_sources():
        if source.type == subject_type:
            return source.label_of_state(state)
    return state


def state_choices() -> list[tuple[str, str]]:
    """The workflow states a template can be for, each named with its kind of submission."""
    return [
        (state_key(source.type, str(code)), f"{source.label} · {label}")
        for source in all_sources()
        for code, label in source.states
    ]


def templates_for(subject_type: str, state: str) -> list[ResponseTemplate]:
    """The templates for a move into `state` of this kind of submission, by title."""
    return list(db.session.scalars(ResponseTemplate.for_state(subject_type, state)))


def replies_for(subject_type: str, state: str) -> list[Reply]:
    """The administrators' templates for a move into `state`, with both texts."""
    return [
        Reply(title=template.title, zh=template.body_zh, en=template.body_en)
        for template in templates_for(subject_type, state)
    ]


def first_reply(subject_type: str, state: str) -> Reply | None:
    """The first template for a move into `state`, by title, if there is one."""
    replies = replies_for(subject_type, state)
    return replies[0] if replies else None


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
