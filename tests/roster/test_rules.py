from datetime import date

import pytest

from villagegov.core import i18n
from villagegov.core.errors import ValidationError
from villagegov.core.privacy import make_id_number
from villagegov.roster.rules import (
    FEMALE,
    GENDERS,
    MALE,
    RELATIONS,
    VillagerInput,
    check_villager,
    parse_date,
    parse_flag,
    parse_relation,
    relation_word,
    representation_note,
    women_note,
)

TODAY = date(2026, 11, 22)
ID = make_id_number("411421", date(1970, 3, 7), 11)  # a man


def entry(**kw: object) -> VillagerInput:
    base = {"name": "王大山", "household_id": 1, "relation": "head"}
    return VillagerInput(**{**base, **kw})  # type: ignore[arg-type]


def test_gender_and_birth_date_come_from_the_id_number() -> None:
    clean = check_villager(entry(id_number=ID.lower() + " "), TODAY)
    assert clean.gender == "male" and clean.birth_date == date(1970, 3, 7) and clean.id_number == ID


def test_a_birth_date_that_contradicts_the_id_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        check_villager(entry(id_number=ID, birth_date=date(1970, 3, 8)), TODAY)
    assert err.value.field == "birth_date"
    # Both dates as the screens show them, whatever the language.
    assert err.value.message() == "出生日期1970年3月8日与身份证号不符，身份证号上是1970年3月7日。"
    with i18n.speaking("en"):
        assert "March 7, 1970" in err.value.message() and "1970-03-07" not in err.value.message()


def test_a_gender_that_contradicts_the_id_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        check_villager(entry(id_number=ID, gender="female"), TODAY)
    assert err.value.field == "gender"


def test_wrong_check_digit_message_is_chinese() -> None:
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        check_villager(entry(id_number=wrong), TODAY)
    assert "校验" in err.value.message()


def test_without_id_gender_and_birth_date_are_needed() -> None:
    with pytest.raises(ValidationError) as err:
        check_villager(entry(), TODAY)
    assert err.value.field == "gender"
    with pytest.raises(ValidationError) as err:
        check_villager(entry(gender="female"), TODAY)
    assert err.value.field == "birth_date"
    assert check_villager(entry(gender="female", birth_date=TODAY), TODAY).birth_date == TODAY
    with pytest.raises(ValidationError):
        check_villager(entry(gender="female", birth_date=date(2026, 11, 23)), TODAY)


def test_representative_term() -> None:
    with pytest.raises(ValidationError) as err:
        check_villager(entry(id_number=ID, representative=True), TODAY)
    assert err.value.field == "representative_term_start"
    with pytest.raises(ValidationError):
        check_villager(
            entry(
                id_number=ID,
                representative=True,
                representative_term_start=date(2024, 1, 2),
                representative_term_end=date(2024, 1, 1),
            ),
            TODAY,
        )
    same_day = check_villager(
        entry(
            id_number=ID,
            representative=True,
            representative_term_start=date(2024, 1, 1),
            representative_term_end=date(2024, 1, 1),
        ),
        TODAY,
    )
    assert same_day.representative
    # A term entered for someone who is not a representative is dropped, not kept half-true.
    plain = check_villager(entry(id_number=ID, representative_term_start=date(2024, 1, 1)), TODAY)
    assert plain.representative_term_start is None


def test_phone_must_be_a_number() -> None:
    with pytest.raises(ValidationError) as err:
        check_villager(entry(id_number=ID, phone="无"), TODAY)
    assert err.value.field == "phone"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-03-07", date(1980, 3, 7)),
        ("1980/3/7", date(1980, 3, 7)),
        ("1980.3.7", date(1980, 3, 7)),
        ("19800307", date(1980, 3, 7)),
        ("1980年3月7日", date(1980, 3, 7)),
        ("三月七日", None),
        ("1980-02-30", None),
        ("19801307", None),
        ("1980-03-07 00:00:00", date(1980, 3, 7)),
        ("1980/3/7 0:00", date(1980, 3, 7)),
        (19800307, date(1980, 3, 7)),
    ],
)
def test_dates_as_rosters_write_them(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("1990112", ["1990年11月2日", "1990年1月12日"]),  # the example
        (1990112, ["1990年11月2日", "1990年1月12日"]),  # a number in an Excel cell
        ("1990312", ["1990年3月12日"]),  # one reading, still a digit short: refused all the same
        ("199012", ["1990年1月2日"]),
    ],
)
def test_compact_dates_need_eight_digits(text: object, readings: list[str]) -> None:
    with pytest.raises(ValidationError) as err:
        parse_date(text)
    assert all(r in err.value.message() for r in readings) and str(text) in err.value.message()


