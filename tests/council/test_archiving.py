"""The council's share of the yearly archive: every record of the period, valid JSON, and its documents."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest
from jsonschema import Draft202012Validator

from tests.council.test_service import Village, _attend, _plan, _sign, village
from villagegov.archive import contract
from villagegov.archive.contract import Period
from villagegov.core import voting
from villagegov.core.actor import Actor
from villagegov.core.errors import ValidationError
from villagegov.council import archiving, rules, service
from villagegov.council.rules import ItemInput, RecusalInput
from villagegov.printing.document import render_bytes

__all__ = ["village"]  # the fixture of test_service, on both engines


def _year_of_meetings(v: Village) -> dict[str, int]:
    """2025: one finalised meeting (recusal, roll call, amended in 2026) and a 流会; 2026: one planned."""
    meeting = _plan(v, date(2025, 3, 1), ItemInput("修缮村东水渠"), ItemInput("鱼塘发包"))
    service.add_observer(v.clerk, meeting.id, "陈淑芬", rules.SUPERVISORY, "监委会主任")
    meeting = _attend(v, meeting, absent=1)
    canal, pond = meeting.items
    conflicted = meeting.attendance[3].member_id
    service.set_recusals(v.clerk, pond.id, [RecusalInput(conflicted, "近亲属承包")])
    passed = service.record_votes(v.clerk, canal.id, 6, 1, 1)
    eligible = [
        a.member_id for a in meeting.attendance if a.status == rules.PRESENT and a.member_id != conflicted
    ]
    service.record_roll_call(v.clerk, pond.id, {m: rules.AGAINST for m in eligible[:5]})
    service.set_minutes(v.clerk, meeting.id, "会议由王建国主持。", canal.id)
    final = _sign(v, meeting.id)
    minutes_id = final.items[0].minutes_id
    assert minutes_id is not None
    service.amend(
        v.clerk, meeting.id, "minutes.text", minutes_id, "会议由王建国主持，秋后施工。", "漏记",
        now=datetime(2026, 1, 5, 10),
    )  # fmt: skip
    failed = _attend(v, _plan(v, date(2025, 6, 1), ItemInput("机动地租金")), absent=4)
    planned = _plan(v, date(2026, 2, 1), ItemInput("防火巡查"))
    assert passed.resolution is not None
    return {
        "held": meeting.id,
        "failed": failed.id,
        "planned": planned.id,
        "resolution": passed.resolution.id,
    }


def _by_kind(sets: list[contract.RecordSet]) -> dict[str, contract.RecordSet]:
    return {s.kind: s for s in sets}


def test_records_of_a_year_are_complete_json_that_meets_its_schema(village: Village) -> None:
    v = village
    ids = _year_of_meetings(v)
    sets = _by_kind(archiving.records(v.clerk, Period.year(2025)))
    assert set(sets) == {
        "council_terms", "council_members", "council_rules", "meetings", "agenda_items", "attendance",
        "observers", "recusals", "votes", "roll_call_votes", "minutes", "resolutions", "amendments",
    }  # fmt: skip
    for kind, record_set in sets.items():
        Draft202012Validator.check_schema(record_set.schema)
        validator = Draft202012Validator(
            record_set.schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        for record in record_set.records:
            errors = [e.message for e in validator.iter_errors(record)]
            assert not errors, (kind, record, errors)
        # JSON-ready as it is, and never a float (thresholds are "2/3" strings).
        assert json.loads(json.dumps(record_set.records)) == [dict(r) for r in record_set.records]
        assert not [value for r in record_set.records for value in r.values() if isinstance(value, float)]
        assert not record_set.personal_data
    assert [m["id"] for m in sets["meetings"].records] == [ids["held"], ids["failed"]]  # not 2026's
    held = sets["meetings"].records[0]
    assert (held["state"], held["expected"], held["present"], held["quorum_needed"]) == (
        rules.FINALISED, 9, 8, 6,
    )  # fmt: skip
    assert sets["meetings"].records[1]["state"] == rules.NOT_HELD
    assert len(sets["council_members"].records) == 9 and "phone" not in sets["council_members"].records[0]
    (rules_version,) = sets["council_rules"].records
    assert (rules_version["quorum"], rules_version["pass"], rules_version["pass_strict"]) == (
        "2/3",
        "1/2",
        True,
    )
    assert len(sets["attendance"].records) == 18  # nine at each meeting held or not
    assert sets["observers"].records[0]["name"] == "陈淑芬"
    assert sets["recusals"].records[0]["reason"] == "近亲属承包"
    votes = {r["item_id"]: r for r in sets["votes"].records}
    assert [r["outcome"] for r in votes.values()] == [voting.PASSED, voting.NOT_PASSED]
    assert len(sets["roll_call_votes"].records) == 7  # the eligible, with those who did not vote
    assert sum(r["choice"] is None for r in sets["roll_call_votes"].records) == 2
    (resolution,) = sets["resolutions"].records
    assert (resolution["id"], resolution["number"]) == (ids["resolution"], "〔2025〕议字第1号")
    (amendment,) = sets["amendments"].records  # made in 2026, of a 2025 meeting: in both years
    assert (amendment["original"], amendment["corrected"]) == (
        "会议由王建国主持。",
        "会议由王建国主持，秋后施工。",
    )
    assert amendment["amended_at"].startswith("2026-01-05T10:00:00")
    later = _by_kind(archiving.records(v.clerk, Period.year(2026)))
    # The 2025 meetings were entered now (2026): a period also holds every row its audit entries wrote.
    assert [m["id"] for m in later["meetings"].records] == [ids["held"], ids["failed"], ids["planned"]]
    assert [a["id"] for a in later["amendments"].records] == [amendment["id"]]
    assert len(later["votes"].records) == 2 and len(later["resolutions"].records) == 1
    assert all(s.entity for k, s in later.items() if k not in ("recusals", "roll_call_votes"))


def test_documents_of_a_year_are_the_minutes_and_resolutions(village: Village) -> None:
    v = village
    ids = _year_of_meetings(v)
    docs = archiving.documents(v.clerk, Period.year(2025))
    assert [(d.record_kind, d.record_id) for d in docs] == [
        ("meetings", ids["held"]), ("meetings", ids["failed"]), ("resolutions", ids["resolution"]),
    ]  # fmt: skip
    assert len({d.name for d in docs}) == len(docs)
    assert all(re.fullmatch(r"[A-Za-z0-9_/-]+\.pdf", d.name) for d in docs)
    assert docs[0].title == "青石村村民议事会第1次会议记录" and docs[0].on == date(2025, 3, 1)
    assert docs[2].title == "〔2025〕议字第1号 修缮村东水渠" and not docs[2].personal_data
    built = docs[0].build()
    assert built.title == "青石村村民议事会第1次会议记录"
    assert render_bytes(docs[2].build()).startswith(b"%PDF")
    assert archiving.documents(v.clerk, Period.year(2026)) == []  # a planned meeting has no minutes yet


def test_the_archive_finds_the_room_and_reads_only_its_own_village(village: Village) -> None:
    assert contract.room_module("council") is archiving
    _year_of_meetings(village)
    outsider = Actor(99, "x", "x", "clerk", 99)  # the clerk of another village
    assert all(s.records == () for s in archiving.records(outsider, Period.year(2025)))
    assert archiving.documents(outsider, Period.year(2025)) == []
    with pytest.raises(ValidationError):  # a township reviewer names the village first
        archiving.records(Actor(None, "xiangzhen", "乡镇", "reviewer", None), Period.year(2025))


def test_a_council_record_set_for_a_village_without_a_council(any_clerk: Actor) -> None:
    sets = archiving.records(any_clerk, Period.year(2025))
    assert all(s.records == () for s in sets) and archiving.documents(any_clerk, Period.year(2025)) == []


def test_a_village_with_a_council_has_its_term_and_members_in_each_year_it_spans(village: Village) -> None:
    v = village
    for year in (2025, 2029):
        sets = _by_kind(archiving.records(v.clerk, Period.year(year)))
        assert [t["id"] for t in sets["council_terms"].records] == [v.council.id]
        assert len(sets["council_members"].records) == 9
    assert _by_kind(archiving.records(v.clerk, Period.year(2030)))["council_terms"].records == ()
