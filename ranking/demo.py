"""This app's part of `manage.py seed_demo`: idempotent, realistic, in Chinese."""


def seed(*, stdout=None) -> None:
    return None
