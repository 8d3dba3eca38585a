"""Identifiers of people, companies and submissions: check, normalise, mask, make.

Pure functions; the WTForms validators in `validators.py` wrap them.
"""

import re
import secrets
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
_PLATE = re.compile(rf"([{PROVINCES}])\s*([A-Z])\s*[·・.\-\s]?\s*[A-Z0-9]{{5,6}}", re.IGNORECASE)
_ID_IN_TEXT = re.compile(r"(?<![0-9])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(
    r"(?<![0-9])(?:\+?86[\s\-]?)?1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}(?![0-9])"
)


def mask_personal_data_in_text(text: str) -> str:
    """Mask ID numbers, mobile numbers and licence plates typed into free text."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE_IN_TEXT.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))[-11:]), text)
    return _PLATE.sub(lambda m: f"{m.group(1)}{m.group(2).upper()}·*****", text)


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
    """Without white space or control characters (a NUL byte cannot even reach PostgreSQL)."""
    return re.sub(r"[\s\x00-\x1f\x7f]", "", raw or "").upper()
