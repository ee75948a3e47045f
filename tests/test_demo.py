"""The demo village a trainer shows: big and realistic enough, valid throughout, and quick to make."""

from __future__ import annotations

import gettext
import random
import re
from collections import Counter
from datetime import date, timedelta

import peewee
import pytest

from villagegov import demo
from villagegov.accounts import service as accounts
from villagegov.ceremonies import rules as ceremony_rules
from villagegov.ceremonies import service as ceremony_service
from villagegov.core import audit, i18n, maintenance, voting
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.privacy import id_birth_date, id_gender, normalise_phone, validate_id_number
from villagegov.council import rules as council_rules
from villagegov.council import service as council
from villagegov.decisions import rules as decision_rules
from villagegov.decisions import service as decisions
from villagegov.notices import rules as notice_rules
from villagegov.notices import service as notices
from villagegov.petitions import mediation_rules, mediation_service, petition_rules, petition_service
from villagegov.roster import service as roster

# The demo and the day: .ci/run runs these again at the year's edges (VILLAGEGOV_TEST_TODAY).
pytestmark = pytest.mark.date_sensitive

TODAY = date(2026, 11, 22)


def _age(born: date) -> int:
    return TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))


@pytest.mark.slow
def test_the_demo_village_is_realistic_valid_and_quick(store: peewee.Database) -> None:
    summary = demo.fill_demo(store, TODAY)
    print(f"demo fill: {summary.seconds:.2f} s for {summary.villagers} villagers")

    clerk = accounts.sign_in("wenshu", "demo1234")
    assert (clerk.display_name, clerk.role) == ("李文书", "clerk")
    assert accounts.sign_in("shuji", "demo1234").role == "secretary"
    assert accounts.sign_in("jianwei", "demo1234").role == "supervisor"
    village = roster.village(clerk)
    assert (village.name, village.township, village.county) == ("青石村", "柳溪镇", "安平县")

    counts = roster.counts(clerk)
    assert counts == {
        "groups": summary.groups,
        "households": summary.households,
        "villagers": summary.villagers,
        "representatives": summary.representatives,
        "women_representatives": summary.women_representatives,
    }
    groups = roster.list_groups(clerk)
    assert [g.name for g in groups] == [
        "第一村民小组", "第二村民小组", "第三村民小组", "第四村民小组", "第五村民小组", "第六村民小组",
    ]  # fmt: skip
    assert 380 <= counts["households"] <= 420 and 1400 <= counts["villagers"] <= 1600

    households = roster.list_households(clerk)
    for n, group in enumerate(groups, start=1):
        mine = [h for h in households if h.group_id == group.id]
        assert mine and all(re.fullmatch(rf"{n:02d}-\d{{3}}", h.number) for h in mine)
    assert all(h.head for h in households)  # every household has its head

    people = roster.list_villagers(clerk)
    numbers = [p.id_number for p in people]
    assert None not in numbers and len(set(numbers)) == len(numbers)
    for p in people:
        assert validate_id_number(p.id_number, TODAY) == p.id_number
        assert (id_birth_date(p.id_number), id_gender(p.id_number)) == (p.birth_date, p.gender)
    adults = [p for p in people if 18 <= _age(p.birth_date) <= 70]
    with_phone = [p for p in adults if p.phone]
    assert len(with_phone) >= 0.8 * len(adults)
    assert all(normalise_phone(p.phone) == p.phone for p in people if p.phone)
    assert all(_age(p.birth_date) >= 16 for p in people if p.phone)
    genders = Counter(p.gender for p in people)
    assert 0.45 <= genders["female"] / len(people) <= 0.55

    party = [p for p in people if p.party_member]
    assert 0.06 <= len(party) / len(people) <= 0.10
    assert all(_age(p.birth_date) >= 18 for p in party)
    assert 0 < sum(p.gender == "female" for p in party) < len(party) / 2

    reps = [p for p in people if p.representative]
    assert len(reps) >= 30 and sum(p.gender == "female" for p in reps) * 3 >= len(reps)
    assert {(p.representative_term_start, p.representative_term_end) for p in reps} == {
        (date(2024, 1, 1), date(2028, 12, 31))
    }
    for group in groups:
        seats = sum(p.group_id == group.id for p in reps)
        assert 10 <= group.households / seats <= 15, group.name

    # Villages are clans: in each group the most common surname heads a good share of households.
    for group, clans in zip(groups, demo.GROUP_SURNAMES, strict=True):
        heads = Counter(h.head[0] for h in households if h.group_id == group.id)
        surname, n = heads.most_common(1)[0]
        assert surname == clans[0] and n >= 0.3 * group.households

    # Everything went through the services: the audit trail explains every record.
    report = maintenance.check(store)
    assert report.ok, report.lines()
    roster_entries = 2 + 2 + counts["groups"] + counts["households"] + counts["villagers"]
    assert report.entries >= roster_entries + summary.notices + summary.objections

    # A year of notices in every category, kind and state, with objections on time and late.
    rows = notices.list_notices(clerk)
    assert len(rows) == summary.notices >= 30 and summary.objections >= 3
    assert {r.category for r in rows} == set(notice_rules.CATEGORY_LABELS)
    assert {r.kind for r in rows} == set(notice_rules.KIND_LABELS)
    assert {r.state for r in rows} == set(notice_rules.STATE_LABELS)
    objections = [o for r in rows for o in notices.list_objections(clerk, r.id)]
    assert any(o.late for o in objections) and any(not o.late for o in objections)
    # A year of major matters at every step: one complete with both disclosures, one not adopted at
    # step 4, one sent back at step 2, and stalled and waiting ones the list warns of.
    matters = decisions.list_decisions(clerk, today=TODAY)
    assert len(matters) == summary.decisions >= 8
    assert {m.step for m in matters} == set(decision_rules.STEPS)
    assert {m.state for m in matters} == set(decision_rules.STATES)
    details = [decisions.get_decision(clerk, m.id, TODAY) for m in matters]
    done = [d for d in details if d.state == decision_rules.COMPLETE]
    assert done and all(d.current(s) is not None for d in done for s in decision_rules.STEPS)
    failed = next(d for d in details if d.state == decision_rules.NOT_ADOPTED)
    assert failed.progress.step == decision_rules.RESOLVE
    revised = [d for d in details if d.round > 1]
    assert revised and revised[0].steps[1].step == decision_rules.DISCUSS
    assert revised[0].steps[1].outcome == decision_rules.NOT_AGREED
    assert {a.kind for m in matters for a in m.alerts} >= {
        decision_rules.STALLED,
        decision_rules.OPEN_CONCERN,
    }
    dossier = decisions.dossier(clerk, done[0].id, TODAY)
    # The supervisory committee's phone prints in full in the copies of the notices, as on the board.
    published = notices.masking(clerk).published
    assert len(dossier.notices) == 2 and notice_rules.personal_numbers(repr(dossier), published) == []
    subsidy = next(r for r in rows if "补贴" in r.title and r.kind == notice_rules.PUBLICITY and r.number)
    document = notices.document(clerk, subsidy.id)
    settings = notices.notice_settings(clerk)  # the village's own numbers print on purpose
    published = (settings.supervisory_phone, *(phone for phone, _whose in settings.public_phones))
    assert document.tables and notice_rules.personal_numbers(repr(document), published) == []

    # A council with a year of meetings in every state: a 流会, a recusal, a failed vote, a roll call.
    meetings = council.list_meetings(clerk)
    assert len(meetings) == summary.meetings >= 9
    assert {m.state for m in meetings} == set(council_rules.STATES)
    assert all(TODAY - timedelta(days=366) <= m.date <= TODAY + timedelta(days=14) for m in meetings)
    details = [council.get_meeting(clerk, m.id) for m in meetings]
    assert sum(d.state == council_rules.NOT_HELD for d in details) == 1
    items = [i for d in details for i in d.items]
    assert any(i.recusals for i in items) and any(i.vote and i.vote.roll_call for i in items)
    assert voting.NOT_PASSED in {i.vote.outcome for i in items if i.vote}
    assert summary.resolutions == len(council.list_resolutions(clerk)) >= 8
    assert any(d.amendments for d in details)
    members = {a.villager_id for d in details for a in d.attendance}
    assert members <= {p.id for p in people if _age(p.birth_date) >= 18}

    # The twelve months of ceremonies up to today (and the month after) in every stage, some over the
    # caps, under a standard adopted in January and revised half a year ago.
    ceremonies = ceremony_service.list_ceremonies(clerk)
    assert len(ceremonies) == summary.ceremonies >= 20
    assert {c.stage for c in ceremonies} == set(ceremony_rules.STAGES)
    assert any(c.breaches for c in ceremonies) and any(not c.breaches for c in ceremonies)
    assert {c.kind for c in ceremonies} == set(ceremony_rules.KINDS)
    days = [c.day for c in ceremonies]
    assert TODAY - timedelta(days=365) <= min(days) <= TODAY - timedelta(days=350)
    assert TODAY < max(days) <= TODAY + timedelta(days=30)
    versions = ceremony_service.list_standards(clerk)
    assert [v.standard.effective_from for v in versions] == [date(2025, 1, 1), date(2026, 6, 1)]
    assert all(v.held > 0 for v in versions)
    year = ceremony_service.year_figures(clerk, TODAY.year)
    assert year.supervised > year.within > 0 and year.saved_against_first_plan_fen > 0
    assert len(ceremony_service.list_members(clerk, on=TODAY)) == 5

    # A year of petitions in every ledger, waiting at every step, some overdue, some reopened after a
    # dissatisfied answer; disputes in every outcome, one past its month.
    rows = petition_service.list_petitions(clerk, today=TODAY)
    assert len(rows) == summary.petitions >= 40
    assert {r.ledger for r in rows} == set(petition_rules.LEDGERS)
    assert {r.next_step for r in rows if r.next_step} == set(petition_rules.STEPS[1:])
    assert summary.overdue >= 3 and summary.reopened >= 1 and any(r.round for r in rows)
    assert any(r.status == petition_rules.DUE_SOON for r in rows)
    assert any(r.petitioner == "（保密）" for r in rows)  # the clerk does not see who complained
    disputes = mediation_service.list_mediations(clerk, today=TODAY)
    assert len(disputes) == summary.mediations and any(d.overdue for d in disputes)
    assert {d.outcome for d in disputes} == {"", *mediation_rules.OUTCOMES}
    agreement = next(d for d in disputes if d.outcome == mediation_rules.AGREEMENT)
    assert (
        notice_rules.personal_numbers(repr(mediation_service.agreement_document(clerk, agreement.id))) == []
    )


