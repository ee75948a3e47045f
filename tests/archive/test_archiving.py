"""The roster's and the notices' archiving modules: what they give the package, and what a reviewer sees."""

from __future__ import annotations

from datetime import date

import peewee
from jsonschema import Draft202012Validator

from villagegov.archive.contract import ROOMS, Period, known_schemas, room_module
from villagegov.notices import archiving as notices_archiving
from villagegov.roster import archiving as roster_archiving

from .conftest import YEAR, fill_village


def test_every_record_matches_its_schema_and_names_its_entity(any_store: peewee.Database) -> None:
    clerk = fill_village("青石村", notices_count=3)
    period = Period.year(YEAR)
    for module in (roster_archiving, notices_archiving):
        for rs in module.records(clerk, period):
            validator = Draft202012Validator(rs.schema)
            for record in rs.records:
                assert not list(validator.iter_errors(record)), (rs.kind, record)
            assert known_schemas()[rs.kind] == (rs.schema_version, rs.schema)
    sets = {rs.kind: rs for rs in notices_archiving.records(clerk, period)}
    assert len(sets["notices"].records) == 3 and sets["notices"].entity == "notice"
    villagers = {rs.kind: rs for rs in roster_archiving.records(clerk, period)}["villagers"]
    assert villagers.personal_data and villagers.records[0]["id_number"]  # the package is not a public copy
    docs = notices_archiving.documents(clerk, period)
    assert {d.name for d in docs} >= {f"notices/notice-{n}.pdf" for n in (1, 2, 3)}
    first = next(d for d in docs if d.name == "notices/notice-1.pdf")
    assert first.personal_data  # the list names villagers
    assert first.build().title.endswith("第1号公开事项")
    assert roster_archiving.documents(clerk, period) == []


def test_a_year_without_notices_has_none(any_store: peewee.Database) -> None:
    clerk = fill_village("青石村", notices_count=2)
    assert notices_archiving.records(clerk, Period.year(YEAR - 3))[0].records == ()
    assert notices_archiving.documents(clerk, Period.year(YEAR - 3)) == []


def test_rooms_without_an_archiving_module_are_skipped() -> None:
    modules = {room: room_module(room) for room in ROOMS}
    assert modules["roster"] is roster_archiving and modules["notices"] is notices_archiving


def test_review_names_what_the_township_should_look_at() -> None:
    notices = [
        {
            "id": 1,
            "number": "〔2026〕1号",
            "title": "低保评议",
            "kind": "publicity",
            "posted_at": "2026-03-01",
            "period_end": None,
            "major": False,
            "state": "posted",
        },
        {
            "id": 2,
            "number": "",
            "title": "征地补偿",
            "kind": "announcement",
            "posted_at": None,
            "period_end": None,
            "major": True,
            "state": "draft",
        },
    ]
    objections = [
        {
            "id": 5,
            "notice_id": 1,
            "received_on": "2026-03-02",
            "answered_on": None,
            "answer_due": "2026-03-12",
        },
        {
            "id": 6,
            "notice_id": 1,
            "received_on": "2026-03-02",
            "answered_on": "2026-03-12",
            "answer_due": "2026-03-12",
        },
        {
            "id": 7,
            "notice_id": 1,
            "received_on": "2026-03-02",
            "answered_on": "2026-03-13",
            "answer_due": "2026-03-12",
        },
    ]
    found = notices_archiving.review({"notices": notices, "objections": objections})
    assert [(f.kind, f.record_id) for f in found] == [
        ("notices", 1),
        ("notices", 2),
        ("objections", 5),
        ("objections", 7),
    ]
    assert "〔2026〕1号《低保评议》" in found[0].message()


def test_review_of_representatives_at_the_legal_edges() -> None:
    def roster(households: int, men: int, women: int) -> dict:
        reps = [{"representative": True, "gender": "male"}] * men + [
            {"representative": True, "gender": "female"}
        ] * women
        return {"households": [{}] * households, "villagers": reps}

    assert (
        roster_archiving.review(roster(45, 2, 1)) == []
    )  # exactly 15 per representative, exactly a third women
    assert len(roster_archiving.review(roster(46, 2, 1))) == 1  # one household more than 15 each
    assert len(roster_archiving.review(roster(15, 2, 1))) == 0  # exactly 5 each
    assert len(roster_archiving.review(roster(14, 2, 1))) == 1  # under 5 each
    women_short = roster_archiving.review(roster(40, 3, 1))
    assert len(women_short) == 1 and women_short[0].params == {"women": 1, "n": 4}
    assert len(roster_archiving.review(roster(10, 0, 0))) == 1  # none at all


def test_period_bounds_are_china_days() -> None:
    from villagegov.archive.contract import audit_bounds

    start, end = audit_bounds(Period(date(2026, 1, 1), date(2026, 12, 31)))
    assert start == "2025-12-31T16:00:00.000000+00:00" and end == "2026-12-31T16:00:00.000000+00:00"
