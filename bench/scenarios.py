"""The benchmark's scenarios. Each feature adds its own here.

`target` is the minimum ratio of the scenario's requests per second to the
minimal Flask baseline's, measured in the same run. A scenario with `scales`
is run once per database size (filled by `seed`, a function in seed.py), and
its latency at the largest size is compared with that at the smallest. A
scenario with `login` first logs each wrk thread in to the back office as the
staff user bench/run creates (BENCH_STAFF_ROLE, a hazard officer by default).

The scenarios after SCENARIOS are checks bench/run drives itself: photo uploads
(multipart, which wrk cannot send: bench/clients.py sends them), a look-up brute
force from one client address, and the workers' memory across many requests.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    method: str = "GET"
    form_path: str | None = None  # POST scenarios: GET this first for the CSRF token
    body_fields: dict = field(default_factory=dict)
    target: float | None = None
    seed: str | None = None
    scales: tuple[int, ...] = ()
    connections: int = 20
    duration: int = 10
    min_duration: int = 0  # at least this many seconds, even with --duration (slow requests)
    login: bool = False  # log in as the bench staff user (see bench/run) before the requests
    # Send a reader's session cookie (one who chose a language): the page is made afresh
    # for every request, never taken from the public page cache (webapp/page_cache.py).
    visitor: bool = False
    max_rss_growth_mib: int | None = None  # a worker's peak RSS may exceed its start by less
    paths: tuple[str, ...] = ()  # several pages, requested in turn (instead of `path`)
    requests: int = 0  # this many requests (Python clients), not wrk for `duration`
    photos: int = 0  # multipart, with this many photos of PHOTO_BYTES each


# Photo uploads: each photo a JPEG of about this size (within 5 %).
PHOTO_BYTES = 4 * 1024 * 1024
# Memory is stable when a worker's RSS grows by less than this share.
STABLE_RSS_GROWTH = 0.20


# A valid training request (credit code with its check character; a date two weeks ahead).
TRAINING_REQUEST = {
    "company_name": "通达物流有限公司",
    "credit_code": "91140300MA0K777706",
    "industry": "freight_logistics",
    "contact_name": "刘安全",
    "contact_phone": "13903531234",
    "audience_size": "80",
    "topics": "truck_blind_spots",
    "preferred_dates": (date.today() + timedelta(days=14)).isoformat(),
    "venue": "brigade",
}

HAZARD_REPORT = {
    "category": "guardrail",
    "location": "北大街邮局门前",
    "description": "护栏被车撞断，断口朝向人行道，很危险。",
    "reporter_phone": "138 0013 8000",
    "consent": "y",
}

SCENARIOS = [
    Scenario("GET / (home)", "/", target=0.50),
    Scenario("GET /healthz", "/healthz"),
    Scenario("GET /training/new (request form)", "/training/new", target=0.10),
    Scenario("GET /training/manage (look-up form)", "/training/manage", target=0.20),
    Scenario(
        "POST /training/new (submit a request)",
        "/training/new",
        method="POST",
        body_fields=TRAINING_REQUEST,
    ),
    Scenario("GET /campaigns/ (list)", "/campaigns/", target=0.50),
    Scenario("GET /campaigns/helmet-campaign (detail)", "/campaigns/helmet-campaign", target=0.50),
    Scenario("GET /search?q=酒驾", "/search?q=%E9%85%92%E9%A9%BE", target=0.25),
    Scenario(
        "GET /appointments/motorcycle_exam/ (sessions)",
        "/appointments/motorcycle_exam/",
        target=0.40,
        seed="appointment_sessions",
    ),
    # The same applicant confirms again and again: the first request books a seat,
    # every later one runs the whole check and is told the ID number has a booking.
    Scenario(
        "POST /appointments/motorcycle_exam/ (booking)",
        "/appointments/motorcycle_exam/",
        method="POST",
        form_path="/appointments/motorcycle_exam/?session_id=1",
        body_fields={
            "session_id": "1",
            "full_name": "张伟",
            "id_number": "110105199001010010",
            "phone": "13800138000",
            "subject": "2",
            "licence_class": "E",
            "confirm": "1",
        },
        seed="appointment_sessions",
    ),
    # The same public pages for a reader with a session: no kept page, the whole view runs.
    Scenario("GET / (home, reader with a session)", "/", visitor=True),
    Scenario("GET /campaigns/ (list, reader with a session)", "/campaigns/", visitor=True),
    Scenario(
        "GET /campaigns/helmet-campaign (detail, reader with a session)",
        "/campaigns/helmet-campaign",
        visitor=True,
    ),
    Scenario(
        "GET /search?q=酒驾 (reader with a session)", "/search?q=%E9%85%92%E9%A9%BE", visitor=True
    ),
    Scenario(
        "GET /appointments/motorcycle_exam/ (sessions, reader with a session)",
        "/appointments/motorcycle_exam/",
        seed="appointment_sessions",
        visitor=True,
    ),
    # A service whose every session is full, with nobody waiting and with 1,000 waiting:
    # the booking page must not slow down with the length of the line.
    Scenario(
        "GET /appointments/motorcycle_exam/ (sessions, full, people waiting)",
        "/appointments/motorcycle_exam/",
        seed="waiting_list",
        scales=(0, 1_000),
        visitor=True,
    ),
    Scenario(
        "GET /hazards/ (public list)",
        "/hazards/",
        target=0.25,
        seed="hazard_reports",
        scales=(1_000, 100_000),
    ),
    # The public map's data for a city-sized box (about 13 by 13 km of the seeded area).
    Scenario(
        "GET /hazards.geojson (city bbox)",
        "/hazards.geojson?bbox=113.50,37.80,113.65,37.92",
        target=0.25,
        seed="hazard_reports",
        scales=(1_000, 100_000),
    ),
    Scenario(
        "GET /hazards.geojson (city bbox, reader with a session)",
        "/hazards.geojson?bbox=113.50,37.80,113.65,37.92",
        seed="hazard_reports",
        scales=(1_000, 100_000),
        visitor=True,
    ),
    Scenario(
        "POST /hazards/new (no photos)",
        "/hazards/new",
        method="POST",
        form_path="/hazards/new?danger=no",
        body_fields=HAZARD_REPORT,
    ),
    Scenario(
        "GET /staff/ (inbox, hazard officer)",
        "/staff/",
        seed="hazard_reports",
        scales=(1_000, 100_000),
        login=True,
    ),
    # The whole queue (every state) as CSV, streamed: the worker's memory must stay flat.
    Scenario(
        "GET /staff/inbox.csv?state=all (export)",
        "/staff/inbox.csv?state=all",
        seed="hazard_reports",
        scales=(100_000,),
        login=True,
        connections=1,
        min_duration=60,
        max_rss_growth_mib=100,
    ),
    Scenario(
        "GET /open311/v2/requests.json (newest 50)",
        "/open311/v2/requests.json",
        target=0.15,
        seed="hazard_reports",
        scales=(1_000, 100_000),
    ),
    Scenario(
        "GET /open311/v2/requests.json (open, one service, since a date)",
        "/open311/v2/requests.json?status=open&service_code=signal"
        "&start_date=2025-01-01T00:00:00%2B08:00",
        target=0.15,
        seed="hazard_reports",
        scales=(1_000, 100_000),
    ),
]

# Ten residents send reports with three 4 MiB photos each, for two minutes; afterwards
# every stored file must belong to a photo row and every row's files must exist.
PHOTO_UPLOADS = Scenario(
    "POST /hazards/new with 3 photos of 4 MiB (upload, 10 clients)",
    "/hazards/new",
    method="POST",
    form_path="/hazards/new?danger=no",
    body_fields=HAZARD_REPORT,
    photos=3,
    connections=10,
    duration=120,
)

# Wrong look-ups from one client address, more than the limit allows, then from a
# second address; the server reads the address from X-Forwarded-For, as behind a proxy.
LOOKUP_BRUTE_FORCE = Scenario(
    "POST /appointments/manage, wrong look-ups (brute force)",
    "/appointments/manage",
    method="POST",
    body_fields={"reference": "A20260101-BENCH9", "id_number": "110105199001010010"},
)

# The public pages in turn: a worker's RSS across them must stay flat.
PUBLIC_PAGES_MEMORY = Scenario(
    "GET public pages in turn (memory over 10,000 requests)",
    "/",
    paths=(
        "/",
        "/campaigns/",
        "/campaigns/helmet-campaign",
        "/search?q=%E9%85%92%E9%A9%BE",
        "/appointments/motorcycle_exam/",
        "/hazards/",
    ),
    requests=10_000,
    connections=4,
    seed="appointment_sessions",
)
