"""Demo data: each feature registers a loader in its `register(app)`; `flask demo load`
runs them in order.

A loader adds its data only when its part of the database is empty, so that
running the command twice adds nothing the second time.
"""

from collections.abc import Callable

DemoLoader = Callable[[], str | None]
_LOADERS: dict[str, tuple[int, DemoLoader]] = {}


def register_demo_loader(order: int, name: str, loader: DemoLoader) -> None:
    """Run `loader` as the demo data called `name`, after the loaders of lower `order`."""
    _LOADERS[name] = (order, loader)


def run_demo_loaders() -> list[tuple[str, str]]:
    """Run every registered loader; return (name, what it said) pairs."""
    ordered = sorted(_LOADERS.items(), key=lambda item: item[1][0])
    return [(name, loader() or "already present") for name, (_, loader) in ordered]
