"""The year's cycle: open the lists for a scope (建单), write individual duties, sign (领单),
file, amend a signed list. Every verb is all-or-nothing and raises DutyError with a message for
people when refused."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.duties.domain.content import content_hash, list_content
from kaoping.duties.domain.templates import common_snapshot, holder_level, templates
from kaoping.duties.enums import ListState
from kaoping.duties.models import CustomDuty, DutyCycle, DutyList, ListVersion
from kaoping.orgs.models import Organization


class DutyError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def default_deadline(year: int) -> datetime.date:
    """The seed's "3月底前": 31 March of the list's year."""
    return datetime.date(year, 3, 31)


@transaction.atomic
def open_cycle(*, scope: Organization, year: int, by, deadline=None) -> DutyCycle:
    """Open the year's lists for `scope` (建单). Side effects: a DutyCycle, and one draft
    DutyList for every active organization below the scope's root that holds a list (rule in
    `domain/templates.py`), its common duties copied from the bundled template. Refused when the
    scope already has this year's cycle."""
    if DutyCycle.objects.filter(scope=scope, year=year).exists():
        raise DutyError(
            _("%(scope)s already has responsibility lists for %(year)d.")
            % {"scope": scope.name, "year": year}
        )
    cycle = DutyCycle.objects.create(
        scope=scope, year=year, deadline=deadline or default_deadline(year), opened_by=by
    )
    orgs = (
        Organization.objects.within([scope]).active().exclude(pk=scope.pk)
        .select_related("parent")
    )  # fmt: skip
    by_level = templates()
    lists = []
    for org in orgs:
        level = holder_level(org.kind, org.parent.kind if org.parent else None)
        if level is None:
            continue
        template = by_level[level]
        lists.append(DutyList(
            cycle=cycle, organization=org, template_id=template.id, level=level,
            title=template.title, common=common_snapshot(template),
        ))  # fmt: skip
    DutyList.objects.bulk_create(lists)
    return cycle


def _require_draft(duty_list: DutyList) -> None:
    if duty_list.state != ListState.DRAFT:
        raise DutyError(
            _("This list has been signed and cannot change except through an amendment.")
        )


def _locked(duty_list: DutyList) -> DutyList:
    # Re-read the state under a row lock so a signature cannot slip in between.
    locked = DutyList.objects.select_for_update().get(pk=duty_list.pk)
    duty_list.state = locked.state
    return duty_list


def _clean_duty(text: str, standard: str) -> tuple[str, str]:
    text, standard = (text or "").strip(), (standard or "").strip()
    if not text:
        raise DutyError(_("Write the individual duty (the field “duty” is empty)."))
    if not standard:
        raise DutyError(
            _("Write the standard of the individual duty (the field “standard” is empty).")
        )
    return text, standard


@transaction.atomic
def add_custom_duty(*, duty_list: DutyList, text: str, standard: str) -> CustomDuty:
    """Add an individual duty (个性项目) to a draft list. Side effects: a CustomDuty at the end."""
    _require_draft(_locked(duty_list))
    text, standard = _clean_duty(text, standard)
    position = duty_list.custom.count() + 1
    return CustomDuty.objects.create(
        duty_list=duty_list, position=position, text=text, standard=standard
    )


@transaction.atomic
def delete_custom_duty(*, duty: CustomDuty) -> None:
    """Remove an individual duty from a draft list; the others are renumbered 1..n."""
    duty_list = duty.duty_list
    _require_draft(_locked(duty_list))
    duty.delete()
    for position, remaining in enumerate(duty_list.custom.order_by("position", "pk"), start=1):
        if remaining.position != position:
            remaining.position = position
            remaining.save(update_fields=["position"])


def _min_count(duty_list: DutyList) -> int:
    return templates()[duty_list.level].custom_min_count


def _check_custom_count(duty_list: DutyList, count: int) -> None:
    minimum = _min_count(duty_list)
    if count < minimum:
        raise DutyError(
            _("Add at least %(min)d individual duties before signing (the list has %(count)d).")
            % {"min": minimum, "count": count}
        )


