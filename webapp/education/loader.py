"""Read, check and render every content file once, when the app starts.

Layout (content schema): `content/<section>/<slug>.<lang>.md`, `content/data/tags.yaml`,
`content/data/figures-YYYY.yaml`. A missing section or data file is simply empty.
"""

import html
import re
from datetime import date
from pathlib import Path

import frontmatter
import markdown
import nh3
import yaml
from babel.dates import format_date
from frontmatter.default_handlers import YAMLHandler
from markupsafe import Markup

from webapp.education.figures import YearInNumbers, check_figures
from webapp.education.library import Article, Library, Tag
from webapp.education.schema import (
    SLUG,
    ContentError,
    FrontMatter,
    check_front_matter,
    check_same_facts,
    check_tags,
)
from webapp.education.vocabulary import SECTIONS

IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"}
ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i",
    "a", "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
RELATED_COUNT = 4
MARKDOWN_EXTENSIONS = ["tables", "sane_lists"]


YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where built


class _FrontMatterYAML(YAMLHandler):
    def load(self, fm: str, **kwargs):
        return yaml.load(fm, Loader=YAML_LOADER)  # noqa: S506  (a safe loader)


FRONT_MATTER = _FrontMatterYAML()


def render_markdown(source: str, converter: markdown.Markdown | None = None) -> Markup:
    """Markdown to sanitised HTML: raw HTML, scripts, event attributes and javascript: go."""
    converter = converter or markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)
    rendered = converter.reset().convert(source)
    # The page's h1 is the title: a body heading starts one level down.
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES
    )
    return Markup(cleaned)  # noqa: S704  (sanitised by nh3 just above)


# A line break beside Chinese punctuation becomes no space at all ("。考试当天", not "。 考试当天").
SPACE_BESIDE_FULL_WIDTH = re.compile(r"\s+(?=[，。：；？！、）”])|(?<=[，。：；？！、（“])\s+")


def plain_text(fragment: str) -> str:
    """The fragment's text on one line, for search and excerpts."""
    text = " ".join(html.unescape(nh3.clean(fragment, tags=set())).split())
    return SPACE_BESIDE_FULL_WIDTH.sub("", text)


