from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from notices import views as notice_views


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    # 我的待办: every officer lands on what they have to do.
    path("", notice_views.todo_list, name="home"),
    path("notices/", include("notices.urls")),
    path("accounts/", include("officers.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    # One login page for the whole platform (police number, lockout, Chinese), not
    # Wagtail's or Django admin's own.
    path("admin/login/", login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))),
    path("django-admin/login/", login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))),
    # Wagtail's own login for private pages (wagtailcore_login) would be a second,
    # unstyled way in without the lockout's page: it leads to the platform's login too.
    path("_util/login/", login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("lessons/", include("lessons.urls")),
    path("assessments/", include("assessments.urls")),
    path("case-review/", include("assessments.case_review.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("ranking/", include("ranking.urls")),
    path("publications/", include("publications.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # As nginx (deploy/nginx-yongjing.conf): only lesson pictures are public under /media/;
    # a file left under MEDIA_ROOT/documents/ is never served, even in development.
    urlpatterns += static(f"{settings.MEDIA_URL}images/", document_root=Path(settings.MEDIA_ROOT) / "images")

# Wagtail serves its pages (the lecture hall) from every other path.
urlpatterns += [path("", include(wagtail_urls))]
