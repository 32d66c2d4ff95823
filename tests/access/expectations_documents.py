"""Wagtail documents and uploaded media: documents only through the login and privacy check.

A document is never a file under MEDIA_ROOT (/media/documents/… is not served at all);
/documents/<id>/<name> checks the login (and the collection's privacy) and answers
with `Cache-Control: private, no-store`; lesson audio and video come through
/lessons/media/<id>/ with Range support. Images stay public under /media/images/.
"""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests.access.matrix import Expect, Extra


def build(world):
    Document = get_document_model()
    handout = Document(title="内部讲义")
    handout.file.save("handout.pdf", ContentFile(b"%PDF-1.4 restricted handout"), save=False)
    handout.save()
    video = Document(title="取保候审讲解")
    video.file.save("lesson.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"0" * 2048), save=False)
    video.save()
    world.ids.update(
        document=handout.pk, document_name=handout.filename, document_file=handout.file.name,
        video=video.pk,
    )
    world.objects["handout"] = handout


EXPECTATIONS = [
    Expect("wagtaildocs_serve", {"*": 200}, path="/documents/{document}/{document_name}"),
    Expect("wagtaildocs_serve", {"*": 404}, path="/documents/987654/x.pdf"),
    # No document has a password in the platform.
    Expect("wagtaildocs_authenticate_with_password", {"*": 404}, kwargs={"restriction_id": 987654}),
]
EXTRAS = [
    Extra("document file under /media/", "/media/{document_file}", {"anonymous": 404, "*": 404}),
    Extra("document file under /media/documents/", "/media/documents/{document_name}", {"anonymous": 404, "*": 404}),
]
