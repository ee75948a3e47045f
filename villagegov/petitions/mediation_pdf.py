"""矛盾纠纷调处 on paper: the mediation agreement (调解协议书), or the record of an oral one.

The layout takes the mediation service's plain document (mediation_records.py: every number already
masked) and gives back an `OfficialDocument`; its words are Chinese because the paper stays in the
village.
"""

from __future__ import annotations

from villagegov.core.i18n import document_date
from villagegov.core.numbering import chinese_numeral
from villagegov.core.privacy import Audience
from villagegov.petitions import mediation_rules as rules
from villagegov.petitions.mediation_records import AgreementDocument, AgreementParty
from villagegov.printing.document import (
    BlankLine,
    Block,
    Heading,
    OfficialDocument,
    Signature,
    Text,
    render_bytes,
    sign_here,
)
from villagegov.printing.template import Paper


def chinese_count(n: int) -> str:
    """2 → 两 (一式两份), 3 → 三, 12 → 十二."""
    return "两" if n == 2 else chinese_numeral(n)


def _party_line(party: AgreementParty) -> str:
    parts = [party.name]
    if party.gender:
        parts.append(party.gender)
    if party.birth_date:
        parts.append(f"{document_date(party.birth_date)}出生")
    if party.id_number:
        parts.append(f"身份证号码{party.id_number}")
    if party.address:
        parts.append(f"住{party.address}")
    if party.phone:
        parts.append(f"联系电话{party.phone}")
    return f"{party.label}：" + "，".join(parts) + "。"


def agreement_document(doc: AgreementDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """What 人民调解法 Art. 29 names, then the places to sign, and the committee's seal over its name."""
    blocks: list[Block] = [Heading("一、当事人基本情况")]
    blocks += [Text(_party_line(p)) for p in doc.parties]
    blocks += [
        Heading("二、纠纷主要事实和争议事项"),
        Text(f"纠纷类型：{doc.kind_label}。"),
        *[Text(paragraph) for paragraph in doc.facts.split("\n") if paragraph.strip()],
        Text(f"争议事项：{doc.disputed}"),
        Heading("三、各方当事人的责任"),
        *[Text(f"{who}：{duty}") for who, duty in doc.responsibilities],
        Heading("四、经调解，各方当事人自愿达成如下协议"),
        *[Text(f"{i}. {term}") for i, term in enumerate(doc.terms, start=1)],
        Heading("五、履行方式和期限"),
        Text(f"履行方式：{doc.performance}"),
        Text(f"履行期限：于{document_date(doc.perform_by)}前履行完毕。"),
    ]
    if doc.oral:
        blocks.append(
            Text("本协议系当事人达成的口头调解协议，由人民调解员记录在案，自各方当事人达成协议之日起生效。")
        )
    else:
        blocks.append(
            Text(
                f"本协议书一式{chinese_count(doc.copies)}份，当事人各执一份，人民调解委员会留存一份。"
                "本协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
            )
        )
    blocks.append(
        Text(
            "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。当事人认为有必要的，"
            f"可以自调解协议生效之日起{rules.COURT_CONFIRMATION_DAYS}日内共同向人民法院申请司法确认。"
        )
    )
    blocks.append(BlankLine())
    blocks.append(Text("当事人（签名、盖章或者按指印）：", indent=False))
    for party in doc.parties:
        blocks.append(Text(sign_here(party.label), indent=False))
    blocks.append(Text(sign_here("人民调解员（签名）"), indent=False))
    blocks.append(Text(f"（本案人民调解员：{'、'.join(doc.mediators)}）", indent=False))
    return OfficialDocument(
        title="口头调解协议记录" if doc.oral else "人民调解协议书",
        number=doc.number,
        blocks=tuple(blocks),
        signature=Signature(f"{doc.committee}（印章）", doc.concluded_on),
        paper=paper,
        author=doc.committee,
        subject=f"调解协议书 {doc.number}",
        audience=Audience.ON_FILE,  # one copy a party, one kept by the committee
        masking=doc.masking,
    )


def agreement_bytes(doc: AgreementDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(agreement_document(doc, paper))
