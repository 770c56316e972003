"""Trainings and positionings; company events, their guests and outcomes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.lists import paginate
from spie.people.models import Person

from . import perms
from . import services_trainings as services
from .enums import PositioningStatus
from .forms import (
    EventForm,
    EventOutcomesForm,
    InviteForm,
    ParticipationForm,
    PositioningStepForm,
    TrainingForm,
)
from .models import Company, CompanyEvent, EventParticipant, Training, TrainingPositioning
from .views import _form_error, require_territory

STEP_SLUGS = {
    "inscrire": PositioningStatus.ENROLLED,
    "entree": PositioningStatus.ENTERED,
    "terminer": PositioningStatus.COMPLETED,
    "abandon": PositioningStatus.DROPPED_OUT,
}


def _followed_people(membership):
    """People the membership follows (active seat) in its territory, for pickers."""
    from spie.people.models import FollowUpMember, active_team_q

    seats = FollowUpMember.objects.filter(active_team_q(), membership=membership).values("person")
    return Person.objects.in_territory_of(membership).filter(pk__in=seats).order_by("search_birth_name", "pk")


# Trainings ---------------------------------------------------------------------------------


def training_list(request):
    require_territory(request)
    trainings = (
        Training.objects.visible_to(request.membership)
        .select_related("commune")
        .prefetch_related("rome_jobs")
        .annotate(
            taken=Count("positionings", filter=~Q(positionings__status=PositioningStatus.DROPPED_OUT), distinct=True)
        )
    )
    if request.GET.get("periode") != "passees":
        trainings = trainings.filter(ends_on__gte=timezone.localdate())
    rome = request.GET.get("metier", "").strip().upper()
    if rome:
        trainings = trainings.filter(rome_jobs__code=rome)
    context = {
        "page_obj": paginate(request, trainings.order_by("starts_on", "title", "pk")),
        "past": request.GET.get("periode") == "passees",
        "rome": rome,
        "section": "formations",
    }
    return render(request, "companies/training_list.html", context)


def _training_form(request, training=None):
    initial = {}
    if training is not None:
        initial = {name: getattr(training, name) for name in services.TRAINING_FIELDS}
        initial["rome_codes"] = " ".join(job.code for job in training.rome_jobs.all())
    form = TrainingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training = services.save_training(
                data=data, rome_jobs=data["rome_codes"], training=training, by=Actor.from_request(request)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Session de formation enregistrée.")
            return redirect("companies:training_detail", training.public_id)
    return render(
        request, "companies/training_form.html", {"form": form, "training": training, "section": "formations"}
    )


def training_create(request):
    require_territory(request)
    return _training_form(request)


def _training_for(request, public_id):
    return get_object_or_404(
        Training.objects.visible_to(request.membership).select_related("commune", "created_by__organisation"),
        public_id=public_id,
    )


def training_edit(request, public_id):
    require_territory(request)
    training = _training_for(request, public_id)
    if not perms.can_edit_training(request.membership, training):
        raise PermissionDenied
    return _training_form(request, training)


def training_detail(request, public_id):
    require_territory(request)
    training = _training_for(request, public_id)
    positionings = (
        TrainingPositioning.objects.visible_to(request.membership)
        .filter(training=training)
        .select_related("person")
        .order_by("person__search_birth_name")
    )
    counts = dict(training.positionings.values_list("status").annotate(n=Count("pk")).order_by())
    context = {
        "training": training,
        "rome_jobs": training.rome_jobs.all(),
        "positionings": positionings,
        "counts": [(label, counts.get(value, 0)) for value, label in PositioningStatus.choices],
        "taken": sum(n for status, n in counts.items() if status != PositioningStatus.DROPPED_OUT),
        "can_edit": perms.can_edit_training(request.membership, training),
        "section": "formations",
    }
    return render(request, "companies/training_detail.html", context)


def positioning_step(request, public_id, step):
    require_territory(request)
    positioning = get_object_or_404(
        TrainingPositioning.objects.visible_to(request.membership).select_related("person", "training"),
        public_id=public_id,
    )
    if step not in STEP_SLUGS:
        raise PermissionDenied
    if not perms.can_move_positioning(request.membership, positioning):
        raise PermissionDenied
    status = STEP_SLUGS[step]
    form = PositioningStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_positioning(
                positioning=positioning, status=status, note=form.cleaned_data["note"], by=Actor.from_request(request)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Étape enregistrée : {PositioningStatus(status).label.lower()}.")
            return redirect("companies:person_immersions", positioning.person.public_id)
    context = {"form": form, "positioning": positioning, "status_label": PositioningStatus(status).label}
    return render(request, "companies/positioning_step.html", context)


# Events ------------------------------------------------------------------------------------


def event_list(request):
    require_territory(request)
    events = (
        CompanyEvent.objects.visible_to(request.membership)
        .select_related("commune")
        .annotate(n_companies=Count("companies", distinct=True), n_guests=Count("participants", distinct=True))
    )
    past = request.GET.get("periode") == "passes"
    now = timezone.now()
    events = (
        events.filter(starts_at__lt=now).order_by("-starts_at")
        if past
        else events.filter(starts_at__gte=now).order_by("starts_at")
    )
    context = {"page_obj": paginate(request, events), "past": past, "section": "evenements"}
    return render(request, "companies/event_list.html", context)


def _event_companies(request, form):
    sirets = form.cleaned_data["sirets"]
    companies = list(Company.objects.visible_to(request.membership).filter(siret__in=sirets))
    missing = sorted(set(sirets) - {company.siret for company in companies})
    if missing:
        form.add_error("sirets", "SIRET absent(s) de l'annuaire du territoire : " + ", ".join(missing) + ".")
        return None
    return companies


def _event_form(request, event=None):
    initial = {}
    if event is not None:
        initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
        initial["starts_at"] = timezone.localtime(event.starts_at)
        initial["sirets"] = "\n".join(event.companies.values_list("siret", flat=True))
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        companies = _event_companies(request, form)
        if companies is not None:
            try:
                event = services.save_event(
                    data=form.cleaned_data, companies=companies, event=event, by=Actor.from_request(request)
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, "Événement enregistré.")
                return redirect("companies:event_detail", event.public_id)
    return render(request, "companies/event_form.html", {"form": form, "event": event, "section": "evenements"})


def event_create(request):
    require_territory(request)
    return _event_form(request)


def _event_for(request, public_id):
    return get_object_or_404(
        CompanyEvent.objects.visible_to(request.membership).select_related("commune", "organiser__organisation"),
        public_id=public_id,
    )


def event_edit(request, public_id):
    require_territory(request)
    event = _event_for(request, public_id)
    if not perms.can_manage_event(request.membership, event):
        raise PermissionDenied
    return _event_form(request, event)


def event_detail(request, public_id):
    require_territory(request)
    event = _event_for(request, public_id)
    membership = request.membership
    can_manage = perms.can_manage_event(membership, event)
    followed = _followed_people(membership).filter(consent_given=True)
    participants = EventParticipant.objects.filter(event=event).select_related("person")
    if not can_manage:
        participants = participants.filter(person__in=_followed_people(membership))
    invited = set(EventParticipant.objects.filter(event=event).values_list("person_id", flat=True))
    context = {
        "event": event,
        "companies": event.companies.select_related("commune").order_by("search_name"),
        "participants": participants.order_by("person__search_birth_name"),
        "guests": EventParticipant.objects.filter(event=event).count(),
        "present": EventParticipant.objects.filter(event=event, present=True).count(),
        "invite_form": InviteForm(
            people=[(str(p.public_id), p.short_name) for p in followed.exclude(pk__in=invited)[:500]]
        ),
        "outcomes_form": EventOutcomesForm(initial={"outcomes": event.outcomes, "hires_count": event.hires_count}),
        "can_manage": can_manage,
        "is_past": event.starts_at < timezone.now(),
        "section": "evenements",
    }
    return render(request, "companies/event_detail.html", context)


@require_POST
def event_invite(request, public_id):
    require_territory(request)
    event = _event_for(request, public_id)
    person = Person.objects.in_territory_of(request.membership).filter(public_id=request.POST.get("person")).first()
    if person is None:
        messages.error(request, "Choisissez une personne parmi celles que vous suivez.")
        return redirect("companies:event_detail", event.public_id)
    try:
        services.invite_person(event=event, person=person, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{person.short_name} est invité·e.")
    return redirect("companies:event_detail", event.public_id)


def participation(request, public_id):
    require_territory(request)
    participant = get_object_or_404(
        EventParticipant.objects.filter(event__in=CompanyEvent.objects.visible_to(request.membership)).select_related(
            "event", "person"
        ),
        public_id=public_id,
    )
    membership = request.membership
    in_team = _followed_people(membership).filter(pk=participant.person_id).exists()
    if not (perms.can_manage_event(membership, participant.event) or in_team):
        raise PermissionDenied
    initial = {"present": "oui" if participant.present else "non", "outcome": participant.outcome}
    form = ParticipationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_participation(
                participant=participant,
                present=form.cleaned_data["present"] == "oui",
                outcome=form.cleaned_data["outcome"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Présence enregistrée.")
            return redirect("companies:event_detail", participant.event.public_id)
    context = {"form": form, "participant": participant, "event": participant.event, "section": "evenements"}
    return render(request, "companies/participation_form.html", context)


@require_POST
def event_outcomes(request, public_id):
    require_territory(request)
    event = _event_for(request, public_id)
    if not perms.can_manage_event(request.membership, event):
        raise PermissionDenied
    form = EventOutcomesForm(request.POST)
    if form.is_valid():
        try:
            services.record_event_outcomes(event=event, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Bilan de l'événement enregistré.")
    else:
        messages.error(request, "Bilan incomplet : " + " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("companies:event_detail", event.public_id)
