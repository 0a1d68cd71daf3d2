"""Background work of the masterplan module (django-tasks): thin calls into the domain."""

from django_tasks import task

from kotacerdas.masterplan.reporting import remind_overdue


@task()
def remind_overdue_reports() -> int:
    """Email the OPDs whose progress reports are overdue; returns the number of emails sent."""
    return remind_overdue()
