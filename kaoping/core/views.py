from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from kaoping.accounts.models import Role


@login_required
def home(request):
    roles = Role.objects.filter(user=request.user).select_related("organization")
    return render(request, "core/home.html", {"roles": roles})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
