"""Case reviews pages. Thin views: scoped fetch (404), predicate (403), one service call, redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate, sort_queryset
from spie.core.text import as_uuid
from spie.pathways.models import StatusReview
from spie.pathways.services import open_pathway_of
from spie.people.views import _file_context, person_for
from spie.referentials.models import Action, Objective, ReferentialVersion

from . import perms, services
from .enums import CaseSource, CaseStatus, Form, SessionStatus
from .forms import (
    AttendanceForm,
    BodyForm,
    CandidateFilterForm,
    CaseActionForm,
    DecisionForm,
    DiscussionForm,
    DoneForm,
    MemberForm,
    MinutesForm,
    PresentationForm,
    ReasonForm,
    ReferForm,
    ScheduleForm,
    SessionForm,
    WaitingFilterForm,
)
from .models import Attendance, CaseAction, ReviewBody, ReviewCase, ReviewSession
from .pdf import minutes_pdf
from .pseudonym import presentation
from .selectors import candidates, decorate_candidates, session_cases, shown_cases


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _coordinator(request):
    if not perms.can_manage_bodies(request.membership):
        raise PermissionDenied
    return request.membership


def _body(request, body_id):
    body = get_object_or_404(ReviewBody.objects.visible_to(request.membership), public_id=body_id)
    return body


def _session(request, session_id):
    membership = request.membership
    if membership is None or membership.organisation.territory_id is None:
        raise Http404
    attendances = Attendance.objects.select_related("member__membership__user", "member__membership__organisation")
    session = get_object_or_404(
        ReviewSession.objects.filter(territory_id=membership.organisation.territory_id)
        .select_related("body__territory", "minutes_signed_by__user")
        .prefetch_related(Prefetch("attendances", attendances)),
        public_id=session_id,
    )
    if not perms.can_view_session(membership, session):
        raise Http404
    return session


def _case(request, case_id):
    """The case in the form the reader may see it (404 outside the territory or without a form)."""
    membership = request.membership
    if membership is None or membership.organisation.territory_id is None:
        raise Http404
    attendances = Attendance.objects.select_related("member")
    case = get_object_or_404(
        ReviewCase.objects.filter(territory_id=membership.organisation.territory_id)
        .select_related(
            "person__territory",
            "person__commune__epci",
            "person__commune__departement",
            "session__body",
            "referred_by__organisation",
        )
        .prefetch_related(Prefetch("session__attendances", attendances)),
        public_id=case_id,
    )
    if perms.case_form(membership, case) is None:
        raise Http404
    return case


# --- Home, bodies and members --------------------------------------------------------------


def home(request):
    membership = request.membership
    if not perms.can_use_casereviews(membership):
        raise PermissionDenied
    bodies = ReviewBody.objects.visible_to(membership).annotate(
        n_members=Count("members", filter=Q(members__left_on__isnull=True), distinct=True)
    )
    sessions = (
        ReviewSession.objects.filter(body__in=ReviewBody.objects.visible_to(membership))
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("body")
        .annotate(n_cases=Count("cases", filter=Q(cases__status__in=[CaseStatus.SCHEDULED, CaseStatus.DISCUSSED])))
        .order_by("-starts_at")
    )
    is_coordinator = perms.can_manage_bodies(membership)
    if not is_coordinator:
        sessions = sessions.filter(attendances__member__membership=membership)
    context = {
        "bodies": bodies,
        "page_obj": paginate(request, sessions),
        "is_coordinator": is_coordinator,
        "waiting": ReviewCase.objects.filter(
            territory_id=membership.organisation.territory_id, status=CaseStatus.REFERRED
        ).count()
        if is_coordinator
        else 0,
    }
    return render(request, "casereviews/home.html", context)


def body_create(request):
    membership = _coordinator(request)
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.create_body(
                territory=membership.organisation.territory, by=Actor.from_request(request), **form.cleaned_data
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Instance créée : ajoutez ses membres.")
            return redirect("casereviews:body", body.public_id)
    return render(request, "casereviews/body_form.html", {"form": form}, status=400 if form.errors else 200)


def body(request, body_id):
    body = _body(request, body_id)
    can_manage = perms.can_manage_bodies(request.membership)
    context = {
        "body": body,
        "members": body.members.filter(left_on__isnull=True).select_related(
            "membership__user", "membership__organisation"
        ),
        "sessions": body.sessions.order_by("-starts_at")[:50],
        "can_manage": can_manage,
        "member_form": MemberForm(territory_id=body.territory_id) if can_manage else None,
    }
    return render(request, "casereviews/body.html", context)


def member_add(request, body_id):
    body = _body(request, body_id)
    _coordinator(request)
    form = MemberForm(request.POST or None, territory_id=body.territory_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(body=body, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Membre ajouté·e.")
            return redirect("casereviews:body", body.public_id)
    context = {"body": body, "form": form}
    return render(request, "casereviews/member_form.html", context, status=400 if form.errors else 200)


@require_POST
def member_remove(request, body_id, member_id):
    body = _body(request, body_id)
    _coordinator(request)
    member = get_object_or_404(body.members.filter(left_on__isnull=True), public_id=member_id)
    services.remove_member(member=member, by=Actor.from_request(request))
    messages.success(request, f"{member.full_name} ne fait plus partie de l'instance.")
    return redirect("casereviews:body", body.public_id)


# --- Sessions ------------------------------------------------------------------------------


def session_create(request, body_id):
    body = _body(request, body_id)
    _coordinator(request)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.plan_session(body=body, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Séance planifiée : inscrivez les situations à l'ordre du jour.")
            return redirect("casereviews:session", session.public_id)
    context = {"body": body, "form": form}
    return render(request, "casereviews/session_form.html", context, status=400 if form.errors else 200)


def _waiting_choices(session):
    waiting = ReviewCase.objects.filter(
        territory_id=session.territory_id, status=CaseStatus.REFERRED, body_kind=session.body.kind
    ).select_related("person", "referred_by__organisation")
    return [
        (
            str(case.public_id),
            f"{case.person.full_name} — proposée le {case.referred_on:%d/%m/%Y} "
            f"par {case.referred_by.organisation.name}",
        )
        for case in waiting.order_by("referred_on", "pk")[:200]
    ]


def session(request, session_id):
    session = _session(request, session_id)
    membership = request.membership
    can_manage = perms.is_coordinator(membership, session.territory_id)
    cases = []
    if session.is_published or can_manage:
        cases = list(session_cases(session))
        for case in cases:
            case.session = session
    shown = shown_cases(request, cases)
    context = {
        "session": session,
        "body": session.body,
        "shown": shown,
        "attendances": session.attendances.all(),
        "can_manage": can_manage,
        "agenda_due_on": services.agenda_due_on(session),
        "today": timezone.localdate(),
        "seat": perms.session_seat(membership, session),
    }
    if can_manage:
        context["schedule_form"] = (
            ScheduleForm(cases=_waiting_choices(session)) if session.status == SessionStatus.PLANNED else None
        )
        context["attendance_form"] = (
            AttendanceForm(attendances=session.attendances.all())
            if session.status in (SessionStatus.PUBLISHED, SessionStatus.HELD)
            else None
        )
        context["minutes_form"] = MinutesForm() if session.status == SessionStatus.HELD else None
    return render(request, "casereviews/session.html", context)


def _session_action(request, session_id, call, success):
    session = _session(request, session_id)
    if not perms.is_coordinator(request.membership, session.territory_id):
        raise PermissionDenied
    try:
        call(session, Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("casereviews:session", session.public_id)


def _waiting_case(session, public_id):
    public_id = as_uuid(public_id)
    if public_id is None:
        return None
    return ReviewCase.objects.filter(territory_id=session.territory_id, public_id=public_id).first()


@require_POST
def session_schedule(request, session_id):
    def call(session, actor):
        case = _waiting_case(session, request.POST.get("case"))
        if case is None:
            raise DomainError("Situation à inscrire : choisissez une situation dans la liste.")
        services.schedule_case(case=case, session=session, by=actor)

    return _session_action(request, session_id, call, "Situation inscrite à l'ordre du jour.")


@require_POST
def session_publish(request, session_id):
    return _session_action(
        request,
        session_id,
        lambda session, actor: services.publish_agenda(session=session, by=actor),
        "Ordre du jour publié : les membres le voient et en sont avertis par e-mail.",
    )


@require_POST
def session_attendance(request, session_id):
    def call(session, actor):
        form = AttendanceForm(request.POST, attendances=session.attendances.all())
        if not form.is_valid():
            raise DomainError("Présences : choisissez une valeur pour chaque membre.")
        services.record_attendance(session=session, statuses=form.cleaned_data, by=actor)

    return _session_action(request, session_id, call, "Présences enregistrées.")


@require_POST
def session_hold(request, session_id):
    return _session_action(
        request,
        session_id,
        lambda session, actor: services.hold_session(session=session, by=actor),
        "Séance tenue : saisissez l'examen de chaque situation.",
    )


@require_POST
def session_sign(request, session_id):
    def call(session, actor):
        form = MinutesForm(request.POST)
        if not form.is_valid():
            raise DomainError("Compte rendu : texte trop long (5000 caractères au plus).")
        services.sign_minutes(session=session, minutes=form.cleaned_data["minutes"], by=actor)

    return _session_action(request, session_id, call, "Compte rendu signé.")


def session_cancel(request, session_id):
    session = _session(request, session_id)
    if not perms.is_coordinator(request.membership, session.territory_id):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(session=session, reason=form.cleaned_data["reason"], by=Actor.from_request(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Séance annulée : ses situations attendent une autre séance.")
            return redirect("casereviews:session", session.public_id)
    context = {"session": session, "form": form}
    return render(request, "casereviews/session_cancel.html", context, status=400 if form.errors else 200)


def session_pdf(request, session_id):
    session = _session(request, session_id)
    if not (session.is_published or perms.is_coordinator(request.membership, session.territory_id)):
        raise PermissionDenied
    cases = list(session_cases(session))
    for case in cases:
        case.session = session
    content = minutes_pdf(session, shown_cases(request, cases), session.attendances.all())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="compte-rendu-{session.starts_at:%Y-%m-%d}.pdf"'
    return response


# --- Waiting cases and candidates (coordinator) --------------------------------------------


WAITING_SORTS = {"proposee": "referred_on", "nom": "person__search_birth_name", "instance": "body_kind"}
CANDIDATE_SORTS = {"etape": "stage_since", "nom": "person__search_birth_name"}


def waiting(request):
    membership = _coordinator(request)
    form = WaitingFilterForm(request.GET or None)
    cases = ReviewCase.objects.filter(
        territory_id=membership.organisation.territory_id, status=CaseStatus.REFERRED
    ).select_related("person", "referred_by__user", "referred_by__organisation")
    if form.is_valid() and form.cleaned_data["instance"]:
        cases = cases.filter(body_kind=form.cleaned_data["instance"])
    cases, sort = sort_queryset(request, cases, WAITING_SORTS, "proposee")
    if request.GET.get("format") == "csv":
        return csv_response(
            request,
            "situations-a-inscrire.csv",
            ["Nom", "Prénoms", "Instance", "Proposée le", "Par", "Structure", "Présentation validée"],
            (
                [
                    case.person.display_last_name,
                    case.person.first_names,
                    case.get_body_kind_display(),
                    case.referred_on.strftime("%d/%m/%Y"),
                    case.referred_by.user.get_full_name(),
                    case.referred_by.organisation.name,
                    "oui" if case.summary_approved else "non",
                ]
                for case in cases.iterator(chunk_size=500)
            ),
        )
    context = {"page_obj": paginate(request, cases), "form": form, "sort": sort}
    return render(request, "casereviews/waiting.html", context)


def candidate_list(request):
    membership = _coordinator(request)
    today = timezone.localdate()
    territory_id = membership.organisation.territory_id
    form = CandidateFilterForm(request.GET or None)
    reason = form.cleaned_data["motif"] if form.is_valid() else ""
    rows, sort = sort_queryset(request, candidates(territory_id, today, reason), CANDIDATE_SORTS, "etape")
    if request.GET.get("format") == "csv":
        return _candidates_csv(request, rows, territory_id, today)
    page = paginate(request, rows)
    page.object_list = decorate_candidates(list(page.object_list), territory_id, today)
    return render(
        request, "casereviews/candidates.html", {"page_obj": page, "today": today, "form": form, "sort": sort}
    )


def _candidates_csv(request, rows, territory_id, today, chunk=500):
    def lines():
        for start in range(0, rows.count(), chunk):
            for item in decorate_candidates(list(rows[start : start + chunk]), territory_id, today):
                yield [
                    item.person.display_last_name,
                    item.person.first_names,
                    item.get_stage_display(),
                    item.stage_since.strftime("%d/%m/%Y"),
                    " ; ".join(item.reasons),
                    item.referent.user.get_full_name() if item.referent_id else "",
                    item.referent_organisation.name if item.referent_organisation_id else "",
                    item.invited_on.strftime("%d/%m/%Y") if item.invited_on else "",
                ]

    header = ["Nom", "Prénoms", "Étape", "Depuis le", "Motifs", "Référent·e", "Structure référente", "Invité·e le"]
    return csv_response(request, "situations-reperees.csv", header, lines())


@require_POST
def candidate_invite(request, pathway_id):
    membership = _coordinator(request)
    today = timezone.localdate()
    pathway = get_object_or_404(
        candidates(membership.organisation.territory_id, today).select_related("referent__user", "person"),
        public_id=pathway_id,
    )
    reasons = decorate_candidates([pathway], membership.organisation.territory_id, today)[0].reasons
    try:
        services.invite_referent(pathway=pathway, reasons=reasons, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Le ou la référent·e est invité·e à présenter la situation.")
    return redirect("casereviews:candidates")


# --- The person's file: refer a case, the person's cases ----------------------------------


def refer(request, person_id):
    person = person_for(request, person_id, what="Présentation en instance")
    if not perms.can_refer_case(request.membership, person):
        raise PermissionDenied
    review = _status_review(person, request.GET.get("point"))
    source = (
        CaseSource.STATUS_REVIEW
        if review
        else {
            "situation": CaseSource.SITUATION,
            "invitation": CaseSource.INVITATION,
        }.get(request.GET.get("origine"), CaseSource.FILE)
    )
    form = ReferForm(request.POST or None, initial={"consent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.refer_case(
                person=person,
                question=data["question"],
                consent_on=data["consent_on"],
                body_kind=data["body_kind"],
                summary=data["summary"],
                source=source,
                status_review=review,
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Situation proposée : relisez sa présentation pseudonymisée.")
            return redirect("casereviews:presentation", case.public_id)
    context = {**_file_context(request, person, "instances"), "form": form, "review": review}
    return render(request, "casereviews/refer.html", context, status=400 if form.errors else 200)


def _status_review(person, public_id):
    """The status review the referral follows from (`?point=`), if it is one of the person's."""
    public_id = as_uuid(public_id)
    return StatusReview.objects.filter(person=person, public_id=public_id).first() if public_id else None


