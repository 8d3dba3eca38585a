from datetime import date

import pytest

from webapp.common import identifiers
from webapp.common.identifiers import InvalidIdentifier, reference_in_query

VALID_ID = "11010519491231002X"  # GB 11643's own example


def test_a_valid_id_number_gives_its_birth_date():
    resident = identifiers.parse_id_number(VALID_ID)
    assert resident.birth_date == date(1949, 12, 31)
    assert resident.age_on(date(2025, 12, 30)) == 75
    assert resident.age_on(date(2025, 12, 31)) == 76


def test_a_lower_case_x_is_taken_as_upper_case():
    assert identifiers.parse_id_number(VALID_ID.lower()).number == VALID_ID


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("110105491231002", "15"),
        ("11010519491231002", "17"),
        ("110105194912310021", "last character"),
        ("110105194902300027", "not a real date"),
        ("11010519491231002Y", "17 digits"),
    ],
)
def test_a_bad_id_number_is_refused_saying_why(app, raw, says):
    with app.test_request_context("/?lang=en"):
        from flask import session

        session["lang"] = "en"
        with pytest.raises(InvalidIdentifier) as error:
            identifiers.parse_id_number(raw)
        assert says in str(error.value.message)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_valid_credit_codes_pass(code):
    assert identifiers.normalise_credit_code(code.lower()) == code


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100M0I0100Y43"])
def test_bad_credit_codes_are_refused(app, code):
    with app.test_request_context(), pytest.raises(InvalidIdentifier):
        identifiers.normalise_credit_code(code)


@pytest.mark.parametrize(
    "raw", ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "8613800138000"]
)
def test_mobile_numbers_are_normalised(raw):
    assert identifiers.normalise_mobile(raw) == "13800138000"


@pytest.mark.parametrize(
    "raw", ["12800138000", "1380013800", "138001380001", "1380013800a", "１３８００１３８０００"]
)
def test_bad_mobile_numbers_are_refused(app, raw):
    with app.test_request_context(), pytest.raises(InvalidIdentifier):
        identifiers.normalise_mobile(raw)


def test_masking_keeps_only_the_ends():
    assert identifiers.mask_id_number("11010519491231123X") == "110105********123X"
    assert identifiers.mask_phone("13812345678") == "138****5678"


def test_personal_data_typed_into_text_is_masked():
    text = "晋C·12345 撞了护栏,车主电话 138 1234 5678,身份证 11010519491231002X"
    masked = identifiers.mask_personal_data_in_text(text)
    assert "12345" not in masked and "1234 5678" not in masked and "19491231" not in masked
    assert "晋C·*****" in masked and "138****5678" in masked


def test_references_are_random_and_carry_the_date():
    day = date(2026, 3, 15)
    references = {identifiers.make_reference("H", day) for _ in range(200)}
    assert len(references) == 200
    assert all(ref.startswith("H20260315-") and len(ref) == 16 for ref in references)


def test_a_reference_is_normalised_without_white_space_or_control_characters():
    from webapp.common.identifiers import normalise_reference

    assert normalise_reference(" h20260315-\x007kq2xm\t\x1f") == "H20260315-7KQ2XM"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("H20261203-7KQ2XM", "H20261203-7KQ2XM"),
        (" h20261203-7kq2xm ", "H20261203-7KQ2XM"),
        ("h2026 1203 7KQ2XM", "H20261203-7KQ2XM"),
        ("ｈ２０２６１２０３－７ＫＱ２ＸＭ", "H20261203-7KQ2XM"),
        ("H20261203—7KQ2XM", "H20261203-7KQ2XM"),
        ("T20261203-7KQ2XM", None),
        ("头盔 H20261203-7KQ2XM", None),
        ("H2026", None),
        ("", None),
    ],
)
def test_a_search_query_that_is_a_hazard_reference_is_recognised(query, expected):
    assert reference_in_query(query, prefix="H") == expected
