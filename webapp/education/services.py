"""The education site's queries: the content library loaded at start-up, and its uses."""

from flask import current_app
from flask.blueprints import BlueprintSetupState

from webapp.common.clock import local_today
from webapp.education.figures import live_figures
from webapp.education.library import Library
from webapp.education.loader import load_library
from webapp.education.schema import ContentError

EXTENSION = "education"
HOME_ARTICLES = 3
# figures-YYYY.yaml lists its figures by interest; the home page shows the first ones.
HOME_FIGURES = 12


def load_content(state: BlueprintSetupState) -> None:
    """Load CONTENT_DIR into the app once; a faulty file stops start-up, naming file and field."""
    app = state.app
    try:
        app.extensions[EXTENSION] = load_library(
            app.config["CONTENT_DIR"], languages=tuple(app.config["LANGUAGES"]), today=local_today()
        )
    except ContentError as error:
        raise SystemExit(f"Content error: {error}") from error


def library() -> Library:
    return current_app.extensions[EXTENSION]


def home_page_sections(lang: str) -> dict:
    """What the home page shows beside the services: newest articles and the numbers."""
    content = library()
    figures = content.figures
    return {
        "campaigns": content.latest(lang, "campaigns", HOME_ARTICLES),
        "exposures": content.latest(lang, "exposures", HOME_ARTICLES),
        "year_in_numbers": figures,
        "report_figures": figures.in_language(lang)[:HOME_FIGURES] if figures else (),
        "live_figures": live_figures(),
    }