def person_cases(request, person_id):
    person = person_for(request, person_id, what="Consultation des instances")
    membership = request.membership
    if not perms.can_view_person_cases(membership, person):
        raise PermissionDenied
    cases = (
        ReviewCase.objects.filter(person=person)
        .select_related("session__body", "referred_by__user")
        .prefetch_related("decisions", "actions__owner_organisation")
    )
    context = {
        **_file_context(request, person, "instances"),
        "cases": cases,
        "can_refer": perms.can_refer_case(membership, person),
        "has_open": any(case.status in (CaseStatus.REFERRED, CaseStatus.SCHEDULED) for case in cases),
        "pathway": open_pathway_of(person),
    }
    return render(request, "casereviews/person_cases.html", context)


# --- One case ------------------------------------------------------------------------------


def case_detail(request, case_id):
    case = _case(request, case_id)
    membership = request.membership
    shown = shown_cases(request, [case])
    _, person = shown[0]
    can_record = (
        perms.can_record_outcome(membership, case) and case.session_id and case.session.status == SessionStatus.HELD
    )
    context = {
        "case": case,
        "person": person,
        "decisions": case.decisions.all(),
        "actions": case.actions.select_related("owner_organisation", "owner_membership__user"),
        "can_edit_presentation": perms.can_edit_presentation(membership, case)
        and case.status in (CaseStatus.REFERRED, CaseStatus.SCHEDULED),
        "can_record": can_record,
        "in_team": perms.can_view_person_cases(membership, case.person),
        "can_withdraw": case.status in (CaseStatus.REFERRED, CaseStatus.SCHEDULED)
        and (perms.can_edit_presentation(membership, case) or perms.can_record_outcome(membership, case)),
        "discussion_form": DiscussionForm() if can_record and case.status == CaseStatus.SCHEDULED else None,
        "decision_form": DecisionForm(body_kind=case.session.body.kind)
        if can_record and case.status == CaseStatus.DISCUSSED
        else None,
        "action_form": _action_form(case) if can_record and case.status == CaseStatus.DISCUSSED else None,
        "today": timezone.localdate(),
    }
    return render(request, "casereviews/case.html", context)


