"""Deferred downloads that check the sign-in again when they run.

A download button given a callable registers it with Streamlit, which runs it later, on the click,
outside any script run: the frame's sign-in check of the run that drew the button is minutes or
hours old by then. Every deferred download therefore goes through :func:`guarded`, which keeps
the sign-in token of the run that drew the button and resumes that sign-in record when the
callable runs. A record that has ended (signed out, deactivated, role changed, idle) delivers
nothing: the callable raises, Streamlit answers the click with a failed download, and the refusal
is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import streamlit as st

from data.actors import Actor, PermissionDenied
from data.audit import record_event
from data.db import writing
from data.settings import get_settings
from data.sign_ins import resume_sign_in
from ui.page import PageContext
from ui.signin import TOKEN_KEY

REFUSED_KEY = "security.download_signed_out"


class DownloadRefused(PermissionDenied):
    """The sign-in the download was drawn for has ended: nothing is made."""


def guarded(context: PageContext, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """``make``, run only while the sign-in of this script run is still valid (checked on the click)."""
    return partial(deliver, context.url, st.session_state.get(TOKEN_KEY), context.actor.username, make)


def deliver(url: str, token: str | None, username: str, make: Callable[[], bytes]) -> bytes:
    """Resume the sign-in behind ``token``; make the bytes only if it is still ``username``'s."""
    idle = dt.timedelta(minutes=get_settings().idle_minutes)
    with writing(url) as session:  # commits the ended record (idle, deactivated) with the refusal
        actor = resume_sign_in(session=session, token=token, origin="download", idle_timeout=idle)
        refused = actor is None or actor.username != username
        if refused:
            record_event(session=session, actor=Actor(username=username, role="signed_out", origin="download"),
                         action="permission.denied", detail={"key": REFUSED_KEY})
    if refused:
        raise DownloadRefused(REFUSED_KEY, username=username)
    return make()
