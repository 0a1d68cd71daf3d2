"""The social-aid panel: recipients per programme, the latest linkage's data-quality flags and
the last disbursement's reconciliation (``bansos.feeds``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.bansos import feeds as bansos_feeds
from kotacerdas.bansos import rules as bansos_rules
from kotacerdas.dashboard.choices import FigureStatus
from kotacerdas.dashboard.figures import Figure
from kotacerdas.dashboard.metrics import metric
from kotacerdas.dashboard.panels.base import (
    Panel,
    Reader,
    link,
)


def social_panel(reader: Reader) -> Panel | None:
    """Recipients per programme, the latest linkage's data-quality flags and the last
    disbursement's reconciliation. Dinas Sosial's panel: other OPDs do not see it; an area
    office sees its area's recipients and flags."""
    scope = reader.scope
    if not scope.sees_social_aid:
        return None
    panel = Panel("social", _("Social aid"))
    owner = metric("bansos.recipients").owner
    records = reader.user is not None and bansos_rules.can_work_registry(reader.user)
    recipients = bansos_feeds.recipients_per_programme(area=scope.area)
    for line in recipients:
        panel.figures.append(
            Figure(
                f"bansos.recipients.{line.programme.code}",
                metric("bansos.recipients"),
                line.programme.name,
                line.people,
                reader.today.isoformat(),
                _("Enrolments in the registry"),
                updated_at=reader.now,
                owner=owner,
                drill_url=link("bansos:home") if records else "",
            )
        )
    quality = bansos_feeds.latest_data_quality(area=scope.area)
    if quality is not None:
        run = quality.run
        for code, label, count in quality.flags:
            panel.figures.append(
                Figure(
                    f"bansos.flag.{code}",
                    metric("bansos.flag"),
                    str(label),
                    count,
                    timezone.localtime(run.finished_at).date().isoformat(),
                    _("DTKS linkage run of %(date)s")
                    % {"date": timezone.localtime(run.finished_at).date().isoformat()},
                    updated_at=run.finished_at,
                    owner=owner,
                    status=FigureStatus.GREEN if not count else FigureStatus.RED,
                    drill_url=link("bansos:dtks", flag=code) if records else "",
                )
            )
    reconciliation = bansos_feeds.last_reconciliation() if scope.sees_city_registry else None
    if reconciliation is not None:
        batch = reconciliation.batch
        answered = getattr(batch, "reconciled_at", None) or getattr(batch, "exported_at", None)
        differences = reconciliation.differences
        for key, label, value in (
            ("paid", _("Paid"), reconciliation.paid_count),
            ("failed", _("Failed"), reconciliation.failed_count),
            ("returned", _("Returned"), reconciliation.returned_count),
            ("differences", _("Differences"), differences),
        ):
            panel.figures.append(
                Figure(
                    f"bansos.reconciliation.{key}",
                    metric("bansos.reconciliation"),
                    label,
                    value,
                    str(batch),
                    _("Kartu Sahabat batch %(batch)s") % {"batch": batch},
                    updated_at=answered,
                    owner=owner,
                    status=(
                        FigureStatus.RED
                        if key in ("failed", "returned", "differences") and value
                        else FigureStatus.NEUTRAL
                    ),
                    drill_url=(
                        link("bansos:batch-report", batch.pk) if records and key != "paid" else ""
                    ),
                )
            )
    if not recipients and quality is None:
        panel.note = _("The social-aid registry holds no data yet.")
    return panel
