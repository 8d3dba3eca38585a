"""The scheduler's table holds no one's personal data."""

from webapp.scheduler.models import ScheduledRun

NOT_PERSONAL = {
    ScheduledRun.name: "the name of a job",
    ScheduledRun.outcome: "what a job's run did (counts) or the error it met, in fixed words",
}
