"""Fail when a domain module's line coverage is below the floor (run after the test suite).

The domain modules are the shared pieces (webapp/common) and each feature's services,
states, rules and models. A domain module that the suite never imported counts as 0 %.
Reads the `.coverage` data file that `pytest --cov=webapp` wrote in the project root.
"""

import sys
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent
FLOOR = 90.0
DOMAIN_MODULES = (
    "webapp/common/*.py",
    "webapp/*/services.py",
    "webapp/*/staff_services.py",
    "webapp/*/states.py",
    "webapp/*/rules.py",
    "webapp/*/models.py",
)


def domain_modules() -> list[Path]:
    return sorted({path for pattern in DOMAIN_MODULES for path in ROOT.glob(pattern)})


def line_coverage(cov: coverage.Coverage, path: Path) -> float | None:
    _name, statements, _excluded, missing, _text = cov.analysis2(str(path))
    if not statements:
        return None
    return 100.0 * (len(statements) - len(missing)) / len(statements)


def main() -> int:
    data_file = ROOT / ".coverage"
    if not data_file.exists():
        print(f"No coverage data in {data_file.name}: run the whole test suite first.")
        return 1
    cov = coverage.Coverage(data_file=str(data_file))
    cov.load()
    modules = domain_modules()
    below = []
    for path in modules:
        percent = line_coverage(cov, path)
        if percent is not None and percent < FLOOR:
            below.append((path.relative_to(ROOT), percent))
    if below:
        print(f"Domain modules below {FLOOR:.0f} % line coverage:")
        for name, percent in below:
            print(f"  {name}: {percent:.1f} %")
        return 1
    print(f"Domain modules: all {len(modules)} at or above {FLOOR:.0f} % line coverage.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
