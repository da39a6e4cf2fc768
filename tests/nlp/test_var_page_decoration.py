"""Template decoration along a page's edge (a coloured side band, a header strip) is no table rule.

Its edges run the page's full height: read as rules they closed the page's
top and bottom as a table's rows, and the whole page became one table that
swallowed its headings and paragraphs, so the list before it ran on into
the next section's test matrix.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import Table, TableStyle

from nlp.geometry import read_pages
from nlp.layout import assemble

WIDTH, HEIGHT = LETTER


def _page_with_band_and_matrix(path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=LETTER, invariant=1)
    for band in ((0, 0, 10, HEIGHT), (0, HEIGHT - 8, WIDTH, 8)):  # side band, header strip
        canvas.setFillColor(colors.HexColor("#1f4e79"))
        canvas.rect(*band, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(62, HEIGHT - 80, "PART IV")
    canvas.drawString(62, HEIGHT - 100, "Tests of Controls")
    canvas.setFont("Helvetica", 9.5)
    canvas.drawString(62, HEIGHT - 130, "This section lists the controls of Fernhill and the tests performed.")
    rows = [["Ref.", "Control Activity", "Test Procedure", "Test Result"]] + [
        [f"FH-{i:03}", f"Control activity number {i} is performed.", "Inspected evidence of it.", "No deviations noted."]
        for i in range(1, 6)]
    table = Table(rows, colWidths=[50, 160, 160, 120])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTSIZE", (0, 0), (-1, -1), 8)]))
    _, h = table.wrapOn(canvas, WIDTH, HEIGHT)
    table.drawOn(canvas, 62, HEIGHT - 160 - h)
    canvas.showPage()
    canvas.save()
    return path


def test_headings_above_a_matrix_survive_a_band_along_the_page_edge(tmp_path):
    path = _page_with_band_and_matrix(tmp_path / "band.pdf")
    [layout] = assemble(read_pages(str(path), [1]).values(), set())
    texts = [b.text for b in layout.blocks]
    assert "PART IV" in texts and "Tests of Controls" in texts
    rows = [t for t in texts if t.startswith("FH-")]
    assert len(rows) == 5 and all("No deviations noted." in r for r in rows)
