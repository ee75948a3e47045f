"""What the archive room allows, at its edges, without a database: who exports and hands over the key,
who writes down the audit log's head, who registers, imports and reviews, and that anyone verifies."""

from __future__ import annotations

import pytest

from villagegov.archive import rules
from villagegov.core.actions import ROLE, STATE
from villagegov.core.actor import CLERK, REVIEWER, ROLES, SECRETARY, SUPERVISOR
from villagegov.core.errors import PermissionDenied, ValidationError


@pytest.mark.parametrize("role", [CLERK, SECRETARY])
def test_the_clerk_and_the_secretary_export_and_hand_over_the_key_in_their_village(role: str) -> None:
    allowed = rules.archive_actions(role, in_village=True)
    assert allowed.may(rules.EXPORT) and allowed.may(rules.KEY) and allowed.may(rules.HEAD_RECORD)
    for action in rules.TOWNSHIP_ACTIONS:  # the township's work, not a village's
        refusal = allowed[action]
        assert refusal is not None and refusal.reason == ROLE
        assert refusal.msgid == rules.TOWNSHIP_ONLY


def test_the_supervisory_committee_writes_down_the_head_but_exports_nothing() -> None:
    allowed = rules.archive_actions(SUPERVISOR, in_village=True)
    assert allowed.may(rules.HEAD_RECORD) and allowed.may(rules.VERIFY)
    for action in (rules.EXPORT, rules.KEY):
        refusal = allowed[action]
        assert refusal is not None and refusal.reason == ROLE
        assert refusal.msgid.startswith("Only the clerk or the secretary")
        assert refusal.params["role"] == "监委会"  # the role as the screens name it
    with pytest.raises(PermissionDenied):
        allowed.require(rules.EXPORT)


def test_the_township_reviewer_registers_imports_and_reviews_on_the_township_database() -> None:
    allowed = rules.archive_actions(REVIEWER, in_village=False, packages=1, document_chosen=True)
    for action in (rules.IMPORT, rules.REGISTER, rules.REVIEW, rules.PRINT_REVIEW, rules.OPEN_DOCUMENT):
        assert allowed.may(action), action
    assert not allowed.may(rules.EXPORT) and not allowed.may(rules.KEY)
    head = allowed[rules.HEAD_RECORD]
    assert (
        head is not None and head.msgid == rules.HEAD_IN_VILLAGE
    )  # a township keeps no audit chain of its own


def test_a_reviewer_on_a_village_database_is_not_the_township() -> None:
    allowed = rules.archive_actions(REVIEWER, in_village=True, packages=3, document_chosen=True)
    assert all(not allowed.may(action) for action in rules.TOWNSHIP_ACTIONS)


@pytest.mark.parametrize("role", [CLERK, SECRETARY])
def test_village_staff_without_a_village_export_nothing(role: str) -> None:
    allowed = rules.archive_actions(role, in_village=False)
    assert not allowed.may(rules.EXPORT) and not allowed.may(rules.KEY) and not allowed.may(rules.HEAD_RECORD)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("in_village", [True, False])
def test_anyone_verifies_a_file(role: str, in_village: bool) -> None:
    assert rules.archive_actions(role, in_village).may(rules.VERIFY)


def test_the_review_waits_for_a_first_package_and_a_document_for_a_choice() -> None:
    none = rules.archive_actions(REVIEWER, in_village=False, packages=0, document_chosen=False)
    review, document = none[rules.PRINT_REVIEW], none[rules.OPEN_DOCUMENT]
    assert review is not None and review.reason == STATE and review.msgid == rules.NO_PACKAGE
    assert document is not None and document.reason == STATE and document.msgid == rules.NO_DOCUMENT
    assert none.may(rules.IMPORT) and none.may(rules.REGISTER)  # what comes first stays open
    with pytest.raises(ValidationError):
        none.require(rules.PRINT_REVIEW)
    one = rules.archive_actions(REVIEWER, in_village=False, packages=1, document_chosen=False)
    assert one.may(rules.PRINT_REVIEW) and not one.may(rules.OPEN_DOCUMENT)
    # For village staff the role's reason comes first, whatever the township's state.
    clerk = rules.archive_actions(CLERK, in_village=True, packages=0)
    refusal = clerk[rules.PRINT_REVIEW]
    assert refusal is not None and refusal.msgid == rules.TOWNSHIP_ONLY
