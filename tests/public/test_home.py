"""The home page with the real content of content/."""


def test_the_home_page_shows_the_first_twelve_report_figures(client_request):
    numbers = client_request.get("/").select_one("#numbers-title").find_parent("section")
    shown = numbers.select(".figures li:not(.live-figure)")
    assert len(shown) == 12
    assert shown[0].strong.get_text() == "10,970"


def test_the_home_page_leads_to_the_four_services(client_request):
    page = client_request.get("/?lang=en")
    services = page.select_one("#services-title").find_parent("section")
    links = {a["href"] for a in services.select("a")}
    assert {"/hazards/new", "/training/new", "/appointments/"} <= links
