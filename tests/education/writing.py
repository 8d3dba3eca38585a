"""Write content files for a test: a whole content folder in a temporary directory."""

from pathlib import Path

import yaml

TAGS = {
    "helmet": {"zh": "头盔", "en": "helmets"},
    "drunk-driving": {"zh": "酒驾", "en": "drink driving"},
}

COMMON = {"title": "标题", "date": "2025-03-01", "summary": "摘要", "tags": ["helmet"]}
EXPOSURE = {
    "accident_date": "2025-02-01",
    "road_type": "urban_road",
    "vehicles": ["电动自行车"],
    "causes": ["no_helmet"],
    "casualties": {"deaths": 0, "injuries": 1},
    "lesson": "戴好头盔。",
}


def write_tags(root: Path, tags: dict | None = None) -> None:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "data" / "tags.yaml").write_text(
        yaml.safe_dump(TAGS if tags is None else tags, allow_unicode=True), encoding="utf-8"
    )


def article_fields(section: str, **changes) -> dict:
    fields = {**COMMON, **(EXPOSURE if section == "exposures" else {})}
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not None}


def write_article(
    root: Path, section: str, slug: str, *, lang: str = "zh", body: str = "正文。", **changes
) -> Path:
    """One article file; `changes` replace default front-matter fields (None removes one)."""
    folder = root / section
    folder.mkdir(parents=True, exist_ok=True)
    meta = yaml.safe_dump(article_fields(section, **changes), allow_unicode=True)
    path = folder / f"{slug}.{lang}.md"
    path.write_text(f"---\n{meta}---\n{body}\n", encoding="utf-8")
    return path
