"""民情三本账 on paper: the ledgers (登记簿) and the acceptance notice (受理告知书).

Layouts take the petition service's plain documents (petition_records.py: already masked, no
complainant named) and give back `OfficialDocument`s; the words they add are Chinese because the
paper stays in the village.
"""

from __future__ import annotations

from datetime import date

from villagegov.core.i18n import document_date
from villagegov.core.privacy import Audience
from villagegov.petitions.pdf import period_text
from villagegov.petitions.petition_records import AcknowledgementDocument, LedgerDocument, LedgerLine
from villagegov.printing.document import Block, OfficialDocument, Signature, TableBlock, Text, render_bytes
from villagegov.printing.template import Paper

# --- 登记簿 ---------------------------------------------------------------------------------------


def _short(day: date, one_year: bool) -> str:
    return f"{day.month}月{day.day}日" if one_year else f"{day.year}.{day.month}.{day.day}"


# --- 登记簿 ---------------------------------------------------------------------------------------


def _progress(line: LedgerLine, one_year: bool) -> str:
    if line.closed_on is not None:
        parts = [f"{_short(line.closed_on, one_year)}销号"]
        if line.satisfaction:
            parts.append(line.satisfaction)
        parts.append("按期" if line.on_time == "是" else "逾期")
        return "，".join(parts)
    return line.progress + ("（已逾期）" if line.overdue else "")


def _number(line: LedgerLine, one_year: bool) -> str:
    return f"第{line.sequence}号" if one_year else f"{line.year}年第{line.sequence}号"


def ledger_document(doc: LedgerDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """One ruled table a ledger: number, day received, who (never a complainant), the matter (with
    its channel), the handler, and how far it went."""
    one_year = doc.start.year == doc.end.year
    blocks: list[Block] = [
        Text(f"登记期间：{document_date(doc.start)}至{document_date(doc.end)}", indent=False, align="centre")
    ]
    total = sum(len(lines) for _label, lines in doc.ledgers)
    blocks.append(Text(f"本期共登记{total}件，其中" + "，".join(
        f"{label.removesuffix('登记簿')}{len(lines)}件" for label, lines in doc.ledgers
    ) + "。投诉举报人信息依规保密，不在本簿载明。"))  # fmt: skip
    for label, lines in doc.ledgers:
        rows = tuple(
            (
                _number(line, one_year),
                _short(line.received_on, one_year),
                line.petitioner,
                f"〔{line.channel}〕{line.subject}",
                line.assignee,
                _progress(line, one_year),
            )
            for line in lines
        )
        if not rows:
            rows = (("", "", "", "本期无登记", "", ""),)
        blocks.append(
            TableBlock(("编号", "受理日期", "反映人", "反映事项", "承办人", "办理情况"), rows, caption=label)
        )
    return OfficialDocument(
        title=f"{doc.village}民情三本账登记簿（{period_text(doc.start, doc.end)}）",
        blocks=tuple(blocks),
        signature=Signature(doc.signing_body, doc.sign_date),
        paper=paper,
        author=doc.signing_body,
        subject="民情三本账登记簿",
        audience=Audience.ON_FILE,  # 登记簿: the committee's ledgers
        masking=doc.masking,
    )


# --- 受理告知书 ---------------------------------------------------------------------------------


def acknowledgement_document(doc: AcknowledgementDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    complaint = doc.addressee == "投诉举报人"
    blocks: list[Block] = [
        Text(f"{doc.addressee}：", indent=False),
        Text(
            f"您于{document_date(doc.received_on)}以{doc.channel_label}方式反映的“{doc.subject}”事项，"
            f"本村已登记在{doc.ledger_label}账（编号{doc.number}），经村党组织书记阅批，现予受理。"
        ),
        Text(
            f"我们将自交办之日起{doc.result_days}个工作日内办理完毕并向您反馈结果，反馈后"
            f"{doc.consult_days}个工作日内听取您对办理结果的意见。如您对办理结果不满意，可以当面或"
            "通过电话提出，我们将重新交办办理。"
        ),
    ]
    if complaint:
        blocks.append(Text("您的个人信息和投诉举报内容，我们将严格保密。"))
    blocks.append(Text("特此告知。"))
    return OfficialDocument(
        title="受理告知书",
        number=doc.number,
        blocks=tuple(blocks),
        signature=Signature(doc.signing_body, doc.sign_date),
        paper=paper,
        author=doc.signing_body,
        subject=f"受理告知书 {doc.number}",
        audience=Audience.ON_FILE,  # handed to the villager, a copy kept
        masking=doc.masking,
    )


def ledger_bytes(doc: LedgerDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(ledger_document(doc, paper))


def acknowledgement_bytes(doc: AcknowledgementDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(acknowledgement_document(doc, paper))
