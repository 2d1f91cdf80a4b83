from django.urls import path

from kaoping.duties.views import cycles, lists

app_name = "duties"
urlpatterns = [
    path("", cycles.index, name="index"),
    path("cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/overview.xlsx", cycles.cycle_xlsx, name="cycle_xlsx"),
    path("lists/<int:pk>/", lists.list_detail, name="list"),
    path("lists/<int:pk>/custom/", lists.custom_add, name="custom_add"),
    path("lists/<int:pk>/custom/<int:duty_pk>/delete/", lists.custom_delete, name="custom_delete"),
    path("lists/<int:pk>/sign/", lists.sign, name="sign"),
    path("lists/<int:pk>/file/", lists.file, name="file"),
    path("lists/<int:pk>/amend/", lists.amend, name="amend"),
    path("lists/<int:pk>/notes/", lists.note_add, name="note_add"),
    path("lists/<int:pk>/verify/", lists.verify, name="verify"),
    path("lists/<int:pk>/show/", lists.show, name="show"),
    path("lists/<int:pk>/list.docx", lists.docx, name="docx"),
    path("evidence/<int:pk>/", lists.evidence_file, name="evidence"),
]
