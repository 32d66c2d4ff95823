import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# The lecture hall's Chinese word dictionary (jieba) loads here, once per process
# start (before gunicorn forks, with preload_app; at start under runserver), not
# in an officer's first search.
from lessons.search import warm_up  # noqa: E402

warm_up()
