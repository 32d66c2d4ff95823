"""Wagtail documents never sit on a public path: stored outside MEDIA_ROOT, served only
after the login and privacy checks, never cached (issue 8, leak 2)."""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.http import Http404
from django.test import RequestFactory
from django.urls import clear_url_caches
from django.views.static import serve as static_serve
from wagtail.documents import get_document_model

from officers.storage import MediaStorage, move_documents_to_private

pytestmark = pytest.mark.django_db


@pytest.fixture
def handout():
    document = get_document_model()(title="内部讲义")
    document.file.save("handout.pdf", ContentFile(b"%PDF-1.4 restricted"), save=False)
    document.save()
    return document


def test_a_document_is_stored_outside_media_root(handout):
    path = Path(handout.file.path).resolve()
    assert handout.file.name.startswith("documents/")
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(NotImplementedError):
        handout.file.url  # noqa: B018  (no public URL to leak)


def test_media_documents_is_not_served_even_by_the_dev_server(handout, client):
    assert client.get(f"/media/{handout.file.name}").status_code == 404
    # What the development URLconf mounts under /media/ (DEBUG): the file is not there.
    request = RequestFactory().get(f"/media/{handout.file.name}")
    with pytest.raises(Http404):
        static_serve(request, handout.file.name, document_root=settings.MEDIA_ROOT)


def test_the_dev_server_serves_only_pictures_under_media_like_nginx(settings, tmp_path, client, login, officer):
    """A file left under MEDIA_ROOT/documents/ (from before the private storage, or copied
    there by hand) is not served by the development server either: like nginx, only
    /media/images/ is public."""
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "left-behind.pdf").write_bytes(b"%PDF-1.4 restricted")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "photo.jpg").write_bytes(b"jpeg")
    settings.MEDIA_ROOT, settings.DEBUG = tmp_path, True
    import config.urls

    try:
        importlib.reload(config.urls)
        clear_url_caches()
        login(officer)
        assert client.get("/media/documents/left-behind.pdf").status_code == 404
        assert client.get("/media/images/photo.jpg").status_code == 200
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()


def test_an_anonymous_visitor_is_sent_to_log_in(handout, client):
    response = client.get(handout.url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_signed_in_officer_gets_the_file_never_cached(handout, client, login, officer):
    login(officer)
    response = client.get(handout.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 restricted"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_production_hands_the_file_to_nginx(handout, client, login, officer, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    login(officer)
    response = client.get(handout.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{handout.file.name}"
    assert "no-store" in response["Cache-Control"]


def test_files_left_under_media_root_are_moved_and_keep_their_names(tmp_path, settings):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    old = settings.MEDIA_ROOT / "documents" / "old.pdf"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"old")
    call_command("documents_make_private")
    assert not old.exists() and not (settings.MEDIA_ROOT / "documents").exists()
    assert MediaStorage().open("documents/old.pdf").read() == b"old"
    assert move_documents_to_private() == (0, 0)  # again: nothing left to move


def test_images_stay_public_under_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = MediaStorage(location=settings.MEDIA_ROOT, base_url="/media/")
    name = storage.save("images/photo.jpg", ContentFile(b"jpg"))
    assert storage.url(name) == "/media/images/photo.jpg"
    assert Path(storage.path(name)).is_relative_to(settings.MEDIA_ROOT)
