"""Finding a report again by its reference: the box, the site search, no oracle."""

import pytest

from tests.factories import create_hazard_report
from tests.pages import text_of


@pytest.fixture
def report(app_context):
    return create_hazard_report(reference="H20261203-7KQ2XM")


@pytest.mark.parametrize(
    "typed",
    [
        "H20261203-7KQ2XM",
        " h20261203-7kq2xm ",
        "h2026 1203-7KQ 2XM",
        "ｈ２０２６１２０３－７ＫＱ２ＸＭ",
    ],
)
def test_the_box_opens_the_report_whatever_the_case_and_spacing(client, report, typed):
    response = client.get("/hazards/find", query_string={"reference": typed})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/hazards/H20261203-7KQ2XM")


def test_the_box_is_on_the_list_of_reports_and_on_the_home_page(client_request):
    for url in ("/hazards/", "/"):
        form = client_request.get(url).select_one("form.find-box")
        assert form["action"].endswith("/hazards/find") and form["method"] == "get"
        assert form.select_one("input[name=reference]")


def test_a_private_report_gets_the_same_answer_as_one_that_never_existed(
    client, client_request, app_context
):
    create_hazard_report(reference="H20261203-PRVT23", is_private=True)
    private = client.get("/hazards/find?reference=H20261203-PRVT23")
    unknown = client.get("/hazards/find?reference=H20261203-NQNE23")
    assert private.status_code == unknown.status_code == 404
    # The same page, but for the reference typed.
    private_html = private.get_data(as_text=True).replace("PRVT23", "XXXX")
    unknown_html = unknown.get_data(as_text=True).replace("NQNE23", "XXXX")
    assert private_html == unknown_html
    page = client_request.get(
        "/hazards/find?reference=H20261203-NQNE23&lang=en", expected_status=404
    )
    assert "We found no public report with the reference H20261203-NQNE23" in text_of(page)
    # Nor does the report's own address tell them apart.
    assert client.get("/hazards/H20261203-PRVT23").status_code == 404


def test_an_empty_box_asks_for_the_reference(client_request):
    page = client_request.get("/hazards/find?reference=+&lang=en")
    assert "Enter the report reference." in text_of(page)
    assert client_request.get("/hazards/find")


def test_the_look_up_is_rate_limited_per_address(app, client, report):
    limit = int(app.config["LOOKUP_RATE_LIMIT"].split()[0])
    one = {"REMOTE_ADDR": "198.51.100.7"}
    for _ in range(limit):
        answer = client.get("/hazards/find?reference=H20261203-NQNE23", environ_base=one)
        assert answer.status_code == 404
    assert client.get("/hazards/find?reference=x", environ_base=one).status_code == 429
    other = client.get(
        "/hazards/find?reference=H20261203-7KQ2XM", environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert other.status_code == 303


@pytest.mark.parametrize("query", ["h20261203-7kq2xm", " H20261203 7KQ2XM ", "H202612037KQ2XM"])
def test_the_site_search_sends_a_reference_to_the_look_up(client, report, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/hazards/find?reference=H20261203-7KQ2XM")
    opened = client.get(response.headers["Location"])
    assert opened.headers["Location"].endswith("/hazards/H20261203-7KQ2XM")


@pytest.mark.parametrize(
    "query", ["头盔", "A20261203-7KQ2XM", "H2026 road", "helmet H20261203-7KQ2XM"]
)
def test_other_queries_are_searched_as_words(client, query):
    assert client.get("/search", query_string={"q": query}).status_code == 200
