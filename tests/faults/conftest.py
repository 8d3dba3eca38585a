"""The hazard tests' upload directory fixture, for the photo fault tests."""

from tests.hazards.conftest import hazard_dir  # noqa: F401
