from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.people.views import _file_context, person_for

from . import orientation_rules, perms, services
from .display import diff, sections_view, social_view
from .enums import DiagnosticStatus
from .forms import (
    CoauthorForm,
    CompareForm,
    JoinForm,
    PersonViewForm,
    ProfessionalForm,
    ProjectForm,
    SocialForm,
    StartForm,
    ValidateForm,
)
from .models import Diagnostic
from .referential import ReferentialLabels, rome_labels
from .sensitive import is_sensitive

SECTIONS = {
    "professionnel": "Situation professionnelle",
    "projet": "Projet professionnel",
    "social": "Situation sociale",
    "parole": "Point de vue de la personne",
}
TAB = "diagnostic"


def _person(request, person_id, what):
    person = person_for(request, person_id, what=what)
    if not perms.can_view_diagnostics(request.membership, person):
        raise PermissionDenied
    return person


def _diagnostic(request, diagnostic_id, what):
    """The diagnostic if its file is visible (404 otherwise); the read is logged on the file."""
    diagnostic = get_object_or_404(
        Diagnostic.objects.visible_to(request.membership).select_related("person", "referential_version"),
        public_id=diagnostic_id,
    )
    diagnostic.person = _person(request, diagnostic.person.public_id, what)
    return diagnostic


def _context(request, person, **extra):
    return {
        **_file_context(request, person, TAB),
        "show_sensitive": perms.can_see_sensitive_answers(request.membership, person),
        "sections": SECTIONS,
        **extra,
    }


def _authors(diagnostic):
    return list(diagnostic.authors.select_related("membership__user", "membership__organisation"))


def person_diagnostics(request, person_id):
    person = _person(request, person_id, "Consultation des diagnostics")
    versions = list(
        person.diagnostics.select_related("validated_by__user").prefetch_related(
            "authors__membership__user", "authors__membership__organisation"
        )
    )
    current = [diagnostic for diagnostic in versions if diagnostic.status != DiagnosticStatus.ABANDONED]
    draft = next((diagnostic for diagnostic in versions if diagnostic.is_draft), None)
    latest = next((diagnostic for diagnostic in versions if diagnostic.is_validated), None)
    context = _context(
        request,
        person,
        versions=versions,
        draft=draft,
        latest=latest,
        can_start=perms.can_start_diagnostic(request.membership, person) and draft is None,
        compare_form=CompareForm(versions=current) if len(current) > 1 else None,
    )
    if latest is not None:
        labels = ReferentialLabels.load(latest.referential_version)
        show = context["show_sensitive"]
        context["latest_sections"] = sections_view(latest, show_sensitive=show, labels=labels)
        context["latest_social"] = social_view(latest, show_sensitive=show, labels=labels)
    return render(request, "diagnostics/person.html", context)


