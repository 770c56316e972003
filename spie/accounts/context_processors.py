from django.urls import reverse

from .perms import can_view_audit_log, is_national_admin


def _main_menu(request, membership):
    items = [("Accueil", reverse("accounts:home"))]
    if membership is not None:
        items.append(("Ma structure", reverse("accounts:my_organisation")))
        if is_national_admin(membership):
            items.append(("Territoires", reverse("territories:list")))
        elif membership.organisation.territory_id:
            items.append(
                (
                    "Mon territoire",
                    reverse("territories:detail", args=[membership.organisation.territory.code]),
                )
            )
    items.append(("Référentiels", reverse("referentials:index")))
    if can_view_audit_log(membership):
        items.append(("Journal d'audit", reverse("accounts:audit_log")))
    path = request.path
    home = reverse("accounts:home")
    return [
        {"label": label, "url": url, "active": path == url if url == home else path.startswith(url)}
        for label, url in items
    ]


def current_membership(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    return {
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "main_menu": _main_menu(request, membership),
    }
