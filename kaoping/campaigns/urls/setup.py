from django.urls import path

from kaoping.campaigns.views import setup

urlpatterns = [
    path("", setup.campaign_list, name="list"),
    path("new/", setup.campaign_create, name="create"),
    path("<int:pk>/", setup.campaign_detail, name="detail"),
    path("<int:pk>/edit/", setup.campaign_edit, name="edit"),
    path("<int:pk>/transition/", setup.campaign_transition, name="transition"),
    path("<int:pk>/stages/new/", setup.stage_create, name="stage_create"),
    path("stages/<int:pk>/edit/", setup.stage_edit, name="stage_edit"),
    path("stages/<int:pk>/delete/", setup.stage_delete, name="stage_delete"),
    path("stages/<int:pk>/assign/", setup.assign, name="assign"),
    path("panels/<int:pk>/edit/", setup.panel_edit, name="panel_edit"),
    path("panels/<int:pk>/delete/", setup.panel_delete, name="panel_delete"),
    path("assignments/<int:pk>/delete/", setup.assignment_delete, name="assignment_delete"),
]