def start(request, person_id):
    person = _person(request, person_id, "Début d'un diagnostic")
    if not perms.can_start_diagnostic(request.membership, person):
        raise PermissionDenied
    form = StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            diagnostic = services.start_diagnostic(
                person=person, speciality=form.cleaned_data["speciality"], by=Actor.from_request(request)
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Diagnostic n° {diagnostic.number} commencé : il s'enregistre au fil de l'eau.")
            return redirect("diagnostics:edit", diagnostic.public_id, "professionnel")
    previous = person.diagnostics.filter(status=DiagnosticStatus.VALIDATED).order_by("-number").first()
    return render(request, "diagnostics/start.html", _context(request, person, form=form, previous=previous))


def detail(request, diagnostic_id):
    diagnostic = _diagnostic(request, diagnostic_id, "Consultation d'un diagnostic")
    person, membership = diagnostic.person, request.membership
    labels = ReferentialLabels.load(diagnostic.referential_version)
    show = perms.can_see_sensitive_answers(membership, person)
    context = _context(
        request,
        person,
        diagnostic=diagnostic,
        authors=_authors(diagnostic),
        detail_sections=sections_view(diagnostic, show_sensitive=show, labels=labels),
        social=social_view(diagnostic, show_sensitive=show, labels=labels),
        can_edit=perms.can_edit_diagnostic(membership, diagnostic),
        can_join=perms.can_join_as_author(membership, diagnostic),
        can_cosign=perms.can_cosign_diagnostic(membership, diagnostic),
    )
    if diagnostic.is_draft:
        context["preview"] = orientation_rules.propose(orientation_rules.criteria_for(diagnostic))
        context["missing"] = services.validation_errors(diagnostic)
    return render(request, "diagnostics/detail.html", context)


def _editable(request, diagnostic_id, what):
    diagnostic = _diagnostic(request, diagnostic_id, what)
    if not diagnostic.is_draft:
        return diagnostic, False
    if not perms.can_edit_diagnostic(request.membership, diagnostic):
        raise PermissionDenied
    return diagnostic, True


def _refuse_frozen(request, diagnostic):
    message = "Ce diagnostic est validé : il ne peut plus être modifié. Commencez une nouvelle version."
    if diagnostic.status == DiagnosticStatus.ABANDONED:
        message = "Ce brouillon a été abandonné : il ne peut plus être modifié."
    if request.htmx:
        return HttpResponse(f'<p class="fr-message fr-message--error">{message}</p>', status=409)
    messages.error(request, message)
    return redirect("diagnostics:detail", diagnostic.public_id)


def _section_form(request, diagnostic, section, show_sensitive, labels):
    data = request.POST if request.method == "POST" else None
    if section == "professionnel":
        initial = {name: getattr(diagnostic, name) for name in services.SECTIONS["professionnel"]}
        return ProfessionalForm(data, initial=initial)
    if section == "projet":
        romes = {code: f"{label} — {code}" for code, label in rome_labels(diagnostic.target_rome_codes).items()}
        return ProjectForm(data, initial=ProjectForm.initial_from(diagnostic, romes))
    if section == "social":
        themes = [theme for theme in labels.social_themes if show_sensitive or not is_sensitive(theme.code)]
        if not show_sensitive:
            for theme in themes:
                theme.situations = [s for s in theme.situations if not s.sensitive]
        return SocialForm(data, initial=SocialForm.initial_from(diagnostic.situations.all()), themes=themes)
    hidden = [code for code in diagnostic.priority_theme_codes if is_sensitive(code) and not show_sensitive]
    return PersonViewForm(
        data,
        initial={"priority_theme_codes": diagnostic.priority_theme_codes, "person_words": diagnostic.person_words},
        themes=labels.social_themes,
        show_sensitive=show_sensitive,
        hidden_priorities=hidden,
    )


def named_errors(form):
    """Form errors as « Libellé du champ : message », for the autosave status."""
    return [
        f"{form.fields[name].label} : {error}" if name in form.fields else error
        for name, errors in form.errors.items()
        for error in errors
    ]


def _save_section(diagnostic, section, form, by, show_sensitive):
    if section == "social":
        return services.update_situations(
            diagnostic=diagnostic, answers=form.answers(), by=by, include_sensitive=show_sensitive
        )
    return services.update_diagnostic(diagnostic=diagnostic, changes=form.changes(), by=by, section=section)


def edit(request, diagnostic_id, section):
    if section not in SECTIONS:
        raise Http404
    diagnostic, editable = _editable(request, diagnostic_id, f"Diagnostic : {SECTIONS[section].lower()}")
    if not editable:
        return _refuse_frozen(request, diagnostic)
    person = diagnostic.person
    show = perms.can_see_sensitive_answers(request.membership, person)
    labels = ReferentialLabels.load(diagnostic.referential_version)
    form = _section_form(request, diagnostic, section, show, labels)
    if request.method == "POST":
        saved = False
        if form.is_valid():
            try:
                _save_section(diagnostic, section, form, Actor.from_request(request), show)
                saved = True
            except DomainError as error:
                form.add_error(None, error.message)
        if request.htmx:
            return render(
                request,
                "diagnostics/_autosave.html",
                {"saved": saved, "errors": named_errors(form), "at": timezone.localtime()},
                status=200 if saved else 422,
            )
        if saved:
            messages.success(request, f"Brouillon enregistré : {SECTIONS[section].lower()}.")
            keys = list(SECTIONS)
            following = keys[keys.index(section) + 1] if section != keys[-1] else None
            if "suivant" in request.POST and following:
                return redirect("diagnostics:edit", diagnostic.public_id, following)
            return redirect("diagnostics:detail", diagnostic.public_id)
    context = _context(
        request, person, diagnostic=diagnostic, form=form, section=section, section_label=SECTIONS[section]
    )
    keys = list(SECTIONS)
    context["has_next"] = section != keys[-1]
    return render(request, "diagnostics/edit.html", context)


def coauthor(request, diagnostic_id):
    diagnostic, editable = _editable(request, diagnostic_id, "Ajout d'un co-auteur au diagnostic")
    if not editable:
        return _refuse_frozen(request, diagnostic)
    person = diagnostic.person
    authors = _authors(diagnostic)
    author_ids = {author.membership_id for author in authors}
    members = [
        (
            str(seat.membership.public_id),
            f"{seat.membership.user.get_full_name()} — {seat.membership.organisation.name}",
        )
        for seat in person.active_team
        if seat.membership_id not in author_ids
    ]
    form = CoauthorForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["member"]:
            seat = next(seat for seat in person.active_team if str(seat.membership.public_id) == data["member"])
            membership = seat.membership
        else:
            membership = services.find_coauthor(person, data["email"])
        if membership is None:
            form.add_error("email", "Aucun professionnel actif du territoire n'a cette adresse e-mail.")
        else:
            try:
                services.add_coauthor(
                    diagnostic=diagnostic,
                    membership=membership,
                    speciality=data["speciality"],
                    by=Actor.from_request(request),
                )
            except DomainError as error:
                form.add_error("email" if error.field == "coauthor" else None, error.message)
            else:
                messages.success(
                    request, f"{membership.user.get_full_name()} ({membership.organisation.name}) est co-auteur."
                )
                return redirect("diagnostics:detail", diagnostic.public_id)
    context = _context(request, person, diagnostic=diagnostic, form=form, authors=authors)
    return render(request, "diagnostics/coauthor.html", context)


def join(request, diagnostic_id):
    diagnostic = _diagnostic(request, diagnostic_id, "Rejoindre la rédaction d'un diagnostic")
    if not diagnostic.is_draft:
        return _refuse_frozen(request, diagnostic)
    if not perms.can_join_as_author(request.membership, diagnostic):
        raise PermissionDenied
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_coauthor(
                diagnostic=diagnostic,
                membership=request.membership,
                speciality=form.cleaned_data["speciality"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Vous êtes co-auteur de ce diagnostic.")
            return redirect("diagnostics:detail", diagnostic.public_id)
    return render(
        request, "diagnostics/join.html", _context(request, diagnostic.person, diagnostic=diagnostic, form=form)
    )


def validate(request, diagnostic_id):
    diagnostic, editable = _editable(request, diagnostic_id, "Validation d'un diagnostic")
    if not editable:
        return _refuse_frozen(request, diagnostic)
    form = ValidateForm(request.POST if request.method == "POST" else None)
    missing = services.validation_errors(diagnostic)
    if request.method == "POST" and form.is_valid():
        try:
            services.validate_diagnostic(diagnostic=diagnostic, by=Actor.from_request(request))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, "Diagnostic validé et signé : il ne peut plus être modifié. Le co-auteur signe à son tour."
            )
            return redirect("diagnostics:detail", diagnostic.public_id)
    context = _context(
        request,
        diagnostic.person,
        diagnostic=diagnostic,
        form=form,
        missing=missing,
        authors=_authors(diagnostic),
        preview=orientation_rules.propose(orientation_rules.criteria_for(diagnostic)),
    )
    return render(request, "diagnostics/validate.html", context)


@require_POST
def cosign(request, diagnostic_id):
    diagnostic = _diagnostic(request, diagnostic_id, "Co-signature d'un diagnostic")
    if not perms.can_cosign_diagnostic(request.membership, diagnostic):
        raise PermissionDenied
    try:
        services.cosign_diagnostic(diagnostic=diagnostic, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Vous avez signé ce diagnostic.")
    return redirect("diagnostics:detail", diagnostic.public_id)


@require_POST
def abandon(request, diagnostic_id):
    diagnostic, editable = _editable(request, diagnostic_id, "Abandon d'un brouillon de diagnostic")
    if not editable:
        return _refuse_frozen(request, diagnostic)
    services.abandon_diagnostic(diagnostic=diagnostic, by=Actor.from_request(request))
    messages.success(request, "Brouillon abandonné ; il reste visible dans l'historique des versions.")
    return redirect("diagnostics:person", diagnostic.person.public_id)


def compare(request, person_id):
    person = _person(request, person_id, "Comparaison de versions de diagnostic")
    versions = list(person.diagnostics.current().select_related("referential_version"))
    form = CompareForm(request.GET or None, versions=versions)
    result = older = newer = None
    if form.is_valid():
        by_id = {str(diagnostic.public_id): diagnostic for diagnostic in versions}
        older, newer = sorted([by_id[form.cleaned_data["de"]], by_id[form.cleaned_data["a"]]], key=lambda d: d.number)
        result = diff(older, newer, show_sensitive=perms.can_see_sensitive_answers(request.membership, person))
    context = _context(request, person, form=form, diff=result, older=older, newer=newer)
    return render(request, "diagnostics/compare.html", context)
