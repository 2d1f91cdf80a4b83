"""Campaign URLs, one module per area, under one namespace."""

from kaoping.campaigns.urls import observation, results, scoring, selection, setup

app_name = "campaigns"
urlpatterns = [
    *setup.urlpatterns,
    *scoring.urlpatterns,
    *results.urlpatterns,
    *observation.urlpatterns,
    *selection.urlpatterns,
]
