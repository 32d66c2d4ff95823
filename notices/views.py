from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services, todo
from .forms import PreferenceForm
from .models import EmailMode, Notice
from .selectors import notices_of, preference_of, unread_count

PAGE_SIZE = 30


@require_GET
def todo_list(request):
    """我的待办: the home page after login."""
    now = timezone.now()
    items = todo.items_for(request.user, now=now)
    return render(request, "notices/todo.html", {
        "rows": [(item, item.is_overdue(now)) for item in items], "officer": request.user, "unread": unread_count(request.user),
    })


@require_GET
def counts(request):
    """The header's numbers (fetched by static/notices/counts.js), so pages do not compute them."""
    return JsonResponse({"todo": todo.count_for(request.user), "unread": unread_count(request.user)})


def notice_list(request):
    page = Paginator(notices_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {
        "page": page, "unread": unread_count(request.user), "email_enabled": services.email_enabled(),
    })


def notice_open(request, notice_id):
    """Opening a notice marks it read and goes where it points (only within this site)."""
    try:
        notice = services.notice_open(officer=request.user, notice_id=notice_id)
    except Notice.DoesNotExist as error:
        raise Http404 from error
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("notices:list")


@require_POST
def notices_read_all(request):
    count = services.notices_mark_read(officer=request.user)
    if count:
        messages.success(request, _("%(count)s notices marked as read.") % {"count": count})
    return redirect("notices:list")


def preferences(request):
    preference = preference_of(request.user)
    initial = {
        "email_kinds": preference.email_kinds if preference else [],
        "email_mode": preference.email_mode if preference else EmailMode.DIGEST,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preference_save(
            officer=request.user, email_kinds=form.cleaned_data["email_kinds"],
            email_mode=form.cleaned_data["email_mode"],
        )
        messages.success(request, _("Your notice settings are saved."))
        return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {
        "form": form, "email_enabled": services.email_enabled(), "has_email": bool(request.user.email),
    })
