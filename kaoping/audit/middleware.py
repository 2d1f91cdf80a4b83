"""Every file handed out is recorded: any attachment response or FileResponse becomes a DOWNLOAD
event with the path and the file's name, so exports need no audit call of their own."""

from __future__ import annotations

import re
from urllib.parse import unquote

from django.http import FileResponse

from kaoping.audit import actions
from kaoping.audit.log import record

_FILENAME_STAR = re.compile(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", re.IGNORECASE)
_FILENAME = re.compile(r'filename\s*=\s*"?([^";]+)"?', re.IGNORECASE)


def attachment_name(disposition: str) -> str:
    star = _FILENAME_STAR.search(disposition)
    if star:
        return unquote(star.group(2).strip(), encoding=star.group(1) or "utf-8", errors="replace")
    plain = _FILENAME.search(disposition)
    return plain.group(1).strip() if plain else ""


def is_download(response) -> bool:
    disposition = response.get("Content-Disposition", "")
    return isinstance(response, FileResponse) or disposition.lower().startswith("attachment")


class AuditDownloadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            200 <= response.status_code < 300
            and is_download(response)
            and not getattr(response, "audit_recorded", False)
        ):
            match = getattr(request, "resolver_match", None)
            name = attachment_name(response.get("Content-Disposition", ""))
            record(
                actions.DOWNLOAD,
                request=request,
                target=name or request.path,
                detail={
                    "path": request.get_full_path()[:500],
                    "name": name,
                    "view": match.view_name if match else "",
                    "content_type": response.get("Content-Type", ""),
                },
            )
        return response
