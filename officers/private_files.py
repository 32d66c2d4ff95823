"""Confidential files: stored outside MEDIA_ROOT and served only by views that check who asks.

Nothing here has a public URL. In production nginx serves the bytes from an
`internal` location after the view has said yes (X-Accel-Redirect), so a large
file costs the app server nothing; in development and tests the view streams
the file itself. Either way the response is never cached.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.functional import LazyObject
from django.utils.http import content_disposition_header


class _PrivateStorage(LazyObject):
    def _setup(self):
        # base_url=None: asking such a file for its URL is a programming error.
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = _PrivateStorage()


def private_storage_callable():
    """For `FileField(storage=private_storage_callable)`: migrations record the callable, not a path."""
    return private_storage


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def private_file_response(
    request, *, name: str, filename: str, content_type: str | None = None, attachment: bool = False
) -> HttpResponse:
    """The response that hands over one private file; call it only after the permission check."""
    if not name or not private_storage.exists(name):
        raise Http404
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = getattr(settings, "PRIVATE_FILES_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        response["Content-Disposition"] = content_disposition_header(attachment, filename)
    else:
        response = FileResponse(
            private_storage.open(name, "rb"),
            content_type=content_type,
            as_attachment=attachment,
            filename=filename,
        )
    return no_store(response)
