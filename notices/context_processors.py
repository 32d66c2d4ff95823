from django.utils.functional import SimpleLazyObject

from . import todo
from .selectors import unread_count


def counts(request):
    """The header's to-do and unread-notice counts, computed only when a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "todo_count": SimpleLazyObject(lambda: todo.count_for(user)),
        "unread_notice_count": SimpleLazyObject(lambda: unread_count(user)),
    }