def search_key(text: str) -> str:
    """Lower-cased, keeping every character in place so that match positions carry over."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class _Source:
    """One parsed file: its checked front matter and its rendered body."""

    def __init__(self, name: str, meta: FrontMatter, body: Markup, lang: str):
        self.name, self.meta, self.body, self.lang = name, meta, body, lang


class Loader:
    def __init__(self, content_dir: Path, *, languages: tuple[str, ...], today: date):
        self.content_dir, self.languages, self.today = content_dir, languages, today
        self.tags: dict[str, dict[str, str]] = {}
        self.covers: set[str] = set()
        self.markdown = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)

    def name(self, path: Path) -> str:
        return str(path.relative_to(self.content_dir.parent))

    def load(self) -> Library:
        self.tags = self._load_tags()
        library = Library(
            content_dir=self.content_dir,
            languages=self.languages,
            tags=self.tags,
            figures=self._load_figures(),
            covers=frozenset(),
        )
        sources = {section: self._load_section(section) for section in SECTIONS}
        library.covers = frozenset(self.covers)
        for lang in self.languages:
            views = {
                s: [self._article(f, s, lang) for f in files.values()]
                for s, files in sources.items()
            }
            for articles in views.values():
                articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
            library.sections[lang] = views
            library.articles[lang] = {a.key: a for arts in views.values() for a in arts}
            library.newest[lang] = sorted(
                library.articles[lang].values(), key=lambda a: (a.date, a.slug), reverse=True
            )
        library.related = find_related(library.newest[self.languages[0]])
        return library

    def _read_yaml(self, path: Path):
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)  # noqa: S506  (a safe loader)
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise ContentError(self.name(path), None, f"is not valid YAML: {error}") from error

    def _load_tags(self) -> dict[str, dict[str, str]]:
        path = self.content_dir / "data" / "tags.yaml"
        return check_tags(self.name(path), self._read_yaml(path)) if path.is_file() else {}

    def _load_figures(self) -> YearInNumbers | None:
        files = sorted((self.content_dir / "data").glob("figures-*.yaml"))
        if not files:
            return None
        return check_figures(self.name(files[-1]), self._read_yaml(files[-1]), self.languages)

    def _load_section(self, section: str) -> dict[str, dict[str, _Source]]:
        """slug -> language -> parsed file, for one section's folder."""
        folder = self.content_dir / section
        found: dict[str, dict[str, _Source]] = {}
        for path in sorted(folder.glob("*")) if folder.is_dir() else ():
            slug, lang = self._split_name(path)
            found.setdefault(slug, {})[lang] = self._parse(path, section, lang)
        for slug, files in found.items():
            if "zh" not in files:
                raise ContentError(self.name(folder / f"{slug}.zh.md"), None, "is missing")
            for lang, source in files.items():
                if lang != "zh":
                    check_same_facts(source.name, files["zh"].meta, source.meta)
        return found

    def _split_name(self, path: Path) -> tuple[str, str]:
        parts = path.name.split(".")
        if (
            not path.is_file()
            or len(parts) != 3
            or parts[2] != "md"
            or not SLUG.fullmatch(parts[0])
            or parts[1] not in self.languages
        ):
            langs = "|".join(self.languages)
            problem = f"is not named <slug>.<{langs}>.md (slug: lower-case words and hyphens)"
            raise ContentError(self.name(path), None, problem)
        return parts[0], parts[1]

    def _parse(self, path: Path, section: str, lang: str) -> _Source:
        name = self.name(path)
        try:
            post = frontmatter.loads(path.read_text(encoding="utf-8"), handler=FRONT_MATTER)
        except (yaml.YAMLError, UnicodeDecodeError, ValueError) as error:
            raise ContentError(name, None, f"front matter is not valid: {error}") from error
        meta = check_front_matter(
            name,
            post.metadata,
            section=section,
            tags=self.tags,
            cover_exists=self._cover_exists,
            today=self.today,
        )
        return _Source(name, meta, render_markdown(post.content, self.markdown), lang)

    def _cover_exists(self, cover: str) -> bool:
        path = (self.content_dir / cover).resolve()
        inside = path.is_relative_to(self.content_dir.resolve())
        if not inside or path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
            return False
        self.covers.add(path.relative_to(self.content_dir.resolve()).as_posix())
        return True

    def _article(self, files: dict[str, _Source], section: str, reader_lang: str) -> Article:
        source = files.get(reader_lang) or files["zh"]
        meta, lang = source.meta, source.lang
        lesson = meta.exposure.lesson if meta.exposure else ""
        text = plain_text(source.body + " " + lesson)  # the lesson is escaped by Markup's +
        exposure_day = meta.exposure.accident_date if meta.exposure else None
        return Article(
            section=section,
            slug=Path(source.name).name.split(".")[0],
            reader_lang=reader_lang,
            lang=lang,
            title=meta.title,
            summary=meta.summary,
            html=source.body,
            date=meta.date,
            date_text=format_date(meta.date, "long", locale=reader_lang),
            tags=tuple(Tag(code, self.tags[code][reader_lang]) for code in meta.tags),
            cover=meta.cover,
            exposure=meta.exposure,
            accident_date_text=format_date(exposure_day, "long", locale=reader_lang)
            if exposure_day
            else "",
            text=text,
            title_key=search_key(meta.title),
            summary_key=search_key(meta.summary),
            text_key=search_key(text),
        )


def find_related(articles: list[Article]) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """For each article, the others sharing most tags (newest first among equals)."""
    related = {}
    for article in articles:
        scored = [
            (len(article.tag_codes & other.tag_codes), other)
            for other in articles
            if other.key != article.key
        ]
        scored = [pair for pair in scored if pair[0]]
        scored.sort(key=lambda pair: (pair[0], pair[1].date), reverse=True)
        related[article.key] = tuple(other.key for _, other in scored[:RELATED_COUNT])
    return related


def load_library(content_dir: str | Path, *, languages=("zh", "en"), today: date) -> Library:
    """Read and check every content file under `content_dir`; raise ContentError on the first fault."""
    return Loader(Path(content_dir).resolve(), languages=languages, today=today).load()
