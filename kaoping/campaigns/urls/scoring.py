"""Scoring: the worklist, sheets (named by their assignment), entries, evidence, custom items."""

from django.urls import path

from kaoping.campaigns.views import (
    scoring_custom,
    scoring_evidence,
    scoring_sheet,
    scoring_worklist,
)

urlpatterns = [
    path("worklist/", scoring_worklist.worklist, name="worklist"),
    path("assignments/<int:pk>/sheet/", scoring_sheet.sheet, name="sheet"),
    path("assignments/<int:pk>/sheet/entry/", scoring_sheet.entry_save, name="entry_save"),
    path("assignments/<int:pk>/sheet/submit/", scoring_sheet.sheet_submit, name="sheet_submit"),
    path("assignments/<int:pk>/sheet/return/", scoring_sheet.sheet_return, name="sheet_return"),
    path(
        "assignments/<int:pk>/sheet/custom-items/",
        scoring_sheet.custom_items_write,
        name="custom_items_write",
    ),
    path(
        "assignments/<int:pk>/sheet/evidence/",
        scoring_evidence.evidence_upload,
        name="evidence_upload",
    ),
    path("evidence/<int:pk>/", scoring_evidence.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/delete/", scoring_evidence.evidence_delete, name="evidence_delete"),
    path("<int:pk>/common-items/", scoring_custom.common_items, name="common_items"),
]
