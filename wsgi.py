"""The WSGI entry point: `gunicorn wsgi:app`."""

import gc

from webapp import create_app

app = create_app()
# What start-up made (modules, mappers, templates, catalogues) lives as long as the
# worker: leave it out of the garbage collector's full passes, which would otherwise
# walk all of it again and pause a request for tens of milliseconds each time.
gc.freeze()
