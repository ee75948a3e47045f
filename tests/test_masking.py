"""Masking by what a paper is: every document kind the command line prints, with ID-card and mobile
numbers typed into its free-text fields in every spelling a clerk uses, read back from the PDF.

Public papers never show a full number; papers kept on file follow the village's setting, which masks
by default. The numbers are written into the demo village's records behind the app's back (as a clerk
would type them into minutes, a place, a ceremony's subject, a mediation's facts…), so that no room's
own masking can be what the test sees: printing/document.py masks each paper by its audience.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import peewee
import pytest
from pypdf import PdfReader

from villagegov import demo, documents
from villagegov.accounts import service as accounts
from villagegov.core import clock, i18n
from villagegov.core.actor import Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.privacy import Audience
from villagegov.printing.document import OfficialDocument, render_bytes
from villagegov.printing.kinds import YEAR
from villagegov.printing.template import Paper
from villagegov.schema import close_store, open_store

pytestmark = pytest.mark.slow

# As typed → the digits of the number. The first six are the spellings issue 17 found printed in full.
SPELLINGS = {
    "13811110001": "13811110001",
    "138 1111 0002": "13811110002",
    "+86 138-1111-0003": "13811110003",
    "+8613811110004": "13811110004",
    "419901 19910203 2224": "419901199102032224",
    "１３８１１１１０００５": "13811110005",
    "419901199102032216": "419901199102032216",
    "138-1111-0006": "13811110006",
    "138　1111　0007": "13811110007",  # ideographic spaces, as a Chinese input method types them
    "４１９９０１ １９９１０２０３ ２２４０": "419901199102032240",
}
TYPED = "，".join(SPELLINGS)
PUBLISHED = "13900001111"  # the supervisory committee's phone: printed in full on notices

# What each kind is, as the rooms declare it (a change of mind must be made here too).
AUDIENCES = {
    "notice": Audience.PUBLIC,
    "notice-result": Audience.PUBLIC,
    "decision": Audience.ON_FILE,
    "minutes": Audience.ON_FILE,
    "resolution": Audience.PUBLIC,
    "meeting-notice": Audience.PUBLIC,
    "sign-in-sheet": Audience.ON_FILE,
    "ceremony": Audience.ON_FILE,
    "ceremony-commitment": Audience.ON_FILE,
    "ceremony-follow-up": Audience.ON_FILE,
    "mediation": Audience.ON_FILE,
    "petition-notice": Audience.ON_FILE,
    "ceremony-summary": Audience.PUBLIC,
    "petition-ledger": Audience.ON_FILE,
    "petition-summary": Audience.PUBLIC,
}


def _type_numbers_everywhere(today: date) -> None:
    """The spellings in the free-text fields each kind prints (the village's name: the year's summaries
    have no other)."""
    from villagegov.ceremonies import models as ceremonies
    from villagegov.council import models as council
    from villagegov.decisions import models as decisions
    from villagegov.notices import models as notices
    from villagegov.notices import service as notice_service
    from villagegov.petitions import models as petitions
    from villagegov.roster.models import Village

    clerk = accounts.sign_in("wenshu", demo.PASSWORD)
    settings = notice_service.notice_settings(clerk)
    notice_service.update_notice_settings(
        clerk, notice_service.NoticeSettingsData(**{**settings.__dict__, "supervisory_phone": PUBLISHED})
    )
    Village.update(name=f"青石村（{TYPED}）").execute()
    notices.Notice.update(title=f"关于联系电话{TYPED}的公示").execute()
    decisions.Decision.update(background=f"群众反映：{TYPED}").execute()
    decisions.DecisionStep.update(summary=f"与会人员联系方式：{TYPED}").execute()
    council.Meeting.update(place=f"村委会会议室（{TYPED}）").execute()
    council.AgendaItem.update(background=f"提议人电话{TYPED}").execute()
    council.Minutes.update(text=f"会上记录联系电话{TYPED}。").execute()
    council.Resolution.update(text=f"由联系人{TYPED}负责落实。").execute()
    ceremonies.CeremonyCouncil.update(name=f"红白理事会（{TYPED}）").execute()
    ceremonies.Ceremony.update(subject=f"新郎身份证{TYPED}", place=f"家中（{TYPED}）").execute()
    ceremonies.FollowUp.update(remarks=f"回访电话{TYPED}").execute()
    petitions.Petition.update(subject=f"反映{TYPED}").execute()
    petitions.Mediation.update(facts=f"双方电话{TYPED}。", performance=f"联系{TYPED}").execute()
    assert today


@pytest.fixture(scope="module")
def typed_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo village with every spelling typed into its records; each test opens a copy."""
    i18n.set_language("zh_CN")
    path = tmp_path_factory.mktemp("masking") / "demo.sqlite3"
    db = open_store(path)
    try:
        demo.fill_demo(db, clock.today())
        _type_numbers_everywhere(clock.today())
    finally:
        close_store(db)
    return path


