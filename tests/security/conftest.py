"""A small world of real objects, and a logged-in client per role."""

from dataclasses import dataclass
from io import BytesIO

import pytest

from tests.factories import (
    create_api_key,
    create_booking,
    create_outbox_message,
    create_response_template,
    create_session,
    create_training_request,
    create_user,
)
from tests.hazards.conftest import hazard_dir, photo_store  # noqa: F401  (fixtures)
from tests.hazards.images import jpeg_bytes
from tests.pages import ClientRequest
from webapp.extensions import db
from webapp.hazards.following import stop_token
from webapp.hazards.letters import LetterDetails, keep_letter
from webapp.hazards.services import ReportDraft, Upload, submit_report
from webapp.staff.access import PUBLIC_STAFF_ENDPOINTS
from webapp.staff.roles import Role

# Names the objects carry, so that a page showing one can be recognised.
BOOKING_NAME = "欧阳秘密"
COMPANY_NAME = "秘密运输有限公司"
REPORTER_NAME = "司马举报人"


@dataclass
class World:
    users: dict
    booking: object
    session: object
    training: object
    template: object
    message: object
    hazard: object
    api_key: object
    letter: object = None

    def url_values(self) -> dict:
        """A real object for every integer argument of a staff URL."""
        return {
            "user_id": self.users[Role.HAZARD_OFFICER].id,
            "booking_id": self.booking.id,
            "session_id": self.session.id,
            "request_id": self.training.id,
            "template_id": self.template.id,
            "message_id": self.message.id,
            "reference": self.hazard.reference,
            "position": self.hazard.photos[0].position,
            "service": "motorcycle_exam",
            "section": "knowledge",
            "slug": "no-such-article",
            "filename": "css/site.css",
            "key_id": self.api_key.id,
            "event_id": self.letter.id,
            "service_request_id": self.hazard.reference,
            "service_code": "guardrail",
            "resource": "services",
            "anything": "no-such-resource",
            "token": stop_token(report=self.hazard),
            "package": "leaflet",
            "version": "1.9.3",
        }


@pytest.fixture
def world(app_context) -> World:
    users = {role: create_user(roles=(role,)) for role in Role}
    session = create_session()
    world = World(
        users=users,
        booking=create_booking(session=session, full_name=BOOKING_NAME),
        session=session,
        training=create_training_request(company_name=COMPANY_NAME),
        template=create_response_template(),
        message=create_outbox_message(),
        hazard=create_report_with_photo(reporter_name=REPORTER_NAME),
        api_key=create_api_key()[0],
    )
    world.letter = keep_letter(
        world.hazard,
        LetterDetails(
            deadline_days=10,
            contact_name="王警官",
            contact_unit="交警一大队",
            contact_phone="0353-122",
        ),
        actor=users[Role.HAZARD_OFFICER],
    )
    db.session.commit()
    return world


def create_report_with_photo(**fields):
    """A hazard report saved as a resident's would be, with one real photo."""
    draft = ReportDraft(
        category="guardrail",
        location=fields.pop("location", "北大街邮局门前"),
        description=fields.pop("description", "护栏被车撞断，断口朝向人行道，很危险。"),
        reporter_phone="13800138000",
        **fields,
    )
    return submit_report(draft, uploads=[Upload(BytesIO(jpeg_bytes()), "road.jpg")])


@pytest.fixture
def client_for(app, world):
    """A new test client logged in as this world's user of `role`."""

    def make(role):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = world.users[role].get_id()
            session["_fresh"] = True
        db.session.commit()
        return client

    return make


def build_url(rule, values: dict) -> str:
    return rule.build({name: values[name] for name in rule.arguments})[1]


def staff_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff/") and rule.endpoint not in PUBLIC_STAFF_ENDPOINTS
    ]


def may_open(app, rule, role) -> bool:
    roles = app.view_functions[rule.endpoint].required_roles
    return role == Role.ADMIN or not roles or role in roles


def csrf_token(app, client) -> str:
    return ClientRequest(app, client).csrf_token()
