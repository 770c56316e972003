"""Answering (by link or from the person's space), the person's tab, results, comment review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate
from spie.people.views import _file_context, person_for
from spie.personspace.auth import person_login_required

from . import links, perms, services
from .enums import AnswerSource, CommentStatus, Step
from .forms import AnswerForm, MirrorConsentForm, PublishCommentForm, ResultsFilterForm
from .models import MirrorMember, QuestionnaireComment, QuestionnaireInvitation
from .policies import MIN_GROUP_SIZE
from .questions import questionnaire_for
from .results import step_results

# Pages opened from a link use the platform's frame; from the person's space, the space's own.
LINK_PAGE = {"from_space": False, "base_template": "base.html"}


def _space_page(request):
    return {"from_space": True, "base_template": "personspace/base.html", "person": request.space_person}


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


# Answering -----------------------------------------------------------------------------------


def _answer(request, invitation, source, template_context):
    """The questionnaire form of an open invitation; a valid POST records the answer once."""
    questionnaire = questionnaire_for(invitation.step)
    form = AnswerForm(questionnaire, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_questionnaire(
                invitation=invitation, answers=form.answers(), comment=form.cleaned_data["comment"], source=source
            )
        except DomainError as error:
            if error.field is None:
                links.refuse(invitation, links.state_of(_reloaded(invitation)))
                context = {**template_context, "message": error.message}
                return render(request, "questionnaires/closed.html", context, status=409)
            _form_error(form, error)
        else:
            return render(request, "questionnaires/thanks.html", template_context)
    context = {**template_context, "questionnaire": questionnaire, "form": form, "invitation": invitation}
    return render(request, "questionnaires/answer.html", context)


def _reloaded(invitation):
    invitation.refresh_from_db()
    return invitation


@login_not_required
def answer_link(request, token):
    """The questionnaire opened from the e-mail or SMS link: opening never spends it, the
    answer (POST) is recorded once; a second answer is refused with the reason."""
    invitation = links.find_invitation(token)
    if invitation is None:
        context = {**LINK_PAGE, "message": links.STATE_MESSAGES["unknown"]}
        return render(request, "questionnaires/closed.html", context, status=404)
    state = links.state_of(invitation)
    if state != "usable":
        links.refuse(invitation, state)
        context = {**LINK_PAGE, "message": links.STATE_MESSAGES[state]}
        return render(request, "questionnaires/closed.html", context, status=410)
    return _answer(request, invitation, AnswerSource.LINK, LINK_PAGE)


@person_login_required
def space_list(request):
    invitations = (
        QuestionnaireInvitation.objects.pending().filter(person=request.space_person).order_by("expires_at", "pk")
    )
    return render(request, "questionnaires/space_list.html", {**_space_page(request), "invitations": invitations})


@person_login_required
def space_answer(request, public_id):
    invitation = get_object_or_404(QuestionnaireInvitation, person=request.space_person, public_id=public_id)
    state = links.state_of(invitation)
    if state != "usable":
        context = {**_space_page(request), "message": links.STATE_MESSAGES[state]}
        return render(request, "questionnaires/closed.html", context, status=410)
    return _answer(request, invitation, AnswerSource.SPACE, _space_page(request))


# The person's file ---------------------------------------------------------------------------


def person_questionnaires(request, public_id):
    person = person_for(request, public_id, what="Questionnaires envoyés (sans les réponses)")
    if not perms.can_see_person_questionnaires(request.membership, person):
        raise PermissionDenied
    sent = {invitation.step: invitation for invitation in person.questionnaire_invitations.all()}
    context = {
        **_file_context(request, person, "questionnaires"),
        "rows": [{"step": step, "invitation": sent.get(step.value)} for step in Step],
        "mirror_member": MirrorMember.objects.active().filter(person=person).first(),
        "can_propose_mirror": perms.can_propose_mirror_member(request.membership, person),
        "mirror_form": MirrorConsentForm(initial={"consent_on": timezone.localdate()}),
    }
    return render(request, "questionnaires/person.html", context)


@require_POST
def person_mirror_join(request, public_id):
    person = person_for(request, public_id, what="Inscription au groupe miroir")
    if not perms.can_propose_mirror_member(request.membership, person):
        raise PermissionDenied
    form = MirrorConsentForm(request.POST)
    if form.is_valid():
        try:
            services.add_person_to_mirror(
                person=person, consent_on=form.cleaned_data["consent_on"], by=Actor.from_request(request)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "La personne est inscrite au groupe miroir du territoire.")
    else:
        messages.error(request, "Date de l'accord : " + " ".join(form.errors["consent_on"]))
    return redirect("questionnaires:person", person.public_id)


# Results -------------------------------------------------------------------------------------


def results(request):
    membership = request.membership
    if not perms.can_see_results(membership):
        raise PermissionDenied
    territory_id = perms.results_territory_id(membership)
    national = territory_id is None
    form = ResultsFilterForm(request.GET or None, national=national)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if national and data.get("territory"):
        territory_id = data["territory"].pk
    items = step_results(
        territory_id=territory_id,
        step=data.get("step") or None,
        start=data.get("start"),
        end=data.get("end"),
        with_comments=request.GET.get("format") != "csv",
    )
    if request.GET.get("format") == "csv":
        return _results_csv(request, items)
    context = {
        "form": form,
        "results": items,
        "min_group": MIN_GROUP_SIZE,
        "national": national,
        "can_moderate": perms.can_moderate_comments(membership),
        "pending_comments": QuestionnaireComment.objects.filter(
            territory_id=territory_id, status=CommentStatus.PENDING
        ).count()
        if perms.can_moderate_comments(membership)
        else 0,
        "section": "resultats",
    }
    return render(request, "questionnaires/results.html", context)


def _results_csv(request, items):
    header = ["Étape", "Version", "Envoyés", "Réponses", "Taux de réponse (%)", "Question", "Moyenne (1 à 5)"]
    header += [f"Réponses {value}" for value in range(1, 6)]
    rows = []
    for result in items:
        base = [result.label, result.version, result.sent, result.answered, result.response_rate or ""]
        if result.hidden:
            rows.append([*base, f"Moins de {MIN_GROUP_SIZE} réponses : résultats masqués", "", *[""] * 5])
            continue
        rows.append([*base, "Note globale", _fr(result.mean), *[""] * 5])
        rows.extend([*base, q.text, _fr(q.mean), *q.distribution] for q in result.questions)
    return csv_response(request, "resultats-questionnaires.csv", header, rows)


def _fr(value):
    return "" if value is None else str(value).replace(".", ",")


# Comment review ------------------------------------------------------------------------------


def _require_moderator(request):
    if not perms.can_moderate_comments(request.membership):
        raise PermissionDenied


def comments(request):
    _require_moderator(request)
    status = request.GET.get("statut", CommentStatus.PENDING)
    if status not in CommentStatus.values:
        status = CommentStatus.PENDING
    queryset = QuestionnaireComment.objects.filter(
        territory_id=request.membership.organisation.territory_id, status=status
    ).order_by("created_at", "pk")
    context = {
        "page_obj": paginate(request, queryset),
        "status": status,
        "statuses": CommentStatus.choices,
        "section": "commentaires",
        "can_moderate": True,
    }
    return render(request, "questionnaires/comments.html", context)


def comment_review(request, public_id):
    _require_moderator(request)
    comment = get_object_or_404(
        QuestionnaireComment, territory_id=request.membership.organisation.territory_id, public_id=public_id
    )
    initial = {"text": comment.published_text or comment.text}
    form = PublishCommentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        by = Actor.from_request(request)
        try:
            if request.POST.get("decision") == "ecarter":
                services.reject_comment(comment=comment, by=by)
                messages.success(request, "Commentaire écarté : il ne sera pas publié.")
            else:
                services.publish_comment(comment=comment, text=form.cleaned_data["text"], by=by)
                messages.success(request, "Commentaire publié sur la page des résultats.")
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("questionnaires:comments")
    context = {"comment": comment, "form": form, "section": "commentaires"}
    return render(request, "questionnaires/comment_review.html", context)
