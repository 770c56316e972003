from spie.core.plugins import main_menu


def current_membership(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    path = request.path
    menu = [
        {"label": label, "url": url, "active": path == url if url == "/" else path.startswith(url)}
        for _, label, url in main_menu(membership)
    ]
    return {
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "main_menu": menu,
    }
