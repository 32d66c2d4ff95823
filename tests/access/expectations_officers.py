"""Home, log-in and password pages, the language switch, health check, Wagtail's core routes."""

from tests.access.matrix import ANY, LOGIN, REDIRECT, Expect

EXPECTATIONS = [
    Expect("home", {"*": 200}),
    # The login page: visitors see it; a signed-in officer is sent on to the start page.
    Expect("login", {"anonymous": 200, "*": REDIRECT}),
    # Logging out is a POST (a link could log anyone out); GET is refused.
    Expect("logout", {"*": 405}),
    Expect("logout", {"anonymous": REDIRECT, "*": REDIRECT}, method="post"),
    Expect("password_change", {"*": 200}),
    # Wrong old password: the form comes back with its error (and counts toward the lockout).
    Expect("password_change", {"*": 200}, method="post",
           data={"old_password": "wrong", "new_password1": "Xk29-long-pass", "new_password2": "Xk29-long-pass"}),
    # The audit trail: legal affairs reviewers and administrators only.
    Expect("audit_trail", {"*": 403, "legal_reviewer": 200, "administrator": 200}),
    Expect("set_language", {"anonymous": REDIRECT, "*": REDIRECT}, method="post", data={"language": "en"}),
    Expect("healthz", {"anonymous": 200, "*": 200}),
    # The admin's own login pages lead to the platform's one.
    Expect("admin/login/", {"anonymous": LOGIN, "*": LOGIN}, path="/admin/login/"),
    Expect("django-admin/login/", {"anonymous": LOGIN, "*": LOGIN}, path="/django-admin/login/"),
    Expect("wagtailcore_login", {"anonymous": LOGIN, "*": LOGIN}),
    Expect("_util/login/", {"anonymous": LOGIN, "*": LOGIN}, path="/_util/login/"),
    # A page's password form: no page in the platform has a password, so the restriction id is unknown.
    Expect("wagtailcore_authenticate_with_password", {"*": 404},
           kwargs={"page_view_restriction_id": 987654, "page_id": "hall_page"}),
    # Every other path is a Wagtail page: the lecture hall, for signed-in officers only.
    Expect("wagtail_serve", {"*": 200}, path="/lecture-hall/"),
    Expect("wagtail_serve", {"*": 404}, path="/no-such-page/"),
    Expect("wagtail_serve", {"anonymous": ANY, "*": ANY}, path="/"),
]
