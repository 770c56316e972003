from django.shortcuts import get_object_or_404, render

from .models import Territory


def territory_list(request):
    return render(request, "territories/list.html", {"territories": Territory.objects.all()})


def territory_detail(request, code):
    territory = get_object_or_404(Territory.objects.visible_to(request.membership), code=code)
    return render(request, "territories/detail.html", {"territory": territory})
