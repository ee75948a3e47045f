"""The 村务公开 service on a real database (SQLite, and PostgreSQL where VILLAGEGOV_TEST_PG is set)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from villagegov.accounts import service as accounts
from villagegov.core import audit, i18n
from villagegov.core.actor import Actor
from villagegov.core.calendar import UnknownCalendarYear
from villagegov.core.errors import FinalisedRecord, NotFound, PermissionDenied, ValidationError
from villagegov.core.privacy import make_id_number
from villagegov.notices import rules, service
from villagegov.notices.rules import EXPENSE, INCOME, FinanceLineInput, NoticeInput, TableInput
from villagegov.roster import service as roster
from villagegov.schema import AUDITED_MODELS

from . import samples

APPROVED_AT = datetime(2026, 11, 20, 9, 30)
POSTED = date(2026, 11, 23)
TODAY = date(2026, 12, 15)
ID_1 = make_id_number("411421", date(1956, 4, 2), 13)
ID_2 = make_id_number("411421", date(1948, 9, 30), 24)
PHONE = "13912345678"
PNG = samples.png()
PDF = samples.pdf_drawing()


def subsidy_notice(**changes: object) -> NoticeInput:
    base: dict[str, object] = {
        "category": rules.VILLAGE,
        "kind": rules.PUBLICITY,
        "title": "关于2026年度高龄老人补贴发放名单的公示",
        "body": (
            "各村民小组、全体村民：\n经村“两委”会议研究，现将2026年度高龄老人补贴发放名单公示如下。\n"
            f"一、发放标准\n每人每月100元。联系人王会计，电话{PHONE}。"
        ),
        "tables": (
            TableInput(
                ("序号", "姓名", "身份证号", "联系电话", "金额（元）"),
                (("1", "王德福", ID_1, "13812345678", "1200.00"), ("2", "李桂兰", ID_2, "", "1200.00")),
                caption="高龄老人补贴发放名单",
            ),
        ),
    }
    base.update(changes)
    return NoticeInput(**base)  # type: ignore[arg-type]


def finance_notice(expense: str = "3,275.25") -> NoticeInput:
    return NoticeInput(
        category=rules.FINANCE, kind=rules.PUBLICITY, title="青石村2026年10月财务收支公开",
        body="现将本村2026年10月财务收支情况公开如下：",
        finance_lines=(
            FinanceLineInput(INCOME, "上级转移支付", "5,000"),
            FinanceLineInput(INCOME, "集体资产租赁收入", "1,234.5"),
            FinanceLineInput(EXPENSE, "村干部报酬", "2,400.00"),
            FinanceLineInput(EXPENSE, "道路维修", "875.25"),
        ),
        stated_income="6234.50", stated_expense=expense, opening_balance="10,000",
    )  # fmt: skip


def posted_notice(clerk: Actor, secretary: Actor, data: NoticeInput | None = None) -> service.NoticeDetail:
    draft = service.create_draft(clerk, data or subsidy_notice(), now=datetime(2026, 11, 19, 15, 0))
    service.approve(secretary, draft.id, now=APPROVED_AT)
    return service.post(clerk, draft.id, POSTED, "张组长", today=POSTED)


def test_draft_approve_post_remove(any_clerk: Actor, secretary: Actor) -> None:
    draft = service.create_draft(any_clerk, subsidy_notice())
    assert draft.state == rules.DRAFT and draft.number == "" and draft.period_days == 7
    assert draft.tables[0].rows[0][1] == "王德福"
    approved = service.approve(secretary, draft.id, now=APPROVED_AT)
    assert approved.state == rules.APPROVED and approved.number == "〔2026〕1号"
    assert approved.approved_by == "shuji"
    posted = service.post(any_clerk, draft.id, POSTED, "张组长", today=POSTED)
    assert posted.state == rules.POSTED and posted.posted_by == "张组长"
    assert (posted.period_start, posted.period_end) == (POSTED, date(2026, 11, 29))
    assert posted.posted_places == ("village",)
    with pytest.raises(ValidationError):  # a 公示 stays up for its whole period
        service.remove(any_clerk, draft.id, date(2026, 11, 28), today=TODAY)
    removed = service.remove(any_clerk, draft.id, date(2026, 11, 30), today=TODAY)
    assert removed.state == rules.REMOVED and removed.removed_at == date(2026, 11, 30)
    actions = [
        e.action
        for e in audit.AuditEntry.select()
        .where(audit.AuditEntry.entity == "notice")
        .order_by(audit.AuditEntry.seq)
    ]
    assert actions == ["create", "approve", "post", "remove"]
    assert audit.verify_database_chain() == []
    assert audit.verify_records(AUDITED_MODELS) == []


def test_a_clerk_cannot_approve(any_clerk: Actor) -> None:
    draft = service.create_draft(any_clerk, subsidy_notice())
    with pytest.raises(PermissionDenied) as err:
        service.approve(any_clerk, draft.id)
    assert "书记" in err.value.message()  # 只有书记可以审批
    assert service.get_notice(any_clerk, draft.id).state == rules.DRAFT


def test_supervisor_and_reviewer_only_read(any_clerk: Actor, secretary: Actor) -> None:
    notice = posted_notice(any_clerk, secretary)
    accounts.create_user(any_clerk, "jianwei", "陈淑芬", "supervisor", "mima-5678")
    supervisor = accounts.sign_in("jianwei", "mima-5678")
    reviewer = Actor(None, "xiangzhen", "乡镇", "reviewer", None)
    for reader in (supervisor, reviewer):
        assert service.get_notice(reader, notice.id).number == "〔2026〕1号"
        assert len(service.list_notices(reader, village_id=notice.village_id)) == 1
        with pytest.raises(PermissionDenied):
            service.create_draft(reader, subsidy_notice())
        with pytest.raises(PermissionDenied):
            service.record_objection(reader, notice.id, "王大山", "名单有误", POSTED, today=POSTED)
    outsider = Actor(99, "x", "x", "clerk", 99)
    with pytest.raises(PermissionDenied):
        service.get_notice(outsider, notice.id)


def test_a_posted_notice_is_never_edited(any_clerk: Actor, secretary: Actor) -> None:
    notice = posted_notice(any_clerk, secretary)
    with pytest.raises(FinalisedRecord) as err:
        service.update_draft(any_clerk, notice.id, subsidy_notice(title="改过的标题"))
    assert "〔2026〕1号" in err.value.message()
    with pytest.raises(FinalisedRecord):
        service.delete_draft(any_clerk, notice.id)
    with pytest.raises(FinalisedRecord):
        service.add_attachment(any_clerk, notice.id, "附件.pdf", PDF)
    assert service.get_notice(any_clerk, notice.id).title == subsidy_notice().title


def test_an_approved_notice_is_not_edited_either(any_clerk: Actor, secretary: Actor) -> None:
    draft = service.create_draft(any_clerk, subsidy_notice())
    service.approve(secretary, draft.id, now=APPROVED_AT)
    with pytest.raises(FinalisedRecord):
        service.update_draft(any_clerk, draft.id, subsidy_notice(title="改过的标题"))


def test_drafts_are_edited_and_deleted(any_clerk: Actor) -> None:
    draft = service.create_draft(any_clerk, subsidy_notice())
    service.add_attachment(any_clerk, draft.id, "C:\\照片\\现场.png", PNG)
    changed = service.update_draft(any_clerk, draft.id, subsidy_notice(title="新标题", tables=()))
    assert changed.title == "新标题" and changed.tables == ()
    assert changed.attachments[0].file_name == "现场.png"
    service.delete_draft(any_clerk, draft.id)
    with pytest.raises(NotFound):
        service.get_notice(any_clerk, draft.id)
    assert audit.verify_records(AUDITED_MODELS) == []


def test_numbers_are_per_year_and_never_reused(any_clerk: Actor, secretary: Actor) -> None:
    ids = [service.create_draft(any_clerk, subsidy_notice(title=f"公示{i}")).id for i in range(4)]
    assert service.approve(secretary, ids[0], now=APPROVED_AT).number == "〔2026〕1号"
    assert service.approve(secretary, ids[1], now=APPROVED_AT).number == "〔2026〕2号"
    withdrawn = service.withdraw(secretary, ids[1])
    assert withdrawn.state == rules.WITHDRAWN and withdrawn.number == "〔2026〕2号"
    assert service.approve(secretary, ids[2], now=APPROVED_AT).number == "〔2026〕3号"
    with pytest.raises(PermissionDenied):
        service.withdraw(any_clerk, ids[2])
    with pytest.raises(ValidationError):
        service.post(any_clerk, ids[1], POSTED, today=POSTED)  # a withdrawn notice stays down
    assert service.approve(secretary, ids[3], now=datetime(2027, 1, 4, 10)).number == "〔2027〕1号"


def test_a_finance_statement_one_fen_off_is_not_approved(any_clerk: Actor, secretary: Actor) -> None:
    draft = service.create_draft(any_clerk, finance_notice(expense="3,275.26"))
    assert draft.statement is not None and draft.statement.expense_total_fen == 327525
    assert draft.statement_problem  # the screen says why before the secretary tries
    with pytest.raises(ValidationError) as err:
        service.approve(secretary, draft.id, now=APPROVED_AT)
    assert err.value.field == "stated_expense" and "¥0.01" in err.value.message()
    assert service.get_notice(any_clerk, draft.id).state == rules.DRAFT
    fixed = service.update_draft(any_clerk, draft.id, finance_notice())
    assert fixed.statement_problem == ""
    approved = service.approve(secretary, draft.id, now=APPROVED_AT)
    assert approved.statement is not None
    assert (approved.statement.income_total_fen, approved.statement.closing_balance_fen) == (
        623450,
        1000000 + 623450 - 327525,
    )


def test_objection_on_the_last_day_is_on_time_and_the_day_after_late(
    any_clerk: Actor, secretary: Actor
) -> None:
    notice = posted_notice(any_clerk, secretary)
    on_time = service.record_objection(
        any_clerk, notice.id, "王大山", f"李桂兰已迁出本村，联系电话{PHONE}", date(2026, 11, 29), today=TODAY
    )
    late = service.record_objection(
        any_clerk, notice.id, "赵小红", "名单漏了我父亲", date(2026, 11, 30), today=TODAY
    )
    assert not on_time.late and late.late
    assert on_time.answer_due == date(2026, 12, 9)
    with pytest.raises(ValidationError):  # before the notice went up
        service.record_objection(any_clerk, notice.id, "王大山", "有误", date(2026, 11, 22), today=TODAY)
    answered = service.update_objection(
        any_clerk, on_time.id, "经村务监督委员会核实，情况属实。", "已从名单中删除并重新公示。",
        date(2026, 12, 2), today=TODAY,
    )  # fmt: skip
    assert answered.answered_on == date(2026, 12, 2)
    with pytest.raises(FinalisedRecord):
        service.update_objection(any_clerk, on_time.id, "改口", "改口", date(2026, 12, 3), today=TODAY)
    assert [o.objector for o in service.list_objections(any_clerk, notice.id)] == ["王大山", "赵小红"]


def test_objections_only_for_posted_publicity_notices(any_clerk: Actor, secretary: Actor) -> None:
    draft = service.create_draft(any_clerk, subsidy_notice())
    with pytest.raises(ValidationError):
        service.record_objection(any_clerk, draft.id, "王大山", "有误", POSTED, today=POSTED)
    notice = posted_notice(any_clerk, secretary, subsidy_notice(kind=rules.NOTIFICATION, title="通知"))
    assert notice.period_end is None
    with pytest.raises(ValidationError):
        service.record_objection(any_clerk, notice.id, "王大山", "有误", POSTED, today=POSTED)


def test_period_result_and_its_printed_form(any_clerk: Actor, secretary: Actor) -> None:
    i18n.set_language("en")  # the screen speaks English; the paper stays Chinese
    notice = posted_notice(any_clerk, secretary)
    with pytest.raises(ValidationError):
        service.result_document(any_clerk, notice.id, today=date(2026, 11, 29))
    quiet = service.result_document(any_clerk, notice.id, today=date(2026, 11, 30))
    assert quiet.text == "公示期满无异议。" and quiet.objections == ()
    assert (quiet.period_start, quiet.period_end, quiet.sign_date) == (
        POSTED,
        date(2026, 11, 29),
        date(2026, 11, 30),
    )
    assert quiet.number == "〔2026〕1号" and quiet.signing_body == "青石村村民委员会"
    service.record_objection(
        any_clerk, notice.id, "王大山", f"王德福{ID_1}已去世", date(2026, 11, 25), today=TODAY
    )
    result = service.result_document(any_clerk, notice.id, today=TODAY)
    assert result.text == "公示期内收到异议1件，处理情况如下。"
    assert ID_1 not in result.objections[0].content and ID_1[:6] + "********" in result.objections[0].content
    assert "王大山" not in repr(result)  # the objector's name stays off public paper
    # The notice itself, printed again after its period, does not promise a handling it lacks.
    reprint = service.document(any_clerk, notice.id, today=TODAY).result_text
    assert reprint == "公示期内收到异议1件，处理情况见公示结果。"


def test_document_is_masked_and_complete(any_clerk: Actor, secretary: Actor) -> None:
    group = roster.add_group(any_clerk, "第一村民小组")
    service.update_notice_settings(
        any_clerk, service.NoticeSettingsData(supervisory_phone="0917-5551234", finance_busy=True)
    )
    data = subsidy_notice(
        title=f"关于王德福（{ID_1}）的公示", places=("village", rules.group_place(group.id))
    )
    notice = posted_notice(any_clerk, secretary, data)
    doc = service.document(any_clerk, notice.id, today=date(2026, 11, 25))
    text = repr(doc)
    for secret in (ID_1, ID_2, PHONE, "13812345678"):
        assert secret not in text
    assert rules.personal_numbers(text) == ["0917-5551234"]  # the committee's, printed on purpose
    assert rules.personal_numbers(text, public=("0917-5551234",)) == []
    assert doc.tables[0].rows[0] == (
        "1",
        "王德福",
        ID_1[:6] + "********" + ID_1[-4:],
        "138****5678",
        "1200.00",
    )
    assert doc.tables[0].header[2] == "身份证号" and doc.tables[0].caption == "高龄老人补贴发放名单"
    assert any("139****5678" in p.text for p in doc.paragraphs)
    assert [p.level for p in doc.paragraphs] == [0, 0, 1, 0]
    assert doc.number == "〔2026〕1号" and doc.final and doc.sign_date == APPROVED_AT.date()
    assert (doc.period_start, doc.period_end) == (POSTED, date(2026, 11, 29))
    assert doc.signing_body == "青石村村民委员会" and doc.village == "青石村"
    assert doc.objection_body == "青石村村务监督委员会" and doc.objection_phone == "0917-5551234"
    assert doc.places[1] != doc.places[0] and len(doc.places) == 2
    assert doc.result_text == ""  # the period is still running
    # The full numbers stay in the database for the clerk.
    assert service.get_notice(any_clerk, notice.id).tables[0].rows[0][2] == ID_1


def test_document_of_a_finance_statement_and_a_party_notice(any_clerk: Actor, secretary: Actor) -> None:
    notice = posted_notice(any_clerk, secretary, finance_notice())
    doc = service.document(any_clerk, notice.id)
    assert doc.statement is not None
    assert [line.amount_fen for line in doc.statement.income] == [500000, 123450]
    assert (doc.statement.income_total_fen, doc.statement.expense_total_fen) == (623450, 327525)
    party = service.create_draft(
        any_clerk, NoticeInput(rules.PARTY, rules.ANNOUNCEMENT, "关于发展党员的公告", "正文")
    )
    draft_doc = service.document(any_clerk, party.id)
    assert draft_doc.signing_body == "中共青石村支部委员会"
    assert not draft_doc.final and draft_doc.number == "" and draft_doc.sign_date is None
    assert draft_doc.period_start is None and draft_doc.objection_body == ""


def test_a_planned_period_shows_before_posting(any_clerk: Actor) -> None:
    draft = service.create_draft(
        any_clerk, subsidy_notice(period_start=date(2026, 9, 28), period_days=7, period_unit="working_days")
    )
    doc = service.document(any_clerk, draft.id)
    assert (doc.period_start, doc.period_end) == (date(2026, 9, 28), date(2026, 10, 12))  # across 国庆


def test_working_day_period_in_an_unknown_year_needs_the_calendar(any_clerk: Actor, secretary: Actor) -> None:
    data = subsidy_notice(period_unit="working_days", period_days=5)
    draft = service.create_draft(any_clerk, data, now=datetime(2035, 1, 2))
    service.approve(secretary, draft.id, now=datetime(2035, 1, 2, 9))
    with pytest.raises(UnknownCalendarYear):
        service.post(any_clerk, draft.id, date(2035, 1, 2), today=date(2035, 1, 2))
    assert service.get_notice(any_clerk, draft.id).state == rules.APPROVED
    service.set_calendar_override(any_clerk, date(2035, 1, 1), working=False, note="元旦")
    service.set_calendar_override(any_clerk, date(2035, 1, 6), working=True, note="调休")
    assert [o.day for o in service.calendar_overrides(any_clerk, 2035)] == [
        date(2035, 1, 1),
        date(2035, 1, 6),
    ]
    posted = service.post(any_clerk, draft.id, date(2035, 1, 2), today=date(2035, 1, 2))
    assert posted.period_end == date(2035, 1, 6)  # Tue 1-2 … Fri 1-5, then the make-up Saturday
    service.delete_calendar_override(any_clerk, date(2035, 1, 6))
    assert len(service.calendar_overrides(any_clerk)) == 1


def test_a_correction_supersedes_the_posted_notice(any_clerk: Actor, secretary: Actor) -> None:
    old = posted_notice(any_clerk, secretary)
    correction = service.correct(any_clerk, old.id)
    rival = service.correct(any_clerk, old.id)  # two corrections drafted; the first posted wins
    assert correction.state == rules.DRAFT and correction.supersedes_id == old.id
    assert correction.tables == old.tables
    fixed = service.update_draft(
        any_clerk, correction.id, subsidy_notice(title="关于2026年度高龄老人补贴发放名单的更正公示")
    )
    service.approve(secretary, fixed.id, now=datetime(2026, 11, 25, 9))
    service.post(any_clerk, fixed.id, date(2026, 11, 26), today=date(2026, 11, 26))
    before = service.get_notice(any_clerk, old.id)
    assert before.state == rules.SUPERSEDED and before.removed_at == date(2026, 11, 26)
    assert before.superseded_by == (fixed.id, rival.id) and before.title == old.title  # both kept
    doc = service.document(any_clerk, fixed.id)
    assert doc.supersedes_number == "〔2026〕1号" and doc.number == "〔2026〕2号"
    with pytest.raises(ValidationError):  # already superseded
        service.correct(any_clerk, old.id)
    service.approve(secretary, rival.id, now=datetime(2026, 11, 27, 9))
    with pytest.raises(ValidationError) as err:  # already superseded by 〔2026〕2号
        service.post(any_clerk, rival.id, date(2026, 11, 27), today=date(2026, 11, 27))
    assert "〔2026〕2号" in err.value.message()
    draft = service.create_draft(any_clerk, subsidy_notice())
    with pytest.raises(ValidationError):
        service.correct(any_clerk, draft.id)
    assert audit.verify_records(AUDITED_MODELS) == []


def test_attachments_and_the_posting_photo(any_clerk: Actor, secretary: Actor) -> None:
    draft = service.create_draft(any_clerk, subsidy_notice())
    pdf = service.add_attachment(any_clerk, draft.id, "名单.pdf", PDF)
    assert pdf.media_type == "application/pdf" and len(pdf.sha256) == 64
    assert service.attachment_content(any_clerk, pdf.id) == PDF
    with pytest.raises(ValidationError):
        service.add_attachment(any_clerk, draft.id, "病毒.exe", b"MZ\x90\x00")
    with pytest.raises(ValidationError):  # a photo belongs to a posted notice
        service.add_attachment(any_clerk, draft.id, "现场.png", PNG, purpose=service.PHOTO)
    service.approve(secretary, draft.id, now=APPROVED_AT)
    posted = service.post(any_clerk, draft.id, POSTED, photo=("张贴.png", PNG), today=POSTED)
    photo = next(a for a in posted.attachments if a.purpose == service.PHOTO)
    assert photo.file_name == "张贴.png"
    with pytest.raises(FinalisedRecord):
        service.delete_attachment(any_clerk, photo.id)
    entry = audit.AuditEntry.select().where(audit.AuditEntry.entity == "notice_attachment").first()
    assert entry is not None and '"content"' not in entry.after and pdf.sha256 in entry.after
    assert audit.verify_records(AUDITED_MODELS) == []


def test_places_must_be_the_village_s_own_boards(any_clerk: Actor) -> None:
    with pytest.raises(ValidationError):
        service.create_draft(any_clerk, subsidy_notice(places=("group:999",)))


def test_search_finds_chinese_words_in_title_and_body(any_clerk: Actor) -> None:
    service.create_draft(any_clerk, subsidy_notice())
    service.create_draft(
        any_clerk,
        NoticeInput(
            rules.VILLAGE,
            rules.ANNOUNCEMENT,
            "关于道路硬化工程的公告",
            "村东头道路硬化工程已完工，验收合格。",
        ),
    )
    service.create_draft(any_clerk, finance_notice())
    service.create_draft(
        any_clerk,
        NoticeInput(rules.PARTY, rules.NOTIFICATION, "关于召开党员大会的通知", "100%参会，不得缺席_"),
    )

    def titles(text: str, **filters: object) -> list[str]:
        rows = service.list_notices(any_clerk, service.NoticeFilter(text=text, **filters))  # type: ignore[arg-type]
        return sorted(r.title for r in rows)

    assert titles("高龄老人") == ["关于2026年度高龄老人补贴发放名单的公示"]  # title
    assert titles("验收合格") == ["关于道路硬化工程的公告"]  # body only
    assert titles("工程 完工") == ["关于道路硬化工程的公告"]  # every word, in any order
    assert titles("道路 补贴") == []
    assert titles("补贴") == ["关于2026年度高龄老人补贴发放名单的公示"]  # two characters: the LIKE path
    assert len(titles("公")) == 3  # one character
    assert titles("100%") == ["关于召开党员大会的通知"]  # wildcards are plain characters
    assert titles("0%参") == ["关于召开党员大会的通知"]
    assert titles("缺席_") == ["关于召开党员大会的通知"]
    assert titles("_") == ["关于召开党员大会的通知"]
    assert titles('"道路') == []  # quotes do not break the query
    assert titles("关于", category=rules.VILLAGE) == [
        "关于2026年度高龄老人补贴发放名单的公示",
        "关于道路硬化工程的公告",
    ]
    assert titles("", kind=rules.NOTIFICATION) == ["关于召开党员大会的通知"]
    assert titles("", state=rules.APPROVED) == []
    assert titles("", year=2025) == []
    # The index follows edits and deletions.
    notice_id = service.list_notices(any_clerk, service.NoticeFilter(text="道路硬化"))[0].id
    service.update_draft(
        any_clerk, notice_id, NoticeInput(rules.VILLAGE, rules.ANNOUNCEMENT, "关于自来水改造的公告", "已完工")
    )
    assert titles("道路硬化") == [] and titles("自来水改造") == ["关于自来水改造的公告"]
    service.delete_draft(any_clerk, notice_id)
    assert titles("自来水") == []


def test_list_rows_for_the_cli(any_clerk: Actor, secretary: Actor) -> None:
    notice = posted_notice(any_clerk, secretary)
    draft = service.create_draft(any_clerk, subsidy_notice(title="草稿"))
    rows = service.list_notices(any_clerk, service.NoticeFilter(year=2026))
    assert rows[0].id == draft.id  # a year's drafts come before its numbered notices
    row = rows[1]
    assert (row.id, row.number, row.category, row.kind, row.state) == (
        notice.id, "〔2026〕1号", "village", "publicity", "posted",
    )  # fmt: skip
    assert (row.posted_at, row.period_end) == (POSTED, date(2026, 11, 29))
    assert len(service.list_notices(any_clerk, limit=1)) == 1


def test_due_reminders(any_clerk: Actor, secretary: Actor) -> None:
    posted_notice(any_clerk, secretary)  # village affairs, posted 11-23
    service.update_notice_settings(any_clerk, service.NoticeSettingsData(finance_busy=True))
    service.create_draft(
        any_clerk, subsidy_notice(title="征地补偿款分配方案", major=True), now=datetime(2026, 11, 24)
    )
    reminders = service.due_reminders(any_clerk, today=date(2026, 11, 25))
    kinds = {(r.kind, r.category, r.status) for r in reminders}
    assert (rules.MAJOR_MATTER, "", rules.OVERDUE) in kinds
    assert (rules.DISCLOSURE, rules.FINANCE, rules.DUE) in kinds
    assert (rules.DISCLOSURE, rules.PARTY, rules.DUE) in kinds
    assert all(r.category != rules.VILLAGE for r in reminders)


def test_settings_are_checked(any_clerk: Actor) -> None:
    assert service.notice_settings(any_clerk).period_days == 7
    with pytest.raises(ValidationError):
        service.update_notice_settings(any_clerk, service.NoticeSettingsData(period_days=0))
    with pytest.raises(ValidationError):
        service.update_notice_settings(any_clerk, service.NoticeSettingsData(supervisory_phone="12345"))
    with pytest.raises(ValidationError):
        service.update_notice_settings(
            any_clerk, service.NoticeSettingsData(mask=rules.MaskRule(id_keep_start=10))
        )
    saved = service.update_notice_settings(
        any_clerk,
        service.NoticeSettingsData(period_days=10, period_unit="working_days", committee_name="青石村委会"),
    )
    assert (saved.period_days, saved.period_unit) == (10, "working_days")
    assert service.signing_bodies(any_clerk)[0] == "青石村委会"
    assert service.create_draft(any_clerk, subsidy_notice()).period_days == 10
    assert audit.verify_records(AUDITED_MODELS) == []


def test_nothing_half_written_when_an_operation_fails(any_clerk: Actor) -> None:
    before = audit.AuditEntry.select().count()
    bad_table = TableInput(("姓名",), (("王大山", "多余"),))
    with pytest.raises(ValidationError):
        service.create_draft(any_clerk, subsidy_notice(tables=(bad_table,)))
    assert audit.AuditEntry.select().count() == before
    assert service.list_notices(any_clerk) == []


def _small_roster(clerk: Actor, today: date) -> None:
    from villagegov.roster.rules import VillagerInput

    for g in range(2):
        group = roster.add_group(clerk, f"第{g + 1}村民小组")
        for h in range(12):
            household = roster.add_household(clerk, group.id, f"{g + 1:02d}-{h + 1:03d}")
            for m, age in enumerate((84 - h, 45 + h, 20)):
                born = date(today.year - age, 3, 1 + h)
                relation = "head" if m == 0 else "child"
                roster.add_villager(
                    clerk,
                    VillagerInput(
                        f"王{'德福建国志强'[m * 2 : m * 2 + 2]}{g}{h}", household, relation,
                        id_number=make_id_number("419901", born, 100 + 10 * g + 2 * m + 1),
                        phone=f"1381234{g}{h:02d}{m}",
                    ),
                    today,
                )  # fmt: skip


def test_demo_notices_cover_every_category_kind_and_state(any_clerk: Actor, secretary: Actor) -> None:
    import random

    from villagegov.notices.demo_data import add_demo_notices

    today = date(2026, 11, 22)
    _small_roster(any_clerk, today)
    summary = add_demo_notices(any_clerk.village_id, today, any_clerk, random.Random(7))
    rows = service.list_notices(any_clerk)
    assert summary.notices == len(rows) >= 30
    assert {(r.category, r.kind) for r in rows} == {(c, k) for c in rules.CATEGORIES for k in rules.KINDS}
    assert set(summary.states) == set(rules.STATES)
    objections = [o for r in rows for o in service.list_objections(any_clerk, r.id)]
    assert {o.late for o in objections} == {True, False}
    assert any(o.answered_on is None for o in objections) and any(o.answered_on for o in objections)
    lists = [r for r in rows if service.get_notice(any_clerk, r.id).tables]
    settings = service.notice_settings(any_clerk)
    published = (settings.supervisory_phone, *(phone for phone, _whose in settings.public_phones))
    assert lists and all(
        rules.personal_numbers(repr(service.document(any_clerk, r.id)), published) == [] for r in rows
    )
    full = service.get_notice(any_clerk, lists[0].id).tables[0].rows[0]
    assert rules.personal_numbers(" ".join(full))  # the database keeps the full numbers
    assert audit.verify_records(AUDITED_MODELS) == [] and audit.verify_database_chain() == []


def test_attachments_print_with_the_notice_and_are_checked_first(any_clerk: Actor, secretary: Actor) -> None:
    draft = service.create_draft(any_clerk, subsidy_notice())
    # A PDF showing a full ID-card or phone number is refused, naming the page but not the number.
    listing = samples.pdf_with_text("补贴名单", f"王德福 {ID_1}", "第二行")
    with pytest.raises(ValidationError) as err:
        service.add_attachment(any_clerk, draft.id, "名单.pdf", listing)
    assert "第 1 页" in err.value.message() and ID_1 not in err.value.message()
    assert ID_1[:6] + "********" in err.value.message()
    with pytest.raises(ValidationError) as err:
        service.add_attachment(
            any_clerk, draft.id, "电话.pdf", samples.pdf_with_text("联系", "电话13812345678")
        )
    with pytest.raises(ValidationError) as err:  # would print differently on another computer
        service.add_attachment(any_clerk, draft.id, "图.pdf", samples.pdf_with_unembedded_font())
    assert "Helvetica" in err.value.message()
    with pytest.raises(ValidationError):  # damaged
        service.add_attachment(any_clerk, draft.id, "坏.png", PNG[:30])
    with pytest.raises(ValidationError):
        service.add_attachment(any_clerk, draft.id, "坏.pdf", PDF[:200])
    assert service.get_notice(any_clerk, draft.id).attachments == ()
    # The committee's own published number may appear in an attachment.
    service.update_notice_settings(any_clerk, service.NoticeSettingsData(supervisory_phone="13912340000"))
    service.add_attachment(
        any_clerk, draft.id, "说明.pdf", samples.pdf_with_text("说明", "监委会13912340000")
    )
    service.add_attachment(any_clerk, draft.id, f"现场{PHONE}.png", PNG)
    doc = service.document(any_clerk, draft.id)
    assert [(a.title, a.media_type) for a in doc.attachments] == [
        ("说明", "application/pdf"),
        ("现场139****5678", "image/png"),  # the file name is its caption: masked too
    ]
    assert doc.attachments[1].content == PNG


def test_published_office_numbers_print_in_full_and_others_masked(any_clerk: Actor, secretary: Actor) -> None:
    with pytest.raises(ValidationError):
        service.update_notice_settings(any_clerk, service.NoticeSettingsData(public_phones=(("123", "x"),)))
    saved = service.update_notice_settings(
        any_clerk,
        service.NoticeSettingsData(
            public_phones=(("0915 6321234", "村委会办公室"), ("0915-6321234", "重复"))
        ),
    )
    assert saved.public_phones == (("09156321234", "村委会办公室"),)
    body = "咨询电话：0915-6321234（村委会），王大山家0915-6329999。"
    notice = posted_notice(any_clerk, secretary, subsidy_notice(body=body))
    [paragraph] = service.document(any_clerk, notice.id).paragraphs
    assert paragraph.text == "咨询电话：0915-6321234（村委会），王大山家0915-****999。"
    service.update_notice_settings(any_clerk, service.NoticeSettingsData())  # the list emptied again
    [paragraph] = service.document(any_clerk, notice.id).paragraphs
    assert "0915-****234" in paragraph.text
    assert audit.verify_records(AUDITED_MODELS) == []


@pytest.mark.parametrize("common_above", [service.PG_GRAMS_MOST, -1])
def test_short_words_are_found_through_the_index_of_characters(
    any_clerk: Actor, secretary: Actor, common_above: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL reads the notices instead when its statistics call a word common: -1 takes that path.
    monkeypatch.setattr(service, "PG_GRAMS_MOST", common_above)
    from villagegov.core.db import database

    def titles(text: str) -> list[str]:
        return sorted(r.title for r in service.list_notices(any_clerk, service.NoticeFilter(text=text)))

    low = service.create_draft(any_clerk, NoticeInput(rules.VILLAGE, rules.PUBLICITY, "低保名单", "ABC 户"))
    service.create_draft(any_clerk, NoticeInput(rules.VILLAGE, rules.PUBLICITY, "低 保", "低\n保"))
    assert titles("低保") == ["低保名单"]  # never across a space or a line break
    assert titles("abc") == titles("ABc") == ["低保名单"]  # 3 letters: the trigram index
    assert titles("bc") == ["低保名单"] and titles("Bc") == ["低保名单"]  # 2: the character index
    assert titles("户") == ["低保名单"] and titles("氢能") == []
    assert titles("单A") == []  # title and body are not one text
    service.update_draft(any_clerk, low.id, NoticeInput(rules.VILLAGE, rules.PUBLICITY, "特困名单", "户"))
    assert titles("低保") == [] and titles("特困") == ["特困名单"]
    service.approve(secretary, low.id)
    fix = service.correct(any_clerk, low.id)
    assert len(titles("特困")) == 2  # the correction is indexed too
    service.delete_draft(any_clerk, fix.id)
    assert titles("特困") == ["特困名单"]
    # A notice written behind the service's back is found after the index is rebuilt.
    database.execute_sql(
        "UPDATE notice SET body = 'X光' WHERE id = " + str(low.id)
    )  # an edit no user can make; only for the rebuild
    from villagegov.core.db import is_postgres

    reads_text = is_postgres() and common_above < 0
    assert titles("X光") == ([] if not reads_text else ["特困名单"])
    assert service.rebuild_search_grams() == 2
    assert titles("x光") == ["特困名单"] and titles("户") == []


def test_migration_8_indexes_the_notices_a_database_already_holds(any_clerk: Actor) -> None:
    from villagegov.core.db import database, migrate
    from villagegov.schema import MIGRATIONS

    service.create_draft(any_clerk, NoticeInput(rules.VILLAGE, rules.PUBLICITY, "低保名单", "正文"))
    # The database as it was before migration 8.
    database.execute_sql("DROP TABLE notice_grams")
    database.execute_sql("DROP TABLE public_phone")
    database.execute_sql("DELETE FROM schema_version WHERE version >= 8")
    assert migrate(database.obj, MIGRATIONS) == MIGRATIONS[-1].version
    assert [r.title for r in service.list_notices(any_clerk, service.NoticeFilter(text="低保"))] == [
        "低保名单"
    ]
    assert audit.verify_records(AUDITED_MODELS) == []


def test_papers_on_file_are_masked_unless_the_village_chooses_otherwise_audited(any_clerk: Actor) -> None:
    """The choice for papers kept on file: masked by default (no row); a change is audited, and the
    village's published contacts travel with its masking for every room's paper."""
    assert service.notice_settings(any_clerk).mask_on_file and service.masking(any_clerk).on_file
    settings = service.update_notice_settings(
        any_clerk,
        service.NoticeSettingsData(supervisory_phone="0917-5551234", mask_on_file=False),
    )
    assert not settings.mask_on_file
    masking = service.masking(any_clerk)
    assert not masking.on_file and masking.published == ("0917-5551234",)
    assert masking("电话0917-5551234，王某13812345678") == "电话0917-5551234，王某138****5678"
    back = service.update_notice_settings(any_clerk, replace(settings, mask_on_file=True))
    assert back.mask_on_file
    assert audit.verify_records(AUDITED_MODELS) == [] and audit.verify_database_chain() == []
    changes = [e.action for e in audit.AuditEntry.select().where(audit.AuditEntry.entity == "paper_settings")]
    assert changes == ["create", "update"]
