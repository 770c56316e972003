"""The territory's calendar of joint events, an event's page, registrations, attendance and rating."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.accounts.models import Organisation
from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate, sort_queryset

from . import perms, services
from .enums import EventStatus, RegistrationStatus
from .forms import CancelEventForm, EventFilterForm, EventForm, RatingForm
from .ics import event_ics
from .models import EventRegistration, JointEvent

EVENT_SORTS = {"date": "starts_at", "theme": "topic", "places": "free_places", "structures": "structures_count"}
ATTENDANCE_VALUES = {"present": True, "absent": False}


def _require_access(request):
    if not perms.can_see_events(request.membership):
        raise PermissionDenied


def _event_for(request, public_id):
    _require_access(request)
    return get_object_or_404(
        JointEvent.objects.visible_to(request.membership).select_related("territory", "organiser", "created_by__user"),
        public_id=public_id,
    )


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _local(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


# Calendar ----------------------------------------------------------------------------------


def _month_bounds(value):
    year, month = (int(part) for part in value.split("-"))
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    zone = timezone.get_current_timezone()
    bounds = [datetime.datetime.combine(day, datetime.time(), zone) for day in (first, following)]
    return bounds, f"{previous:%Y-%m}", f"{following:%Y-%m}", first


def _filtered_events(request, events, form):
    context = {"month": None}
    data = form.cleaned_data if form.is_valid() else {"kind": "", "mois": "", "structure": ""}
    if data["kind"]:
        events = events.filter(kind=data["kind"])
    if data["structure"]:
        events = events.filter(organiser__public_id=data["structure"])
    if data["mois"]:
        (start, end), previous, following, first = _month_bounds(data["mois"])
        events = events.filter(starts_at__gte=start, starts_at__lt=end)
        context.update(month=first, previous_month=previous, next_month=following)
    elif request.GET.get("periode") == "passes":
        events = events.past()
    else:
        events = events.upcoming()
    return events, context


def event_list(request):
    _require_access(request)
    membership = request.membership
    visible = JointEvent.objects.visible_to(membership)
    organisers = Organisation.objects.filter(pk__in=visible.values("organiser")).order_by("name")
    form = EventFilterForm(request.GET or None, organisations=[(str(o.public_id), o.name) for o in organisers])
    events, context = _filtered_events(request, visible, form)
    past = request.GET.get("periode") == "passes" and context["month"] is None
    mine = EventRegistration.objects.filter(event=OuterRef("pk"), membership=membership).values("status")[:1]
    events = events.select_related("organiser", "territory").annotate(
        free_places=F("capacity") - F("registered_count"), my_status=Subquery(mine)
    )
    events, sort = sort_queryset(request, events, EVENT_SORTS, "-date" if past else "date")
    if request.GET.get("format") == "csv":
        return _events_csv(request, events)
    context |= {
        "form": form,
        "page_obj": paginate(request, events),
        "sort": sort,
        "past": past,
        "can_publish": perms.can_publish_event(membership),
        "national": perms.is_national_admin(membership),
    }
    return render(request, "exchanges/event_list.html", context)


def _events_csv(request, events):
    header = [
        "Thème",
        "Type",
        "Début",
        "Fin",
        "Lieu",
        "Structure organisatrice",
        "Territoire",
        "Places",
        "Inscrit·es",
        "Liste d'attente",
        "Présent·es",
        "Structures représentées",
        "Statut",
    ]
    rows = (
        [
            e.topic,
            e.get_kind_display(),
            _local(e.starts_at),
            _local(e.ends_at),
            e.place,
            e.organiser.name,
            e.territory.name,
            e.capacity,
            e.registered_count,
            e.waitlist_count,
            e.attendees_count,
            e.structures_count,
            e.get_status_display(),
        ]
        for e in events.iterator(chunk_size=500)
    )
    return csv_response(request, "temps-communs.csv", header, rows)


def my_registrations(request):
    _require_access(request)
    registrations = (
        EventRegistration.objects.filter(membership=request.membership)
        .select_related("event__organiser")
        .order_by("-event__starts_at", "pk")
    )
    context = {"page_obj": paginate(request, registrations), "now": timezone.now()}
    return render(request, "exchanges/my_registrations.html", context)


# Publishing --------------------------------------------------------------------------------


def _event_form(request, event=None):
    initial = {}
    if event is not None:
        initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
        for name in ("starts_at", "ends_at", "registration_deadline"):
            initial[name] = timezone.localtime(initial[name])
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        by = Actor.from_request(request)
        try:
            if event is None:
                event = services.publish_event(data=form.cleaned_data, by=by)
            else:
                event = services.update_event(event=event, data=form.cleaned_data, by=by)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Temps commun publié." if not initial else "Temps commun modifié.")
            return redirect("exchanges:detail", event.public_id)
    return render(request, "exchanges/event_form.html", {"form": form, "event": event})


def event_create(request):
    _require_access(request)
    if not perms.can_publish_event(request.membership):
        raise PermissionDenied
    return _event_form(request)


def event_edit(request, public_id):
    event = _event_for(request, public_id)
    if not perms.can_manage_event(request.membership, event):
        raise PermissionDenied
    if event.status != EventStatus.PUBLISHED:
        status = event.get_status_display().lower()
        messages.error(request, f"Ce temps commun est « {status} » : il ne se modifie plus.")
        return redirect("exchanges:detail", event.public_id)
    return _event_form(request, event)


def event_cancel(request, public_id):
    event = _event_for(request, public_id)
    if not perms.can_manage_event(request.membership, event):
        raise PermissionDenied
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(event=event, reason=form.cleaned_data["reason"], by=Actor.from_request(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Temps commun annulé : les inscrit·es sont prévenu·es par e-mail.")
            return redirect("exchanges:detail", event.public_id)
    return render(request, "exchanges/event_cancel.html", {"form": form, "event": event})


# An event ----------------------------------------------------------------------------------


def event_detail(request, public_id):
    event = _event_for(request, public_id)
    membership = request.membership
    mine = EventRegistration.objects.filter(event=event, membership=membership).first()
    position = None
    if mine is not None and mine.status == RegistrationStatus.WAITLISTED:
        position = EventRegistration.objects.filter(
            event=event, status=RegistrationStatus.WAITLISTED, registered_at__lte=mine.registered_at
        ).count()
    ratings = EventRegistration.objects.filter(event=event, rating__isnull=False).aggregate(
        average=Avg("rating"), count=Count("pk")
    )
    can_rate = mine is not None and perms.can_rate_event(membership, mine)
    context = {
        "event": event,
        "mine": mine,
        "waitlist_position": position,
        "ratings": ratings,
        "can_register": perms.can_register(membership, event),
        "can_manage": perms.can_manage_event(membership, event),
        "can_see_participants": perms.can_see_participants(membership, event),
        "can_rate": can_rate,
    }
    with timezone.override(ZoneInfo(event.territory.time_zone)):
        context["when"] = services.when_label(event)
        return render(request, "exchanges/event_detail.html", context)


def event_ics_download(request, public_id):
    event = _event_for(request, public_id)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="temps-commun.ics"'
    return response


@require_POST
def register(request, public_id):
    event = _event_for(request, public_id)
    if not perms.can_register(request.membership, event):
        raise PermissionDenied
    try:
        registration = services.register_for_event(
            event=event, membership=request.membership, by=Actor.from_request(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.warning(request, "Le temps commun est complet : vous êtes sur la liste d'attente.")
        else:
            messages.success(request, "Vous êtes inscrit·e.")
    return redirect("exchanges:detail", event.public_id)


@require_POST
def unregister(request, public_id):
    event = _event_for(request, public_id)
    registration = get_object_or_404(
        EventRegistration.objects.active().select_related("event"), event=event, membership=request.membership
    )
    try:
        services.cancel_registration(registration=registration, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Votre inscription est annulée.")
    return redirect("exchanges:detail", event.public_id)


def rate(request, public_id):
    event = _event_for(request, public_id)
    registration = get_object_or_404(
        EventRegistration.objects.select_related("event"), event=event, membership=request.membership
    )
    if not perms.can_rate_event(request.membership, registration):
        messages.info(
            request, "L'évaluation est ouverte aux participant·es présent·es, une fois, après le temps commun."
        )
        return redirect("exchanges:detail", event.public_id)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_event(registration=registration, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Merci : votre évaluation est enregistrée.")
            return redirect("exchanges:detail", event.public_id)
    return render(request, "exchanges/rate.html", {"form": form, "event": event, "registration": registration})


# Participants and attendance ---------------------------------------------------------------


def participants(request, public_id):
    event = _event_for(request, public_id)
    if not perms.can_see_participants(request.membership, event):
        raise PermissionDenied
    registrations = (
        EventRegistration.objects.filter(event=event)
        .active()
        .select_related("membership__user", "organisation")
        .order_by("status", "registered_at", "pk")
    )
    if request.GET.get("format") == "csv":
        return _participants_csv(request, event, registrations)
    can_record = (
        perms.can_manage_event(request.membership, event)
        and event.status != EventStatus.CANCELLED
        and event.has_started
    )
    context = {
        "event": event,
        "registered": [r for r in registrations if r.status == RegistrationStatus.REGISTERED],
        "waitlisted": [r for r in registrations if r.status == RegistrationStatus.WAITLISTED],
        "can_record": can_record,
    }
    return render(request, "exchanges/participants.html", context)


def _participants_csv(request, event, registrations):
    header = ["Nom", "Prénom", "E-mail", "Structure", "Statut", "Inscription le", "Présence", "Note"]
    presence = {True: "Présent·e", False: "Absent·e", None: ""}
    rows = (
        [
            r.membership.user.last_name,
            r.membership.user.first_name,
            r.membership.user.email,
            r.organisation.name,
            r.get_status_display(),
            _local(r.registered_at),
            presence[r.attended],
            r.rating or "",
        ]
        for r in registrations
    )
    return csv_response(request, f"participants-{timezone.localtime(event.starts_at):%Y-%m-%d}.csv", header, rows)


@require_POST
def attendance(request, public_id):
    event = _event_for(request, public_id)
    if not perms.can_manage_event(request.membership, event):
        raise PermissionDenied
    marks = {}
    for key, value in request.POST.items():
        if key.startswith("presence-") and value in ATTENDANCE_VALUES:
            marks[key.removeprefix("presence-")] = ATTENDANCE_VALUES[value]
    if not marks:
        messages.error(request, "Présences : indiquez pour au moins une personne si elle était présente ou absente.")
        return redirect("exchanges:participants", event.public_id)
    try:
        event = services.record_attendance(event=event, marks=marks, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Présences enregistrées : {event.attendees_count} présent·e{'s' if event.attendees_count > 1 else ''}, "
            f"{event.structures_count} structure{'s' if event.structures_count > 1 else ''} représentée"
            f"{'s' if event.structures_count > 1 else ''}.",
        )
    return redirect("exchanges:participants", event.public_id)
