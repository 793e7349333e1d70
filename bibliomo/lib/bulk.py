"""Inserting many computed rows at once, without a model instance per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Field, ForeignObjectRel, Model
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
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]

    def values(instance: Model, fields: Sequence[Field[Any, Any]]) -> list[Any]:
        return [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]

    insert_rows(model, [f.name for f in fields], (values(i, fields) for i in instances))
    wanted = {getattr(i, key) for i in instances}
    pks = {k: pk for k, pk in model._default_manager.values_list(key, "pk") if k in wanted}
    for instance in instances:
        instance.pk = pks[getattr(instance, key)]
        instance._state.adding = False
    history: type[Model] = model.history.model  # type: ignore[attr-defined]
    copied = [f for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    stamp = [
        history._meta.get_field("history_date").get_db_prep_save(  # type: ignore[union-attr]
            timezone.now(), connection
        ),
        "+",  # simple-history's «created»
    ]
    insert_rows(
        history,
        [*(f.name for f in copied), "history_date", "history_type", "history_user"],
        ([*values(i, copied), *stamp, user_id] for i in instances),
    )


def _column(field: Field[Any, Any] | ForeignObjectRel) -> str:
    if isinstance(field, ForeignObjectRel) or not field.column:
        raise ValueError(f"{field.name} is not a column of the table")
    return field.column
