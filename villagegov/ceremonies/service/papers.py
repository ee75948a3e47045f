"""What the 红白理事会's papers print: the report form (报备登记表), the commitment letter (承诺书), the
follow-up record (回访记录) and the year's summary, as plain records (records.py) for the layouts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from villagegov.accounts import rules as access
from villagegov.ceremonies import rules
from villagegov.ceremonies.models import CeremonyCouncil
from villagegov.ceremonies.records import (
    CeremonyDetail,
    CommitmentDocument,
    FigureLine,
    FollowUpDocument,
    ReportFormDocument,
    SummaryDocument,
)
from villagegov.ceremonies.rules import Standard
from villagegov.ceremonies.service.figures import year_figures
from villagegov.ceremonies.service.reading import get_ceremony
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.i18n import _, document_date, format_money, in_document_language, ngettext
from villagegov.core.privacy import Audience, Masking
from villagegov.roster.models import Village


def _council_name(vid: int, day: date) -> str:
    row = (
        CeremonyCouncil.select()
        .where((CeremonyCouncil.village == vid) & (CeremonyCouncil.term_start <= day))
        .order_by(CeremonyCouncil.term_start.desc())
        .first()
    )
    return row.name if row else f"{Village.get_by_id(vid).name}红白理事会"


def _cap_text(item: str, cap: int | None) -> str:
    if cap is None:
        return _("No cap")
    return _("at most {cap}").format(cap=rules.format_item(item, cap))


def _value_text(item: str, value: int | None) -> str:
    return "" if value is None else rules.format_item(item, value)


def _lines(d: CeremonyDetail, with_actual: bool) -> tuple[FigureLine, ...]:
    caps = d.standard.caps_for(d.kind)
    broken = {b.item for b in (d.actual_breaches if with_actual else d.plan_breaches)}
    lines = []
    for item in rules.KIND_ITEMS[d.kind]:
        actual = d.actual.value(item) if with_actual and d.actual else None
        shown = actual if with_actual else d.plan.value(item)
        verdict = "" if shown is None else (_("Over the cap") if item in broken else _("Within"))
        lines.append(
            FigureLine(
                rules.item_label(item),
                _value_text(item, d.plan.value(item)),
                _value_text(item, actual),
                _cap_text(item, caps.limit(item)),
                verdict,
            )
        )
    lines.append(
        FigureLine(
            rules.item_label(rules.PAID_PERFORMERS),
            rules.yes_no(d.plan.paid_performers),
            rules.yes_no(d.actual.paid_performers) if with_actual and d.actual else "",
            _("Not allowed") if d.standard.paid_performers_banned else _("No cap"),
            _("Over the cap") if rules.PAID_PERFORMERS in broken else _("Within"),
        )
    )
    if d.kind == rules.FUNERAL:
        lines.append(
            FigureLine(
                rules.item_label(rules.CREMATION),
                rules.yes_no(d.plan.cremation),
                rules.yes_no(d.actual.cremation) if with_actual and d.actual else "",
                _("Required") if d.standard.cremation_required else _("No cap"),
                _("Over the cap") if rules.CREMATION in broken else _("Within"),
            )
        )
    return tuple(lines)


def _standard_label(standard: Standard) -> str:
    if standard.effective_from is None:
        return _("The default standard (the village has not adopted its own yet)")
    text = _("The standard in force from {date}").format(date=document_date(standard.effective_from))
    return f"{text}（{standard.basis}）" if standard.basis else text


def _advice_lines(d: CeremonyDetail, m: Callable[[str], str]) -> tuple[str, ...]:
    out = []
    for a in d.advice:
        who = f"{a.member}：" if a.member else ""
        revised = _("(plan revised)") if a.plan_version else ""
        out.append(f"{document_date(a.advised_on)} {who}{m(a.text)}{revised}")
    return tuple(out)


def _masking(actor: Actor, vid: int) -> tuple[Masking, Callable[[str], str]]:
    """The village's masking (kept with its notices' settings), and what this room's papers, all kept
    on file but the year's summary, do with a text: masked, unless the village prints them in full."""
    from villagegov.notices import service as notices

    masking = notices.masking(actor, vid)
    return masking, masking if masking.masks(Audience.ON_FILE) else str


