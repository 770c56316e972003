from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
def legal_notice(request):
    return render(request, "core/legal_notice.html")


@login_not_required
def privacy(request):
    return render(request, "core/privacy.html")


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
