"""The platform's PDF documents: the page class, colours and text helpers that the evaluation
report (``kotacerdas.evaluation.report``) and the dashboard's briefing book share, so that the
platform's documents look alike and are laid out by one piece of code.

The PDFs are made with fpdf2, which is pure Python: it installs with pip alone, with no system
library (Cairo, Pango, a browser) that a fresh server lacks. They use the PDF core font
Helvetica, which every PDF reader has, so no font file is shipped or downloaded. The core fonts
hold only Latin-1 characters. Bahasa Indonesia needs nothing more, but what people type may
(smart quotes, dashes, emoji, other scripts), so every text goes through ``latin1`` first,
which replaces such characters as documented there; ``ReportPdf``'s helpers do that for the
text they are given.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace, XPos, YPos

__all__ = [
    "BLUE",
    "GREEN",
    "GRID",
    "HEADING_FILL",
    "INK",
    "LATIN1_REPLACEMENTS",
    "MUTED",
    "ORANGE",
    "PDF_CONTENT_TYPE",
    "RED",
    "RULE",
    "WARNING_FILL",
    "WHITE",
    "Colour",
    "ReportPdf",
    "latin1",
    "local_time_text",
]

PDF_CONTENT_TYPE = "application/pdf"

Colour = tuple[int, int, int]

# The platform's colours (RGB).
INK: Colour = (33, 37, 41)  # text
MUTED: Colour = (108, 117, 125)  # notes, footers, axis labels
GRID: Colour = (222, 226, 230)  # chart grid lines, empty bars
RULE: Colour = (173, 181, 189)  # table rules
WHITE: Colour = (255, 255, 255)
HEADING_FILL: Colour = (231, 237, 245)  # a table's header row
WARNING_FILL: Colour = (253, 236, 200)  # rows to look at: no evidence, stale, overdue
BLUE: Colour = (31, 78, 140)
ORANGE: Colour = (214, 110, 0)
RED: Colour = (190, 30, 45)
GREEN: Colour = (25, 135, 84)


# --- Text ---------------------------------------------------------------------------------------

# Typographic characters people paste from word processors, and their Latin-1 stand-ins.
LATIN1_REPLACEMENTS = {
    "\u2018": "'",  # ' left single quotation mark
    "\u2019": "'",  # ' right single quotation mark, apostrophe
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",  # prime
    "\u201c": '"',  # " left double quotation mark
    "\u201d": '"',  # " right double quotation mark
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',  # double prime
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
    "\u2022": "-",  # bullet
    "\u2026": "...",  # ellipsis
    "\u20ac": "EUR",
    "\u2122": "(TM)",
    "\u2009": " ",  # thin space
    "\u202f": " ",  # narrow no-break space
    "\u200b": "",  # zero-width space
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",  # byte-order mark
    "\t": " ",
}


def latin1(text: str) -> str:
    """``text`` in the characters the PDF core fonts hold (Latin-1), so that nothing a person
    typed can stop a document from being made.

    Curly quotes become straight quotes, dashes, minus signs and bullets a hyphen, the
    ellipsis three dots, and invisible characters (zero-width spaces, byte-order marks)
    disappear (``LATIN1_REPLACEMENTS``). A letter with a mark Latin-1 lacks loses the mark
    ("ş" -> "s"), a ligature is spelt out ("ﬁ" -> "fi"), and anything else (emoji, other
    scripts) becomes "?". Line breaks are kept, other control characters dropped.
    """
    out = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char in LATIN1_REPLACEMENTS:
            out.append(LATIN1_REPLACEMENTS[char])
        elif char == "\n" or (ord(char) < 256 and unicodedata.category(char) != "Cc"):
            out.append(char)
        elif unicodedata.category(char) == "Cc":
            continue
        else:
            plain = "".join(
                part
                for part in unicodedata.normalize("NFKD", char)
                if not unicodedata.combining(part)
            )
            out.append(plain if plain and all(ord(part) < 256 for part in plain) else "?")
    return "".join(out)


def local_time_text(moment: dt.datetime) -> str:
    """A moment as the platform's documents show it, in the server's time zone with the zone's
    abbreviation: "24 Nov 2026 17:18 WIB" (WITA or WIT for a region whose server runs in those
    zones)."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


