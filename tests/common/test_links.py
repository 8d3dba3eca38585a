"""Links in text messages: the site's address as residents reach it."""

from webapp.common.links import absolute_url


def test_a_link_made_while_answering_a_request_uses_its_address(app):
    with app.test_request_context("/staff/", base_url="https://jj.example.cn/portal"):
        assert absolute_url("hazards.report_detail", reference="H1") == (
            "https://jj.example.cn/portal/hazards/H1"
        )


def test_site_url_wins_over_the_request_and_serves_commands(app, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://www.example.gov.cn/")
    with app.test_request_context("/", base_url="http://127.0.0.1:8000"):
        assert absolute_url("hazards.report_detail", reference="H1") == (
            "https://www.example.gov.cn/hazards/H1"
        )
    with app.app_context():
        assert absolute_url("hazards.stop_texts", token="t.s") == (
            "https://www.example.gov.cn/hazards/stop/t.s"
        )


def test_a_command_without_site_url_links_to_localhost(app):
    with app.app_context():
        assert absolute_url("hazards.report_detail", reference="H1") == (
            "http://localhost/hazards/H1"
        )