@pytest.mark.parametrize("name", ["\x00", "王\x00大山", "王\u200b大山", "\u202e山大王", "王\x1b大山"])
def test_names_with_invisible_control_characters_are_refused(name: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_villager(entry(name=name, id_number=ID), TODAY)
    assert err.value.field == "name" and "U+" in err.value.message()
    # Rare characters beyond the BMP and private-use characters (old GBK systems' 生僻字) are names.
    assert check_villager(entry(name="王𠮷\ue000", id_number=ID), TODAY).name == "王𠮷\ue000"


def test_flags_and_relations() -> None:
    assert parse_flag("是") is True and parse_flag("") is False and parse_flag("也许") is None
    assert parse_relation("户主") == "head" and parse_relation("儿媳") == "child_in_law"
    assert parse_relation("邻居") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("儿媳", "child_in_law"), ("儿媳妇", "child_in_law"), ("女婿", "child_in_law"),
        ("儿媳/女婿", "child_in_law"), ("child_in_law", "child_in_law"), ("Child-in-law", "child_in_law"),
        ("孙子", "grandchild"), ("孙女", "grandchild"), ("外孙", "grandchild"), ("外孙子", "grandchild"),
        ("外孙女", "grandchild"), ("孙子女", "grandchild"), (" 孙女\u3000", "grandchild"),
        ("儿子", "child"), ("独生女", "child"), ("养子", "child"), ("哥哥", "sibling"), ("妹妹", "sibling"),
        ("爱人", "spouse"), ("岳母", "parent"), ("Head of household", "head"), ("Other relative", "other"),
        ("邻居", None), ("", None),
    ],
)  # fmt: skip
def test_relations_as_rosters_say_them(text: str, expected: str | None) -> None:
    assert parse_relation(text) == expected


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("gender", [*GENDERS, None])
def test_every_exported_relation_word_reads_back_as_the_same_relation(
    relation: str, gender: str | None
) -> None:
    assert parse_relation(relation_word(relation, gender)) == relation


def test_the_exported_word_follows_the_villagers_gender() -> None:
    assert (relation_word("child_in_law", MALE), relation_word("child_in_law", FEMALE)) == ("女婿", "儿媳")
    assert (relation_word("grandchild", MALE), relation_word("grandchild", FEMALE)) == ("孙子", "孙女")
    assert relation_word("head", FEMALE) == "户主" and relation_word("child", MALE) == "子女"


@pytest.mark.parametrize(
    ("households", "representatives", "note"),
    [
        (150, 10, None),  # exactly one for every 15 households
        (150, 9, "fewer"),  # one for every 16.7
        (50, 10, None),  # exactly one for every 5
        (50, 11, "more"),
        (151, 10, "fewer"),  # 15.1 households each: one more is needed
        (3, 1, None),  # a tiny village still has one
        (400, 33, None),  # the demo village: about 12 each
        (400, 0, "none"),
        (0, 0, None),  # nothing to count yet
    ],
)
def test_representatives_are_held_to_one_for_every_5_to_15_households(
    households: int, representatives: int, note: str | None
) -> None:
    found = representation_note(households, representatives)
    if note is None:
        assert found is None
        return
    assert found is not None
    msgid, params = found
    assert {"fewer": "fewer than", "more": "more than", "none": "No villagers'"}[note] in msgid
    text = i18n.message(msgid, params)
    if note == "fewer":
        assert f"至少 {params['least']} 名" in text and params["least"] == -(-households // 15)
    if note == "more":
        assert f"最多 {params['most']} 名" in text and params["most"] == households // 5


@pytest.mark.parametrize(
    ("representatives", "women", "least"),
    [
        (33, 11, None),  # exactly a third: 以上 counts the third itself
        (33, 10, 11),
        (34, 12, None),  # 12/34 is more than a third
        (34, 11, 12),  # 11/34 is less: at least 12 (a third of 34 is 11.33)
        (3, 1, None),
        (1, 0, 1),
        (0, 0, None),  # none marked yet: the households' note says so
    ],
)
def test_women_make_up_a_third_or_more_of_the_representatives(
    representatives: int, women: int, least: int | None
) -> None:
    found = women_note(representatives, women)
    if least is None:
        assert found is None
        return
    assert found is not None
    msgid, params = found
    assert params["least"] == least
    text = i18n.message(msgid, params)
    assert f"妇女 {women} 名" in text and f"至少应有 {least} 名" in text
