"""Waiting lists of full sessions: join, offers in turn of freed seats, confirm or decline.

Rooms as in a feature package: `models`, `states`, `forms`, `services` (the
applicant's verbs), `offers` (holding freed seats for the next in line, and
their expiry), `views`, `staff_views`, `cli`, `retention`, `figures`. It uses
the appointments blueprints; `webapp/appointments/__init__.py` registers it.
"""
