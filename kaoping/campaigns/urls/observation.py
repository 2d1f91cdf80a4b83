"""Observation (观摩): batches of a stage, a batch, its screen and ranking partial, a visit."""

from django.urls import path

from kaoping.campaigns.views import observation

urlpatterns = [
    path(
        "stages/<int:pk>/observation/",
        observation.observation_batches,
        name="observation_batches",
    ),
    path("batches/<int:pk>/", observation.batch, name="batch"),
    path("batches/<int:pk>/screen/", observation.batch_screen, name="batch_screen"),
    path("batches/<int:pk>/ranking/", observation.batch_ranking, name="batch_ranking"),
    path("visits/<int:pk>/", observation.visit, name="visit"),
]
