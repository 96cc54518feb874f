"""The customer's voice on the quarter's customer slide: a clip and quotes, stored, checked and shown.

Data layer on SQLite and PostgreSQL: who may attach, what is refused (and audited), then the files:
the PPTX embeds the clip as media, the PDF names it and shows the quotes literally, and the page plays it.
"""

from __future__ import annotations

import io

import pypdf
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from sqlalchemy import select

from data.actors import Actor, PermissionDenied
from data.customer_voice import (
    MAX_CLIP_BYTES,
    CustomerVoiceRejected,
    customer_clip,
    customer_voice,
    remove_customer_clip,
    save_customer_clip,
    save_customer_quotes,
)
from data.db import reading, writing
from data.models import AuditEvent
from metrics.periods import Quarter
from reports.export import render_pack
from reports.gather import board_inputs, find_organisation
from reports.model import build_board_pack
from tests.apptest_support import open_app, shown_text
from tests.conftest import TODAY

QUARTER = Quarter.last_completed(TODAY)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 480  # 122 890 bytes
QUOTES = ["Jag fick svar samma dag <font>tack</font>!", "", "  Blanketten var krånglig & lång.  "]


def ekbacka(url: str) -> int:
    with reading(url) as session:
        return find_organisation(session=session, code="demo-ekbacka").id


def attach(url: str, actor: Actor, organisation_id: int, *, content: bytes = MP3, mime: str = "audio/mpeg") -> None:
    with writing(url) as session:
        save_customer_clip(session=session, actor=actor, organisation_id=organisation_id, quarter=QUARTER,
                           name="kundsamtal.mp3", mime=mime, content=content)


def test_an_editor_attaches_a_clip_and_quotes_and_each_change_is_audited(demo_url):
    organisation = ekbacka(demo_url)
    editor = Actor("erik", "editor", frozenset({organisation}))
    attach(demo_url, editor, organisation)
    with writing(demo_url) as session:
        save_customer_quotes(session=session, actor=editor, organisation_id=organisation, quarter=QUARTER,
                             quotes=QUOTES)
    with reading(demo_url) as session:
        voice = customer_voice(session=session, organisation_id=organisation, quarter=QUARTER)
        clip = customer_clip(session=session, organisation_id=organisation, quarter=QUARTER)
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "erik")))
    assert voice.quotes == ("Jag fick svar samma dag <font>tack</font>!", "Blanketten var krånglig & lång.")
    assert (voice.clip_name, voice.clip_mime, voice.clip_size) == ("kundsamtal.mp3", "audio/mpeg", 122_890)
    assert clip is not None
    assert clip.content == MP3
    assert actions == ["customer_voice.clip", "customer_voice.quotes"]
    with writing(demo_url) as session:
        remove_customer_clip(session=session, actor=editor, organisation_id=organisation, quarter=QUARTER)
    with reading(demo_url) as session:
        assert customer_clip(session=session, organisation_id=organisation, quarter=QUARTER) is None
        assert customer_voice(session=session, organisation_id=organisation, quarter=QUARTER).quotes == voice.quotes


@pytest.mark.parametrize("actor", [Actor("vera", "viewer"), Actor("otto", "editor", frozenset({999}))])
def test_a_viewer_or_another_organisations_editor_cannot_attach_and_the_refusal_is_audited(demo_url, actor):
    organisation = ekbacka(demo_url)
    with pytest.raises(PermissionDenied) as refused:
        attach(demo_url, actor, organisation)
    assert refused.value.key == "permission.edit_organisation"
    with reading(demo_url) as session:
        assert customer_clip(session=session, organisation_id=organisation, quarter=QUARTER) is None
        denied = list(session.scalars(select(AuditEvent.organisation_id).where(
            AuditEvent.actor == actor.username, AuditEvent.action == "permission.denied")))
    assert denied == [organisation]


@pytest.mark.parametrize(("content", "mime", "key"), [
    (b"MZ\x90\x00" + bytes(2000), "video/mp4", "pack.voice.clip_type"),  # a Windows program named .mp4
    (b"<html><script>alert(1)</script>", "audio/mpeg", "pack.voice.clip_type"),
    (MP3, "application/x-msdownload", "pack.voice.clip_type"),
    (b"ID3" + bytes(MAX_CLIP_BYTES), "audio/mpeg", "pack.voice.clip_too_large"),
    (b"", "audio/mpeg", "pack.voice.clip_empty"),
])
def test_a_file_that_is_not_a_short_clip_is_refused(demo_url, content, mime, key):
    organisation = ekbacka(demo_url)
    with pytest.raises(CustomerVoiceRejected) as refused:
        attach(demo_url, Actor("erik", "editor", frozenset({organisation})), organisation, content=content, mime=mime)
    assert refused.value.key == key
    with reading(demo_url) as session:
        assert customer_clip(session=session, organisation_id=organisation, quarter=QUARTER) is None


