"""The roster in the yearly archive package (see archive/contract.py).

The roster is kept whole, as it stands at the export: the village, its villager groups, households
and villagers. The records carry full ID-card and phone numbers, as the roster does (the package goes
to the township, not on a board, and its audit log holds them anyway); `personal_data` says so. The
roster prints no document of its own.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from villagegov.archive.contract import ArchiveDocument, LazyModule, Period, RecordSet, ReviewFinding
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_

if TYPE_CHECKING:
    from villagegov.roster import service
else:  # imported when first used: verifying a package needs only the schemas
    service = LazyModule("villagegov.roster.service")

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_OPTIONAL_DATE = {"anyOf": [_DATE, {"type": "null"}]}
_ID = {"type": "integer", "minimum": 1}


def _schema(title: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


VILLAGE_SCHEMA = _schema(
    "村 (village)",
    {
        "id": _ID,
        "name": {"type": "string", "minLength": 1},
        "township": {"type": "string"},
        "county": {"type": "string"},
    },
)
GROUP_SCHEMA = _schema(
    "村民小组 (villager group)",
    {
        "id": _ID,
        "name": {"type": "string", "minLength": 1},
        "households": {"type": "integer", "minimum": 0},
        "villagers": {"type": "integer", "minimum": 0},
    },
)
HOUSEHOLD_SCHEMA = _schema(
    "户 (household)",
    {
        "id": _ID,
        "number": {"type": "string", "minLength": 1},
        "group_id": _ID,
        "group": {"type": "string"},
        "address": {"type": "string"},
        "head": {"type": "string"},
        "members": {"type": "integer", "minimum": 0},
    },
)
VILLAGER_SCHEMA = _schema(
    "村民 (villager)",
    {
        "id": _ID,
        "name": {"type": "string", "minLength": 1},
        "gender": {"enum": ["male", "female"]},
        "birth_date": _DATE,
        "id_number": {"type": ["string", "null"]},
        "phone": {"type": "string"},
        "household_id": _ID,
        "household": {"type": "string"},
        "relation": {"type": "string"},
        "group_id": _ID,
        "group": {"type": "string"},
        "party_member": {"type": "boolean"},
        "representative": {"type": "boolean"},
        "representative_term_start": _OPTIONAL_DATE,
        "representative_term_end": _OPTIONAL_DATE,
        "notes": {"type": "string"},
    },
)

# kind -> (schema version, schema); bump the version when a field is added, removed or changes meaning.
SCHEMAS: dict[str, tuple[int, dict[str, Any]]] = {
    "village": (1, VILLAGE_SCHEMA),
    "villager_groups": (1, GROUP_SCHEMA),
    "households": (1, HOUSEHOLD_SCHEMA),
    "villagers": (1, VILLAGER_SCHEMA),
}


def _set(
    kind: str, records: list[dict[str, Any]], personal: bool, entity: str, fields: tuple[str, ...]
) -> RecordSet:
    version, schema = SCHEMAS[kind]
    return RecordSet(kind, version, schema, tuple(records), personal, entity, fields)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def records(actor: Actor, period: Period) -> list[RecordSet]:
    """The roster as it stands (the period does not narrow it: a roster is kept whole)."""
    info = service.village(actor)
    village = [{"id": info.id, "name": info.name, "township": info.township, "county": info.county}]
    groups = [
        {"id": g.id, "name": g.name, "households": g.households, "villagers": g.villagers}
        for g in service.list_groups(actor)
    ]
    households = [
        {
            "id": h.id,
            "number": h.number,
            "group_id": h.group_id,
            "group": h.group,
            "address": h.address,
            "head": h.head,
            "members": h.members,
        }
        for h in service.list_households(actor)
    ]
    villagers = [
        {
            "id": v.id,
            "name": v.name,
            "gender": v.gender,
            "birth_date": v.birth_date.isoformat(),
            "id_number": v.id_number,
            "phone": v.phone,
            "household_id": v.household_id,
            "household": v.household,
            "relation": v.relation,
            "group_id": v.group_id,
            "group": v.group,
            "party_member": v.party_member,
            "representative": v.representative,
            "representative_term_start": _iso(v.representative_term_start),
            "representative_term_end": _iso(v.representative_term_end),
            "notes": v.notes,
        }
        for v in service.list_villagers(actor)
    ]
    villager_fields = (
        "id",
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "relation",
        "party_member",
        "representative",
        "representative_term_start",
        "representative_term_end",
        "notes",
    )
    return [
        _set("village", village, False, "village", ("id", "name", "township", "county")),
        _set("villager_groups", groups, False, "villager_group", ("id", "name")),
        _set("households", households, False, "household", ("id", "number", "address")),
        _set("villagers", villagers, True, "villager", villager_fields),
    ]


def documents(actor: Actor, period: Period) -> list[ArchiveDocument]:
    """The roster prints nothing for the board; its records are the archive."""
    return []


def review(records: dict[str, list[dict[str, Any]]], as_of: date | None = None) -> list[ReviewFinding]:
    """The villagers' representatives against the law (组织法: one per 5–15 households; women ≥ 1/3)."""
    households = len(records.get("households", []))
    representatives = [v for v in records.get("villagers", []) if v.get("representative")]
    found: list[ReviewFinding] = []
    if households and representatives:
        per = Fraction(households, len(representatives))
        if not 5 <= per <= 15:
            found.append(
                ReviewFinding(
                    "villagers",
                    None,
                    N_(
                        "{n} representatives for {households} households: the "
                        "law asks for one per 5 to 15 households."
                    ),
                    {"n": len(representatives), "households": households},
                )
            )
        women = sum(1 for v in representatives if v.get("gender") == "female")
        if Fraction(women, len(representatives)) < Fraction(1, 3):
            found.append(
                ReviewFinding(
                    "villagers",
                    None,
                    N_("{women} of the {n} representatives are women: the law asks for at least a third."),
                    {"women": women, "n": len(representatives)},
                )
            )
    elif households:
        found.append(
            ReviewFinding("villagers", None, N_("The roster names no villagers' representative."), {})
        )
    return found
