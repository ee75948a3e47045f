from datetime import date

import pytest

from villagegov.core import i18n
from villagegov.core.actions import ROLE, STATE
from villagegov.core.actor import CLERK, REVIEWER, SECRETARY, SUPERVISOR
from villagegov.core.errors import ValidationError
from villagegov.core.privacy import make_id_number
from villagegov.roster import rules
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


# --- what may be done now ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [CLERK, SECRETARY])
def test_the_clerk_and_the_secretary_may_do_everything_in_the_room(role: str) -> None:
    assert all(refusal is None for refusal in rules.room_actions(role).values())


@pytest.mark.parametrize("role", [SUPERVISOR, REVIEWER])
def test_who_may_only_read_may_export_and_nothing_else(role: str) -> None:
    allowed = rules.room_actions(role)
    assert allowed.may(rules.EXPORT)
    for action in (rules.ADD_VILLAGER, rules.ADD_HOUSEHOLD, rules.ADD_GROUP, rules.IMPORT):
        refusal = allowed[action]
        assert refusal is not None and refusal.reason == ROLE
    assert allowed.why_not(rules.IMPORT) == (
        "只有文书或书记可以修改记录；您当前的登录身份是"
        + ("监委会" if role == SUPERVISOR else "乡镇审查员")
        + "。"
    )


def facts(**kw: object) -> rules.VillagerFacts:
    base: dict[str, object] = {
        "name": "王大山",
        "head": True,
        "household": "01-001",
        "others_in_household": 0,
    }
    return rules.VillagerFacts(**{**base, **kw})  # type: ignore[arg-type]


def test_a_head_of_household_is_deleted_last() -> None:
    alone = rules.villager_actions(CLERK, facts(others_in_household=0))
    assert alone.may(rules.DELETE_VILLAGER) and alone.may(rules.EDIT_VILLAGER)
    with_one = rules.villager_actions(CLERK, facts(others_in_household=1))
    refusal = with_one[rules.DELETE_VILLAGER]
    assert refusal is not None and refusal.reason == STATE
    assert with_one.why_not(rules.DELETE_VILLAGER) == (
        "王大山是户号 01-001 的户主，该户还有其他成员：请先把户主改为其他成员，或先将其他成员移出。"
    )
    assert with_one.may(rules.EDIT_VILLAGER)  # changing the head is how the household gets another
    member = rules.villager_actions(CLERK, facts(head=False, others_in_household=3))
    assert member.may(rules.DELETE_VILLAGER)


def test_a_villager_other_records_name_stays_on_the_roster() -> None:
    named = rules.villager_actions(CLERK, facts(named_in=frozenset({"meeting", "council_member"})))
    assert named.why_not(rules.DELETE_VILLAGER) == (
        "村民议事会成员名单、议事会会议记录中有王大山，不能从花名册删除；村民迁出或去世的，请在备注中注明。"
    )
    unknown = rules.villager_actions(CLERK, facts(named_in=frozenset({"a_later_room"})))
    assert "其他记录中有王大山" in (unknown.why_not(rules.DELETE_VILLAGER) or "")
    i18n.set_language("en")
    assert named.why_not(rules.DELETE_VILLAGER) == (
        "王大山 is named in the council's meetings, the villagers' council's members, so stays on the "
        "roster; for a villager who moved away or died, say so in the notes."
    )  # in the language of the moment it is shown


def test_only_the_role_stops_a_supervisor_from_editing_a_villager() -> None:
    allowed = rules.villager_actions(SUPERVISOR, facts(head=False))
    assert all(refusal is not None and refusal.reason == ROLE for refusal in allowed.values())


@pytest.mark.parametrize(("members", "may_delete"), [(0, True), (1, False)])
def test_a_household_is_deleted_only_when_empty(members: int, may_delete: bool) -> None:
    allowed = rules.household_actions(CLERK, "01-001", members)
    assert allowed.may(rules.DELETE_HOUSEHOLD) is may_delete and allowed.may(rules.EDIT_HOUSEHOLD)
    if not may_delete:
        assert (
            allowed.why_not(rules.DELETE_HOUSEHOLD)
            == "户号 01-001 下还有成员，请先删除这些成员或把他们调到其他户。"
        )
    assert not rules.household_actions(SUPERVISOR, "01-001", 0).may(rules.DELETE_HOUSEHOLD)


@pytest.mark.parametrize(("households", "may_delete"), [(0, True), (1, False)])
def test_a_group_is_deleted_only_when_it_has_no_household(households: int, may_delete: bool) -> None:
    allowed = rules.group_actions(CLERK, "第一村民小组", households)
    assert allowed.may(rules.DELETE_GROUP) is may_delete and allowed.may(rules.RENAME_GROUP)
    assert not rules.group_actions(SUPERVISOR, "第一村民小组", 0).may(rules.RENAME_GROUP)


def test_the_id_number_gives_birth_date_and_gender_only_when_whole_and_valid() -> None:
    woman = make_id_number("411421", date(1972, 5, 9), 22)
    assert rules.id_facts(woman, TODAY) == (date(1972, 5, 9), FEMALE)
    assert rules.id_facts(" " + ID.lower() + " ", TODAY) == (date(1970, 3, 7), MALE)
    assert rules.id_facts(woman[:17], TODAY) is None  # still being typed
    assert rules.id_facts("", TODAY) is None
    wrong = woman[:17] + ("0" if woman[17] != "0" else "1")
    assert rules.id_facts(wrong, TODAY) is None
    tomorrow = make_id_number("411421", date(2026, 11, 23), 22)
    assert (
        rules.id_facts(tomorrow, TODAY) is None and rules.id_facts(tomorrow, date(2026, 11, 23)) is not None
    )
