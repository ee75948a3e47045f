"""`villagegov list petitions|mediations` and `villagegov print petition-ledger|mediation|…` as a user runs
them: a real process, tab-separated lines, PDFs, messages on stderr."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.cli.test_cli import run
from tests.petitions.conftest import (
    COMPLAINANT,
    PETITIONER,
    Village,
    agreement_input,
    mediation_input,
    petition_input,
    walk,
)
from tests.printing.conftest import page_texts
from villagegov.petitions import mediation_rules, mediation_service, petition_rules, petition_service


def _fill(v: Village) -> int:
    on = date(2026, 11, 2)
    claim = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=on)
    walk(v, claim.id, petition_rules.CLOSE, on)
    petition_service.create_petition(
        v.clerk, petition_input(v.complainant, petition_rules.COMPLAINT), today=on
    )
    petition_service.create_petition(
        v.clerk,
        petition_input(v.petitioner, petition_rules.SUGGESTION, date(2025, 12, 1)),
        today=date(2025, 12, 1),
    )
    m = mediation_service.create_mediation(v.clerk, mediation_input(v), today=date(2026, 11, 30))
    mediation_service.record_session(
        v.clerk,
        m.id,
        mediation_rules.SessionInput(date(2026, 11, 5), "", ("张调解",), "调解"),
        today=date(2026, 11, 30),
    )
    mediation_service.record_outcome(v.clerk, m.id, agreement_input(), today=date(2026, 11, 30))
    return m.id


def test_list_and_print_petitions_and_mediations(sqlite_village: Village, tmp_path: Path) -> None:
    mediation = _fill(sqlite_village)
    db = str(tmp_path / "village.sqlite3")
    home = tmp_path / "cli"
    rows = run(["--db", db, "--user", "wenshu", "list", "petitions", "--year", "2026"], home, "mima-1234")
    assert rows.returncode == 0, rows.stderr
    lines = [line.split("\t") for line in rows.stdout.splitlines()]
    assert len(lines) == 2 and all(len(line) == 9 for line in lines)
    by_ledger = {line[2]: line for line in lines}
    assert by_ledger["利益诉求"][1:7] == [
        "〔2026〕诉字第1号",
        "利益诉求",
        "2026-11-02",
        PETITIONER,
        "申请修缮村道排水沟",
        "已销号",
    ]
    assert by_ledger["投诉举报"][4] == "（保密）" and COMPLAINANT not in rows.stdout
    # The secretary sees who complained.
    boss = run(
        ["--db", db, "--user", "shuji", "list", "petitions", "--ledger", "complaint"], home, "mima-5678"
    )
    assert boss.returncode == 0 and COMPLAINANT in boss.stdout and len(boss.stdout.splitlines()) == 1
    overdue = run(["--db", db, "--user", "wenshu", "list", "petitions", "--overdue"], home, "mima-1234")
    assert overdue.returncode == 0
    assert {line.split("\t")[2] for line in overdue.stdout.splitlines()} == {"投诉举报", "意见建议"}
    meds = run(["--db", db, "--user", "wenshu", "list", "mediations", "--year", "2026"], home, "mima-1234")
    assert meds.returncode == 0
    [med] = [line.split("\t") for line in meds.stdout.splitlines()]
    assert med[1:4] == ["〔2026〕调字第1号", "宅基地", "2026-11-03"] and med[5] == "达成协议"

    out = tmp_path / "ledger.pdf"
    printed = run(
        ["--db", db, "--user", "wenshu", "print", "petition-ledger", "--year", "2026", "-o", str(out)],
        home,
        "mima-1234",
    )
    assert printed.returncode == 0, printed.stderr
    text = "".join(page_texts(out))
    assert "民情三本账登记簿" in text and COMPLAINANT not in text
    out = tmp_path / "agreement.pdf"
    printed = run(
        ["--db", db, "--user", "wenshu", "print", "mediation", str(mediation), "-o", str(out)],
        home,
        "mima-1234",
    )
    assert printed.returncode == 0, printed.stderr
    assert "人民调解协议书" in "".join(page_texts(out))
    out = tmp_path / "summary.pdf"
    args = ["--db", db, "--user", "wenshu", "print", "petition-summary", "--year", "2026", "-o", str(out)]
    printed = run(args, home, "mima-1234")
    assert printed.returncode == 0 and "情况统计" in "".join(page_texts(out))


def test_mistakes_are_messages_not_tracebacks(sqlite_village: Village, tmp_path: Path) -> None:
    db = str(tmp_path / "village.sqlite3")
    home = tmp_path / "cli"
    wrong = run(["--db", db, "--user", "wenshu", "list", "notices", "--overdue"], home, "mima-1234")
    assert wrong.returncode == 2 and "--overdue 不适用于 list notices" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    missing = run(
        ["--db", db, "--user", "wenshu", "print", "mediation", "-o", str(tmp_path / "x.pdf")],
        home,
        "mima-1234",
    )
    assert (
        missing.returncode == 2 and "print mediation" in missing.stderr and "Traceback" not in missing.stderr
    )
    absent = run(
        [
            "--lang",
            "en",
            "--db",
            db,
            "--user",
            "wenshu",
            "print",
            "mediation",
            "99",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
        home,
        "mima-1234",
    )
    assert absent.returncode == 2 and "That mediation does not exist." in absent.stderr
    assert not (tmp_path / "x.pdf").exists()
    ledger = run(
        ["--db", db, "--user", "wenshu", "list", "petitions", "--ledger", "gossip"], home, "mima-1234"
    )
    assert ledger.returncode == 2 and "Traceback" not in ledger.stderr
