"""Find half-width punctuation in Chinese text and say what to write instead.

    python scripts/check_chinese_text.py [FILE ...]     (exit status 1 when something is found)

Without arguments it reads every Chinese text of the project: content/**/*.zh.md (front
matter and body), the strings of content/**/*.yaml, every msgstr of the zh catalogue, the
text of webapp/templates/**/*.html and the string literals of webapp/**/*.py.
tests/test_chinese_text.py runs the same check.

The rule, for a text that is Chinese (a zh file or msgstr; elsewhere a string or line with
at least as many Chinese characters as Latin letters):
- a half-width , : ; ? ! ( ) whose nearest neighbour on either side, skipping spaces and
  Markdown emphasis, is a Chinese character or full-width punctuation is reported, with the
  full-width mark to write instead (，：；？！（））; a parenthesis pairs with its partner,
  so "(C1)" next to Chinese becomes "（C1）" and "（注)" is reported too;
- so is such a mark that ends a line of Chinese ("拨打120;"), and a comma between digits
  that is not a thousands separator ("12:00,14:30");
- so are "..." or a single "…" next to Chinese (write "……"), a straight double quote next
  to Chinese (write “ ”), a "." right after a Chinese character that ends a sentence
  (write "。"), and a space beside full-width punctuation (remove it).
Not reported: marks inside a URL, inline code or fenced code, a Markdown link target, a
Jinja tag, an HTML tag, a placeholder (%(name)s, %s, {name}); marks with digits or Latin
letters on both sides (08:30, 1,000, A:B). YAML and front-matter syntax is never read, only
the values; nor are msgids, English docstrings, or the patterns given to re.compile & co.
"""

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULL_WIDTH_PUNCTUATION = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u2014"
CHINESE = re.compile(f"[{IDEOGRAPH}{FULL_WIDTH_PUNCTUATION}]")
IDEOGRAPHS = re.compile(f"[{IDEOGRAPH}]")
LATIN_LETTERS = re.compile("[A-Za-z]")
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

OPAQUE = "\x00"  # stands for a masked character that is not Chinese: a URL, code, a tag
TRANSPARENT = " "  # stands for a masked character that is skipped: HTML tags, emphasis
_URL = r"(?:https?|ftp|mailto|tel):[^\s<>\"'）（，。；：？！、\u3000-\u303f{ideo}]+|www\.[^\s<>\"'（）{ideo}]+"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPAQUE_PATTERNS = [
    re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE),  # fenced code
    re.compile(r"`[^`\n]+`"),  # inline code
    JINJA,
    re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"),  # ](link target)
    re.compile(r"^\s*\[[^\]]+\]:", re.MULTILINE),  # [reference]: definition
    re.compile(r"%(?:\([A-Za-z_]\w*\))?[-+ #0]*\d*(?:\.\d+)?[sdifrxXeEgGc%]"),  # %(name)s
    re.compile(r"\{[A-Za-z_]\w*(?:[.:!][^{}]*)?\}|\{\d*\}"),  # {name} {0}
]
TRANSPARENT_PATTERNS = [re.compile(r"</?[A-Za-z][^<>]*>"), re.compile(r"\*+")]


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    mark: str
    write: str
    excerpt: str
    fixed: str

    def __str__(self) -> str:
        if not self.write:
            advice = "a space beside full-width punctuation: remove it"
        else:
            advice = f"half-width {self.mark!r} in Chinese text: write {self.write!r}"
        return f"{self.path}:{self.line}: {advice}: “{self.excerpt}” → “{self.fixed}”"


@dataclass
class Segment:
    """A piece of text and the file line where each of its lines starts."""

    text: str
    first_line: int
    chinese: bool = True  # False: decide by the share of Chinese characters
    anchors: list[tuple[int, int]] | None = None  # (offset, file line) where a piece starts

    def line_of(self, offset: int) -> int:
        anchors = self.anchors or [(0, self.first_line)]
        start, line = max(anchor for anchor in anchors if anchor[0] <= offset)
        return line + self.text.count("\n", start, offset)


def _replace(masked: list[str], pattern: re.Pattern, by: str, text: str) -> None:
    for match in pattern.finditer(text):
        masked[match.start() : match.end()] = by * (match.end() - match.start())