def _printable(actor: Actor, ceremony_id: int, paper: str) -> CeremonyDetail:
    """The ceremony, if the rules print this paper of it (the room's print buttons ask the same)."""
    d = get_ceremony(actor, ceremony_id)
    rules.ceremony_actions(actor.role, d.state, clock.today()).require(paper)
    return d


@in_document_language
def report_document(actor: Actor, ceremony_id: int) -> ReportFormDocument:
    d = _printable(actor, ceremony_id, rules.PRINT_REPORT)
    masking, m = _masking(actor, d.village_id)
    first_note = ""
    if len(d.plans) > 1:
        first = d.first_plan
        first_note = _(
            "First plan: {tables} tables at {cost} a table, total {spending}; revised on the council's "
            "advice."
        ).format(
            tables=first.tables,
            cost=format_money(first.cost_per_table_fen or 0),
            spending=format_money(first.spending_fen or 0),
        )
    commitment = (
        _("Signed by {signer} on {date}").format(
            signer=d.commitment.signer, date=document_date(d.commitment.signed_on)
        )
        if d.commitment
        else _("Not signed yet")
    )
    return ReportFormDocument(
        number=d.number,
        council=_council_name(d.village_id, d.day),
        village=Village.get_by_id(d.village_id).name,
        household_number=d.household_number,
        group=d.group,
        head_name=d.head_name,
        host=d.host,
        phone=m(d.contact_phone) if d.contact_phone else "",
        what=d.what,
        subject=m(d.subject),
        day=d.day,
        place=m(d.place),
        reported_on=d.reported_on,
        standard_label=_standard_label(d.standard),
        lines=_lines(d, False),
        spending=format_money(d.plan.spending_fen or 0),
        first_plan_note=first_note,
        breaches=tuple(rules.describe_breach(b) for b in d.plan_breaches),
        advice=_advice_lines(d, m),
        commitment=commitment,
        late=rules.describe_late(d.late) if d.late else "",
        masking=masking,
    )


def _promises(d: CeremonyDetail) -> tuple[str, ...]:
    caps = d.standard.caps_for(d.kind)
    plan = d.plan
    promises = [
        _("To hold the {what} simply and keep to the village's rules on weddings and funerals.").format(
            what=d.what
        )
    ]
    figures = [
        _("{tables} tables at most, at most {cost} a table").format(
            tables=plan.tables, cost=format_money(plan.cost_per_table_fen or 0)
        )
    ]
    if plan.days:
        figures.append(ngettext("{n} day", "{n} days", plan.days).format(n=plan.days))
    if plan.vehicles is not None and d.kind == rules.WEDDING:
        figures.append(
            ngettext("at most {n} vehicle", "at most {n} vehicles", plan.vehicles).format(n=plan.vehicles)
        )
    if plan.bride_price_fen is not None:
        figures.append(
            _("a bride price of at most {amount}").format(amount=format_money(plan.bride_price_fen))
        )
    promises.append(_("To keep to the plan reported: {figures}.").format(figures=_("、").join(figures)))
    if caps.gift_per_guest_fen is not None:
        promises.append(
            _(
                "Not to ask for or accept gift money above {cap} a guest from those who are not relatives."
            ).format(cap=format_money(caps.gift_per_guest_fen))
        )
    if d.standard.paid_performers_banned:
        promises.append(_("Not to hire paid performers, nor to stage vulgar shows."))
    if d.kind == rules.FUNERAL and d.standard.cremation_required:
        promises.append(_("To have the deceased cremated, and to hold no feudal or superstitious rites."))
    promises.append(_("To welcome the council's supervision on the day and its visit afterwards."))
    promises.append(
        _(
            "Should the family break this commitment, it accepts the council's criticism and the village's "
            "rules."
        )
    )
    return tuple(promises)


