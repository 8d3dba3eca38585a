"""The benchmark's scenarios. Each feature adds its own here.

`target` is the minimum ratio of the scenario's requests per second to the
minimal Flask baseline's, measured in the same run. A scenario with `scales`
is run once per database size (filled by `seed`, a function in seed.py), and
its latency at the largest size is compared with that at the smallest.
"""

from dataclasses import dataclass, field


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


SCENARIOS = [
    Scenario("GET / (home)", "/", target=0.50),
    Scenario("GET /healthz", "/healthz"),
    Scenario(
        "GET /hazards/ (public list)",
        "/hazards/",
        target=0.25,
        seed="hazard_reports",
        scales=(1_000, 100_000),
    ),
    Scenario(
        "POST /hazards/new (no photos)",
        "/hazards/new",
        method="POST",
        form_path="/hazards/new?danger=no",
        body_fields={
            "category": "guardrail",
            "location": "北大街邮局门前",
            "description": "护栏被车撞断，断口朝向人行道，很危险。",
            "reporter_phone": "138 0013 8000",
            "consent": "y",
        },
        target=0.10,
    ),
]
