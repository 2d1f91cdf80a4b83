"""Dashboard and multi-year URLs (views in `kaoping.reports.views_dashboards`)."""

from django.urls import path

from kaoping.reports import views_dashboards as views

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path(
        "campaigns/<int:pk>/dashboard/<slug:key>.xlsx",
        views.dashboard_table,
        name="dashboard_table",
    ),
    path("organizations/<int:pk>/trend/", views.organization_trend, name="org_trend"),
    path("three-year/", views.three_year_view, name="three_year"),
]
