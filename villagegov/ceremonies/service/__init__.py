"""Every 红白理事会 operation a user can do. Each write is one transaction with its audit entries.

Who may do what (accounts.rules): the clerk (and the secretary) keeps the ceremony council's members
and the ceremonies through their stages; only the secretary sets a version of the village's standard
(the caps the villagers' representatives adopted); the supervisory committee and township reviewers
read. What may be done to a record now is decided once, by the rules' allowed actions
(`rules.ceremony_actions`, `member_actions`, `standard_actions`, `year_actions`): the service requires
the same answer the room's buttons show.

A ceremony is judged by the standard in force on its day. A version may therefore not take effect on or
before the day of a ceremony already held (its figures seen on the day were judged by the version
then in force, and stay judged so). Plans are versioned: the family's first plan is never overwritten,
so the year's savings are counted against it. The figures seen on the day are corrected by a new
version with a reason; the first stays.

The service is one module a subject, all of it re-exported here (callers say `service.report`):
`council` (the council's terms and seats), `standards` (the versions of the standard), `reading` (a
ceremony whole and in lists), `stages` (report, advice, commitment, supervision, follow-up, close,
cancel), `figures` (the year's figures) and `papers` (what the papers print). Reading functions return
the plain records of `records.py`, never models; the papers' records are masked for paper.
"""

from __future__ import annotations

from villagegov.ceremonies.records import (
    AdviceRow,
    CeremonyDetail,
    CeremonyRow,
    CommitmentDocument,
    CommitmentRow,
    CouncilRow,
    FigureLine,
    FiguresRow,
    FollowUpDocument,
    FollowUpRow,
    MemberRow,
    ReportFormDocument,
    StandardVersion,
    SummaryDocument,
    SupervisionRow,
)
from villagegov.ceremonies.service.council import (
    add_member,
    create_council,
    end_membership,
    list_councils,
    list_members,
    remove_member,
    update_council,
)
from villagegov.ceremonies.service.figures import year_figures
from villagegov.ceremonies.service.papers import (
    commitment_document,
    follow_up_document,
    report_document,
    summary_document,
)
from villagegov.ceremonies.service.reading import ceremonies_of, get_ceremony, list_ceremonies
from villagegov.ceremonies.service.stages import (
    cancel,
    close,
    correct_actual,
    follow_up,
    record_advice,
    report,
    sign_commitment,
    supervise,
    update_report,
)
from villagegov.ceremonies.service.standards import (
    held_ceremonies,
    list_standards,
    set_standard,
    standard_on,
)

__all__ = [
    "AdviceRow",
    "CeremonyDetail",
    "CeremonyRow",
    "CommitmentDocument",
    "CommitmentRow",
    "CouncilRow",
    "FigureLine",
    "FiguresRow",
    "FollowUpDocument",
    "FollowUpRow",
    "MemberRow",
    "ReportFormDocument",
    "StandardVersion",
    "SummaryDocument",
    "SupervisionRow",
    "add_member",
    "cancel",
    "ceremonies_of",
    "close",
    "commitment_document",
    "correct_actual",
    "create_council",
    "end_membership",
    "follow_up",
    "follow_up_document",
    "get_ceremony",
    "held_ceremonies",
    "list_ceremonies",
    "list_councils",
    "list_members",
    "list_standards",
    "record_advice",
    "remove_member",
    "report",
    "report_document",
    "set_standard",
    "sign_commitment",
    "standard_on",
    "summary_document",
    "supervise",
    "update_council",
    "update_report",
    "year_figures",
]
