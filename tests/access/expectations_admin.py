"""Wagtail's admin (/admin/, hundreds of URLs) and Django's admin (/django-admin/), by prefix.

Wagtail admin: visitors are sent to log in; officers without an admin role are refused
(403, or sent to the login page, which answers 403 to a signed-in officer); trainers,
legal affairs reviewers and administrators open every page without arguments with no
server error, and the pages named in `overrides` with the status written there.
Django admin: for administrators (staff) only; everyone else goes to the login page.
"""

from tests.access.matrix import (
    ANY,
    DENIED,
    LOGIN,
    NO_ADMIN,
    REDIRECT,
    SIGNED_IN,
    SKIP,
    Rule,
)

ADMIN_ONLY = {"trainer": DENIED, "legal_reviewer": DENIED, "administrator": 200}
# Static helpers every signed-in page may load: the icon sprite and the script catalogue.
HARMLESS = dict.fromkeys(SIGNED_IN, 200)
# Password reset by e-mail is switched off (WAGTAIL_PASSWORD_RESET_ENABLED = False).
NO_RESET = dict.fromkeys(SIGNED_IN, 404)

RULES = [
    Rule(
        prefix="admin/",
        status={"anonymous": LOGIN, **dict.fromkeys(NO_ADMIN, DENIED), "trainer": ANY, "legal_reviewer": ANY,
                "administrator": ANY},
        overrides={
            "wagtailadmin_home": {"trainer": 200, "legal_reviewer": 200, "administrator": 200},
            "wagtailadmin_sprite": HARMLESS,
            "wagtailadmin_javascript_catalog": HARMLESS,
            "wagtailadmin_password_reset": NO_RESET,
            "wagtailadmin_password_reset_done": NO_RESET,
            "wagtailadmin_password_reset_confirm": NO_RESET,
            "wagtailadmin_password_reset_complete": NO_RESET,
            # Wagtail's deliberate server error, to test the error page: not asked of admin users.
            "wagtailadmin_error_test": {"trainer": SKIP, "legal_reviewer": SKIP, "administrator": SKIP},
            # People, groups and the officer import are for administrators.
            "wagtailusers_users:index": ADMIN_ONLY,
            "wagtailusers_groups:index": ADMIN_ONLY,
            "officers_import": ADMIN_ONLY,
            "officers_import_template": ADMIN_ONLY,
            # What cites superseded law: for those who keep or review lessons.
            "lessons_law_review": {"trainer": 200, "legal_reviewer": 200, "administrator": 200},
        },
    ),
    Rule(
        prefix="django-admin/",
        status={"anonymous": LOGIN, **dict.fromkeys(NO_ADMIN, DENIED), "trainer": DENIED, "legal_reviewer": DENIED,
                "administrator": ANY},
        with_arguments_only_for=("anonymous", *NO_ADMIN, "trainer", "legal_reviewer"),
        # Logging out of Django's admin leads back to it (and so to the login page).
        # (for its staff, a GET is refused: logging out is a POST).
        overrides={"admin:logout": {**dict.fromkeys(SIGNED_IN, REDIRECT), "administrator": 405}},
    ),
]