@transaction.atomic
def sign_list(
    *, duty_list: DutyList, name: str, by, day: datetime.date | None = None
) -> ListVersion:
    """Sign a draft list (领单). Refused with fewer individual duties than the template's minimum
    (个性项目不少于2个) or without a name. Side effects: the list becomes signed with the name,
    the day and the content hash; ListVersion 1 keeps the content."""
    _require_draft(_locked(duty_list))
    name = (name or "").strip()
    if not name:
        raise DutyError(_("Write your name to sign (the field “name” is empty)."))
    _check_custom_count(duty_list, duty_list.custom.count())
    return _new_version(duty_list, list_content(duty_list), name=name, by=by,
                        day=day or timezone.localdate(), reason="")  # fmt: skip


def _new_version(duty_list, content, *, name, by, day, reason) -> ListVersion:
    digest = content_hash(content, name=name, day=day)
    number = duty_list.versions.count() + 1
    version = ListVersion.objects.create(
        duty_list=duty_list, number=number, content=content, content_hash=digest,
        signed_name=name, signed_on=day, reason=reason, created_by=by,
    )  # fmt: skip
    if duty_list.state == ListState.DRAFT:
        duty_list.state = ListState.SIGNED
    duty_list.signed_name, duty_list.signed_on, duty_list.content_hash = name, day, digest
    duty_list.save(update_fields=["state", "signed_name", "signed_on", "content_hash"])
    return version


@transaction.atomic
def file_list(*, duty_list: DutyList, by, day: datetime.date | None = None) -> DutyList:
    """File a signed list with the scope (报备案). Refused for a draft or an already filed list.
    Side effects: state filed, the filing day and person recorded."""
    _locked(duty_list)
    if duty_list.state == ListState.DRAFT:
        raise DutyError(_("Sign the list before filing it."))
    if duty_list.state == ListState.FILED:
        raise DutyError(_("This list has already been filed."))
    duty_list.state = ListState.FILED
    duty_list.filed_on, duty_list.filed_by = day or timezone.localdate(), by
    duty_list.save(update_fields=["state", "filed_on", "filed_by"])
    return duty_list


@transaction.atomic
def amend_list(*, duty_list: DutyList, custom: list[dict], reason: str, name: str, by,
               day: datetime.date | None = None) -> ListVersion:  # fmt: skip
    """Change a signed or filed list's individual duties through a recorded amendment.
    `custom` is the new list of {text, standard}. Refused for a draft (edit it directly), without
    a reason or name, or with fewer duties than the minimum. Side effects: the custom duties are
    replaced, a new ListVersion (reason, content, hash) is kept beside the previous ones, and the
    list's signature and hash become the amendment's; the filing state is unchanged."""
    _locked(duty_list)
    if duty_list.state == ListState.DRAFT:
        raise DutyError(_("A draft list is edited directly; amendments are for signed lists."))
    reason, name = (reason or "").strip(), (name or "").strip()
    if not reason:
        raise DutyError(_("Give the reason for the amendment (the field “reason” is empty)."))
    if not name:
        raise DutyError(_("Write your name to sign (the field “name” is empty)."))
    cleaned = [_clean_duty(c.get("text", ""), c.get("standard", "")) for c in custom]
    _check_custom_count(duty_list, len(cleaned))
    duty_list.custom.all().delete()
    CustomDuty.objects.bulk_create(
        CustomDuty(duty_list=duty_list, position=n, text=text, standard=standard)
        for n, (text, standard) in enumerate(cleaned, start=1)
    )
    content = list_content(duty_list, [{"text": t, "standard": s} for t, s in cleaned])
    return _new_version(duty_list, content, name=name, by=by, day=day or timezone.localdate(),
                        reason=reason)  # fmt: skip


@dataclass(frozen=True)
class Status:
    """A list's filing status on a given day, for the parent's overview."""

    state: str
    late: bool  # not filed and the deadline has passed, or filed after it

    @property
    def label(self) -> str:
        if self.state == ListState.FILED:
            return _("Filed late") if self.late else _("Filed")
        if self.late:
            return _("Late")
        return _("Signed, not filed") if self.state == ListState.SIGNED else _("Not signed")


def filing_status(duty_list: DutyList, *, day: datetime.date | None = None) -> Status:
    """Late from the day after the deadline: with the default deadline, 1 April shows late and
    31 March does not. A list filed after the deadline stays marked late."""
    deadline = duty_list.cycle.deadline
    if duty_list.state == ListState.FILED:
        return Status(state=duty_list.state, late=duty_list.filed_on > deadline)
    day = day or timezone.localdate()
    return Status(state=duty_list.state, late=day > deadline)
