"""gunicorn settings for the load test: warm each worker before it takes requests.

Without this a worker's first requests import every view (seconds: numpy, openpyxl, …), parse
the stored rubric and compile the sheet templates, and those one-off costs land in the
measured percentiles. A production server pays them once per worker too, at its first
requests; the load test measures the steady state.
"""

from django.db import connection
from django.template.loader import get_template
from django.urls import get_resolver

TEMPLATES = (
    "registration/login.html",
    "campaigns/scoring/worklist.html",
    "campaigns/scoring/sheet.html",
    "campaigns/scoring/saved.html",
)


def post_worker_init(worker):
    from kaoping.campaigns.domain.rubrics import rubric_of
    from kaoping.campaigns.models import StoredRubric

    get_resolver().url_patterns  # noqa: B018 - imports the URL conf and every view
    for name in TEMPLATES:
        get_template(name)  # the cached loader keeps the compiled template
    for stored in StoredRubric.objects.all():
        rubric_of(stored)  # parsed once per process
    connection.close()  # the worker opens its own when the first request comes
