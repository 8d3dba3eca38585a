"""The map's tile source, read from the configuration (README "Maps")."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

COORDINATE_SYSTEMS = ("wgs84", "gcj02")


@dataclass(frozen=True)
class TileSource:
    """What the browser needs to draw the map: Leaflet URL templates and their options."""

    url: str
    label_url: str
    attribution: str
    subdomains: list[str]
    crs: str
    max_zoom: int

    def as_options(self) -> dict:
        return asdict(self)


def tile_source(config: Mapping) -> TileSource | None:
    """The configured tiles, or None (no map at all) when MAP_TILE_URL is empty.

    An unknown MAP_CRS stops the app at start rather than draw pins hundreds of
    metres off.
    """
    url = config.get("MAP_TILE_URL", "")
    if not url:
        return None
    crs = config.get("MAP_CRS", "wgs84")
    if crs not in COORDINATE_SYSTEMS:
        raise SystemExit(f"MAP_CRS={crs!r} is not known; use one of: wgs84, gcj02")
    key = config.get("MAP_TILE_KEY", "")
    return TileSource(
        url=url.replace("{key}", key),
        label_url=config.get("MAP_LABEL_URL", "").replace("{key}", key),
        attribution=config.get("MAP_TILE_ATTRIBUTION", ""),
        subdomains=_subdomains(config.get("MAP_TILE_SUBDOMAINS", "")),
        crs=crs,
        max_zoom=int(config.get("MAP_MAX_ZOOM", 18)),
    )


def _subdomains(text: str) -> list[str]:
    """`1234` is four subdomains, as Leaflet reads it; `a1,a2` is two."""
    text = text.strip()
    if "," in text:
        return [part.strip() for part in text.split(",") if part.strip()]
    return list(text)


def tile_origins(config: Mapping) -> list[str]:
    """Every origin the tiles come from (`{s}` spelt out per subdomain), for the CSP."""
    source = tile_source(config)
    if source is None:
        return []
    origins: list[str] = []
    for template in filter(None, (source.url, source.label_url)):
        parts = urlsplit(template)
        hosts = [parts.netloc]
        if "{s}" in parts.netloc:
            hosts = [parts.netloc.replace("{s}", s) for s in source.subdomains or ["a", "b", "c"]]
        for host in hosts:
            origin = f"{parts.scheme}://{host}"
            if origin not in origins:
                origins.append(origin)
    return origins
