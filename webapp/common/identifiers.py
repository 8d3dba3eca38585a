"""Identifiers of people, companies and submissions: check, normalise, mask, make.

Pure functions; the WTForms validators in `validators.py` wrap them.
"""

import functools
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l


class InvalidIdentifier(ValueError):
    """Raised with a message the user can read (a lazy string)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Resident ID number (GB 11643-1999) -------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def id_number_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


def parse_id_number(raw: str, *, today: date | None = None) -> ResidentId:
    """Check an 18-character resident ID number; return it upper-cased with its birth date.

    Raises InvalidIdentifier saying why: length, characters, birth date or check digit.
    """
    number = re.sub(r"\s", "", raw or "").upper()
    if len(number) == 15 and number.isdigit():
        raise InvalidIdentifier(
            _l(
                "This looks like an old 15-digit ID number. Enter the 18-character number on your current ID card."
            )
        )
    if len(number) != 18:
        raise InvalidIdentifier(
            _l("An ID number has 18 characters; you entered %(count)d.", count=len(number))
        )
    if not (number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise InvalidIdentifier(
            _l("An ID number has 17 digits followed by a digit or the letter X.")
        )
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentifier(
            _l("The birth date inside this ID number is not a real date.")
        ) from None
    if birth.year < 1900 or birth > (today or date.today()):
        raise InvalidIdentifier(_l("The birth date inside this ID number is not a real date."))
    if id_number_check_char(number[:17]) != number[17]:
        raise InvalidIdentifier(
            _l(
                "The last character of this ID number does not match the others. Check it for a typing mistake."
            )
        )
    return ResidentId(number=number, birth_date=birth)


# --- Unified social credit code (GB 32100-2015) -----------------------------

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(
        CREDIT_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(raw: str) -> str:
    """Check a unified social credit code; return it upper-cased.

    Raises InvalidIdentifier for a wrong length, a letter outside the
    GB 32100 alphabet (no I, O, S, V or Z) or a wrong check character.
    """
    code = re.sub(r"\s", "", raw or "").upper()
    if len(code) != 18:
        raise InvalidIdentifier(
            _l(
                "A unified social credit code has 18 characters; you entered %(count)d.",
                count=len(code),
            )
        )
    bad = sorted({char for char in code if char not in CREDIT_ALPHABET})
    if bad:
        raise InvalidIdentifier(
            _l(
                "A unified social credit code cannot contain: %(chars)s (the letters I, O, S, V and Z are never used).",
                chars=" ".join(bad),
            )
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise InvalidIdentifier(
            _l(
                "The last character of this credit code does not match the others. Check it for a typing mistake."
            )
        )
    return code


# --- Mainland mobile numbers -------------------------------------------------


def normalise_mobile(raw: str) -> str:
    """Return an 11-digit mainland mobile number, accepting spaces, dashes and +86."""
    number = re.sub(r"[\s\-()]", "", raw or "")
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not number.isdigit() or not number.isascii():
        raise InvalidIdentifier(_l("A mobile number has only digits, e.g. 138 0013 8000."))
    if len(number) != 11:
        raise InvalidIdentifier(
            _l("A mobile number has 11 digits; you entered %(count)d.", count=len(number))
        )
    if number[0] != "1" or number[1] not in "3456789":
        raise InvalidIdentifier(_l("A mainland mobile number starts with 13 to 19."))
    return number


# --- Masking personal data (PIPL) --------------------------------------------


def mask_id_number(number: str | None) -> str:
    if not number:
        return ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else "****"


def mask_phone(number: str | None) -> str:
    if not number:
        return ""
    return number[:3] + "****" + number[-4:] if len(number) >= 8 else "****"


PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

# What a writer may put between the digits of a number to get it past the mask:
# white space, dots and dashes of any width, and characters that show nothing.
_SEPARATOR = (
    r"[\s.\-_·・•‧∙。\u00ad\u2010-\u2015\u2212\u30fc\ufe58\ufe63"
    r"\u180e\u200b-\u200f\u2060-\u2064\ufeff]"
)
_GAP = rf"{_SEPARATOR}{{0,3}}"
# A run of digits that separators may split into groups; an ID number's check X last.
_DIGIT_RUN = re.compile(rf"(?<![0-9])[0-9](?:{_GAP}[0-9])*(?:{_GAP}[Xx](?![A-Za-z]))?")
_GROUP = re.compile(r"[0-9]+[Xx]?|[Xx]")
_PHONE = re.compile(r"(?:0{0,2}86)?(1[3-9][0-9]{9})")
_ID = re.compile(r"[0-9]{17}[0-9X]")
_PLATE = re.compile(
    rf"([{PROVINCES}]){_GAP}([A-Z]){_GAP}((?:[A-Z0-9]{_GAP}){{4,5}}[A-Z0-9])",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """A full-width or otherwise styled letter or digit as its ASCII self (one character)."""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) == 1 and folded.isascii():
        return folded
    digit = unicodedata.decimal(char, None)
    return str(digit) if digit is not None else char


def _fold(text: str) -> str:
    """The text with every character folded alone, so that positions stay the same."""
    if text.isascii():
        return text
    return "".join(char if char.isascii() else _fold_char(char) for char in text)


def _plausible_id(number: str) -> bool:
    """An ID number written in groups is only taken for one if its birth date could be real."""
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    return 1880 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31


def _numbers_in_run(folded: str, run: re.Match) -> list[tuple[int, int, str]]:
    """(start, end, masked) for each ID or mobile number in a run of grouped digits.

    A number starts and ends at the edge of a group: the digits of a date, a time or
    an amount next to it are not taken into it, and a longer number is not cut up.
    """
    groups = [
        (run.start() + m.start(), run.start() + m.end(), m.group(0).upper())
        for m in _GROUP.finditer(run.group(0))
    ]
    found = []
    first = 0
    while first < len(groups):
        digits, match = "", None  # match: (index of its last group, start, end, masked)
        for last in range(first, len(groups)):
            digits += groups[last][2]
            if len(digits) > 18 or "X" in digits[:-1]:
                break
            start, end = groups[first][0], groups[last][1]
            if len(digits) == 18 and _ID.fullmatch(digits):
                if last == first or _plausible_id(digits):
                    match = (last, start, end, mask_id_number(digits))
            elif match is None and (phone := _PHONE.fullmatch(digits)):
                if phone.start(1) and start and folded[start - 1] == "+":
                    start -= 1  # +86: the country code goes with the number
                match = (last, start, end, mask_phone(phone.group(1)))
        if match is None:
            first += 1
            continue
        found.append(match[1:])
        first = match[0] + 1
    return found


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    pieces, position = [], 0
    for start, end, replacement in spans:
        pieces += [text[position:start], replacement]
        position = end
    return "".join(pieces) + text[position:]


def mask_personal_data_in_text(text: str) -> str:
    """Mask ID numbers, mobile numbers and licence plates typed into free text.

    Also when they are written with full-width characters, or split into groups by
    white space, dots or dashes: the text is matched folded to ASCII, and a number
    found in it is replaced in the original text by its masked ASCII form.
    """
    if not text:
        return text
    folded = _fold(text)
    numbers = [span for run in _DIGIT_RUN.finditer(folded) for span in _numbers_in_run(folded, run)]
    text = _replace(text, numbers)
    folded = _fold(text)
    plates = [
        (m.start(), m.end(), f"{m.group(1)}{m.group(2).upper()}·*****")
        for m in _PLATE.finditer(folded)
        if m.group(3).isalnum() or any(char.isdigit() for char in m.group(3))
    ]
    return _replace(text, plates)


# --- Submission references ---------------------------------------------------

# No 0/O, 1/I/L: a reference is read aloud on the phone and typed from paper.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_RANDOM_LENGTH = 6


def make_reference(prefix: str, day: date) -> str:
    """A reference such as H20260315-7KQ2XM: a type letter, the date, a random part."""
    random_part = "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_RANDOM_LENGTH)
    )
    return f"{prefix}{day:%Y%m%d}-{random_part}"


def normalise_reference(raw: str) -> str:
    """Upper-cased, full-width characters folded, without white space or control
    characters (a NUL byte cannot even reach PostgreSQL)."""
    folded = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"[\s\x00-\x1f\x7f]", "", folded).upper()


# A reference as people copy it from paper: the dash may be lost or be another dash.
_WRITTEN_REFERENCE = re.compile(r"([A-Z])([0-9]{8})[-\u2010-\u2015\u2212\u30fc]?([0-9A-Z]{4,8})")


def reference_in_query(raw: str, *, prefix: str) -> str | None:
    """The reference a search query is, written as we write it (H20260315-7KQ2XM), or None.

    Case, spaces, full-width characters and a lost or different dash are forgiven;
    anything else in the query makes it an ordinary search.
    """
    match = _WRITTEN_REFERENCE.fullmatch(normalise_reference(raw[:40]))
    if match is None or match.group(1) != prefix:
        return None
    return f"{match.group(1)}{match.group(2)}-{match.group(3)}"
