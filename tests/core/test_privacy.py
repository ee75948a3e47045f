from datetime import date

import pytest

from villagegov.core.privacy import (
    IdNumberProblem,
    check_char,
    make_id_number,
    mask_id_number,
    mask_phone,
    mask_text,
    normalise_phone,
    validate_id_number,
)


def test_check_character_of_the_standard_example() -> None:
    # GB 11643-1999's worked example: 11010519491231002 → X
    assert check_char("11010519491231002") == "X"
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("wrong", "0123456789X")
def test_every_wrong_check_character_is_refused(wrong: str) -> None:
    good = make_id_number("411421", date(1970, 3, 7), 11)
    if wrong == good[-1]:
        return
    with pytest.raises(IdNumberProblem) as err:
        validate_id_number(good[:17] + wrong)
    assert err.value.reason == "check_digit"


def test_impossible_birth_date_and_format() -> None:
    with pytest.raises(IdNumberProblem) as err:
        validate_id_number("411421" + "19700230" + "0110")
    assert err.value.reason == "birth_date"
    with pytest.raises(IdNumberProblem) as err:
        validate_id_number("4114211970030701")
    assert err.value.reason == "format"
    future = make_id_number("411421", date(2030, 1, 1), 11)
    with pytest.raises(IdNumberProblem):
        validate_id_number(future, today=date(2026, 11, 22))


def test_masks_keep_first_and_last_characters() -> None:
    assert mask_id_number("110105194912310021") == "110105********0021"
    assert mask_phone("13812345678") == "138****5678"


def test_mask_text_hides_numbers_in_free_text() -> None:
    text = "张三 身份证110105194912310021，电话13812345678，金额1200元"
    masked = mask_text(text)
    assert "110105194912310021" not in masked and "13812345678" not in masked
    assert "110105********0021" in masked and "138****5678" in masked and "1200元" in masked


def test_phone_numbers() -> None:
    assert normalise_phone("138 1234 5678") == "13812345678"
    assert normalise_phone("0371-65432100") == "0371-65432100"
    assert normalise_phone("12345") is None
