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
    nightly: Iterable[tuple[str, Callable[[], str]]] = (),
    state_listeners: Iterable[tuple[str, Callable]] = (),
) -> None:
    """Add a package's blueprints (each with its URL prefix), its commands, its inbox
    source, its anonymisers and reminder provider (each by name), its live figures for the home
    page, its demo loaders (order, name, loader), its periodic tasks (name, function,
    minutes between runs), its nightly clean-ups (name, function), run after retention, and
    what it does after a change of state (subject type, listener:
    `common.workflow.listen_to_state_changes`)."""
    # The registries belong to packages that import this module while they load.
    from webapp.common.workflow import listen_to_state_changes
    from webapp.demo import register_demo_loader
    from webapp.education.figures import register_live_figure
    from webapp.notifications.reminders import REMINDER_PROVIDERS
    from webapp.notifications.retention import ANONYMISERS, NIGHTLY_CLEAN_UPS
    from webapp.staff.inbox import register_source

    for blueprint, url_prefix in blueprints:
        app.register_blueprint(blueprint, url_prefix=url_prefix)
    for command in commands:
        app.cli.add_command(command)
    if inbox is not None:
        register_source(inbox)
    ANONYMISERS.update(anonymisers)
    REMINDER_PROVIDERS.update([reminders] if reminders is not None else [])
    for figure in live_figures:
        register_live_figure(app, figure)
    for loader in demo_loaders:
        register_demo_loader(*loader)
    PERIODIC_TASKS.update((name, (function, minutes)) for name, function, minutes in periodic)
    NIGHTLY_CLEAN_UPS.update(nightly)
    for subject_type, listener in state_listeners:
        listen_to_state_changes(subject_type, listener)
