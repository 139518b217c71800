"""One-row reads and writes whose SQL is made once per process from the model's own fields.

The ORM builds a statement's SQL afresh on every call, and for the check-in POST's one-row
statements that building cost several times the database's own work (bench/checkin_profile.py:
0.1-0.3 ms to build each statement against 0.03-0.05 ms to run it). These helpers keep the
SQL text per model and column set, and convert each value with the field's own
`get_db_prep_save` / `get_db_prep_value`, as the ORM's compilers do, so what is stored and
compared is what the ORM would store and compare. They are for plain columns only: a field
that needs its own placeholder (a geometry, say) is refused when the statement is made.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def _plain(field: Any) -> Any:
    if hasattr(field, "get_placeholder"):
        raise TypeError(f"{field} needs its own placeholder: write it through the ORM")
    return field


def _values(fields: list, values: dict[str, Any], *, save: bool) -> list:
    """Each value as its field hands it to the database: `get_db_prep_save` for a value to
    store, `get_db_prep_value` for one to compare (as an exact lookup does)."""
    if save:
        return [
            f.get_db_prep_save(v, connection) for f, v in zip(fields, values.values(), strict=True)
        ]
    return [
        f.get_db_prep_value(v, connection) for f, v in zip(fields, values.values(), strict=True)
    ]


@lru_cache(maxsize=64)
def _select(
    model: type[models.Model], where: tuple[str, ...], extra: tuple[str, ...], vendor: str
) -> tuple[str, list]:
    q = connection.ops.quote_name
    fields = [_plain(model._meta.get_field(name)) for name in where]
    columns = ", ".join([*(q(f.column) for f in model._meta.concrete_fields), *extra])
    condition = " AND ".join(f"{q(f.column)} = %s" for f in fields)
    sql = f"SELECT {columns} FROM {q(model._meta.db_table)} WHERE {condition} LIMIT 1"  # noqa: S608
    return sql, fields


def select_one(
    model: type[M], *, extra: tuple[str, ...] = (), extra_params: tuple[Any, ...] = (), **where: Any
) -> M | None:
    """The one row with these column values (the caller knows at most one exists), or None.

    `extra`: more columns to read with it, each an SQL expression `... AS name` (its values
    `extra_params`, ahead of the row's own); each becomes an attribute of the instance, as
    the database's driver returns it."""
    sql, fields = _select(model, tuple(where), extra, connection.vendor)
    params = [*extra_params, *_values(fields, where, save=False)]
    found = list(model._default_manager.raw(sql, params))
    return found[0] if found else None


@lru_cache(maxsize=64)
def _insert(
    model: type[models.Model], unique: tuple[str, ...], update: tuple[str, ...], vendor: str
) -> tuple[str, list]:
    q = connection.ops.quote_name
    fields = [_plain(f) for f in model._meta.concrete_fields if not f.primary_key]
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if unique:
        if not update:
            raise ValueError("an upsert needs the columns it updates")
        keys = ", ".join(q(model._meta.get_field(name).column) for name in unique)
        changed = [q(model._meta.get_field(name).column) for name in update]
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in changed)
        sql += f" ON CONFLICT ({keys}) DO UPDATE SET {sets}"
    return f"{sql} RETURNING {q(model._meta.pk.column)}", fields  # type: ignore[union-attr]


def insert(obj: M, *, unique: tuple[str, ...] = (), update: tuple[str, ...] = ()) -> M:
    """INSERT `obj` and set its id; with `unique`, a row already holding those values has its
    `update` columns set instead (the upsert SQLite and PostgreSQL spell alike), and `obj`
    takes that row's id."""
    sql, fields = _insert(type(obj), unique, update, connection.vendor)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (obj.pk,) = cursor.fetchone()
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


@lru_cache(maxsize=64)
def _update(
    model: type[models.Model], where: tuple[str, ...], values: tuple[str, ...], vendor: str
) -> tuple[str, list, list]:
    q = connection.ops.quote_name
    keys = [_plain(model._meta.get_field(name)) for name in where]
    sets = [_plain(model._meta.get_field(name)) for name in values]
    sql = (
        f"UPDATE {q(model._meta.db_table)} SET {', '.join(f'{q(f.column)} = %s' for f in sets)}"  # noqa: S608
        f" WHERE {' AND '.join(f'{q(f.column)} = %s' for f in keys)}"
    )
    return sql, keys, sets


def update(model: type[models.Model], where: dict[str, Any], values: dict[str, Any]) -> int:
    """UPDATE the rows whose columns equal `where` with `values`; the number of rows changed."""
    sql, keys, sets = _update(model, tuple(where), tuple(values), connection.vendor)
    params = _values(sets, values, save=True) + _values(keys, where, save=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)