def _action_form(case, data=None):
    version = ReferentialVersion.objects.current()
    objectives = (
        Objective.objects.filter(version=version).select_related("theme").order_by("theme__position", "position")
    )
    actions = Action.objects.filter(version=version).select_related("theme").order_by("theme__position", "position")
    return CaseActionForm(data, territory_id=case.territory_id, objectives=objectives, actions=actions)


def _case_for_referent(request, case_id):
    case = _case(request, case_id)
    if not perms.can_edit_presentation(request.membership, case):
        raise PermissionDenied
    return case


def presentation_edit(request, case_id):
    case = _case_for_referent(request, case_id)
    form = PresentationForm(request.POST or None, initial={"question": case.question, "summary": case.summary})
    actor = Actor.from_request(request)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.update_presentation(case=case, by=actor, **form.cleaned_data)
            if "valider" in request.POST:
                services.approve_presentation(case=case, by=actor)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                "Présentation validée."
                if "valider" in request.POST
                else "Présentation enregistrée : relisez-la puis validez-la.",
            )
            return redirect("casereviews:presentation", case.public_id)
    preview = presentation(case, Form.PSEUDONYMISED)
    context = {"case": case, "form": form, "preview": preview}
    return render(request, "casereviews/presentation.html", context, status=400 if form.errors else 200)


