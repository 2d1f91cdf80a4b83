"""Campaign URLs, one module per area (setup, scoring, results), under one namespace."""

from kaoping.campaigns.urls import results, scoring, setup

app_name = "campaigns"
urlpatterns = [*setup.urlpatterns, *scoring.urlpatterns, *results.urlpatterns]
