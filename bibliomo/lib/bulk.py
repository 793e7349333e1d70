"""Inserting many computed rows at once, without a model instance per row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import CharField, Field, ForeignObjectRel, Model, TextField
from django.utils import timezone


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert plain value rows into ``model``'s table: COPY on PostgreSQL, executemany
    elsewhere. No save() signals run (so no history rows): use it for computed data whose
    owner records the change once."""
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(meta.get_field(f))) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The names come from the model's own metadata, never from input.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        # Batches cut by islice: no line of Python per row.
        it = iter(rows)
        while batch := list(islice(it, 10_000)):
            cursor.executemany(sql, batch)


def create_with_history(
    model: type[Model], instances: Sequence[Model], *, key: str, user_id: int | None = None
) -> None:
    """Insert new ``instances`` and one «created» history row each, without an ORM object
    per history row (simple-history's bulk_create_with_history builds one per row, which
    is most of the time of a 10,000-row import). ``key`` is a unique field by which the
    new primary keys are read back onto the instances."""
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    # Each value is made ready for the database once and serves both the row and its history.
    rows = list(map(_db_values(fields, db), instances))
    insert_rows(model, [f.name for f in fields], rows)
    wanted = {getattr(i, key) for i in instances}
    pks = {k: pk for k, pk in model._default_manager.values_list(key, "pk") if k in wanted}
    for instance in instances:
        instance.pk = pks[getattr(instance, key)]
        instance._state.adding = False
    by_name = {f.attname: n for n, f in enumerate(fields)}
    pk_name = meta.pk.attname
    copied = _copied_fields(model)
    taken = [by_name.get(f.attname) for f in copied]
    stamp = _stamp(model, "+", user_id, db)  # simple-history's «created»
    insert_rows(
        model.history.model,  # type: ignore[attr-defined]
        [*(f.name for f in copied), *HISTORY_STAMP],
        (
            [getattr(i, pk_name) if n is None else row[n] for n in taken] + stamp
            for i, row in zip(instances, rows, strict=True)
        ),
    )


def update_with_history(
    model: type[Model],
    instances: Sequence[Model],
    fields: Sequence[str],
    *,
    user_id: int | None = None,
) -> None:
    """Write ``fields`` of ``instances`` (saved rows) and one «changed» history row each.

    One UPDATE by primary key, run by the driver for every row: Django's bulk_update
    builds a CASE expression per row and field, which took most of the time of an import
    that changes a thousand entries, and simple-history builds an ORM object per history
    row on top of it."""
    if not instances:
        return
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    written = [meta.get_field(name) for name in fields]
    table = db.ops.quote_name(meta.db_table)
    assignments = ", ".join(f"{db.ops.quote_name(_column(f))} = %s" for f in written)
    sql = f"UPDATE {table} SET {assignments} WHERE {db.ops.quote_name(_column(pk))} = %s"  # noqa: S608
    written_row = _db_values(written, db)  # type: ignore[arg-type]
    with db.cursor() as cursor:
        cursor.executemany(sql, [[*written_row(i), getattr(i, pk.attname)] for i in instances])
    copied = _copied_fields(model)
    stamp = _stamp(model, "~", user_id, db)  # simple-history's «changed»
    insert_rows(
        model.history.model,  # type: ignore[attr-defined]
        [*(f.name for f in copied), *HISTORY_STAMP],
        (row + stamp for row in map(_db_values(copied, db), instances)),
    )


HISTORY_STAMP = ("history_date", "history_type", "history_user")
# Fields whose value a str already is, for the database: the costly generic preparation
# (a few calls per value) is skipped for them, which is most of a wide text row.
_PLAIN_TEXT = (CharField, TextField)


def _db_values(fields: Sequence[Field[Any, Any]], db: Any) -> Callable[[Model], list[Any]]:
    """The row of ``fields`` of an instance, each value ready for the database ``db``."""
    steps = [(f.attname, f, type(f) in _PLAIN_TEXT) for f in fields]

    def row(instance: Model) -> list[Any]:
        values = []
        for attname, field, plain in steps:
            value = getattr(instance, attname)
            if not (plain and (value is None or type(value) is str)):
                value = field.get_db_prep_save(value, db)
            values.append(value)
        return values

    return row


def _copied_fields(model: type[Model]) -> list[Field[Any, Any]]:
    """The history model's copies of the model's fields (its own are ``history_*``)."""
    history: type[Model] = model.history.model  # type: ignore[attr-defined]
    return [f for f in history._meta.concrete_fields if not f.name.startswith("history_")]


def _stamp(model: type[Model], kind: str, user_id: int | None, db: Any) -> list[Any]:
    """When, what and who, the same for every history row of one bulk write."""
    history: type[Model] = model.history.model  # type: ignore[attr-defined]
    date = history._meta.get_field("history_date")
    return [date.get_db_prep_save(timezone.now(), db), kind, user_id]  # type: ignore[union-attr]


def _column(field: Field[Any, Any] | ForeignObjectRel) -> str:
    if isinstance(field, ForeignObjectRel) or not field.column:
        raise ValueError(f"{field.name} is not a column of the table")
    return field.column
