"""The scheduler: the daily reminders, the nightly retention and the periodic tasks.

`flask scheduler run` is one long-running process (beside the web server and the
outbox worker). `due.py` decides, from the clock alone, what is due; `runner.py`
claims each due job in the `scheduled_runs` table, runs it and records how it
went, so that a restart neither runs a daily job twice nor skips one, and two
schedulers on two hosts never run one job at once.
"""
