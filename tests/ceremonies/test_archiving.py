"""The archive contract: the room's records (valid against their JSON Schemas) and its documents."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from tests.ceremonies.conftest import TODAY, Village, wedding, wedding_plan
from villagegov.archive.contract import Period, room_module
from villagegov.ceremonies import archiving, rules, service
from villagegov.core.actor import Actor
from villagegov.printing.document import render_bytes

jsonschema = pytest.importorskip("jsonschema")


def _year(v: Village, secretary: Actor) -> None:
    service.set_standard(
        secretary, rules.Standard(date(2026, 7, 1), rules.Caps(15, 500_00, days=1), rules.Caps(tables=20),
                                  rules.Caps(tables=10), basis="修订"),
    )  # fmt: skip
    c = service.report(v.clerk, wedding(v.wang), today=TODAY)
    revised = wedding_plan(tables="15", cost_per_table="500")
    service.record_advice(v.clerk, c.id, "压缩桌数", date(2026, 9, 21), v.chair, revised, today=TODAY)
    service.sign_commitment(v.clerk, c.id, date(2026, 9, 22), today=TODAY)
    service.supervise(
        v.clerk,
        c.id,
        v.member,
        date(2026, 10, 2),
        wedding_plan(tables="16", cost_per_table="500"),
        today=TODAY,
    )
    service.follow_up(v.clerk, c.id, v.chair, date(2026, 10, 9), "80000", rules.SATISFIED, today=TODAY)
    service.report(v.clerk, wedding(v.li, date(2026, 3, 1)), today=TODAY)  # under the defaults
    service.report(v.clerk, wedding(v.li, date(2027, 1, 5)), today=TODAY)  # next year's


def test_the_room_follows_the_archive_contract(village: Village, secretary: Actor) -> None:
    assert room_module("ceremonies") is archiving
    _year(village, secretary)
    sets = {s.kind: s for s in archiving.records(village.clerk, Period.year(2026))}
    assert set(sets) == {"ceremony_councils", "ceremony_standards", "ceremonies", "ceremony_years"}
    for record_set in sets.values():
        jsonschema.Draft202012Validator.check_schema(record_set.schema)
        validator = jsonschema.Draft202012Validator(record_set.schema)
        for record in record_set.records:
            validator.validate(record)
        # JSON-ready: no float, date or Decimal anywhere.
        assert json.loads(json.dumps(record_set.records)) == list(record_set.records)
        assert "." not in re.sub(r'"[^"]*"', "", json.dumps(record_set.records))
    ceremonies = sets["ceremonies"].records
    # Next year's wedding is here too: it was reported (written) this year.
    assert [c["day"] for c in ceremonies] == ["2026-03-01", "2026-10-02", "2027-01-05"]
    assert sets["ceremonies"].entity == "ceremony" and "place" in sets["ceremonies"].audited_fields
    held = ceremonies[1]
    assert [p["figures"]["tables"] for p in held["plans"]] == [28, 15]  # the first plan is kept
    assert held["actual_breaches"] == [{"item": "tables", "value": 16, "cap": 15}]
    assert held["follow_up"]["actual_spending_fen"] == 80_000_00
    assert (
        held["standard_effective_from"] == "2026-07-01" and ceremonies[0]["standard_effective_from"] is None
    )
    assert sets["ceremonies"].personal_data and not sets["ceremony_standards"].personal_data
    assert [m["name"] for m in sets["ceremony_councils"].records[0]["members"]] == ["李长顺", "王秀英"]
    assert [s["effective_from"] for s in sets["ceremony_standards"].records] == ["2026-07-01"]
    assert archiving.records(village.clerk, Period.year(2025))[2].records == ()
    # The year's figures are records too (the yearly summary belongs to them): 2 reported, 1 supervised.
    [year] = sets["ceremony_years"].records
    assert (year["id"], year["ceremonies"], year["supervised"], year["within"]) == (2026, 2, 1, 0)
    assert year["share_within"] == "0/1" and year["actual_spending_fen"] == 80_000_00


def test_documents_are_named_dated_and_built_lazily(village: Village, secretary: Actor) -> None:
    _year(village, secretary)
    docs = archiving.documents(village.clerk, Period.year(2026))
    names = [d.name for d in docs]
    assert all(re.fullmatch(r"[A-Za-z0-9_/-]+\.pdf", n) for n in names) and len(set(names)) == len(names)
    kinds = sorted(n.rsplit("-", 1)[-1] for n in names)
    # Each paper goes with the year of its own date: next year's wedding was reported this year.
    assert kinds == ["commitment.pdf", "report.pdf", "report.pdf", "report.pdf", "summary.pdf", "up.pdf"]
    assert all(d.on.year == 2026 for d in docs)
    summary = next(d for d in docs if d.name.endswith("summary.pdf"))
    assert summary.on == date(2026, 12, 31) and not summary.personal_data
    follow_up = next(d for d in docs if d.name.endswith("follow-up.pdf"))
    assert follow_up.on == date(2026, 10, 9) and follow_up.title.startswith("红白事事后回访记录")
    pdf_bytes = render_bytes(follow_up.build())
    assert pdf_bytes.startswith(b"%PDF")
    # A whole year with no ceremony has its figures in the records but no paper of zeros.
    earlier = archiving.documents(village.clerk, Period.year(2025))
    assert (
        earlier == [] and archiving.records(village.clerk, Period.year(2025))[3].records[0]["ceremonies"] == 0
    )
    # Half a year has no yearly summary.
    half = archiving.documents(village.clerk, Period(date(2026, 7, 1), date(2026, 12, 31)))
    assert not any(d.name.endswith("summary.pdf") for d in half)
