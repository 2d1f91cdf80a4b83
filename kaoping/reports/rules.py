"""Report permissions (django-rules): each area registers its perms in its own module."""

from kaoping.reports import permissions_dashboards, permissions_documents  # noqa: F401
