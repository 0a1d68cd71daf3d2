"""The briefing book of a stat meeting as a PDF download (``briefing.briefing_book``).

Whoever has a dashboard may download the book of any meeting, as they may open the meeting's
page; the book holds the figures and action items of their own scope. It is made on request
from the figures as they stand; nothing is stored.
"""

from __future__ import annotations

import io

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kotacerdas.dashboard import briefing
from kotacerdas.dashboard.models import StatMeeting
from kotacerdas.dashboard.views import dashboard_required


@dashboard_required
@require_safe
@never_cache
def briefing_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The meeting's briefing book for the reader, as an A4 PDF attachment."""
    meeting = get_object_or_404(StatMeeting, pk=pk)
    return FileResponse(
        io.BytesIO(briefing.briefing_book(meeting, request.user)),
        as_attachment=True,
        filename=briefing.file_name(meeting),
        content_type=briefing.PDF_CONTENT_TYPE,
    )
