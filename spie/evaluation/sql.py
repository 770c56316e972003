"""Small SQL building blocks of the indicators, with the same results on PostgreSQL and SQLite:
days between two dates and a date plus calendar months."""

from django.db.models import DateField, Func, IntegerField


class DaysBetween(Func):
    """Whole days from `start` to `end` (two dates; NULL when either is NULL)."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class AddMonths(Func):
    """`day` plus `months` calendar months, clamped to the month's last day (31 January + 1 month =
    28 or 29 February), like `spie.pathways.dates.add_months`. `months` is a SQL integer expression."""

    output_field = DateField()
    arity = 2

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" + interval '1 month' * ", **extra_context
        )
        return f"CAST({sql} AS date)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        day_sql, day_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        # SQLite's '+N months' overflows into the next month (31/01 + 1 → 03/03): take the earlier
        # of that and the last day of the target month.
        sql = (
            f"MIN(date({day_sql}, ({months_sql}) || ' months'), "
            f"date({day_sql}, 'start of month', (({months_sql}) + 1) || ' months', '-1 day'))"
        )
        return sql, (*day_params, *months_params, *day_params, *months_params)