def mask(text: str) -> str:
    """The text with code, links, tags and placeholders blanked out, same length."""
    masked = list(text)
    url = re.compile(_URL.format(ideo=IDEOGRAPH))
    for pattern in OPAQUE_PATTERNS:
        _replace(masked, pattern, OPAQUE, text)
    for match in url.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in ".,;:!?)":  # sentence, not URL
            end -= 1
        masked[match.start() : end] = OPAQUE * (end - match.start())
    for pattern in TRANSPARENT_PATTERNS:
        _replace(masked, pattern, TRANSPARENT, "".join(masked))
    return "".join(masked)


def is_chinese_text(text: str) -> bool:
    masked = mask(text)
    ideographs = len(IDEOGRAPHS.findall(masked))
    return ideographs > 0 and ideographs >= len(LATIN_LETTERS.findall(masked))


def _neighbour(masked: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(masked) and masked[index].isspace():
        index += step
    return masked[index] if 0 <= index < len(masked) else ""


def _next_to_chinese(masked: str, start: int, end: int) -> bool:
    return any(
        CHINESE.match(c) for c in (_neighbour(masked, start, -1), _neighbour(masked, end - 1, 1))
    )


def _parenthesis_partners(masked: str) -> dict[int, int]:
    partners, openers = {}, []
    for index, char in enumerate(masked):
        if char in "(（":
            openers.append(index)
        elif char in ")）" and openers:
            opener = openers.pop()
            partners[opener], partners[index] = index, opener
    return partners


def _half_width_marks(masked: str) -> dict[int, tuple[int, str, str]]:
    found = {}
    for index, char in enumerate(masked):
        if char in FULL_WIDTH and _next_to_chinese(masked, index, index + 1):
            found[index] = (index + 1, char, FULL_WIDTH[char])
    for match in re.finditer(r"(?<=\d),(?!\d{3}(?!\d))(?=\d)", masked):  # 12:00,14:30 not 1,000
        found[match.start()] = (match.end(), ",", "，")
    line_end = f"^(?=[^\\n]*[{IDEOGRAPH}])[^\\n]*?[^\\s,:;?!]([,:;?!]) *$"  # 拨打120;
    for match in re.finditer(line_end, masked, re.MULTILINE):
        found[match.start(1)] = (match.end(1), match.group(1), FULL_WIDTH[match.group(1)])
    for index, partner in _parenthesis_partners(masked).items():
        char = masked[index]
        if char in "()" and (partner in found or masked[partner] in "（）"):
            found[index] = (index + 1, char, FULL_WIDTH[char])
    return found


def _other_marks(text: str, masked: str) -> dict[int, tuple[int, str, str]]:
    found = {}
    for match in re.finditer(r"\.{3,}|(?<!…)…(?!…)", masked):
        if _next_to_chinese(masked, match.start(), match.end()):
            found[match.start()] = (match.end(), match.group(), "……")
    quotes = [m.start() for m in re.finditer('"', masked)]
    for number, index in enumerate(quotes):
        if _next_to_chinese(masked, index, index + 1):
            found[index] = (index + 1, '"', "”" if number % 2 else "“")
    sentence_end = f"(?<=[{IDEOGRAPH}])\\.(?=\\s|$|[{IDEOGRAPH}])"
    for match in re.finditer(sentence_end, masked, re.MULTILINE):
        found[match.start()] = (match.end(), ".", "。")
    full_width, word = f"[{FULL_WIDTH_PUNCTUATION}]", f"[{IDEOGRAPH}A-Za-z0-9]"
    for match in re.finditer(
        f"(?<={full_width}) +(?={word})|(?<={word}) +(?={full_width})", masked
    ):
        if text[match.start() : match.end()] == match.group():  # real spaces, not a mask
            found[match.start()] = (match.end(), match.group(), "")
    return found


def find_marks(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, mark, what to write instead) for each fault in a Chinese text."""
    masked = mask(text)
    found = _half_width_marks(masked) | _other_marks(text, masked)
    return sorted((start, end, mark, write) for start, (end, mark, write) in found.items())


def fix(text: str) -> str:
    """The text with every reported mark replaced by what the report suggests."""
    for start, end, _mark, write in reversed(find_marks(text)):
        text = text[:start] + write + text[end:]
    return text


def check_segment(path: str, segment: Segment) -> list[Finding]:
    if not segment.chinese and not is_chinese_text(segment.text):
        return []
    text, findings = segment.text, []
    for start, end, mark, write in find_marks(text):
        line = segment.line_of(start)
        left = max(text.rfind("\n", 0, start) + 1, start - 12)
        right_end = text.find("\n", end)
        right = min(right_end if right_end >= 0 else len(text), end + 12)
        excerpt = text[left:right]
        fixed = text[left:start] + write + text[end:right]
        findings.append(Finding(path, line, mark, write, excerpt, fixed))
    return findings


# Where Chinese text lives, file type by file type.


def yaml_segments(source: str, first_line: int = 1) -> list[Segment]:
    """The string values of a YAML document (never its keys, comments or syntax)."""
    segments = []

    def walk(node, is_key=False):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(key, is_key=True)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.ScalarNode) and not is_key and IDEOGRAPHS.search(node.value):
            line = first_line + node.start_mark.line
            segments.append(Segment(node.value, line, chinese=False))

    for document in yaml.compose_all(source, Loader=yaml.SafeLoader):
        walk(document)
    return segments


def markdown_segments(source: str) -> list[Segment]:
    match = re.match(r"---\n(.*?\n)---\n", source, re.DOTALL)
    if not match:
        return [Segment(source, 1)]
    body_line = match.group(0).count("\n") + 1
    return [*yaml_segments(match.group(1), first_line=2), Segment(source[match.end() :], body_line)]


def _po_string(line: str) -> str:
    return ast.literal_eval(line[line.index('"') :])


def po_segments(source: str) -> list[Segment]:
    """Every msgstr (never a msgid, nor the header) of a catalogue, across its lines."""
    segments, current, msgid = [], None, ""
    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith("msgid"):
            current, msgid = None, _po_string(line)
        elif line.startswith("msgstr"):
            current = Segment(_po_string(line), number, anchors=[(0, number)])
            if msgid:
                segments.append(current)
        elif line.startswith('"') and current is not None:
            current.anchors.append((len(current.text), number))
            current.text += _po_string(line)
        elif line.startswith('"'):
            msgid += _po_string(line)
        else:
            current = None
    return [segment for segment in segments if segment.text]


def template_segments(source: str) -> list[Segment]:
    """Each line of a template that has Chinese outside its Jinja tags, judged on its own."""
    outside = JINJA.sub(lambda m: re.sub(r"[^\n]", OPAQUE, m.group()), source).split("\n")
    return [
        Segment(line, number, chinese=False)
        for number, (line, text) in enumerate(
            zip(source.split("\n"), outside, strict=True), start=1
        )
        if IDEOGRAPHS.search(text)
    ]


def _regular_expressions(tree: ast.AST) -> set[int]:
    """The string literals given to re.compile, re.match ...: patterns, not text."""
    return {
        id(argument)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "re"
        for argument in node.args
    }


def python_segments(source: str) -> list[Segment]:
    """Every string literal of a module that is Chinese text (docstrings in English are not)."""
    tree = ast.parse(source)
    patterns, segments = _regular_expressions(tree), []
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in patterns and IDEOGRAPHS.search(node.value):
            segments.append(Segment(node.value, node.lineno, chinese=False))
    return segments


def segments_of(path: Path) -> list[Segment]:
    source = path.read_text(encoding="utf-8")
    name = path.name
    if name.endswith(".zh.md"):
        return markdown_segments(source)
    if name.endswith((".yaml", ".yml")):
        return yaml_segments(source)
    if name.endswith(".po"):
        return po_segments(source)
    if name.endswith(".html"):
        return template_segments(source)
    if name.endswith(".py"):
        return python_segments(source)
    return []


def chinese_text_files(root: Path = ROOT) -> list[Path]:
    return sorted(
        [
            *root.glob("content/**/*.zh.md"),
            *root.glob("content/**/*.yaml"),
            root / "translations" / "zh" / "LC_MESSAGES" / "messages.po",
            *root.glob("webapp/templates/**/*.html"),
            *root.glob("webapp/**/*.py"),
        ]
    )


def check_file(path: Path, root: Path = ROOT) -> list[Finding]:
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    return [f for segment in segments_of(path) for f in check_segment(name, segment)]


def main(arguments: list[str]) -> int:
    paths = [Path(a).resolve() for a in arguments] or chinese_text_files()
    findings = [finding for path in paths for finding in check_file(path)]
    for finding in findings:
        print(finding)
    if findings:
        print(
            f"{len(findings)} marks to change. Chinese text takes full-width ，：；？！（）“”……; "
            "digits, Latin words, URLs, times (08:30), numbers (1,000) and placeholders "
            "(%(name)s, {name}) keep half-width. Rules: scripts/check_chinese_text.py"
        )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
