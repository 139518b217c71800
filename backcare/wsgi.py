from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from backcare.warmup import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
application = get_wsgi_application()
settle()