@in_document_language
def commitment_document(actor: Actor, ceremony_id: int) -> CommitmentDocument:
    d = _printable(actor, ceremony_id, rules.PRINT_COMMITMENT)
    masking, m = _masking(actor, d.village_id)
    return CommitmentDocument(
        number=d.number,
        council=_council_name(d.village_id, d.day),
        village=Village.get_by_id(d.village_id).name,
        group=d.group,
        host=d.host,
        what=d.what,
        subject=m(d.subject),
        day=d.day,
        place=m(d.place),
        promises=_promises(d),
        signer=d.commitment.signer if d.commitment else d.host,
        signed_on=d.commitment.signed_on if d.commitment else None,
        masking=masking,
    )


@in_document_language
def follow_up_document(actor: Actor, ceremony_id: int) -> FollowUpDocument:
    d = _printable(actor, ceremony_id, rules.PRINT_FOLLOW_UP)
    masking, m = _masking(actor, d.village_id)
    assert d.supervision is not None and d.follow_up is not None  # followed up: both are on record
    saved = d.saved_against_first_plan_fen
    corrections = tuple(
        _("{when}: corrected by {who} ({reason})").format(
            when=document_date(a.recorded_at.date()), who=a.recorded_by, reason=m(a.reason)
        )
        for a in d.actuals[1:]
    )
    return FollowUpDocument(
        number=d.number,
        council=_council_name(d.village_id, d.day),
        village=Village.get_by_id(d.village_id).name,
        group=d.group,
        head_name=d.head_name,
        what=d.what,
        day=d.day,
        place=m(d.place),
        supervisor=d.supervision.member,
        supervised_on=d.supervision.supervised_on,
        supervision_notes=m(d.supervision.notes),
        lines=_lines(d, True),
        deviations=tuple(rules.describe_deviation(x) for x in d.deviations),
        breaches=tuple(rules.describe_breach(b) for b in d.actual_breaches),
        corrections=corrections,
        visitor=d.follow_up.member,
        visited_on=d.follow_up.visited_on,
        first_plan_spending=format_money(d.first_plan.spending_fen or 0),
        actual_spending=format_money(d.follow_up.actual_spending_fen),
        saved=format_money(saved) if saved is not None else "",
        satisfaction=rules.satisfaction_label(d.follow_up.satisfaction),
        remarks=m(d.follow_up.remarks),
        masking=masking,
    )


@in_document_language
def summary_document(
    actor: Actor, year: int, today: date | None = None, village_id: int | None = None
) -> SummaryDocument:
    """The year's summary; a year with no ceremony reported is refused (`rules.year_actions`): three pages
    of zeros would say nothing, and could be taken for a year's work."""
    vid = access.readable_village(actor, village_id)
    figures = year_figures(actor, year, vid)
    rules.year_actions(year, figures.ceremonies).require(rules.PRINT_SUMMARY)
    months = rules.months()
    rows = []
    for m in range(12):
        counts = [figures.per_month[k][m] for k in rules.KINDS]
        rows.append((months[m], *(str(c) for c in counts), str(sum(counts))))
    totals = [sum(figures.per_month[k]) for k in rules.KINDS]
    rows.append((_("Total"), *(str(t) for t in totals), str(sum(totals))))
    breach_rows = tuple(
        (rules.item_label(item), str(n))
        for item, n in sorted(figures.breaches_by_item.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    sign = today or clock.today()
    return SummaryDocument(
        council=_council_name(vid, min(sign, date(year, 12, 31))),
        village=Village.get_by_id(vid).name,
        year=year,
        figures=figures,
        month_chart=rules.month_chart(figures),
        spending_chart=rules.spending_chart(figures),
        month_rows=tuple(rows),
        breach_rows=breach_rows,
        kinds=tuple(rules.kind_label(k) for k in rules.KINDS),
        sign_date=sign,
        masking=_masking(actor, vid)[0],
    )
