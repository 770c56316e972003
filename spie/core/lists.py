"""Helpers shared by list pages: pagination, sorting and CSV export."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse

PAGE_SIZE = 25


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page; an out-of-range or malformed page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def sort_queryset(request, queryset, allowed, default):
    """Order by the `tri` parameter when it names an allowed key (`-` prefix: descending).

    `allowed` maps the public key to the ORM field; returns the queryset and the key applied.
    """
    key = request.GET.get("tri", default)
    field = allowed.get(key.lstrip("-"))
    if field is None:
        key, field = default, allowed[default.lstrip("-")]
    descending = key.startswith("-")
    return queryset.order_by(("-" if descending else "") + field, "pk"), key


class _Echo:
    def write(self, value):
        return value


def csv_response(filename, header, rows):
    """Stream rows as a CSV that French spreadsheets open directly (UTF-8 BOM, `;`)."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
