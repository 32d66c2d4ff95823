"""The default file storage: public uploads under MEDIA_ROOT, Wagtail documents outside it.

Wagtail keeps its documents (handouts, lesson video and audio) under the name
`documents/…` in the default storage. Under MEDIA_ROOT they would be one guessed
name away from anyone nginx lets in at /media/; here the same names resolve under
PRIVATE_MEDIA_ROOT instead, so documents reach a browser only through the
application's views (Wagtail's /documents/<id>/<name> with its login and privacy
checks, /lessons/media/<id>/), which hand the bytes over with officers.sendfile_backend
(X-Accel-Redirect in production). The names stored in the database do not change.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join

PRIVATE_PREFIXES = ("documents/",)


def is_private_name(name: str) -> bool:
    return str(name).replace("\\", "/").lstrip("/").startswith(PRIVATE_PREFIXES)


class MediaStorage(FileSystemStorage):
    """MEDIA_ROOT for images; PRIVATE_MEDIA_ROOT for everything named in PRIVATE_PREFIXES."""

    def path(self, name):
        if is_private_name(name):
            return safe_join(settings.PRIVATE_MEDIA_ROOT, name)
        return super().path(name)

    def _save(self, name, content):
        # Django stats MEDIA_ROOT after every save (to match its group id), even for a
        # document that lands under PRIVATE_MEDIA_ROOT: on a fresh install it may not exist yet.
        os.makedirs(self.location, exist_ok=True)
        saved = super()._save(name, content)
        if not is_private_name(name):
            return saved
        # Django names a saved file relative to MEDIA_ROOT; this one lives under PRIVATE_MEDIA_ROOT.
        full_path = os.path.normpath(os.path.join(self.location, saved))
        return os.path.relpath(full_path, settings.PRIVATE_MEDIA_ROOT).replace("\\", "/")

    def url(self, name):
        if is_private_name(name):
            # Wagtail asks for a direct URL and falls back to its serve view on this error.
            raise NotImplementedError("A document has no public URL; link to its serve view.")
        return super().url(name)


def move_documents_to_private() -> tuple[int, int]:
    """Move document files left under MEDIA_ROOT (before this storage) to PRIVATE_MEDIA_ROOT.

    Names in the database stay as they are. Safe to run again: a file already moved
    is skipped. Returns (moved, skipped).
    """
    import shutil
    from pathlib import Path

    moved = skipped = 0
    public_root, private_root = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    for prefix in PRIVATE_PREFIXES:
        source_dir = public_root / prefix
        if not source_dir.is_dir():
            continue
        for source in sorted(p for p in source_dir.rglob("*") if p.is_file()):
            target = private_root / source.relative_to(public_root)
            if target.exists():
                skipped += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(source), str(target))
            moved += 1
        for directory in sorted((p for p in source_dir.rglob("*") if p.is_dir()), reverse=True):
            if not any(directory.iterdir()):
                directory.rmdir()
        if not any(source_dir.iterdir()):
            source_dir.rmdir()
    return moved, skipped
