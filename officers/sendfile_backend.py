"""How Wagtail's document view (SENDFILE_BACKEND) hands over a file it has allowed.

In production (PRIVATE_FILES_ACCEL_PREFIX set) the answer is an empty response
with `X-Accel-Redirect`: nginx sends the bytes from its `internal` location, so a
large video costs the app server nothing and nginx answers Range requests. In
development and tests the file is streamed by Wagtail's own streaming backend.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from wagtail.utils import sendfile_streaming_backend


def sendfile(request, filename, **kwargs):
    prefix = getattr(settings, "PRIVATE_FILES_ACCEL_PREFIX", "")
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = Path(filename).resolve()
    if prefix and path.is_relative_to(root):
        response = HttpResponse(content_type=kwargs.get("mimetype") or "application/octet-stream")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(path.relative_to(root).as_posix())
        return response
    return sendfile_streaming_backend.sendfile(request, filename, **kwargs)