def case_withdraw(request, case_id):
    case = _case(request, case_id)
    membership = request.membership
    if not (perms.can_edit_presentation(membership, case) or perms.can_record_outcome(membership, case)):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_case(case=case, reason=form.cleaned_data["reason"], by=Actor.from_request(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Situation retirée.")
            return redirect("casereviews:case", case.public_id)
    return render(
        request, "casereviews/case_withdraw.html", {"case": case, "form": form}, status=400 if form.errors else 200
    )


def _case_for_outcome(request, case_id):
    case = _case(request, case_id)
    if not perms.can_record_outcome(request.membership, case):
        raise PermissionDenied
    return case


def _outcome_post(request, case, form, call, success):
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, success)
            return redirect("casereviews:case", case.public_id)
    context = {"case": case, "form": form, "person": presentation(case, Form.NAMED)}
    return render(request, "casereviews/outcome_form.html", context, status=400)


@require_POST
def case_discussion(request, case_id):
    case = _case_for_outcome(request, case_id)
    form = DiscussionForm(request.POST)
    return _outcome_post(
        request,
        case,
        form,
        lambda data: services.record_discussion(case=case, by=Actor.from_request(request), **data),
        "Examen de la situation enregistré.",
    )


@require_POST
def case_decision(request, case_id):
    case = _case_for_outcome(request, case_id)
    form = DecisionForm(request.POST, body_kind=case.session.body.kind if case.session_id else None)
    return _outcome_post(
        request,
        case,
        form,
        lambda data: services.add_decision(case=case, by=Actor.from_request(request), **data),
        "Décision enregistrée.",
    )


@require_POST
def case_action(request, case_id):
    case = _case_for_outcome(request, case_id)
    form = _action_form(case, request.POST)
    return _outcome_post(
        request,
        case,
        form,
        lambda data: services.add_action(case=case, by=Actor.from_request(request), **data),
        "Action enregistrée.",
    )


def action_done(request, action_id):
    membership = request.membership
    if membership is None or membership.organisation.territory_id is None:
        raise Http404
    action = get_object_or_404(
        CaseAction.objects.filter(territory_id=membership.organisation.territory_id).select_related("case__person"),
        public_id=action_id,
    )
    if not perms.can_follow_action(membership, action):
        raise Http404 if perms.case_form(membership, action.case) is None else PermissionDenied
    form = DoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_action(
                action=action, done_on=form.cleaned_data["done_on"], by=Actor.from_request(request)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Action marquée réalisée.")
            return redirect("casereviews:case", action.case.public_id)
    return render(
        request, "casereviews/action_done.html", {"action": action, "form": form}, status=400 if form.errors else 200
    )
