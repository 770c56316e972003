"""Unlock an account locked by failed logins, through a link e-mailed to its address."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from dsfr.forms import DsfrBaseForm

from . import unlock


class UnlockRequestForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse e-mail de votre compte", max_length=254)


@login_not_required
def unlock_request(request):
    form = UnlockRequestForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        unlock.send_unlock_link(email=form.cleaned_data["email"])
        return render(request, "accounts/unlock_requested.html", {"minutes": settings.ACCOUNT_UNLOCK_LINK_MINUTES})
    return render(request, "accounts/unlock_request.html", {"form": form})


@login_not_required
def unlock_confirm(request, token):
    """GET shows a button (mail scanners that open links must not use them up); POST unlocks."""
    if request.method == "POST":
        if unlock.unlock_account(token=token) is not None:
            messages.success(request, "Votre compte est débloqué : vous pouvez vous connecter.")
            return redirect("accounts:login")
    elif unlock.user_for_unlock_token(token) is not None:
        return render(request, "accounts/unlock_confirm.html")
    return render(request, "accounts/unlock_invalid.html", status=400)
