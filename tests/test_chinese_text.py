"""Chinese text uses full-width punctuation; the check and what it reports.

The rule and the list of files are in scripts/check_chinese_text.py; run it on its own to
see every fault with the text to write instead.
"""

from datetime import datetime

import pytest
from bs4 import BeautifulSoup

from scripts.check_chinese_text import (
    ROOT,
    Segment,
    check_file,
    check_segment,
    chinese_text_files,
    find_marks,
    fix,
    markdown_segments,
    po_segments,
    python_segments,
    template_segments,
    yaml_segments,
)
from tests.appointments.helpers import book_url, booking_answers
from tests.factories import create_session
from webapp.common import clock
from webapp.staff.roles import Role


def marks(text):
    return [(mark, write) for _start, _end, mark, write in find_marks(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("大队严查面包车超员,并对辖区面包车全面摸排", "大队严查面包车超员，并对辖区面包车全面摸排"),
        ("（注:见下)", "（注：见下）"),
        ("C1(小型汽车)", "C1（小型汽车）"),
        ("居民身份证原件(ID card)", "居民身份证原件（ID card）"),
        ("已经预约?", "已经预约？"),
        ("一杯也不行!", "一杯也不行！"),
        ("- 违法载人;", "- 违法载人；"),
        ("并把伤者送往医院或拨打120;", "并把伤者送往医院或拨打120；"),
        ("周一至周五 8:30–12:00,14:30–17:30。", "周一至周五 8:30–12:00，14:30–17:30。"),
        ("**科学布警**:根据数据研判", "**科学布警**：根据数据研判"),
        ('他说"注意安全"就走了', "他说“注意安全”就走了"),
        ("请选择...", "请选择……"),
        ("加载中…", "加载中……"),
        ("隐患已销号.", "隐患已销号。"),
        ("服务热线： 12345", "服务热线：12345"),
        ("共%(count)s条,请核对", "共%(count)s条，请核对"),
    ],
)
def test_half_width_punctuation_in_chinese_is_found_and_the_fix_is_full_width(text, expected):
    assert find_marks(text)
    assert fix(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "上午08:30开门",
        "08:30",
        "共1,000人",
        "1,000",
        "请访问https://a.b/c?d=1查看",
        "https://a.b/c?d=1",
        "共%(count)s条报告",
        "%(count)s",
        "第{number}页",
        "请在[本站预约](/appointments/?service=licence_renewal)，按时到场。",
        "输入 `a,b` 即可",
        "{{ report.reference }}，{{ received_zh }}受理",
        "<strong>注意</strong>：请带身份证。",
        "准驾车型 D、E、F（Latin letters, 1:1 ratio）",
        "“交管12123”App",
    ],
)
def test_times_numbers_urls_placeholders_and_markup_keep_half_width(text):
    assert marks(text) == []


def test_a_parenthesis_closed_by_the_other_width_is_reported():
    assert marks("（C1)") == [(")", "）")]
    assert marks("(C1）") == [("(", "（")]


def test_english_text_with_a_chinese_word_is_not_checked():
    segment = Segment("Working days in China (调休): weekends, holidays.", 1, chinese=False)
    assert check_segment("x.py", segment) == []


def test_the_report_names_file_and_line_and_says_what_to_write():
    segment = Segment("第一行。\n面包车超员,并对辖区", 10)
    [finding] = check_segment("content/campaigns/a.zh.md", segment)
    assert (finding.path, finding.line, finding.mark, finding.write) == (
        "content/campaigns/a.zh.md",
        11,
        ",",
        "，",
    )
    message = str(finding)
    assert message.startswith("content/campaigns/a.zh.md:11: ")
    assert "write '，'" in message
    assert "超员,并对" in message and "超员，并对" in message


def test_markdown_front_matter_values_and_body_are_read_but_not_keys():
    source = '---\ntitle: "百日行动:夜查"\ntags: [a, b]\n---\n正文。\n\n喝酒不开车,开车不喝酒。\n'
    findings = [f for s in markdown_segments(source) for f in check_segment("a.zh.md", s)]
    assert [(f.line, f.mark) for f in findings] == [(2, ":"), (7, ",")]


def test_yaml_values_are_read_but_keys_and_comments_are_not():
    source = "# 注释(调休): 不读\nlabel: {zh: 出动警力(人次), en: officer deployments (total)}\n"
    findings = [f for s in yaml_segments(source) for f in check_segment("a.yaml", s)]
    assert [(f.line, f.mark) for f in findings] == [(2, "("), (2, ")")]


