"""One world for the whole access matrix: built once for the package inside a transaction
that is rolled back at the end; every request runs in a savepoint rolled back after it,
so a POST that is allowed changes nothing the next request sees."""

from __future__ import annotations

import copy
import importlib
import pkgutil
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from tests.access.matrix import IDENTITIES
from tests.access.world import build_people


def expectation_modules():
    """Every tests/access/expectations_<app>.py, in name order."""
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("expectations_"))
    return [importlib.import_module(f"tests.access.{name}") for name in names]


class Asker:
    """Sends one request as one identity and undoes whatever it changed."""

    def __init__(self, world):
        self.world = world
        self.clients = {}
        for who in IDENTITIES:
            client = Client()
            if who != "anonymous":
                client.force_login(world.people[who], backend="django.contrib.auth.backends.ModelBackend")
            self.clients[who] = client

    def __call__(self, who, method, path, *, data=None, content_type=None):
        client = self.clients[who]
        cookies = copy.deepcopy(client.cookies)  # a logout must not sign out the next request
        try:
            with transaction.atomic():
                kwargs = {}
                if data is not None:
                    kwargs["data"] = data
                if content_type:
                    kwargs["content_type"] = content_type
                response = getattr(client, method)(path, **kwargs)
                # Read streamed bodies (files) inside the savepoint, then undo everything.
                if getattr(response, "streaming", False):
                    response._body = b"".join(response.streaming_content)
                else:
                    response._body = response.content
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies
        return response


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_people()
            for module in expectation_modules():
                if hasattr(module, "build"):
                    module.build(built)
            built.ask = Asker(built)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def ask(world, django_db_blocker):
    """`ask(who, method, path, data=…)`: one request as one identity, undone afterwards."""
    with django_db_blocker.unblock():
        yield world.ask
