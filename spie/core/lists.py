"""Helpers shared by list pages: pagination, sorting and CSV export."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse

from .audit import record_event
from .csvwriter import csv_writer

PAGE_SIZE = 25
# Request parameters that shape the page, not the selection of rows.
_NOT_FILTERS = {"format", "page"}


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


class _RequestActor:
    """The professional behind a request, as `record_event` reads an actor."""

    def __init__(self, request):
        user = getattr(request, "user", None)
        self.user = user if user is not None and user.is_authenticated else None
        self.membership = getattr(request, "membership", None)


def _record_export(request, filename, row_count, complete):
    """Audit one list export: which list, which filters (their names only: a filter's value may be a
    name or an e-mail address), how many rows left the platform, and whether the download finished."""
    membership = getattr(request, "membership", None)
    match = getattr(request, "resolver_match", None)
    record_event(
        action="core.list.exported",
        by=_RequestActor(request),
        territory=membership.organisation.territory if membership is not None else None,
        data={
            "liste": match.view_name if match is not None else request.path,
            "fichier": filename,
            "filtres": sorted(key for key, value in request.GET.items() if value and key not in _NOT_FILTERS),
            "lignes": row_count,
            "complet": complete,
        },
    )


def csv_response(request, filename, header, rows):
    """Stream rows as a CSV that French spreadsheets open directly (UTF-8 BOM, `;`).

    Cells go through the project's CSV writer (formula injection neutralised). The export is
    audited once the stream ends, with the number of rows sent, even when the download stops early.
    """
    writer = csv_writer(_Echo())

    def lines():
        sent, complete = 0, False
        try:
            yield "\ufeff" + writer.writerow(header)
            for row in rows:
                yield writer.writerow(row)
                sent += 1
            complete = True
        finally:
            _record_export(request, filename, sent, complete)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
