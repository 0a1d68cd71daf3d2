"""The platform's modules, as the staff area presents them.

A module that is not built yet has a page saying what it will do; no page shows a number the
platform does not hold. When a domain app lands it sets ``url_name`` to its own start page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    slug: str
    name: Promise
    summary: Promise
    will_do: tuple[Promise, ...]
    url_name: str | None = None  # set when the module is available


MODULES = (
    Module(
        "masterplan",
        _("Masterplan and programmes"),
        _(
            "The smart city masterplan 2020-2029, its programmes, quick wins, action plans and "
            "the OPDs' quarterly progress reports."
        ),
        (
            _("Masterplan versions with their legal basis and revision history"),
            _("Programmes per pillar with KPIs, targets, actuals and budget (APBD and non-APBD)"),
            _("Quarterly OPD reports reviewed by Diskominfo"),
            _("Excel templates for import and export"),
        ),
        url_name="masterplan:overview",
    ),
    Module(
        "evaluasi",
        _("Smart city evaluation"),
        _(
            "The national evaluation: self-assessment with evidence, assessor scoring, impact "
            "survey, index, trend and the gap to the target."
        ),
        (
            _("The ministry's instrument and weighting schemes as data"),
            _("Answers proposed from the platform's own records, with their source"),
            _("Gap to target: which items raise the index most"),
            _("Evaluation report as PDF and Excel"),
        ),
        url_name="evaluation:list",
    ),
    Module(
        "pecut",
        _("PECUT service desk"),
        _(
            "One front door for citizens' requests and complaints across all OPDs, with service "
            "levels, Open311 and the satisfaction index (IKM)."
        ),
        (
            _("Public form and tracking number, no account needed"),
            _("OPD queues with deadlines on a working-day calendar"),
            _("Monitoring room and IKM per service"),
        ),
        url_name="servicedesk:queue",
    ),
    Module(
        "bansos",
        _("Social aid (bansos)"),
        _(
            "The social-aid registry linked to the civil registry by NIK, data-quality cleaning, "
            "Cek Bansos for citizens and Kartu Sahabat disbursement."
        ),
        (
            _("Encrypted, masked personal data with an access log"),
            _("Record linkage of DTKS to the civil registry"),
            _("Bank payment files and reconciliation"),
        ),
        url_name="bansos:home",
    ),
    Module(
        "satudata",
        _("Satu Data"),
        _(
            "The city's data catalogue and indicator store, with validated uploads, a "
            "CKAN-compatible API and the open data portal."
        ),
        (
            _("Datasets with metadata and Table Schemas"),
            _("Indicators per kecamatan and kelurahan"),
            _("CKAN API for national harvesting"),
        ),
        url_name="opendata:catalogue",
    ),
    Module(
        "eksekutif",
        _("Executive dashboard"),
        _(
            "The one screen the leadership decides from: every figure with its source, and from a "
            "red figure to an action item."
        ),
        (
            _("Index, programmes, services, social aid and indicators on one page"),
            _("Stat meetings with action items and follow-up"),
        ),
        url_name="dashboard:home",
    ),
)

MODULES_BY_SLUG = {module.slug: module for module in MODULES}
