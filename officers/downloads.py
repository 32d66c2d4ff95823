"""File names of downloads as users save and forward them: Chinese, kept by every browser."""

import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# Characters Windows, macOS or a browser refuse or replace in a saved file's name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
NAME_MAX = 120


def download_filename(stem: str, extension: str) -> str:
    """`stem.extension` with characters no file system accepts replaced ("刑事/强制" → "刑事_强制")."""
    clean = _UNSAFE.sub("_", stem).strip(" .") or "download"
    return f"{clean[:NAME_MAX]}.{extension}"


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """Mark the response as a download named `filename` (RFC 6266 with RFC 5987 `filename*`
    for non-ASCII names, which every current browser honours)."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
