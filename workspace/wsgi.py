import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workspace.settings")
application = get_wsgi_application()

# Load every view module now rather than on the first request, then take what was loaded (Django,
# the apps, settings, URL patterns: some 120,000 objects that live as long as the process) out of
# the garbage collector's view. A full collection walked them all: a 60 ms pause in about one
# request in twenty on a page with 500 annotations.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
