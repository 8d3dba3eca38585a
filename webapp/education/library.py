"""The loaded content, held in memory: articles ready to render, and the queries on them."""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from webapp.education.figures import YearInNumbers
from webapp.education.schema import Exposure


@dataclass(frozen=True)
class Tag:
    code: str
    label: str


@dataclass(frozen=True)
class Article:
    """One article as a reader of one language sees it; everything computed at load."""

    section: str
    slug: str
    reader_lang: str  # the language of the readers this view is for
    lang: str  # the language the text is in: Chinese when the reader's is missing
    title: str
    summary: str
    html: Markup
    date: date
    date_text: str
    tags: tuple[Tag, ...]
    cover: str | None
    exposure: Exposure | None
    accident_date_text: str
    # Lower-cased copies for search, computed once.
    text: str
    title_key: str
    summary_key: str
    text_key: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.section, self.slug)

    @property
    def path(self) -> str:
        """The article's URL path below the site root (the `education.article` route)."""
        return f"/{self.section}/{self.slug}"

    @property
    def fallback(self) -> bool:
        return self.lang != self.reader_lang

    @cached_property
    def tag_codes(self) -> frozenset[str]:
        return frozenset(tag.code for tag in self.tags)

    @property
    def causes(self) -> tuple[str, ...]:
        return self.exposure.causes if self.exposure else ()


@dataclass
class Library:
    """Every article in every reader language, newest first, and the data files."""

    content_dir: Path
    languages: tuple[str, ...]
    tags: dict[str, dict[str, str]]
    figures: YearInNumbers | None
    covers: frozenset[str]
    articles: dict[str, dict[tuple[str, str], Article]] = field(default_factory=dict)
    sections: dict[str, dict[str, list[Article]]] = field(default_factory=dict)
    newest: dict[str, list[Article]] = field(default_factory=dict)
    related: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def article(self, lang: str, section: str, slug: str) -> Article | None:
        return self.articles[lang].get((section, slug))

    def section(self, lang: str, section: str, *, tag: str = "", cause: str = "") -> list[Article]:
        articles = self.sections[lang][section]
        if tag:
            articles = [a for a in articles if tag in a.tag_codes]
        if cause:
            articles = [a for a in articles if cause in a.causes]
        return articles

    def tags_in_section(self, lang: str, section: str) -> list[Tag]:
        seen = {tag for article in self.sections[lang][section] for tag in article.tags}
        return sorted(seen, key=lambda tag: tag.code)

    def causes_in_section(self, lang: str, section: str) -> list[str]:
        seen = {cause for article in self.sections[lang][section] for cause in article.causes}
        return sorted(seen)

    def related_articles(self, article: Article) -> list[Article]:
        return [self.articles[article.reader_lang][key] for key in self.related[article.key]]

    def latest(self, lang: str, section: str, count: int) -> list[Article]:
        return self.sections[lang][section][:count]
