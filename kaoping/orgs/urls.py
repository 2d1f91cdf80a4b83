from django.urls import path

from kaoping.orgs.views import browse, edit, roster

app_name = "orgs"
urlpatterns = [
    path("", browse.tree, name="tree"),
    path("<int:pk>/", browse.detail, name="detail"),
    path("<int:pk>/children/", browse.children, name="children"),
    path("<int:pk>/new/", edit.create_child, name="create_child"),
    path("<int:pk>/edit/", edit.edit, name="edit"),
    path("<int:pk>/move/", edit.move, name="move"),
    path("<int:pk>/deactivate/", edit.deactivate, name="deactivate"),
    path("import/", roster.roster_import, name="roster_import"),
    path("<int:pk>/import/", roster.roster_import_into, name="roster_import_into"),
    path("<int:pk>/export.xlsx", roster.roster_export, name="roster_export"),
    path("template.xlsx", roster.roster_template, name="roster_template"),
]
