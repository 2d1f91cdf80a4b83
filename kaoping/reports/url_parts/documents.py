from django.urls import path

from kaoping.reports import views_documents as views
from kaoping.reports import views_exports

urlpatterns = [
    path("campaign/<int:pk>/documents/", views.documents, name="documents"),
    path("campaign/<int:pk>/bulletin/", views.bulletin, name="bulletin"),
    path("campaign/<int:pk>/ranking.xlsx", views.export_ranking, name="export_ranking"),
    path("campaign/<int:pk>/matrix.xlsx", views.export_matrix, name="export_matrix"),
    path("campaign/<int:pk>/sheets.xlsx", views.export_sheets, name="export_sheets"),
    path("campaign/<int:pk>/summary.docx", views.summary, name="summary"),
    path("campaign/<int:pk>/exports/<slug:kind>/", views_exports.export_start, name="export_start"),
    path("exports/<int:pk>/", views_exports.export_job, name="export_job"),
    path("exports/<int:pk>/progress/", views_exports.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", views_exports.export_download, name="export_download"),
    path("paper/assignment/<int:assignment>/blank.xlsx", views.paper_blank, name="paper_blank"),
    path(
        "paper/stage/<int:stage>/rater/<int:rater>/blank.xlsx",
        views.paper_blank,
        name="paper_blank",
    ),
    path("paper/assignment/<int:assignment>/upload/", views.paper_upload, name="paper_upload"),
    path("paper/stage/<int:stage>/upload/", views.paper_upload, name="paper_upload"),
]
