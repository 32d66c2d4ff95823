"""Demo data of the publications app: the kinds' own demos publish; nothing to add here yet."""


def seed(*, stdout=None) -> None:
    """Publications are made by the other apps' demos (tests, case reviews, rankings)."""
