"""Every 村民议事会 operation a user can do. Each write is one transaction with its audit entries.

Who may do what (accounts.rules): the clerk (and the secretary) keeps the council, its members and its
meetings: agenda, attendance, recusals, votes, minutes, resolutions, the chair's and the recorder's
sign-offs, and amendments; only the secretary changes the council's rules of procedure; the
supervisory committee and township reviewers read. What may be done to a meeting, an item or a seat
now is decided by the room's rules (`rules.meeting_actions`, `item_actions`, `seat_actions`) and
enforced here before every write: the same answer the room's buttons show.

A meeting's life: planned → (attendance recorded) held, or not held (流会) when the quorum is not met
→ finalised once both the chair and the recorder have signed. Whether an item passed is always
computed by core/voting.py under the council's rules in force on the meeting's date. A passed item
gets a resolution numbered in the village's series of the year, never given again. A finalised
meeting is locked: a correction is an Amendment that keeps the original.

Reading functions return plain records (records.py), never models; `meeting_notice`, `sign_in_sheet`,
`minutes_document` and `resolution_document` return what the PDF layouts print.

The operations live in one module per subject; every caller imports this package
(`from villagegov.council import service`):
- `terms`: the council's terms and its members' seats;
- `procedure`: the rules of procedure, versioned by date;
- `meetings`: meetings, their agenda and observers;
- `votes`: attendance, stepping aside, votes (and the resolutions they number);
- `minutes`: the minutes, the sign-off that finalises a meeting, amendments;
- `resolutions`: the resolutions' texts and lists;
- `papers`: the papers' data; `steps`: what a 四议两公开 step takes from an agenda item.
"""

from __future__ import annotations

from villagegov.council.records import (
    AbsenceLine,
    AgendaItemFacts,
    AmendmentLine,
    AmendmentRow,
    AttendanceRow,
    CouncilRow,
    ItemRow,
    MeetingDetail,
    MeetingNoticeDocument,
    MeetingRow,
    MemberRow,
    MinutesDocument,
    MinutesItem,
    NoticeItem,
    ObserverLine,
    ObserverRow,
    RecusalRow,
    ResolutionDocument,
    ResolutionRow,
    RollCallRow,
    RulesRow,
    SignInRow,
    SignInSheetDocument,
    VoteLine,
    VoteRow,
)
from villagegov.council.service.meetings import (
    add_item,
    add_observer,
    create_meeting,
    delete_item,
    delete_meeting,
    get_meeting,
    list_meetings,
    move_item,
    remove_observer,
    update_item,
    update_meeting,
)
from villagegov.council.service.minutes import (
    amend,
    amendments_made,
    list_amendments,
    set_minutes,
    sign_off,
    withdraw_sign_off,
)
from villagegov.council.service.papers import (
    meeting_notice,
    minutes_document,
    resolution_document,
    sign_in_sheet,
)
from villagegov.council.service.procedure import council_rules, rules_in_force, set_council_rules
from villagegov.council.service.resolutions import get_resolution, list_resolutions, update_resolution
from villagegov.council.service.steps import agenda_item_facts, agenda_items_facts
from villagegov.council.service.terms import (
    add_member,
    change_role,
    council_on,
    create_council,
    get_council,
    list_councils,
    list_members,
    remove_member,
    update_council,
    update_member,
)
from villagegov.council.service.votes import (
    clear_attendance,
    clear_vote,
    record_attendance,
    record_roll_call,
    record_votes,
    set_recusals,
)

__all__ = [
    "AbsenceLine", "AgendaItemFacts", "AmendmentLine", "AmendmentRow", "AttendanceRow", "CouncilRow",
    "ItemRow", "MeetingDetail", "MeetingNoticeDocument", "MeetingRow", "MemberRow", "MinutesDocument",
    "MinutesItem", "NoticeItem", "ObserverLine", "ObserverRow", "RecusalRow", "ResolutionDocument",
    "ResolutionRow", "RollCallRow", "RulesRow", "SignInRow", "SignInSheetDocument", "VoteLine", "VoteRow",
    "add_item", "add_member", "add_observer", "agenda_item_facts", "agenda_items_facts", "amend",
    "amendments_made", "change_role", "clear_attendance", "clear_vote", "council_on", "council_rules",
    "create_council", "create_meeting", "delete_item", "delete_meeting", "get_council", "get_meeting",
    "get_resolution", "list_amendments", "list_councils", "list_meetings", "list_members",
    "list_resolutions", "meeting_notice", "minutes_document", "move_item", "record_attendance",
    "record_roll_call", "record_votes", "remove_member", "remove_observer", "resolution_document",
    "rules_in_force", "set_council_rules", "set_minutes", "set_recusals", "sign_in_sheet", "sign_off",
    "update_council", "update_item", "update_meeting", "update_member", "update_resolution",
    "withdraw_sign_off",
]  # fmt: skip
