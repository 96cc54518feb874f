"""The board pack tells the why behind the numbers: the demo's events (titles in bullets, speaker
notes and as markers on the charts, the method change as a break), the figures' comments with who
wrote them, and markup in a title as plain text in the PDF and the PPTX; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import zipfile

import pypdf
from sqlalchemy import select

from data.actors import SYSTEM
from data.db import reading, writing
from data.events import NewEvent, add_event
from data.models import Organisation
from metrics import clock
from metrics.periods import Quarter
from reports.chart_lines import chart_layout
from reports.gather import find_organisation, read_board_pack
from reports.pdf import render_pdf
from reports.pptx import render_pptx
from tests.conftest import TODAY

Q = Quarter(2025, 3)
SCRIPT = "<script>alert('x')</script> Chattbot"


def _pack(url: str):
    with clock.fixed_today(TODAY), writing(url) as session:
        ekbacka = session.scalar(select(Organisation.id).where(Organisation.code == "demo-ekbacka"))
        add_event(session=session, actor=SYSTEM, event=NewEvent(ekbacka, Quarter(2025, 2), SCRIPT, "launch"))
    with reading(url) as session:
        organisation = find_organisation(session=session, code="demo-ekbacka")
        return read_board_pack(session=session, organisation=organisation, quarter=Q, language="sv", today=TODAY)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pack_lists_events_comments_and_draws_markers(demo_url):
    pack = _pack(demo_url)
    changes = next(s for s in pack.slides if s.kind == "changes")
    assert ("Händelser: 2024 K1 · lansering: Ny e-tjänst för bygglov — Ansökan och komplettering på webben; "
            "2024 K3 · kampanj: Kampanj: Säg vad du tycker; 2025 K1 · ny mätmetod: Ny enkätmetod för kundnöjdhet "
            "— Sms-enkät direkt efter ärendet i stället för årlig pappersenkät; "
            f"2025 K2 · lansering: {SCRIPT}") in changes.bullets
    assert "Ny enkätmetod för kundnöjdhet" in changes.notes
    customer = next(s for s in pack.slides if s.kind == "customer_voice")
    comment = next(b for b in customer.bullets if b.startswith("Kundnöjdhet: «"))
    assert re.fullmatch(r"Kundnöjdhet: «Andra kvartalet med sms-enkäten: fler svar, och fler missnöjda hörs nu\.» "
                        r"— demo-editor, \d{4}-\d\d-\d\d", comment)
    assert comment in customer.notes
    names = [s.name for s in customer.chart.series]
    assert names[:2] == ["Kundnöjdhet", "Kundnöjdhet (ny mätmetod)"]  # the break splits the line
    hardest = next(s for s in pack.slides if s.kind == "hardest")
    layout = chart_layout(hardest.chart, "sv")
    marks = next(line for line in layout.lines if line.name == "Händelser")
    assert not marks.connect
    assert marks.marker == "diamond"
    shown = [c for c, v in zip(layout.categories, marks.values, strict=True) if v is not None]
    assert shown == ["2024 K3", "2025 K2"]


def test_pdf_and_pptx_hold_the_event_titles_and_comments_as_plain_text(demo_url):
    pack = _pack(demo_url)
    pdf = _flat(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(pack))).pages))
    for text in ("Ny enkätmetod för kundnöjdhet", "Kampanj: Säg vad du tycker", "Ny e-tjänst för bygglov",
                 SCRIPT, "«Andra kvartalet med sms-enkäten: fler svar, och fler missnöjda hörs nu.» — demo-editor"):
        assert text in pdf
    ideas = ("Försök «Idéverkstad varannan vecka med medarbetare och invånare», Levererade idéer: före 22, sedan 25, "
             "förändring +4, förväntat +2 (uppnått)")
    chat = ("Kundnöjdhet: före 44,5 %, sedan 50,9 %, förändring inte jämförbart (ny mätmetod), förväntat +5,0 p.e. "
            "— obs: Försiktighet: ny mätmetod under perioden — utfall: för tidigt att säga")
    assert ideas in pdf
    assert chat in pdf.replace("\u00a0", " ")
    follow = next(s for s in pack.slides if s.kind == "follow_up")
    assert ideas in follow.notes
    assert chat in follow.notes.replace("\u00a0", " ")
    with zipfile.ZipFile(io.BytesIO(render_pptx(pack))) as archive:
        xml = " ".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                       if re.fullmatch(r"ppt/(slides|notesSlides)/\w+\.xml", n))
    assert "&lt;script&gt;alert('x')&lt;/script&gt; Chattbot" in xml
    assert "<script>" not in xml
    assert "Ny enkätmetod för kundnöjdhet" in xml
    assert "— demo-editor, " in xml
    assert ideas.replace("«", "«") in xml
    assert "före 44,5" in xml
