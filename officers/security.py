"""Who is asking, for the log-in lockout (django-axes)."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address as the nearest trusted proxy saw it.

    Behind TRUSTED_PROXY_COUNT proxies (nginx appends $remote_addr to
    X-Forwarded-For), the entry that many places from the right; entries further left
    were written by the client and could be forged. Without proxies, REMOTE_ADDR.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-count] if len(hops) >= count else hops[0]
    return request.META.get("REMOTE_ADDR")
