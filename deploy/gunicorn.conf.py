"""gunicorn settings for one app server: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Sync workers, as many as the server has cores plus one: the platform's
requests are short database round-trips, so threads would only contend for
the GIL. Workers are recycled now and then so a slow leak never builds up.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 60  # a bulletin or export is rendered by the task worker, never here
graceful_timeout = 30
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
# Load the application once, before forking: workers share its memory.
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """Each worker hands blocks of 1 MiB and more back to the system when it frees them.

    glibc otherwise raises its threshold after the first large free and keeps later
    large blocks in the heap: each login's Argon2 working memory (7 MiB) then stayed
    in every worker for good (+5 MB RSS a worker, measured by bench/loadtest/).
    """
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").mallopt(-3, 1024 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass  # not glibc: its own allocator decides
