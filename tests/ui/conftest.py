"""What the window's tests share."""

from __future__ import annotations

import pytest

from villagegov.ui import ops


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A refusal would open a modal box; record it instead (every room shows refusals through
    `ui/ops.show_refusal`), and let each test say none came."""
    seen: list[str] = []

    def record(parent: object, message: str) -> None:
        seen.append(message)

    monkeypatch.setattr(ops, "show_refusal", record)
    return seen
