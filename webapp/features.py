"""What a feature package adds to the app, declared once in its `register(app)`."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import click
from flask import Blueprint, Flask

if TYPE_CHECKING:
    from webapp.staff.inbox import InboxSource

# Tasks that the scheduler runs every few minutes, by name: (function, minutes between runs).
# Each function is called inside an app context and opens its own transaction.
PERIODIC_TASKS: dict[str, tuple[Callable[[], object], int]] = {}


def register_feature(
    app: Flask,
    *,
    blueprints: Iterable[tuple[Blueprint, str | None]],
    commands: Iterable[click.Command] = (),
    inbox: "InboxSource | None" = None,
    anonymisers: Iterable[tuple[str, Callable]] = (),
    reminders: tuple[str, Callable] | None = None,
    live_figures: Iterable[Callable] = (),
    demo_loaders: Iterable[tuple[int, str, Callable]] = (),
    periodic: Iterable[tuple[str, Callable[[], object], int]] = (),
) -> None:
    """Add a package's blueprints (each with its URL prefix), its commands, its inbox
    source, its anonymisers and reminder provider (each by name), its live figures for the home
    page, its demo loaders (order, name, loader) and its periodic tasks (name, function,
    minutes between runs)."""
    # The registries belong to packages that import this module while they load.
    from webapp.demo import register_demo_loader
    from webapp.education.figures import register_live_figure
    from webapp.notifications.reminders import REMINDER_PROVIDERS
    from webapp.notifications.retention import ANONYMISERS
    from webapp.staff.inbox import register_source

    for blueprint, url_prefix in blueprints:
        app.register_blueprint(blueprint, url_prefix=url_prefix)
    for command in commands:
        app.cli.add_command(command)
    if inbox is not None:
        register_source(inbox)
    for name, function in anonymisers:
        ANONYMISERS[name] = function
    if reminders is not None:
        name, provider = reminders
        REMINDER_PROVIDERS[name] = provider
    for figure in live_figures:
        register_live_figure(app, figure)
    for loader in demo_loaders:
        register_demo_loader(*loader)
    for name, function, minutes in periodic:
        PERIODIC_TASKS[name] = (function, minutes)
