"""What several training tests post and check."""

from datetime import timedelta

from tests.factories import make_credit_code
from tests.pages import text_of
from webapp.common.clock import local_today

VALID_CODE = make_credit_code("91140300MA0K1234X")


def request_form(**overrides) -> dict:
    """A complete, valid request as the form posts it (lists for repeated keys)."""
    today = local_today()
    data = {
        "company_name": "顺达客运有限公司",
        "credit_code": VALID_CODE,
        "industry": "passenger_transport",
        "contact_name": "王安全",
        "contact_phone": "138 0013 8000",
        "contact_email": "",
        "audience_size": "60",
        "topics": ["fatigue_long_haul", "passenger_hazmat"],
        "preferred_dates": [(today + timedelta(days=14)).isoformat(), ""],
        "venue": "on_site",
        "address": "运城市盐湖区解放路8号",
        "notes": "",
    }
    data.update(overrides)
    return data


def error_messages(page) -> str:
    summary = page.find(class_="error-summary")
    assert summary is not None, "no error summary: " + text_of(page)[:300]
    return text_of(summary)
