"""Every room that archives its records says which schema version of each kind it writes and reads."""

from __future__ import annotations

import pytest

from villagegov.archive import contract


@pytest.mark.parametrize("room", contract.ROOMS)
def test_each_room_declares_its_record_kinds_with_version_and_schema(room: str) -> None:
    module = contract.room_module(room)
    assert module is not None, f"{room} has no archiving module"
    schemas = getattr(module, "SCHEMAS", None)
    assert isinstance(schemas, dict) and schemas, f"{room}.archiving has no SCHEMAS"
    for kind, entry in schemas.items():
        version, schema = entry
        assert isinstance(version, int) and version >= 1, kind
        assert schema.get("type") == "object" and schema.get("properties"), kind


def test_no_two_rooms_claim_the_same_record_kind() -> None:
    seen: dict[str, str] = {}
    for room in contract.ROOMS:
        module = contract.room_module(room)
        for kind in getattr(module, "SCHEMAS", {}) if module else {}:
            assert kind not in seen, f"{kind} is claimed by {seen[kind]} and {room}"
            seen[kind] = room


def test_names_written_out_for_the_schemas_are_the_services() -> None:
    """The decisions' schema names the supervision kinds without the service (verify stays light)."""
    from villagegov.decisions import archiving, service

    assert archiving.SUPERVISION_KINDS == service.SUPERVISION_KINDS and archiving.CONCERN == service.CONCERN
