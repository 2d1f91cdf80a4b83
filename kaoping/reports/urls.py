"""Report URLs: dashboards (views_dashboards) and documents (views_documents)."""

from kaoping.reports.url_parts import dashboards, documents

app_name = "reports"
urlpatterns = [*dashboards.urlpatterns, *documents.urlpatterns]
