"""Leaflet's files, served by version so that browsers keep them for a year."""

from flask import abort, current_app, send_from_directory
from xstatic.pkg import leaflet, leaflet_markercluster

from webapp.common.maps import tile_source
from webapp.maps import bp

# name in the URL -> the package holding the files
PACKAGES = {"leaflet": leaflet, "markercluster": leaflet_markercluster}
ONE_YEAR = 365 * 24 * 3600


def package_version(name: str) -> str:
    return PACKAGES[name].VERSION.split()[0]


@bp.route("/<package>/<version>/<path:filename>")
def asset(package, version, filename):
    """A file of a package at its installed version; another version is not here."""
    if package not in PACKAGES or version != package_version(package):
        abort(404)
    answer = send_from_directory(PACKAGES[package].BASE_DIR, filename, max_age=ONE_YEAR)
    answer.cache_control.public = True
    answer.cache_control.immutable = True
    return answer


@bp.app_context_processor
def map_template_values() -> dict:
    """`map_tiles` (None: no map on this site) and `map_version(package)` for templates."""
    return {"map_tiles": tile_source(current_app.config), "map_version": package_version}
