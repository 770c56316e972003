"""The groupe miroir of the territory: members, sessions, attendance and feedback."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError

from . import perms, services
from .enums import FeedbackTheme
from .forms import AttendanceForm, FeedbackForm, SessionForm, VolunteerForm
from .models import MirrorMember, MirrorSession
from .views import _form_error


def _territory_id(request):
    if not perms.can_manage_mirror_group(request.membership):
        raise PermissionDenied
    return request.membership.organisation.territory_id


def mirror(request):
    territory_id = _territory_id(request)
    members = (
        MirrorMember.objects.filter(territory_id=territory_id)
        .select_related("person")
        .order_by("withdrawn_on", "kind", "display_name", "pk")
    )
    sessions = MirrorSession.objects.filter(territory_id=territory_id).order_by("-held_on", "-pk")[:50]
    context = {"members": members, "sessions": sessions, "section": "groupe-miroir", "can_moderate": True}
    return render(request, "questionnaires/mirror.html", context)


def volunteer_add(request):
    territory_id = _territory_id(request)
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_volunteer(
                territory=request.membership.organisation.territory,
                display_name=form.cleaned_data["display_name"],
                consent_on=form.cleaned_data["consent_on"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Membre ajouté au groupe miroir.")
            return redirect("questionnaires:mirror")
    context = {"form": form, "territory_id": territory_id, "section": "groupe-miroir"}
    return render(request, "questionnaires/volunteer_form.html", context)


@require_POST
def member_withdraw(request, public_id):
    member = get_object_or_404(
        MirrorMember.objects.select_related("person"), territory_id=_territory_id(request), public_id=public_id
    )
    try:
        services.withdraw_member(member=member, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{member.name} ne fait plus partie du groupe miroir.")
    return redirect("questionnaires:mirror")


def session_create(request):
    _territory_id(request)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                territory=request.membership.organisation.territory, by=Actor.from_request(request), **form.cleaned_data
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Séance enregistrée. Notez les présents et la synthèse après la séance.")
            return redirect("questionnaires:session", session.public_id)
    return render(request, "questionnaires/session_form.html", {"form": form, "section": "groupe-miroir"})


def _session_for(request, public_id):
    return get_object_or_404(MirrorSession, territory_id=_territory_id(request), public_id=public_id)


def _session_page(request, session, *, attendance_form=None, feedback_form=None):
    members = MirrorMember.objects.filter(territory_id=session.territory_id).select_related("person")
    present = list(session.attendees.select_related("person").order_by("pk"))
    selectable = members.filter(withdrawn_on__isnull=True) | members.filter(pk__in=[m.pk for m in present])
    context = {
        "session": session,
        "present": present,
        "theme_labels": [FeedbackTheme(theme).label for theme in session.themes],
        "attendance_form": attendance_form
        or AttendanceForm(members=selectable, initial={"members": [m.public_id for m in present]}),
        "feedback_form": feedback_form or FeedbackForm(initial={"summary": session.summary, "themes": session.themes}),
        "section": "groupe-miroir",
    }
    return render(request, "questionnaires/session_detail.html", context)


def session_detail(request, public_id):
    return _session_page(request, _session_for(request, public_id))


def _selectable(session):
    return MirrorMember.objects.filter(territory_id=session.territory_id)


@require_POST
def session_attendance(request, public_id):
    session = _session_for(request, public_id)
    form = AttendanceForm(request.POST, members=_selectable(session))
    if form.is_valid():
        try:
            services.record_attendance(
                session=session, members=form.cleaned_data["members"], by=Actor.from_request(request)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Présences enregistrées.")
            return redirect("questionnaires:session", session.public_id)
    return _session_page(request, session, attendance_form=form)


@require_POST
def session_feedback(request, public_id):
    session = _session_for(request, public_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.record_feedback(session=session, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Synthèse de la séance enregistrée.")
            return redirect("questionnaires:session", session.public_id)
    return _session_page(request, session, feedback_form=form)
