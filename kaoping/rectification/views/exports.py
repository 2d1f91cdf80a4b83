"""Ledgers as xlsx: the 整改台账 of a scope, 达标/不达标 of a campaign, weak organizations."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from kaoping.orgs.models import Organization
from kaoping.rectification.domain.ledgers import compliance_rows, ledger_issues, weak_rows
from kaoping.rectification.interfaces.ledgers import compliance_xlsx, ledger_xlsx, weak_xlsx
from kaoping.rectification.views.organizer import XLSX, _campaign_or_404, attachment


def _scope_or_404(request, pk) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    if not request.user.has_perm("rectification.export", org):
        raise Http404
    return org


@login_required
@require_GET
def ledger(request, org):
    scope = _scope_or_404(request, org)
    campaign = None
    if request.GET.get("campaign", "").isdigit():
        campaign = _campaign_or_404(request, int(request.GET["campaign"]))
    content = ledger_xlsx(unit=scope.name, day=timezone.localdate(),
                          issues=ledger_issues(scope, campaign))  # fmt: skip
    return attachment(content, XLSX, f"整改台账-{scope.name}.xlsx")


@login_required
@require_GET
def compliance(request, pk, org):
    campaign = _campaign_or_404(request, pk)
    scope = _scope_or_404(request, org)
    compliant, failing = compliance_rows(campaign, scope)
    content = compliance_xlsx(unit=scope.name, day=timezone.localdate(),
                              campaign_name=campaign.name, compliant=compliant,
                              failing=failing)  # fmt: skip
    return attachment(content, XLSX, f"达标不达标台账-{campaign.name}.xlsx")


@login_required
@require_GET
def weak(request, org):
    scope = _scope_or_404(request, org)
    content = weak_xlsx(unit=scope.name, day=timezone.localdate(), rows=weak_rows(scope))
    return attachment(content, XLSX, f"软弱涣散党组织台账-{scope.name}.xlsx")
