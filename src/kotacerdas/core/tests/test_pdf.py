"""The platform's PDF page (core.pdf): text in the core fonts' Latin-1, moments in the server's
zone, the footer with the page count on every page, and tables with shaded rows and coloured
cells."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import translation
from pypdf import PdfReader

from kotacerdas.core.pdf import RED, WARNING_FILL, ReportPdf, latin1, local_time_text


def pdf_pages(pdf: ReportPdf) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(bytes(pdf.output()))).pages]


def fill_operator(colour: tuple[int, int, int]) -> bytes:
    """The content-stream operator that sets ``colour`` as fpdf2 writes it."""
    return (
        " ".join(f"{part / 255:.4f}".rstrip("0").rstrip(".") for part in colour) + " rg"
    ).encode()


def test_latin1_replaces_what_the_core_fonts_lack():
    # curly quotes, en and em dash, ellipsis, bullet, minus, euro, zero-width space
    typed = "\u201ca\u201d \u2018b\u2019 \u2013 \u2014 \u2026 \u2022 \u22121 \u20ac5\u200b"
    assert latin1(typed) == "\"a\" 'b' - - ... - -1 EUR5"
    assert latin1("Café\tñ\r\nbaris\rdua\x00") == "Café ñ\nbaris\ndua"
    assert latin1("\ufb01nal \u015f") == "final s"  # a ligature spelt out, a mark dropped
    assert latin1("😀 中") == "? ?"


def test_local_time_text_is_in_the_servers_zone_with_its_abbreviation():
    moment = dt.datetime(2026, 11, 24, 10, 18, tzinfo=dt.UTC)
    assert local_time_text(moment) == "24 Nov 2026 17:18 WIB"


def test_every_page_has_the_footer_and_typed_text_is_made_latin1():
    with translation.override("en"):
        pdf = ReportPdf("Made by Kota Cerdas \u2014 today")
        pdf.describe("A \u201ctitle\u201d", dt.datetime(2026, 11, 24, 10, 18, tzinfo=dt.UTC))
        pdf.add_page()
        pdf.title_block("Kind", "Title \U0001f600", "Subtitle")
        pdf.fact("Region", "Kota Kediri \u2026")
        pdf.heading("Heading \u2013 one")
        pdf.paragraph("Paragraph")
        pdf.note("A note")
        pdf.add_page()
        pages = pdf_pages(pdf)
    assert len(pages) == 2
    assert "Made by Kota Cerdas - today" in pages[0] and "Page 1 of 2" in pages[0]
    assert "Page 2 of 2" in pages[1]
    for text in ("Kind", "Title ?", "Subtitle", "Kota Kediri ...", "Heading - one", "A note"):
        assert text in pages[0]
    assert pdf.title == 'A "title"' and pdf.author == "Kota Cerdas"


def test_a_grid_shades_rows_and_colours_single_cells_only_when_asked():
    def grid(**options) -> tuple[bytes, list[str]]:
        pdf = ReportPdf("footer")
        pdf.set_compression(False)
        pdf.add_page()
        pdf.grid(
            ["Figure", "Status"],
            [["Stale \u2014 figure", "Off target"], ["Fresh", "On target"]],
            widths=(90, 90),
            align=("LEFT", "LEFT"),
            **options,
        )
        content = bytes(pdf.output())
        fonts = []
        PdfReader(io.BytesIO(content)).pages[0].extract_text(
            visitor_text=lambda text, cm, tm, font, size: (
                fonts.append(f"{text.strip()}:{font['/BaseFont']}") if text.strip() else None
            )
        )
        return content, fonts

    plain, plain_fonts = grid()
    assert fill_operator(WARNING_FILL) not in plain and fill_operator(RED) not in plain
    assert "Stale - figure:/Helvetica" in plain_fonts
    assert "Off target:/Helvetica" in plain_fonts

    marked, marked_fonts = grid(shaded=[0], colours={(0, 1): RED})
    assert fill_operator(WARNING_FILL) in marked and fill_operator(RED) in marked
    assert "Off target:/Helvetica-Bold" in marked_fonts  # a coloured cell is bold
    assert "On target:/Helvetica" in marked_fonts
    assert "Figure:/Helvetica-Bold" in marked_fonts  # the header
