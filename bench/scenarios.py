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
]
