from django.http import Http404
from django.shortcuts import get_object_or_404

from kaoping.duties.models import DutyCycle, DutyList


def cycle_or_404(request, pk, perm="duties.view_cycle") -> DutyCycle:
    cycle = get_object_or_404(DutyCycle.objects.select_related("scope"), pk=pk)
    if not request.user.has_perm(perm, cycle):
        raise Http404
    return cycle


def list_or_404(request, pk, perm="duties.view_list") -> DutyList:
    """The list if the user may `perm` it; 404 otherwise, never a hint that it exists."""
    duty_list = get_object_or_404(
        DutyList.objects.select_related("cycle__scope", "organization"), pk=pk
    )
    if not request.user.has_perm(perm, duty_list):
        raise Http404
    return duty_list
