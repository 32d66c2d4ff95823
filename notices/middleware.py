from . import todo


class TodoCountRefreshMiddleware:
    """An officer's own write (a POST) may finish a to-do item: forget the header's cached count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Autosaves (JSON) finish nothing: they are left alone, being the busiest requests.
        if request.method == "POST" and request.content_type != "application/json":
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                todo.count_forget(user.pk)
        return response
