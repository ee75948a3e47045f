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


# Masked where they stand: the separators the clerk typed stay, the hidden digits become *.
@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("110105 19491231 0021", "110105 ******** 0021"),
        ("110105-19491231-002x", "110105-********-002x"),
        ("110105 1949 1231 0021", "110105 **** **** 0021"),
        ("1101 0519 4912 3100 21", "1101 05** **** **00 21"),
        ("１１０１０５１９４９１２３１００２１", "１１０１０５********００２１"),
        ("电话 138 1234 5678", "电话 138 **** 5678"),
        ("138-1234-5678", "138-****-5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("+86-13812345678", "+86-138****5678"),
        ("(+86)13812345678", "(+86)138****5678"),
        ("8613812345678", "86138****5678"),
        ("＋８６ １３８１２３４５６７８", "＋８６ １３８****５６７８"),
        ("138　1234　5678", "138　****　5678"),  # the ideographic space
    ],
)
def test_mask_text_finds_every_spelling(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "桌号 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",  # a row of small numbers is not an ID number
        "x 12 13 14 15 16 17 18 19 20 21",
        "2026-11-25 13:45:01 共 1200 元",
        "金额 15 000 000 000 元",
        "银行卡 62220212345678901234567",  # longer than an ID number or a card: not taken for one
    ],
)
def test_mask_text_leaves_other_numbers(text: str) -> None:
    assert mask_text(text) == text
