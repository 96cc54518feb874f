"""The customer's voice for a quarter's board meeting: a short recorded call or video clip and quotes.

The workshop's agenda opens with the customer, "preferably visually, for example on film". An editor
of the organisation attaches one clip (audio or video, within the app's upload limit) and a few
quotes to a quarter; the page plays the clip, the PowerPoint embeds it, the PDF names it and shows
the quotes. Every change is permission-checked, audited and bumps the data version. The clip's
bytes must look like the type they claim: a renamed program is refused, not stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.actors import Actor
from data.audit import record_event
from data.models import CustomerVoice, utcnow
from data.versioning import bump_data_version
from metrics.errors import EffektError
from metrics.periods import Quarter

MAX_CLIP_BYTES = 10 * 1024 * 1024  # the app's upload limit (.streamlit/config.toml maxUploadSize = 10)
MAX_QUOTES, MAX_QUOTE_LENGTH = 10, 500
# Accepted types, each with how its first bytes look (container signatures).
CLIP_TYPES = {
    "audio/mpeg": "mp3", "audio/mp4": "mp4", "audio/x-m4a": "mp4", "audio/wav": "wav", "audio/x-wav": "wav",
    "audio/ogg": "ogg", "audio/webm": "webm", "video/mp4": "mp4", "video/quicktime": "mp4", "video/webm": "webm",
    "video/ogg": "ogg",
}
EXTENSIONS = ("mp3", "m4a", "wav", "ogg", "oga", "webm", "mp4", "mov", "ogv")


class CustomerVoiceRejected(EffektError, ValueError):
    """A clip or quotes that may not be stored; ``key`` and ``params`` make the translated message."""


@dataclass(frozen=True)
class CustomerVoiceInfo:
    """What the board pack shows: the quotes and the clip's name, type and size (not its bytes)."""

    quotes: tuple[str, ...] = ()
    clip_name: str | None = None
    clip_mime: str | None = None
    clip_size: int = 0


@dataclass(frozen=True)
class CustomerClip:
    name: str
    mime: str
    content: bytes = field(repr=False)


def customer_voice(*, session: Session, organisation_id: int, quarter: Quarter) -> CustomerVoiceInfo:
    row = _row(session, organisation_id, quarter)
    if row is None:
        return CustomerVoiceInfo()
    return CustomerVoiceInfo(tuple(line for line in row.quotes.splitlines() if line.strip()), row.clip_name,
                             row.clip_mime, len(row.clip or b""))


def customer_clip(*, session: Session, organisation_id: int, quarter: Quarter) -> CustomerClip | None:
    row = _row(session, organisation_id, quarter)
    if row is None or row.clip is None or row.clip_name is None or row.clip_mime is None:
        return None
    return CustomerClip(row.clip_name, row.clip_mime, bytes(row.clip))


def save_customer_quotes(*, session: Session, actor: Actor, organisation_id: int, quarter: Quarter,
                         quotes: list[str]) -> None:
    """Replace the quarter's quotes (blank lines dropped)."""
    actor.require_edit(organisation_id)
    kept = [quote.strip() for quote in quotes if quote.strip()]
    if len(kept) > MAX_QUOTES:
        raise CustomerVoiceRejected("pack.voice.too_many_quotes", limit=MAX_QUOTES)
    if any(len(quote) > MAX_QUOTE_LENGTH for quote in kept):
        raise CustomerVoiceRejected("pack.voice.quote_too_long", limit=MAX_QUOTE_LENGTH)
    row = _row_for_writing(session, actor, organisation_id, quarter)
    row.quotes = "\n".join(kept)
    _changed(session, actor, "customer_voice.quotes", organisation_id, quarter, quotes=len(kept))


def save_customer_clip(*, session: Session, actor: Actor, organisation_id: int, quarter: Quarter,
                       name: str, mime: str, content: bytes) -> None:
    """Attach (or replace) the quarter's clip after checking its size and that its bytes match its type."""
    actor.require_edit(organisation_id)
    if not content:
        raise CustomerVoiceRejected("pack.voice.clip_empty")
    if len(content) > MAX_CLIP_BYTES:
        raise CustomerVoiceRejected("pack.voice.clip_too_large", limit_mb=MAX_CLIP_BYTES // (1024 * 1024))
    if CLIP_TYPES.get(mime) is None or not _looks_like(CLIP_TYPES[mime], content):
        raise CustomerVoiceRejected("pack.voice.clip_type", name=name)
    row = _row_for_writing(session, actor, organisation_id, quarter)
    row.clip_name, row.clip_mime, row.clip = name.strip()[:255] or "clip", mime, content
    _changed(session, actor, "customer_voice.clip", organisation_id, quarter, name=row.clip_name, bytes=len(content))


def remove_customer_clip(*, session: Session, actor: Actor, organisation_id: int, quarter: Quarter) -> None:
    actor.require_edit(organisation_id)
    row = _row(session, organisation_id, quarter)
    if row is None or row.clip is None:
        return
    name = row.clip_name
    row.clip_name = row.clip_mime = row.clip = None
    row.updated_at, row.updated_by = utcnow(), actor.username
    _changed(session, actor, "customer_voice.clip_removed", organisation_id, quarter, name=name)


def _looks_like(kind: str, content: bytes) -> bool:
    """The container's signature: ISO media 'ftyp', EBML (WebM), 'OggS', RIFF WAVE, or MP3 (ID3 / frame sync)."""
    head = content[:12]
    return {
        "mp4": head[4:8] == b"ftyp",
        "webm": head[:4] == b"\x1a\x45\xdf\xa3",
        "ogg": head[:4] == b"OggS",
        "wav": head[:4] == b"RIFF" and head[8:12] == b"WAVE",
        "mp3": head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0),
    }[kind]


def _row(session: Session, organisation_id: int, quarter: Quarter) -> CustomerVoice | None:
    return session.scalar(select(CustomerVoice).where(CustomerVoice.organisation_id == organisation_id,
                                                      CustomerVoice.period == quarter.index))


def _row_for_writing(session: Session, actor: Actor, organisation_id: int, quarter: Quarter) -> CustomerVoice:
    row = _row(session, organisation_id, quarter)
    if row is None:
        row = CustomerVoice(organisation_id=organisation_id, period=quarter.index, quotes="")
        session.add(row)
    row.updated_at, row.updated_by = utcnow(), actor.username
    return row


def _changed(session: Session, actor: Actor, action: str, organisation_id: int, quarter: Quarter,
             **detail: object) -> None:
    session.flush()
    bump_data_version(session)
    record_event(session=session, actor=actor, action=action, organisation_id=organisation_id,
                 detail={"quarter": str(quarter), **detail})
