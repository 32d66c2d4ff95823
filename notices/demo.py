"""Demo data of notices: none of its own. The other apps' demos publish results, answer
objections and review lessons through their services, which send the notices."""


def seed(*, stdout=None) -> None:
    return None
