"""The public look-ups never show another submission's data."""

from tests.factories import create_booking, create_training_request, make_credit_code
from tests.security.conftest import BOOKING_NAME, COMPANY_NAME, csrf_token
from webapp.extensions import db


def test_a_booking_reference_with_another_bookings_id_number_shows_nothing(app, client, world):
    other = create_booking(full_name="李四")
    db.session.commit()
    response = client.post(
        "/appointments/manage",
        data={
            "reference": world.booking.reference,
            "id_number": other.id_number,
            "csrf_token": csrf_token(app, client),
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert BOOKING_NAME not in body
    assert client.get("/appointments/manage/booking").status_code == 302


def test_a_training_reference_with_another_companys_credit_code_shows_nothing(app, client, world):
    other_code = make_credit_code("91140300MA0K9999")
    create_training_request(company_name="别家公司", credit_code=other_code)
    db.session.commit()
    response = client.post(
        "/training/manage",
        data={
            "reference": world.training.reference,
            "credit_code": other_code,
            "csrf_token": csrf_token(app, client),
        },
    )
    assert response.status_code == 200
    assert COMPANY_NAME not in response.get_data(as_text=True)


def test_a_visitor_who_booked_nothing_sees_no_booking_page(client, world):
    assert client.get("/appointments/confirmation").status_code == 404
    assert client.get("/appointments/confirmation.ics").status_code == 404
    assert client.get("/appointments/manage/booking").status_code == 302
    assert client.get("/appointments/manage/move").status_code == 404
    for url in ("/training/manage", f"/training/manage?reference={world.training.reference}"):
        body = client.get(url).get_data(as_text=True)
        assert COMPANY_NAME not in body and BOOKING_NAME not in body


def test_a_found_booking_stays_with_the_visitor_who_looked_it_up(app, client, world):
    client.post(
        "/appointments/manage",
        data={
            "reference": world.booking.reference,
            "id_number": world.booking.id_number,
            "csrf_token": csrf_token(app, client),
        },
    )
    reference = world.booking.reference
    assert reference in client.get("/appointments/manage/booking").get_data(as_text=True)
    stranger = app.test_client()
    assert stranger.get("/appointments/manage/booking").status_code == 302
