from django.urls import path

from kaoping.rectification.views import exports, issues, organizer

app_name = "rectification"
urlpatterns = [
    path("", organizer.index, name="index"),
    path("campaign/<int:pk>/", organizer.campaign_lists, name="campaign"),
    path("campaign/<int:pk>/build/", organizer.build_drafts, name="build"),
    path("campaign/<int:pk>/issue/", organizer.issue_lists, name="issue_lists"),
    path("campaign/<int:pk>/notices.zip", organizer.notices, name="notices"),
    path("campaign/<int:pk>/compliance/<int:org>.xlsx", exports.compliance, name="compliance"),
    path("list/<int:pk>/", organizer.list_detail, name="list"),
    path("list/<int:pk>/add/", organizer.list_add, name="list_add"),
    path("list/<int:pk>/merge/", organizer.list_merge, name="list_merge"),
    path("list/<int:pk>/notice.docx", organizer.notice, name="notice"),
    path("issue/<int:pk>/", issues.issue_detail, name="issue"),
    path("issue/<int:pk>/edit/", organizer.issue_edit, name="issue_edit"),
    path("issue/<int:pk>/drop/", organizer.issue_drop, name="issue_drop"),
    path("issue/<int:pk>/plan/", issues.plan, name="plan"),
    path("issue/<int:pk>/progress/", issues.progress, name="progress"),
    path("issue/<int:pk>/request/", issues.request_closure, name="request"),
    path("issue/<int:pk>/reject/", issues.reject, name="reject"),
    path("issue/<int:pk>/satisfaction/", issues.satisfaction, name="satisfaction"),
    path("issue/<int:pk>/close/", issues.close, name="close"),
    path("issue/<int:pk>/recheck/", issues.recheck, name="recheck"),
    path("issue/<int:pk>/recheck/pass/", issues.recheck_pass, name="recheck_pass"),
    path("issue/<int:pk>/recheck/fail/", issues.recheck_fail, name="recheck_fail"),
    path("file/<int:pk>/", issues.evidence_file, name="file"),
    path("file/<int:pk>/thumb/", issues.evidence_file, {"thumb": True}, name="file_thumb"),
    path("ledger/<int:org>.xlsx", exports.ledger, name="ledger"),
    path("weak/<int:org>.xlsx", exports.weak, name="weak"),
]