def test_eleven_quotes_or_a_long_one_are_refused(demo_url):
    organisation = ekbacka(demo_url)
    for quotes, key in ((["Bra"] * 11, "pack.voice.too_many_quotes"), (["x" * 501], "pack.voice.quote_too_long")):
        with pytest.raises(CustomerVoiceRejected) as refused, writing(demo_url) as session:
            save_customer_quotes(session=session, actor=Actor("admin", "admin"), organisation_id=organisation,
                                 quarter=QUARTER, quotes=quotes)
        assert refused.value.key == key


def packed(url: str, file_format: str) -> bytes:
    with reading(url) as session:
        organisation = find_organisation(session=session, code="demo-ekbacka")
        inputs = board_inputs(session=session, organisation=organisation, quarter=QUARTER, language="sv")
        clip = customer_clip(session=session, organisation_id=organisation.id, quarter=QUARTER)
    return render_pack(build_board_pack(inputs), file_format, clip.content if clip else None)


def test_the_pptx_embeds_the_clip_and_the_pdf_names_it_and_shows_the_quotes_literally(demo_url):
    organisation = ekbacka(demo_url)
    attach(demo_url, Actor("admin", "admin"), organisation)
    with writing(demo_url) as session:
        save_customer_quotes(session=session, actor=Actor("admin", "admin"), organisation_id=organisation,
                             quarter=QUARTER, quotes=QUOTES)
    customer = Presentation(io.BytesIO(packed(demo_url, "pptx"))).slides[1]
    media = [shape for shape in customer.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA]
    assert len(media) == 1
    assert media[0]._element.nvPicPr.cNvPr.get("descr") == "kundsamtal.mp3"
    blobs = [rel.target_part.blob for rel in customer.part.rels.values() if rel.reltype.endswith("/media")]
    assert blobs == [MP3]  # the clip itself, playable in the slide show
    assert "«Jag fick svar samma dag <font>tack</font>!»" in customer.notes_slide.notes_text_frame.text
    page = pypdf.PdfReader(io.BytesIO(packed(demo_url, "pdf"))).pages[1].extract_text()
    text = " ".join(page.split())  # the bullets wrap in the text column
    assert "• «Jag fick svar samma dag <font>tack</font>!» • «Blanketten var krånglig & lång.» " in text
    assert "• Kundklipp att spela på mötet: kundsamtal.mp3 (ljud, 0,1 MB) " in text


def test_the_page_plays_the_clip_on_the_customer_slide_and_an_editor_saves_quotes(demo_url, monkeypatch):
    monkeypatch.setenv("EFFEKT_TODAY", TODAY.isoformat())  # the sidebar's quarter is then QUARTER
    organisation = ekbacka(demo_url)
    attach(demo_url, Actor("admin", "admin"), organisation)
    at = open_app(demo_url, monkeypatch, page="board")
    at.selectbox(key="context_organisation").set_value(organisation).run()
    at.selectbox(key="context_quarter").set_value(str(QUARTER)).run()
    at.button(key="board_next").click().run()
    assert at.header[0].value == "Kundens röst"
    players = at.get("audio")
    assert len(players) == 1
    assert "Kundklipp att spela på mötet: kundsamtal.mp3 (ljud, 0,1 MB)" in shown_text(at)
    at.segmented_control(key="board_mode").set_value("decisions").run()
    assert "Bifogat klipp: kundsamtal.mp3" in shown_text(at)
    at.text_area(key="board_voice_quotes").input("Äntligen en e-tjänst som fungerar!")
    at.form_submit_button(key="FormSubmitter:board_voice_form-Spara kundens röst").click().run()
    assert at.success[0].value == "Kundens röst är sparad för kvartalet."
    at.segmented_control(key="board_mode").set_value("slides").run()
    assert "«Äntligen en e-tjänst som fungerar!»" in shown_text(at)
    assert not at.exception
