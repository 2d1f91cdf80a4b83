from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyLevel(models.TextChoices):
    """The three levels of secretaries (三级书记) of seed 004, one bundled list each."""

    DEPARTMENT = "department_secretary", _("Department (unit) Party committee secretary")
    ORGAN = "organ_secretary", _("Organ Party organization secretary")
    BRANCH = "branch_secretary", _("Branch secretary under an organ Party committee")


class ListState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    FILED = "filed", _("Filed")


class Outcome(models.TextChoices):
    """验单: how far the parent found one duty done at year end."""

    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not_done", _("Not done")