@pytest.fixture
def clerk(typed_demo: Path, tmp_path: Path) -> Iterator[Actor]:
    copy = tmp_path / "village.sqlite3"
    shutil.copy(typed_demo, copy)
    db = open_store(copy)
    yield accounts.sign_in("wenshu", demo.PASSWORD)
    close_store(db)


def _candidates(kind: str) -> list[int]:
    """Records the kind may print, the likeliest first (the printer refuses the others)."""
    from villagegov.ceremonies.models import Ceremony, FollowUp
    from villagegov.council.models import Meeting, Resolution
    from villagegov.decisions.models import Decision
    from villagegov.notices.models import Notice
    from villagegov.petitions.models import Mediation, Petition

    query: Callable[[], peewee.Select] = {
        "notice": lambda: Notice.select(Notice.id).where(Notice.state == "posted"),
        "notice-result": lambda: Notice.select(Notice.id).where(Notice.period_end < clock.today()),
        "decision": lambda: Decision.select(Decision.id),
        "minutes": lambda: Meeting.select(Meeting.id).where(Meeting.state == "finalised"),
        "resolution": lambda: Resolution.select(Resolution.id),
        "meeting-notice": lambda: Meeting.select(Meeting.id),
        "sign-in-sheet": lambda: Meeting.select(Meeting.id),
        "ceremony": lambda: Ceremony.select(Ceremony.id),
        "ceremony-commitment": lambda: Ceremony.select(Ceremony.id),
        "ceremony-follow-up": lambda: FollowUp.select(FollowUp.ceremony),
        "mediation": lambda: Mediation.select(Mediation.id).where(Mediation.outcome == "agreement"),
        "petition-notice": lambda: Petition.select(Petition.id).where(~Petition.anonymous),
    }[kind]
    return [row[0] for row in query().order_by(peewee.SQL("1")).limit(40).tuples()]


def _document(actor: Actor, kind: str) -> OfficialDocument:
    if documents.kind(kind).subject == YEAR:
        return documents.build(actor, kind, clock.today().year, Paper.A4)
    for record in _candidates(kind):
        try:
            return documents.build(actor, kind, record, Paper.A4)
        except VillagegovError:
            continue  # not printable in its state (an unreviewed petition, a period still running)
    raise AssertionError(f"no record of the demo village prints as {kind}")


def _printed(document: OfficialDocument) -> str:
    """The PDF's text, read back, with what separates digits taken out and full-width digits made plain."""
    reader = PdfReader(io.BytesIO(render_bytes(document)))
    text = "".join(page.extract_text() for page in reader.pages)
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return re.sub(r"[\s\-+　]", "", text)


def _masked_form(digits: str) -> str:
    return f"{digits[:6]}{'*' * 8}{digits[-4:]}" if len(digits) == 18 else f"{digits[:3]}****{digits[-4:]}"


def test_the_kinds_are_every_kind_the_command_line_prints() -> None:
    assert set(AUDIENCES) == set(documents.kinds())


@pytest.mark.parametrize("kind", sorted(AUDIENCES))
def test_every_spelling_is_masked_on_every_kind_of_paper(clerk: Actor, kind: str) -> None:
    """Public or on file (the village's default): every spelling printed, none of them in full."""
    document = _document(clerk, kind)
    assert document.audience is AUDIENCES[kind]
    text = _printed(document)
    for typed, digits in SPELLINGS.items():
        assert digits not in text, (kind, typed)
        assert _masked_form(digits) in text, (kind, typed)  # it was printed, masked
    if kind in ("notice", "notice-result"):
        assert PUBLISHED in text  # the village's published contact for objections, in full


@pytest.mark.parametrize("kind", sorted(AUDIENCES))
def test_papers_on_file_print_numbers_in_full_only_where_the_village_chose_so(
    clerk: Actor, kind: str
) -> None:
    from villagegov.notices import service as notice_service

    settings = notice_service.notice_settings(clerk)
    assert settings.mask_on_file  # the default
    notice_service.update_notice_settings(
        clerk, notice_service.NoticeSettingsData(**{**settings.__dict__, "mask_on_file": False})
    )
    assert not notice_service.notice_settings(clerk).mask_on_file
    text = _printed(_document(clerk, kind))
    shown = [typed for typed, digits in SPELLINGS.items() if digits in text]
    if AUDIENCES[kind] is Audience.PUBLIC:
        assert shown == [], kind  # public paper masks whatever the setting says
    else:
        assert shown == list(SPELLINGS), kind
