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

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any, Generic, TypeVar

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


class Prepared(Generic[M]):
    """A queryset (with its `select_related` joins) whose SQL is made once per process and
    database; each call runs that SQL with new values and builds the instances as the ORM does.

    For a lookup run on every request (a session's user, an access token), where the ORM's
    compiling of a four-table select cost ten times running it. `build(*values)` returns the
    queryset for those values; it is compiled once with `stand_ins`, each of which must appear
    exactly once among the statement's parameters, as the database receives it (a string, an
    int, or an aware datetime compared with a date-time column), so that a call's values take
    their places."""

    def __init__(self, build: Callable[..., models.QuerySet[M]], *stand_ins: Any) -> None:
        self.build, self.stand_ins = build, stand_ins
        self._made: dict[tuple[str, str], _Compiled] = {}

    def _compiled(self) -> _Compiled:
        key = (connection.alias, connection.vendor)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _Compiled(self.build(*self.stand_ins), self.stand_ins)
        return made

    def first(self, *values: Any) -> M | None:
        """The first row for these values, as `build(*values).first()` would give it (without
        its ORDER BY: ask for a unique row or order it in `build`), or None."""
        return self._compiled().first(values)


class _Compiled:
    def __init__(self, queryset: models.QuerySet, stand_ins: tuple[Any, ...]) -> None:
        from django.db.models.query import get_related_populators

        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = []
        for stand_in in stand_ins:
            found = [i for i, p in enumerate(self.params) if p == _adapt(stand_in)]
            if len(found) != 1:
                raise ValueError(f"stand-in {stand_in!r} is not exactly one of {self.params}")
            self.slots.append(found[0])
        if compiler.annotation_col_map:
            raise ValueError("annotations are not prepared: read them with select_one's extra")
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, queryset.db)
        self.converters = list(compiler.get_converters([s[0] for s in select]).items())
        self.db = queryset.db

    def first(self, values: tuple[Any, ...]) -> Any:
        params = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = _adapt(value)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchone()
        if found is None:
            return None
        row = list(found)
        for position, (converters, expression) in self.converters:
            for convert in converters:
                row[position] = convert(row[position], expression, connection)
        obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, obj)
        return obj


def _adapt(value: Any) -> Any:
    """A value as a date-time column's lookup hands it to the database (SQLite: text in UTC)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
