"""The evaluation report, as a PDF for the ministry and the region's leaders and as an Excel
workbook for those who work on the figures: the index against the target, the scores by
dimension and by pillar, the trend of the published indices, every item with its scores and
evidence, and the assessor's strengths, weaknesses and recommendations.

``report_data`` (``data.py``) gathers everything once, from the evaluation's results and the
instrument; ``render_pdf`` (``pdf.py``) and ``render_xlsx`` (``xlsx.py``) only lay it out, so
both documents always say the same.

The PDF is made with fpdf2, which is pure Python: it installs with pip alone, with no system
library (Cairo, Pango, a browser) that a fresh server lacks. It uses the PDF core font
Helvetica, which every PDF reader has, so no font file is shipped or downloaded. The core fonts
hold only Latin-1 characters. Bahasa Indonesia needs nothing more, but what people type may
(smart quotes, dashes, emoji, other scripts), so every text goes through ``latin1`` first,
which replaces such characters as documented there. The page class, ``latin1`` and the colours
are the platform's (``kotacerdas.core.pdf``), shared with the dashboard's briefing book. The
workbook keeps the text as typed.

The labels follow the active language (Bahasa Indonesia by default, the language the ministry
reads); the sheet names are fixed.
"""

from kotacerdas.core.pdf import PDF_CONTENT_TYPE
from kotacerdas.evaluation.report.data import XLSX_CONTENT_TYPE, ReportData, report_data
from kotacerdas.evaluation.report.pdf import render_pdf
from kotacerdas.evaluation.report.xlsx import render_xlsx

__all__ = [
    "PDF_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "ReportData",
    "render_pdf",
    "render_xlsx",
    "report_data",
]
