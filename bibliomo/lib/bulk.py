"""Inserting many computed rows at once, without a model instance per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, ForeignObjectRel, Model


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
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 10_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _column(field: Field[Any, Any] | ForeignObjectRel) -> str:
    if isinstance(field, ForeignObjectRel) or not field.column:
        raise ValueError(f"{field.name} is not a column of the table")
    return field.column
