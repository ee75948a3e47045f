"""村务公开 rules, pure: money, statements, the life of a notice, objections, reminders, masking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from villagegov.core.actor import CLERK, SECRETARY, SUPERVISOR
from villagegov.core.errors import FinalisedRecord, PermissionDenied, ValidationError
from villagegov.core.privacy import make_id_number
from villagegov.notices import rules
from villagegov.notices.rules import (
    EXPENSE,
    INCOME,
    FinanceLine,
    FinanceLineInput,
    MaskRule,
    NoticeInput,
    ObjectionFacts,
    TableInput,
)

ID = make_id_number("411421", date(1970, 3, 7), 11)
ID_X = next(
    n for n in (make_id_number("411421", date(1985, 6, 1), s) for s in range(1, 999)) if n.endswith("X")
)

# --- money -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1,234.5", 123450),
        ("1234.56", 123456),
        ("0.01", 1),
        ("80", 8000),
        ("¥80", 8000),
        ("300元", 30000),
        ("１，２３４．５０", 123450),
        (" 12,345,678.90 ", 1234567890),
        ("0", 0),
        ("7.", 700),
    ],
)
def test_yuan_text_becomes_exact_fen(text: str, fen: int) -> None:
    assert rules.parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1.234", "two decimals"),
        ("-5", "negative"),
        ("abc", "not an amount"),
        ("1,23.4", "not an amount"),
        ("12,34", "not an amount"),
        ("1e3", "not an amount"),
        ("", "enter an amount"),
        ("NaN", "not an amount"),
        ("99999999999999", "implausibly large"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(text: str, says: str) -> None:
    from villagegov.core import i18n

    i18n.set_language("en")
    with pytest.raises(ValidationError) as err:
        rules.parse_yuan(text)
    assert says in err.value.message()


def test_an_opening_balance_may_be_negative_and_fen_go_back_to_yuan() -> None:
    assert rules.parse_yuan("-1,000.00", allow_negative=True) == -100000
    assert rules.fen_to_yuan(123450) == "1234.50"
    assert rules.fen_to_yuan(-5) == "-0.05"
    assert rules.parse_yuan(rules.fen_to_yuan(987654321)) == 987654321


LINES = (
    FinanceLine(INCOME, "上级转移支付", 5000000),
    FinanceLine(INCOME, "集体资产租赁收入", 1234550),
    FinanceLine(EXPENSE, "村干部报酬", 2400000),
    FinanceLine(EXPENSE, "道路维修", 875025),
)


def test_statement_totals_are_computed_from_the_lines() -> None:
    s = rules.statement(LINES, opening_balance_fen=100000)
    assert (s.income_total_fen, s.expense_total_fen) == (6234550, 3275025)
    assert s.closing_balance_fen == 100000 + 6234550 - 3275025
    assert [line.item for line in s.expense] == ["村干部报酬", "道路维修"]
    assert rules.statement(LINES).closing_balance_fen is None


def test_a_statement_that_adds_up_passes() -> None:
    rules.check_statement(LINES, 6234550, 3275025)


def test_a_statement_one_fen_off_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        rules.check_statement(LINES, 6234550, 3275026)
    assert err.value.field == "stated_expense"
    assert "¥0.01" in err.value.message() and "¥32,750.25" in err.value.message()
    with pytest.raises(ValidationError) as err:
        rules.check_statement(LINES, 6234549, 3275025)
    assert err.value.field == "stated_income"


def test_a_statement_without_totals_from_the_books_is_refused() -> None:
    with pytest.raises(ValidationError):
        rules.check_statement(LINES, None, 3275025)
    rules.check_statement((), None, None)  # a finance notice with text only


# --- a draft ---------------------------------------------------------------------------------------


def _draft(**changes: object) -> NoticeInput:
    base = {"category": rules.VILLAGE, "kind": rules.PUBLICITY, "title": "关于2026年低保户名单的公示"}
    base.update(changes)
    return NoticeInput(**base)  # type: ignore[arg-type]


def test_a_publicity_draft_gets_the_village_default_period() -> None:
    clean = rules.check_notice(_draft(body="  第一段\r\n\r\n 第二段  "), 7, "days")
    assert (clean.period_days, clean.period_unit) == (7, "days")
    assert clean.body == "第一段\n\n 第二段"
    assert clean.places == ("village",)
    own = rules.check_notice(_draft(period_days=5, period_unit="working_days"), 7, "days")
    assert (own.period_days, own.period_unit) == (5, "working_days")


def test_announcements_have_no_posting_period() -> None:
    clean = rules.check_notice(_draft(kind=rules.ANNOUNCEMENT, period_start=date(2026, 1, 5)), 7, "days")
    assert clean.period_days is None and clean.period_unit is None and clean.period_start is None


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "   "},
        {"category": "sports"},
        {"kind": "circular"},
        {"places": ()},
        {"places": ("board 3",)},
        {"period_days": 0},
        {"period_days": 91},
        {"period_unit": "weeks"},
        {"tables": (TableInput(("姓名", "金额"), (("王大山",),)),)},
        {"tables": (TableInput((), ()),)},
        {"finance_lines": (FinanceLineInput(INCOME, "租金", "100"),)},  # not a finance notice
    ],
)
def test_bad_drafts_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        rules.check_notice(_draft(**changes), 7, "days")


def test_finance_lines_are_parsed_into_fen() -> None:
    clean = rules.check_notice(
        _draft(
            category=rules.FINANCE, kind=rules.ANNOUNCEMENT,
            finance_lines=(
                FinanceLineInput(INCOME, " 租金 ", "1,234.5"), FinanceLineInput(EXPENSE, "电费", "80"),
            ),
            stated_income="1234.50", stated_expense="80", opening_balance="-10",
        ),
        7, "days",
    )  # fmt: skip
    assert clean.finance_lines == (FinanceLine(INCOME, "租金", 123450), FinanceLine(EXPENSE, "电费", 8000))
    assert (clean.stated_income_fen, clean.stated_expense_fen, clean.opening_balance_fen) == (
        123450,
        8000,
        -1000,
    )
    with pytest.raises(ValidationError):
        rules.check_notice(
            _draft(category=rules.FINANCE, finance_lines=(FinanceLineInput(INCOME, "租金", "1.234"),)),
            7,
            "days",
        )


def test_table_rows_are_trimmed_and_empty_rows_dropped() -> None:
    table = TableInput((" 姓名 ", "金额"), ((" 王大山", "100 "), ("", "")), caption=" 名单 ")
    clean = rules.check_notice(_draft(tables=(table,)), 7, "days")
    assert clean.tables == (TableInput(("姓名", "金额"), (("王大山", "100"),), "名单"),)


# --- a notice's life ---------------------------------------------------------------------------------


def test_allowed_transitions() -> None:
    assert rules.next_state(rules.DRAFT, rules.APPROVE) == rules.APPROVED
    assert rules.next_state(rules.APPROVED, rules.POST) == rules.POSTED
    assert rules.next_state(rules.APPROVED, rules.WITHDRAW) == rules.WITHDRAWN
    assert rules.next_state(rules.POSTED, rules.REMOVE) == rules.REMOVED
    for state in (rules.APPROVED, rules.POSTED, rules.REMOVED):
        assert rules.next_state(state, rules.SUPERSEDE) == rules.SUPERSEDED


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (rules.DRAFT, rules.POST),
        (rules.POSTED, rules.APPROVE),
        (rules.POSTED, rules.WITHDRAW),
        (rules.WITHDRAWN, rules.POST),
        (rules.REMOVED, rules.POST),
        (rules.SUPERSEDED, rules.SUPERSEDE),
        (rules.DRAFT, rules.SUPERSEDE),
        (rules.APPROVED, rules.REMOVE),
    ],
)
def test_forbidden_transitions(state: str, action: str) -> None:
    with pytest.raises(ValidationError):
        rules.next_state(state, action)


def test_only_drafts_are_edited() -> None:
    rules.check_editable(rules.DRAFT, "")
    for state in (rules.APPROVED, rules.POSTED, rules.REMOVED, rules.SUPERSEDED, rules.WITHDRAWN):
        with pytest.raises(FinalisedRecord) as err:
            rules.check_editable(state, "〔2026〕3号")
        assert "〔2026〕3号" in err.value.message()


def test_numbers_are_sequential_and_never_reused() -> None:
    assert rules.notice_number(2026, 3) == "〔2026〕3号"
    assert rules.next_sequence([]) == 1
    assert rules.next_sequence([None, 1, 2, None]) == 3
    assert rules.next_sequence([1, 3]) == 4  # a gap is never filled


def test_body_lines_become_paragraphs_with_heading_levels() -> None:
    body = "各村民小组：\n\n一、补贴对象\n（一）范围\n1. 标准\n(1) 细则\n正文一二三"
    assert [(p.text, p.level) for p in rules.paragraphs(body)] == [
        ("各村民小组：", 0), ("一、补贴对象", 1), ("（一）范围", 2), ("1. 标准", 3), ("(1) 细则", 4),
        ("正文一二三", 0),
    ]  # fmt: skip
    assert [p.addressee for p in rules.paragraphs(body)] == [True, False, False, False, False, False]


@pytest.mark.parametrize(
    ("first_line", "addressee"),
    [
        ("各村民小组、全体村民：", True),
        ("全体党员:", True),
        ("现将有关事项通知如下：", False),  # a sentence introducing what follows
        ("经研究，现公示如下：", False),
        ("本村村民代表会议于近日召开。", False),
        ("一、各村民小组：", False),  # a heading
    ],
)
def test_the_addressee_is_the_short_opening_line_ending_in_a_colon(first_line: str, addressee: bool) -> None:
    first = rules.paragraphs(first_line + "\n正文")[0]
    assert first.addressee is addressee
    assert not rules.paragraphs("正文\n" + first_line)[1].addressee  # only the first line addresses


# --- objections and the period result -----------------------------------------------------------------


def test_an_objection_on_the_last_day_is_on_time_and_the_day_after_late() -> None:
    end = date(2026, 11, 29)
    assert not rules.is_late(date(2026, 11, 29), end)
    assert rules.is_late(date(2026, 11, 30), end)
    assert not rules.is_late(date(2026, 11, 23), end)


def test_an_objection_is_answered_within_ten_days() -> None:
    assert rules.answer_deadline(date(2026, 11, 25)) == date(2026, 12, 5)


def test_objections_before_posting_or_in_the_future_are_refused() -> None:
    posted, today = date(2026, 11, 23), date(2026, 11, 26)
    assert rules.check_objection(" 王 大山 ", "名单有误", posted, posted, today) == ("王 大山", "名单有误")
    with pytest.raises(ValidationError):
        rules.check_objection("王大山", "名单有误", date(2026, 11, 22), posted, today)
    with pytest.raises(ValidationError):
        rules.check_objection("王大山", "名单有误", date(2026, 11, 27), posted, today)
    with pytest.raises(ValidationError):
        rules.check_objection("", "名单有误", posted, posted, today)


def _facts(day: date, late: bool = False) -> ObjectionFacts:
    return ObjectionFacts(day, "张三不符合条件", "经核实", "已答复", day, late)


def test_period_result_without_objections() -> None:
    from villagegov.core import i18n

    i18n.set_language("en")
    end = date(2026, 11, 29)
    running = rules.period_result(end, date(2026, 11, 29), [])
    assert not running.ended and "November 29, 2026" in running.text
    done = rules.period_result(end, date(2026, 11, 30), [])
    assert done.ended and done.without_objections
    assert done.text == "The posting period has ended with no objections."


def test_period_result_lists_objections_and_counts_late_ones_apart() -> None:
    from villagegov.core import i18n

    i18n.set_language("en")
    end = date(2026, 11, 29)
    result = rules.period_result(
        end, date(2026, 12, 2), [_facts(date(2026, 12, 1), late=True), _facts(date(2026, 11, 29))]
    )
    assert len(result.on_time) == 1 and len(result.late) == 1 and not result.without_objections
    assert result.text.startswith("1 objection was received during the posting period")
    assert "1 objection was received after" in result.text
    only_late = rules.period_result(end, date(2026, 12, 2), [_facts(date(2026, 12, 1), late=True)])
    assert only_late.without_objections and only_late.text.startswith("The posting period has ended with no")


# --- due reminders ----------------------------------------------------------------------------------------


def _by_category(reminders: list[rules.Reminder]) -> dict[str, rules.Reminder]:
    return {r.category: r for r in reminders if r.kind == rules.DISCLOSURE}


def test_quarterly_disclosure_due_then_overdue() -> None:
    today = date(2026, 11, 20)  # Q4
    last = {rules.VILLAGE: date(2026, 10, 8), rules.PARTY: date(2026, 8, 1), rules.FINANCE: date(2026, 5, 1)}
    found = _by_category(rules.due_reminders(today, last, finance_busy=False))
    assert rules.VILLAGE not in found  # posted this quarter
    assert found[rules.PARTY].status == rules.DUE and found[rules.PARTY].due_by == date(2026, 12, 31)
    assert found[rules.FINANCE].status == rules.OVERDUE  # nothing in Q3
    assert found[rules.FINANCE].due_by == date(2026, 9, 30)


def test_busy_finance_is_disclosed_monthly() -> None:
    today = date(2026, 11, 20)
    found = _by_category(rules.due_reminders(today, {rules.FINANCE: date(2026, 10, 31)}, finance_busy=True))
    assert found[rules.FINANCE].status == rules.DUE and found[rules.FINANCE].frequency == rules.MONTH
    assert found[rules.FINANCE].due_by == date(2026, 11, 30)
    found = _by_category(rules.due_reminders(today, {rules.FINANCE: date(2026, 9, 30)}, finance_busy=True))
    assert found[rules.FINANCE].status == rules.OVERDUE and found[rules.FINANCE].due_by == date(2026, 10, 31)
    # January looks back to December of the year before.
    found = _by_category(rules.due_reminders(date(2027, 1, 5), {rules.FINANCE: date(2026, 12, 3)}, True))
    assert found[rules.FINANCE].status == rules.DUE and found[rules.FINANCE].due_by == date(2027, 1, 31)


def test_a_new_village_is_told_what_is_due_not_scolded() -> None:
    reminders = rules.due_reminders(date(2026, 11, 20), {}, finance_busy=False)
    assert {r.status for r in reminders} == {rules.DUE} and len(reminders) == 3


def test_major_matters_at_once_and_objection_answers_within_ten_days() -> None:
    today = date(2026, 11, 20)
    reminders = rules.due_reminders(
        today,
        dict.fromkeys(rules.CATEGORIES, today),
        finance_busy=False,
        pending_major=[rules.PendingMajor(5, "征地补偿分配方案", date(2026, 11, 18))],
        open_objections=[
            rules.OpenObjection(1, 7, "低保名单", date(2026, 11, 12)),
            rules.OpenObjection(2, 7, "低保名单", date(2026, 11, 5)),
        ],
    )
    assert [(r.kind, r.status) for r in reminders] == [
        (rules.OBJECTION_ANSWER, rules.OVERDUE),  # due 11-15
        (rules.MAJOR_MATTER, rules.OVERDUE),  # at once: 11-18
        (rules.OBJECTION_ANSWER, rules.DUE),  # due 11-22
    ]
    assert reminders[0].objection_id == 2 and reminders[1].notice_id == 5
    assert all(r.reason for r in reminders)


# --- masking for public paper -------------------------------------------------------------------------------


def test_id_and_mobile_numbers_are_masked_anywhere_in_text() -> None:
    text = f"王大山（身份证{ID}，电话13812345678）与李秀英{ID_X.lower()}"
    masked = rules.mask_public(text)
    assert masked == (
        f"王大山（身份证{ID[:6]}********{ID[-4:]}，电话138****5678）与李秀英{ID_X[:6]}********{ID_X[-4:].lower()}"
    )
    assert rules.personal_numbers(masked) == []
    assert rules.personal_numbers(text) == [ID, ID_X.lower(), "13812345678"]


def test_grouped_full_width_and_prefixed_numbers_are_masked() -> None:
    grouped = f"{ID[:6]} {ID[6:14]} {ID[14:]}"
    assert rules.mask_public(grouped) == f"{ID[:6]} ******** {ID[14:]}"
    assert rules.mask_public("138 1234 5678") == "138 **** 5678"
    assert rules.mask_public("+86 13812345678") == "+86 138****5678"
    full = "".join(chr(ord(c) + 0xFEE0) for c in "13812345678")
    assert rules.mask_public(full) == "１３８****５６７８"
    assert rules.mask_public("138-1234-5678") == "138-****-5678"


def test_a_mistyped_id_number_is_still_masked() -> None:
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    assert rules.mask_public(wrong) == wrong[:6] + "*" * 8 + wrong[-4:]


def test_landlines_are_masked_too_but_the_village_s_published_numbers_stay() -> None:
    text = "王大山家电话0917-5551234，李秀英（010）87654321，赵小红 09175551235；村委会0917-5550000"
    masked = rules.mask_public(text, public=("0917-5550000",))
    assert masked == (
        "王大山家电话0917-****234，李秀英（010）****4321，赵小红 0917****235；村委会0917-5550000"
    )
    assert rules.personal_numbers(masked, public=("09175550000",)) == []
    assert rules.personal_numbers(text, public=("0917-5550000",)) == [
        "0917-5551234", "(010)87654321", "09175551235",
    ]  # fmt: skip
    # A published mobile (the supervisory committee's) prints in full wherever it appears.
    assert rules.mask_public("请拨打13812345678或13912345678", public=("+86 138 1234 5678",)) == (
        "请拨打13812345678或139****5678"
    )


def test_other_numbers_stay() -> None:
    for text in ("2026年11月23日", "金额 12345678.90 元", "2026-01-15", "12345678901", "户号 01-001", ""):
        assert rules.mask_public(text) == text
    assert rules.mask_public("15位数字123456789012345") == "15位数字123456789012345"  # too short for a card


def test_bank_card_numbers_show_at_most_their_first_6_and_last_4_digits() -> None:
    # A subsidy list's 一卡通 accounts: 16 to 19 digits, whole or in groups of four.
    assert rules.mask_public("6217001234567890") == "621700******7890"
    assert rules.mask_public("王大山 6222021234567890123 ¥450.00") == "王大山 622202*********0123 ¥450.00"
    assert rules.mask_public("账号：6228-4801-2345-6789-012。") == "账号：6228-48**-****-***9-012。"
    assert rules.mask_public("6222 0212 3456 7890") == "6222 02** **** 7890"
    assert rules.personal_numbers("6222021234567890123 与 6217 0012 3456 7890") == [
        "6222021234567890123", "6217 0012 3456 7890",
    ]  # fmt: skip
    assert rules.personal_numbers(rules.mask_public("6222021234567890123 6217 0012 3456 7890")) == []
    # A village that shows less of an ID number shows as little of a card.
    rule = MaskRule(id_keep_start=0, id_keep_end=4)
    assert rules.mask_public("6217001234567890", rule) == "************7890"


def test_a_village_may_show_less_but_not_more() -> None:
    rule = MaskRule(id_keep_start=3, id_keep_end=2, phone_keep_start=0, phone_keep_end=4)
    assert rules.mask_public(f"{ID} 13812345678", rule) == f"{ID[:3]}{'*' * 13}{ID[-2:]} *******5678"
    rules.check_mask_rule(rule)
    with pytest.raises(ValidationError):
        rules.check_mask_rule(MaskRule(id_keep_start=8))
    with pytest.raises(ValidationError):
        rules.check_mask_rule(MaskRule(phone_keep_end=5))


# --- what may be done now (the room's buttons and the service ask the same rules) -------------------


def _notice_facts(state: str, kind: str = rules.PUBLICITY, end: date | None = None) -> rules.NoticeFacts:
    return rules.NoticeFacts(state, kind, "〔2026〕3号" if state != rules.DRAFT else "", end)


def test_only_the_secretary_approves_and_only_a_draft() -> None:
    draft, approved = _notice_facts(rules.DRAFT), _notice_facts(rules.APPROVED)
    assert rules.notice_actions(SECRETARY, draft, date(2026, 11, 25)).may(rules.APPROVE)
    clerk = rules.notice_actions(CLERK, draft, date(2026, 11, 25))
    assert clerk.why_not(rules.APPROVE) == "只有书记可以审批；您当前的登录身份是文书。"
    assert rules.notice_actions(SECRETARY, approved, date(2026, 11, 25)).why_not(rules.APPROVE) == (
        "只有草稿可以审批，此事项现为“已审批”。"
    )
    with pytest.raises(PermissionDenied):
        clerk.require(rules.APPROVE)


def test_an_approved_notice_is_never_edited_only_corrected() -> None:
    allowed = rules.notice_actions(
        CLERK, _notice_facts(rules.POSTED, end=date(2026, 12, 1)), date(2026, 11, 25)
    )
    assert not allowed.may(rules.EDIT) and not allowed.may(rules.DELETE)
    with pytest.raises(FinalisedRecord):
        allowed.require(rules.EDIT)
    assert allowed.may(rules.CORRECT) and allowed.may(rules.REMOVE) and allowed.may(rules.RECORD_OBJECTION)
    draft = rules.notice_actions(CLERK, _notice_facts(rules.DRAFT), date(2026, 11, 25))
    assert draft.may(rules.EDIT) and not draft.may(rules.CORRECT) and not draft.may(rules.POST)


def test_the_period_result_prints_from_the_day_after_the_period() -> None:
    end = date(2026, 12, 1)
    facts = _notice_facts(rules.POSTED, end=end)
    assert not rules.notice_actions(CLERK, facts, end).may(rules.PRINT_RESULT)  # its last day
    assert rules.notice_actions(CLERK, facts, end + timedelta(days=1)).may(rules.PRINT_RESULT)
    announcement = _notice_facts(rules.POSTED, rules.ANNOUNCEMENT)
    assert not rules.notice_actions(CLERK, announcement, end).may(rules.RECORD_OBJECTION)


def test_the_supervisory_committee_reads_and_prints_but_changes_nothing() -> None:
    allowed = rules.notice_actions(SUPERVISOR, _notice_facts(rules.DRAFT), date(2026, 11, 25))
    assert allowed.may(rules.PRINT) and allowed.may(rules.ATTACHMENTS)
    assert not any(allowed.may(a) for a in (rules.EDIT, rules.DELETE, rules.APPROVE, rules.POST))
    assert not rules.room_actions(SUPERVISOR).may(rules.NEW)


def test_an_objection_is_answered_once() -> None:
    assert rules.objection_actions(CLERK, None).may(rules.ANSWER_OBJECTION)
    answered = rules.objection_actions(CLERK, date(2026, 11, 20))
    with pytest.raises(FinalisedRecord):
        answered.require(rules.ANSWER_OBJECTION)


# --- what the clerk pastes ------------------------------------------------------------------------


def test_rows_pasted_from_excel_keep_quoted_newlines_and_drop_blank_rows() -> None:
    text = '序号\t姓名\t备注\r\n1\t王建国\t"两行\n备注"\r\n\t\t\r\n2\t李秀英\t\r\n'
    assert rules.parse_pasted(text) == [
        ["序号", "姓名", "备注"],
        ["1", "王建国", "两行\n备注"],
        ["2", "李秀英", ""],
    ]
    assert rules.split_headings("序号，姓名,金额（元）\t备注") == ["序号", "姓名", "金额（元）", "备注"]


def test_finance_lines_pasted_with_or_without_their_side() -> None:
    lines = rules.pasted_finance_lines("支出\t办公用品\t80.00\n土地租金\t1,200\nexpenditure\t电费")
    assert lines == [
        rules.FinanceLineInput(rules.EXPENSE, "办公用品", "80.00"),
        rules.FinanceLineInput(rules.INCOME, "土地租金", "1,200"),
        rules.FinanceLineInput(rules.EXPENSE, "电费", ""),
    ]


def test_totals_are_exact_and_a_book_total_off_by_one_fen_is_named() -> None:
    lines = [
        rules.FinanceLineInput(rules.INCOME, "租金", "0.10"),
        rules.FinanceLineInput(rules.INCOME, "补助", "0.20"),
        rules.FinanceLineInput(rules.EXPENSE, "电费", "1,234.56"),
        rules.FinanceLineInput(rules.EXPENSE, "乱写", "一千"),
    ]
    totals = rules.finance_totals(lines, stated_income="0.30", stated_expense="1234.55")
    assert (totals.income_fen, totals.expense_fen) == (30, 123456)  # 0.1 + 0.2 is exactly 0.30 here
    income, expense = totals.comparisons
    assert income.difference_fen == 0 and expense.difference_fen == 1
    assert len(totals.problems) == 1 and totals.problems[0].startswith("第 4 行：一千")


def test_published_phone_lines_split_into_number_and_whose() -> None:
    assert rules.parse_public_phones(
        "0915-6321234 村委会办公室\n\n（0915）6321235\n13800001111 村务监督委员会"
    ) == (
        ("0915-6321234", "村委会办公室"),
        ("（0915）6321235", ""),
        ("13800001111", "村务监督委员会"),
    )