# --- The page -----------------------------------------------------------------------------------


class ReportPdf(FPDF):
    """A4 portrait with the platform's footer on every page: ``footer_text`` on the left (what
    the document is, when it was made), "Page x of y" on the right. Its helpers take text as
    typed and pass it through ``latin1``."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)

    def describe(self, title: str, created: dt.datetime) -> None:
        """The document's properties: its title, Kota Cerdas as author and creator, and when
        it was made."""
        self.set_title(latin1(title))
        self.set_author("Kota Cerdas")
        self.set_creator("Kota Cerdas")
        self.set_creation_date(created)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, latin1(self.footer_text), align="L")
        # {nb} is fpdf2's alias for the page count, filled in when the document is closed.
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.set_x(self.l_margin)
        self.cell(0, 5, latin1(page), align="R")
        self.set_text_color(*INK)

    def title_block(self, kicker: str, title: str, subtitle: str) -> None:
        """The top of the first page: a small grey line saying what kind of document this is,
        the title and a subtitle."""
        self.set_font("Helvetica", size=10)
        self.set_text_color(*MUTED)
        self.cell(0, 5, latin1(kicker), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.paragraph(title, size=18, style="B")
        self.paragraph(subtitle, size=14, style="B")
        self.ln(3)

    def heading(self, text: str, size: int = 13) -> None:
        """A section's heading, on a new page when too little room is left under it."""
        if self.will_page_break(size + 20):
            self.add_page()
        self.ln(3)
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)
        self.set_font("Helvetica", size=9.5)

    def paragraph(self, text: str, size: float = 9.5, style: str = "") -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, size * 0.5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def note(self, text: str) -> None:
        """A small grey paragraph: how to read what stands around it."""
        self.set_text_color(*MUTED)
        self.paragraph(text, size=8.5)
        self.set_text_color(*INK)

    def fact(
        self,
        label: str,
        value: str,
        *,
        label_width: float = 32,
        size: float = 10,
        height: float = 5.5,
    ) -> None:
        """A line "label  value": the label bold in a column ``label_width`` wide, the value
        wrapping beside it."""
        self.set_font("Helvetica", "B", size)
        self.cell(label_width, height, latin1(label))
        self.set_font("Helvetica", size=size)
        self.multi_cell(0, height, latin1(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[float],
        align: Sequence[str],
        shaded: Sequence[int] = (),
        colours: Mapping[tuple[int, int], Colour] | None = None,
    ) -> None:
        """A table whose cells wrap; the header repeats on every page it spans. Rows whose
        index is in ``shaded`` get a warm fill (items without evidence, stale figures, overdue
        actions); ``colours`` gives the text colour of single cells by (row, column), which
        are then bold (a status)."""
        colours = colours or {}
        self.set_font("Helvetica", size=8.5)
        # A table draws with the current colours: set them, whatever was drawn before.
        self.set_draw_color(*RULE)
        self.set_fill_color(*WHITE)
        self.set_text_color(*INK)
        with self.table(
            col_widths=tuple(widths),
            text_align=tuple(align),
            line_height=4.2,
            padding=(0.8, 1.2),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
            repeat_headings=1,
        ) as table:
            head = table.row()
            for text in header:
                head.cell(latin1(text))
            for number, values in enumerate(rows):
                fill = WARNING_FILL if number in shaded else WHITE
                row = table.row()
                for column, text in enumerate(values):
                    colour = colours.get((number, column))
                    if colour is None:
                        style = FontFace(fill_color=fill)
                    else:
                        style = FontFace(fill_color=fill, color=colour, emphasis="BOLD")
                    row.cell(latin1(text), style=style)
        self.ln(2)
