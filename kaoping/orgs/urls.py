from django.urls import path

from kaoping.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("import/", views.roster_import, name="roster_import"),
]
