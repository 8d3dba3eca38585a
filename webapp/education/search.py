"""Search over titles, summaries and bodies: substring matching, so that Chinese words
are found inside running text (no spaces between words), and English case-insensitively.

The lower-cased texts are computed at load; a search is a scan of them.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

from webapp.education.library import Article
from webapp.education.loader import search_key

MAX_QUERY_LENGTH = 100
MAX_TERMS = 5
EXCERPT_CONTEXT = 50  # characters shown on each side of the first match in the body
# What marks the text cut before and after an excerpt, by the language of the text.
ELISION = {"zh": ("……", "……"), "en": ("… ", " …")}


@dataclass(frozen=True)
class Hit:
    article: Article
    title: Markup
    summary: Markup
    excerpt: Markup


def query_terms(query: str) -> list[str]:
    """The words of a query (every one must match), lower-cased, without repeats."""
    terms = []
    for term in search_key(query[:MAX_QUERY_LENGTH]).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def find(articles: list[Article], terms: list[str]) -> list[Article]:
    """Articles holding every term, best first: title matches count most, then summary."""
    if not terms:
        return []
    scored = []
    for article in articles:
        score = 0
        for term in terms:
            if term in article.title_key:
                score += 3
            elif term in article.summary_key:
                score += 2
            elif term in article.text_key:
                score += 1
            else:
                break
        else:
            scored.append((score, article.date, article))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [article for _, _, article in scored]


def hit(article: Article, terms: list[str]) -> Hit:
    return Hit(
        article=article,
        title=highlight(article.title, article.title_key, terms),
        summary=highlight(article.summary, article.summary_key, terms),
        excerpt=excerpt(article.text, article.text_key, terms, lang=article.lang),
    )


def _spans(key: str, terms: list[str]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        start = key.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = key.find(term, start + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, key: str, terms: list[str]) -> Markup:
    """`text` escaped, each match wrapped in <mark>."""
    parts, position = [], 0
    for start, end in _spans(key, terms):
        parts.append(escape(text[position:start]))
        parts.append(Markup("<mark>%s</mark>") % text[start:end])
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def excerpt(text: str, key: str, terms: list[str], *, lang: str) -> Markup:
    """The body around its first match, highlighted; empty when the body has none."""
    firsts = [index for index in (key.find(term) for term in terms) if index != -1]
    if not firsts:
        return Markup("")
    start = max(0, min(firsts) - EXCERPT_CONTEXT)
    end = min(len(text), min(firsts) + EXCERPT_CONTEXT * 2)
    shown = highlight(text[start:end], key[start:end], terms)
    cut_before, cut_after = ELISION[lang]
    before = cut_before if start else ""
    after = cut_after if end < len(text) else ""
    return Markup("").join((before, shown, after))