def test_the_demo_goes_only_into_an_empty_database(store: peewee.Database, clerk: Actor) -> None:
    before = audit.AuditEntry.select().count()
    i18n.set_language("en")
    with pytest.raises(VillagegovError, match="already has a village"):
        demo.fill_demo(store, TODAY)
    assert audit.AuditEntry.select().count() == before
    assert roster.counts(clerk)["villagers"] == 0


def test_the_same_seed_draws_the_same_village() -> None:
    def names(seed: int) -> list[tuple[str, str, date, str]]:
        plan = demo._plan_roster(random.Random(seed), TODAY)
        return [(h.number, p.name, p.born, p.id_number) for h in plan for p in h.members]

    assert names(demo.SEED) == names(demo.SEED)
    assert names(demo.SEED) != names(demo.SEED + 1)


# --- every word printed goes through the catalogue ---------------------------------------------


class _Pseudo(gettext.NullTranslations):
    """A pseudo-translation: every message comes back inside ⟦ ⟧, so an untranslated word shows."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


def pseudo_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_catalogue", _Pseudo())


def untranslated_words(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """The words of `text` outside every ⟦ ⟧, once the data values (names, numbers) are taken out."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    depth, outside = 0, []
    for ch in text:
        depth += (ch == "⟦") - (ch == "⟧")
        outside.append(ch if depth == 0 else " ")
    return re.findall(r"[^\W\d_]+", "".join(outside))


def _summary(n: int) -> demo.DemoSummary:
    return demo.DemoSummary(
        village=demo.VILLAGE, groups=n, households=n, villagers=n, representatives=n,
        women_representatives=n, party_members=n, users=tuple(u for u, _d, _r in demo.USERS), seconds=1.0,
    )  # fmt: skip


def test_the_demo_summary_says_every_word_through_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    summary = _summary(2)
    pseudo_translated(monkeypatch)
    data = (summary.village, *summary.users, demo.PASSWORD)
    assert untranslated_words(summary.describe(), data) == []


def test_the_demo_summary_counts_in_the_singular_and_plural() -> None:
    i18n.set_language("en")
    one = _summary(1).describe()
    assert "1 villager group, 1 household, 1 villager, 1 villagers' representative (1 of them a woman)" in one
    assert "1 party member." in one and "wenshu (Clerk) / shuji (Party secretary)" in one
    many = _summary(3).describe()
    assert (
        "3 villager groups, 3 households, 3 villagers, 3 villagers' representatives (3 of them women)" in many
    )
