"""Masking survives a determined writer: full-width digits, and digits grouped or
separated by spaces, dots and dashes (issue 16, item 5).

Hypothesis makes valid mobile numbers, ID numbers (with a correct check character)
and plates, writes them the way a person trying to get them past the mask would, and
puts them into Chinese text: what comes out keeps the text around them and only the
ends that the mask always shows.
"""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.common.identifiers import (
    PROVINCES,
    id_number_check_char,
    mask_id_number,
    mask_personal_data_in_text,
    mask_phone,
)

FULL_WIDTH = {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)}
SEPARATORS = [
    " ",
    "  ",
    "\u3000",
    "-",
    "－",
    "—",
    "–",
    ".",
    "．",
    "·",
    "・",
    " - ",
    " . ",
    "\u200b",
]
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"

# Chinese text without digits, Latin letters or separators: whatever is next to a
# number in it cannot be mistaken for part of the number.
chinese_text = st.text(
    alphabet=st.sampled_from(
        "护栏被车撞断人行道很危险北大街邮局门前联系电话车主身份证号码，。：；！？（）、"
    ),
    max_size=15,
)


@st.composite
def mobile_numbers(draw) -> str:
    second = draw(st.sampled_from("3456789"))
    rest = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    return f"1{second}{rest}"


@st.composite
def id_numbers(draw) -> str:
    region = draw(st.sampled_from(["110105", "140202", "310115", "440305", "510107", "650102"]))
    birth = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2012, 12, 31)))
    serial = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    first17 = f"{region}{birth:%Y%m%d}{serial}"
    return first17 + id_number_check_char(first17)


@st.composite
def plates(draw) -> str:
    province = draw(st.sampled_from(PROVINCES))
    letter = draw(st.sampled_from(PLATE_LETTERS))
    length = draw(st.sampled_from([5, 6]))
    serial = draw(
        st.lists(
            st.sampled_from(PLATE_LETTERS + "0123456789"), min_size=length - 1, max_size=length - 1
        )
    )
    digit = draw(st.sampled_from("0123456789"))
    serial.insert(draw(st.integers(0, len(serial))), digit)  # a plate always has a digit
    return province + letter + "".join(serial)


@st.composite
def disguised(draw, value: str, *, first_group: int = 0) -> str:
    """`value` split into groups by random separators, some characters full-width."""
    pieces = []
    for index, char in enumerate(value):
        if index > first_group and draw(st.integers(0, 3)) == 0:
            pieces.append(draw(st.sampled_from(SEPARATORS)))
        if char.isascii() and draw(st.booleans()):
            char = FULL_WIDTH[char.upper() if char.isalpha() and draw(st.booleans()) else char]
        pieces.append(char)
    return "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(st.data(), chinese_text, chinese_text)
def test_a_disguised_mobile_number_is_masked(data, before, after):
    number = data.draw(mobile_numbers())
    written = data.draw(disguised(number))
    masked = mask_personal_data_in_text(f"{before}{written}{after}")
    assert masked == f"{before}{mask_phone(number)}{after}", written


@settings(max_examples=300, deadline=None)
@given(st.data(), chinese_text, chinese_text)
def test_a_disguised_id_number_is_masked(data, before, after):
    number = data.draw(id_numbers())
    if number.endswith("X") and data.draw(st.booleans()):
        number = number[:-1] + "x"
    written = data.draw(disguised(number))
    masked = mask_personal_data_in_text(f"{before}{written}{after}")
    assert masked == f"{before}{mask_id_number(number.upper())}{after}", written


@settings(max_examples=300, deadline=None)
@given(st.data(), chinese_text, chinese_text)
def test_a_disguised_plate_is_masked(data, before, after):
    plate = data.draw(plates())
    written = data.draw(disguised(plate, first_group=1))
    masked = mask_personal_data_in_text(f"{before}{written}{after}")
    assert masked == f"{before}{plate[:2]}·*****{after}", written


@settings(max_examples=200, deadline=None)
@given(st.data(), chinese_text)
def test_two_numbers_next_to_each_other_are_both_masked(data, between):
    phone, id_number = data.draw(mobile_numbers()), data.draw(id_numbers())
    text = f"电话{data.draw(disguised(phone))}{between}身份证{data.draw(disguised(id_number))}"
    masked = mask_personal_data_in_text(text)
    assert masked == f"电话{mask_phone(phone)}{between}身份证{mask_id_number(id_number)}"


def test_the_review_cases_are_masked():
    for written in (
        "138 0013 8000",
        "138-0013-8000",
        "138.0013.8000",
        "１３８００１３８０００",
        "１３８ ００１３ ８０００",
        "+86 138 0013 8000",
        "1 3 8 0 0 1 3 8 0 0 0",
        "138—0013—8000",
    ):
        masked = mask_personal_data_in_text(f"车主电话{written}，请联系")
        assert "138****8000" in masked and "0013" not in masked, written
        assert masked.startswith("车主电话") and masked.endswith("，请联系"), written
    for written in (
        "110105 19900101 0010",
        "110105-19900101-0010",
        "１１０１０５１９９００１０１００１０",
    ):
        masked = mask_personal_data_in_text(f"身份证{written}。")
        assert masked == "身份证110105********0010。", written
    masked = mask_personal_data_in_text("身份证１１０１０５１９４９１２３１００２Ｘ。")
    assert masked == "身份证110105********002X。"
    assert mask_personal_data_in_text("晋Ｃ　１２３４５停在路口") == "晋C·*****停在路口"
    assert mask_personal_data_in_text("晋C 1 2 3 4 5停在路口") == "晋C·*****停在路口"


ORDINARY_TEXT = [
    "2026-12-03 14:30 北大街发生追尾，2 人受伤。",
    "坑深约 3.5米，宽 1.2 米，已有 3 辆车爆胎。",
    "事故发生在 2026.12.03，罚款 200 元，扣 3 分。",
    "护栏长 15-20 米，K13+800 处。",
    "时间 08:30-09:00，编号 2026-0012。",
    "累计 1,380,013 元，同比 13.8%。",
    "共 138 起，其中 13 起在夜间。",
    "京A区域的指示牌",
]


def test_ordinary_numbers_are_left_alone():
    for text in ORDINARY_TEXT:
        assert mask_personal_data_in_text(text) == text


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
    minutes=st.integers(0, 24 * 60 - 1),
    amount=st.decimals(
        min_value=0, max_value=100000, places=1, allow_nan=False, allow_infinity=False
    ),
    count=st.integers(0, 99999),
    separator=st.sampled_from(["-", ".", "/"]),
    before=chinese_text,
)
def test_dates_times_amounts_and_counts_are_left_alone(
    day, minutes, amount, count, separator, before
):
    moment = timedelta(minutes=minutes)
    time = f"{moment.seconds // 3600:02d}:{moment.seconds // 60 % 60:02d}"
    text = (
        f"{before}{day.year}{separator}{day.month:02d}{separator}{day.day:02d} {time}，"
        f"长 {amount}米，共 {count} 起。"
    )
    assert mask_personal_data_in_text(text) == text
