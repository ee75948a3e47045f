"""Tables of the village and its roster."""

from __future__ import annotations

import peewee

from villagegov.core.db import BaseModel


class Village(BaseModel):
    name = peewee.CharField()
    township = peewee.CharField()
    county = peewee.CharField()
    created_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("county", "township", "name"), True),)


class VillagerGroup(BaseModel):
    village = peewee.ForeignKeyField(Village, backref="groups", on_delete="RESTRICT")
    name = peewee.CharField()
    sort_order = peewee.IntegerField(default=0)

    class Meta:
        indexes = ((("village", "name"), True),)


class Household(BaseModel):
    village = peewee.ForeignKeyField(Village, backref="households", on_delete="RESTRICT")
    group = peewee.ForeignKeyField(VillagerGroup, backref="households", on_delete="RESTRICT")
    number = peewee.CharField()  # 户号, unique in the village
    address = peewee.CharField(default="")

    class Meta:
        indexes = ((("village", "number"), True),)


class Villager(BaseModel):
    village = peewee.ForeignKeyField(Village, backref="villagers", on_delete="RESTRICT")
    household = peewee.ForeignKeyField(Household, backref="members", on_delete="RESTRICT")
    relation = peewee.CharField()  # to the head of household; "head" marks the head
    name = peewee.CharField()
    gender = peewee.CharField()  # male / female
    birth_date = peewee.DateField()
    id_number = peewee.CharField(null=True)  # full number; only masked on public paper
    phone = peewee.CharField(default="")
    party_member = peewee.BooleanField(default=False)
    representative = peewee.BooleanField(default=False)
    representative_term_start = peewee.DateField(null=True)
    representative_term_end = peewee.DateField(null=True)
    notes = peewee.TextField(default="")

    class Meta:
        indexes = ((("village", "id_number"), True), (("village", "name"), False))
