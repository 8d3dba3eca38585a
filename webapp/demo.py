"""Demo data: each feature registers a loader; `flask demo load` runs them in order.

A loader adds its data only when its part of the database is empty, so that
running the command twice adds nothing the second time.
"""

from collections.abc import Callable

DemoLoader = Callable[[], str | None]
_LOADERS: list[tuple[int, str, DemoLoader]] = []


def demo_loader(order: int, name: str):
    def register(loader: DemoLoader) -> DemoLoader:
        _LOADERS.append((order, name, loader))
        return loader

    return register


def run_demo_loaders() -> list[tuple[str, str]]:
    """Run every registered loader; return (name, what it said) pairs."""
    return [(name, loader() or "already present") for _, name, loader in sorted(_LOADERS)]
