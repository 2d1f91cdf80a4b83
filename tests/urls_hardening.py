"""The project's URLs plus one that fails on purpose, for the error page and logging tests."""

from django.urls import path

from kaoping.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise ValueError("boom for 13812345678 with token=s3cr3t-token")


urlpatterns = [*project_urlpatterns, path("boom/", boom, name="boom")]
