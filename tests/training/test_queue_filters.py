"""The training queue filters through the unified inbox's helper: the same filters give
the same rows on the queue, in its CSV export and in the inbox filtered to training."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from tests.factories import create_training_request
from webapp.common.clock import local_today, utcnow
from webapp.staff.roles import Role
from webapp.training.states import TrainingState as S

# The queue's field names and the inbox's, for the same filter.
INBOX_NAME = {"state": "state", "industry": "category", "received_from": "date_from"}
INBOX_NAME["received_to"] = "date_to"


def _day(days_ago: int) -> str:
    return (local_today() - timedelta(days=days_ago)).isoformat()


FILTERS = [
    {},
    {"state": "reviewing"},
    {"state": "declined"},
    {"industry": "food_delivery"},
    {"received_from": _day(12)},
    {"received_to": _day(12)},
    {"received_from": _day(25), "received_to": _day(5), "industry": "school_transport"},
    {"state": "submitted", "industry": "food_delivery", "received_from": _day(40)},
]


@pytest.fixture
def requests_of_many_kinds(app_context):
    kinds = [
        (S.SUBMITTED, "food_delivery", 40),
        (S.REVIEWING, "school_transport", 30),
        (S.DECLINED, "food_delivery", 20),
        (S.SUBMITTED, "school_transport", 15),
        (S.REVIEWING, "food_delivery", 10),
        (S.SUBMITTED, "food_delivery", 2),
        (S.WITHDRAWN, "school_transport", 1),
    ]
    return [
        create_training_request(
            state=state, industry=industry, created_at=utcnow() - timedelta(days=days)
        )
        for state, industry, days in kinds
    ]


def _references(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select("tbody td a[href*='/training/']")]


def _exported(client, query: str) -> list[str]:
    body = client.get(f"/staff/training/export.csv?{query}").get_data().decode("utf-8-sig")
    _statement, header, *rows = csv.reader(io.StringIO(body))
    return [row[header.index("reference")] for row in rows]


@pytest.mark.parametrize("chosen", FILTERS, ids=lambda chosen: urlencode(chosen) or "none")
def test_the_queue_its_export_and_the_inbox_show_the_same_requests_for_the_same_filters(
    client, client_request, login_as, requests_of_many_kinds, chosen
):
    login_as(Role.EDUCATION_OFFICER)
    in_inbox = {"type": "training", "state": "all"}
    in_inbox.update({INBOX_NAME[name]: value for name, value in chosen.items()})
    queue = _references(client_request.get(f"/staff/training/?{urlencode(chosen)}"))
    inbox = _references(client_request.get(f"/staff/?{urlencode(in_inbox)}"))
    assert queue and queue == inbox
    assert _exported(client, urlencode(chosen)) == queue


def test_the_queue_shows_every_state_oldest_first_when_no_filter_is_chosen(
    client_request, login_as, requests_of_many_kinds
):
    login_as(Role.EDUCATION_OFFICER)
    queue = _references(client_request.get("/staff/training/"))
    assert queue == [training.reference for training in requests_of_many_kinds]
