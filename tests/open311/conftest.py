import pytest

from tests.factories import create_api_key
from tests.hazards.images import INSIDE

# The argument names of a GeoReport v2 request document (wiki.open311.org/GeoReport_v2).
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def api_token(app_context) -> str:
    return create_api_key()[1]


def post_data(token, **changes) -> dict:
    data = {
        "api_key": token,
        "service_code": "signal",
        "lat": str(INSIDE[0]),
        "long": str(INSIDE[1]),
        "address_string": "迎泽大街与新建路口",
        "description": "东西向信号灯全部熄灭，路口车辆混乱。",
        "first_name": "李",
        "last_name": "四",
        "phone": "13900139000",
        "email": "li@example.com",
        "media_url": "http://example.com/photo.jpg",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