def test_only_msgstr_of_a_catalogue_is_read_with_the_line_of_each_piece():
    source = (
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        'msgid "Hello, world: (yes)"\nmsgstr "你好(世界)"\n\n'
        'msgid ""\n"Long"\nmsgstr ""\n"第一段。"\n"第二段,完"\n'
    )
    findings = [f for s in po_segments(source) for f in check_segment("m.po", s)]
    assert [(f.line, f.mark) for f in findings] == [(6, "("), (6, ")"), (12, ",")]


def test_template_lines_are_read_without_their_jinja_and_tags():
    source = (
        "<p>联系人：{{ name if name else '__' }}</p>\n"
        "<p>{{ _('For example: 北大街 near the post office, or the crossroads.') }}</p>\n"
        "<p>编号:{{ report.reference }}</p>\n"
        "{{ field(form.location,\n    hint=_('例如:北大街(邮局门前)')) }}\n"
    )
    findings = [f for s in template_segments(source) for f in check_segment("a.html", s)]
    assert [(f.line, f.mark) for f in findings] == [(3, ":")]


def test_python_string_literals_that_are_chinese_are_read_but_docstrings_in_english_are_not():
    source = (
        '"""The referral letter (函): always in Chinese."""\n\n'
        'NOTE = "（已按保存期限删除）"\n'
        'REPLY = (\n    "已受理,民警将到现场核查。"\n)\n'
        'PLACE = re.compile(r"(省|市|县)$")\n'
    )
    findings = [f for s in python_segments(source) for f in check_segment("a.py", s)]
    assert [(f.line, f.mark) for f in findings] == [(5, ",")]


def test_the_check_reads_every_kind_of_chinese_text_of_the_project():
    names = {str(path.relative_to(ROOT)) for path in chinese_text_files()}
    assert "translations/zh/LC_MESSAGES/messages.po" in names
    assert "content/notices/service-hall-hours.zh.md" in names
    assert "content/data/figures-2025.yaml" in names
    assert "webapp/templates/hazards/staff/letter.html" in names
    assert "webapp/hazards/demo.py" in names
    assert not any(name.endswith(".en.md") for name in names)


def test_every_chinese_text_of_the_project_uses_full_width_punctuation():
    findings = [finding for path in chinese_text_files() for finding in check_file(path)]
    assert not findings, (
        "Half-width punctuation in Chinese text (run scripts/check_chinese_text.py):\n"
        + "\n".join(map(str, findings))
    )


PUBLIC_PAGES = [
    "/",
    "/campaigns/",
    "/campaigns/minibus-overcrowding",
    "/exposures/",
    "/exposures/unlicensed-motorcycle-night",
    "/knowledge/drink-driving-law",
    "/notices/service-hall-hours",
    "/search?q=头盔",
    "/hazards/",
    "/hazards/new",
    "/hazards/reopen",
    "/appointments/",
    "/appointments/manage",
    "/training/new",
    "/training/manage",
]


def assert_full_width(url: str, page) -> None:
    texts = [
        node for node in page.find_all(string=True) if node.parent.name not in ("script", "style")
    ]
    findings = [
        f for text in texts for f in check_segment(url, Segment(str(text), 1, chinese=False))
    ]
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_in_chinese_show_full_width_punctuation(client_request, url):
    assert_full_width(url, client_request.get(url))


def test_staff_pages_in_chinese_show_full_width_punctuation(app, client, login_as):
    login_as(*Role)
    urls = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff/") and "GET" in rule.methods and not rule.arguments
    )
    pages = {url: client.get(url) for url in urls}
    shown = {
        url: r for url, r in pages.items() if r.status_code == 200 and r.mimetype == "text/html"
    }
    assert "/staff/accounts/" in shown and "/staff/dashboard" in shown
    for url, response in shown.items():
        assert_full_width(url, BeautifulSoup(response.get_data(as_text=True), "html.parser"))


def test_the_booking_slip_in_chinese_shows_full_width_punctuation(
    client_request, app_context, monkeypatch
):
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 3, 2, 2, 0))
    session = create_session(capacity=10)
    answers = {**booking_answers(session), "confirm": "1"}
    response = client_request.post(book_url(session), answers, expected_status=302)
    page = client_request.get(response.headers["Location"])
    assert page.select_one(".slip-reference").get_text().startswith("编号：")
    assert_full_width("/appointments/confirmation", page)
