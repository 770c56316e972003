"""Co-designed offers: any professional proposes, the structures involved comment, the coordinator decides."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.accounts.models import Organisation
from spie.core.errors import DomainError
from spie.core.lists import paginate

from . import perms, services
from .enums import PROPOSAL_TRANSITIONS, ProposalStatus
from .forms import CommentForm, ProposalForm, ProposalMoveForm, theme_labels
from .models import OfferProposal


def _check_territory(request):
    membership = request.membership
    if membership is None or membership.organisation.territory_id is None:
        raise PermissionDenied
    return membership


def proposals(request):
    _check_territory(request)
    status = request.GET.get("statut", "")
    items = OfferProposal.objects.visible_to(request.membership).select_related(
        "proposer__organisation", "proposer__user"
    )
    if status in ProposalStatus.values:
        items = items.filter(status=status)
    context = {
        "page_obj": paginate(request, items.order_by("-created_at", "pk")),
        "status": status,
        "statuses": ProposalStatus.choices,
        "can_propose": perms.can_propose_offer(request.membership),
    }
    return render(request, "offers/proposals.html", context)


def proposal_create(request):
    membership = _check_territory(request)
    if not perms.can_propose_offer(membership):
        raise PermissionDenied
    organisations = Organisation.objects.filter(territory_id=membership.organisation.territory_id, is_active=True)
    form = ProposalForm(request.POST or None, organisations=organisations.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose_offer(
                data=form.proposal_data(), partners=form.cleaned_data["partners"], by=Actor.from_request(request)
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Proposition envoyée au coordinateur ou à la coordinatrice du territoire.")
            return redirect("offers:proposal_detail", proposal.public_id)
    return render(request, "offers/proposal_form.html", {"form": form})


def _proposal_for(request, proposal_id):
    _check_territory(request)
    return get_object_or_404(
        OfferProposal.objects.visible_to(request.membership).select_related(
            "proposer__organisation", "proposer__user", "commune", "offer"
        ),
        public_id=proposal_id,
    )


def proposal_detail(request, proposal_id):
    proposal = _proposal_for(request, proposal_id)
    partners = list(proposal.partners.order_by("name"))
    partner_ids = {organisation.pk for organisation in partners}
    allowed = sorted(PROPOSAL_TRANSITIONS[proposal.status], key=list(ProposalStatus).index)
    context = {
        "proposal": proposal,
        "partners": partners,
        "thematique_labels": theme_labels(proposal.thematiques),
        "comments": proposal.comments.select_related("author__user", "author__organisation"),
        "can_comment": perms.can_comment_proposal(request.membership, proposal, partner_ids)
        and bool(PROPOSAL_TRANSITIONS[proposal.status]),
        "can_steer": perms.can_steer_proposal(request.membership, proposal) and bool(allowed),
        "comment_form": CommentForm(),
        "move_form": ProposalMoveForm(allowed=allowed),
    }
    return render(request, "offers/proposal_detail.html", context)


@require_POST
def proposal_comment(request, proposal_id):
    proposal = _proposal_for(request, proposal_id)
    if not perms.can_comment_proposal(request.membership, proposal):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_proposal(proposal=proposal, text=form.cleaned_data["text"], by=Actor.from_request(request))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Commentaire ajouté.")
    else:
        messages.error(request, "Le commentaire est vide.")
    return redirect("offers:proposal_detail", proposal.public_id)


@require_POST
def proposal_move(request, proposal_id):
    proposal = _proposal_for(request, proposal_id)
    if not perms.can_steer_proposal(request.membership, proposal):
        raise PermissionDenied
    form = ProposalMoveForm(request.POST, allowed=list(ProposalStatus))
    if form.is_valid():
        try:
            moved = services.move_proposal(
                proposal=proposal,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Proposition passée à l'étape « {moved.get_status_display()} ».")
    else:
        messages.error(request, "Choisissez une étape.")
    return redirect("offers:proposal_detail", proposal.public_id)
