"""The files under deploy/ agree with the code: every setting is in the environment
example, and nginx's body limit sits a little above the app's."""

import ast
import re
from pathlib import Path

from tests.multihost.site import ENV_EXAMPLE, NGINX_SITE, example_settings
from webapp import config
from webapp.config import Config

SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")


def _settings_read_by_config() -> set[str]:
    """Every environment variable that webapp/config.py reads (each an UPPER_CASE string)."""
    tree = ast.parse(Path(config.__file__).read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SETTING_NAME.match(node.value)
    }


def test_the_environment_example_shows_every_setting_of_the_configuration():
    shown = set(example_settings(commented=True))
    read = _settings_read_by_config()
    assert {"SECRET_KEY", "DATABASE_URL", "PHOTO_STORAGE", "AREA_EAST"} <= read
    assert read - shown == set(), f"add these to {ENV_EXAMPLE.name}"


def test_the_environment_example_sets_what_several_hosts_need():
    settings = example_settings()
    assert settings["APP_ENV"] == "production"
    assert settings["PROXY_COUNT"] == "1"  # one nginx in front
    assert settings["SESSION_COOKIE_SECURE"] == "true"
    assert settings["PHOTO_STORAGE"] == "s3"
    assert settings["RATELIMIT_STORAGE_URI"].startswith("redis://")


def test_nginx_limits_bodies_a_little_above_max_content_length():
    site = NGINX_SITE.read_text(encoding="utf-8")
    [megabytes] = re.findall(r"^\s*client_max_body_size (\d+)m;", site, flags=re.MULTILINE)
    limit = int(megabytes) * 1024 * 1024
    assert Config.MAX_CONTENT_LENGTH < limit <= Config.MAX_CONTENT_LENGTH + 2 * 1024 * 1024
