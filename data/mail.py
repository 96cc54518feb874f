"""Outgoing e-mail over SMTP: settings, and delivery that never hangs and never raises.

All settings are optional (``EFFEKT_SMTP_HOST``, ``_PORT``, ``_SECURITY`` none/starttls/tls,
``_USER``, ``_PASSWORD``, ``EFFEKT_MAIL_FROM``), read from the environment or, under the same
names, from ``.streamlit/secrets.toml``; without a host and a sender mail is "not set up" and the
features that send say so. Every connection and every SMTP command has a timeout
(``EFFEKT_SMTP_TIMEOUT``, 10 s). A failure is returned as a :class:`Delivery` with a translation
key, so one refused recipient or a server that is down never stops the other messages or the caller.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from data.settings import PROJECT_DIR
from metrics.errors import EffektError

SECURITY_MODES = ("none", "starttls", "tls")
SECRETS_FILE = PROJECT_DIR / ".streamlit" / "secrets.toml"
_NAMES = ("EFFEKT_SMTP_HOST", "EFFEKT_SMTP_PORT", "EFFEKT_SMTP_SECURITY", "EFFEKT_SMTP_USER",
          "EFFEKT_SMTP_PASSWORD", "EFFEKT_MAIL_FROM", "EFFEKT_SMTP_TIMEOUT")


class MailNotSetUp(EffektError, RuntimeError):
    """Mail is not configured (or wrongly): ``key`` and ``params`` make the translated message."""

    def __init__(self, key: str = "mail.not_set_up", **params: object) -> None:
        super().__init__(key, **params)


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str
    timeout: float = 10.0


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    attachments: tuple[tuple[str, bytes, str], ...] = ()  # (file name, content, MIME type)


@dataclass(frozen=True)
class Delivery:
    """What became of one message: sent, or not with why (``key``: a ``mail.*`` translation key)."""

    message: Message
    sent: bool
    key: str = "mail.sent"
    detail: str = ""


def _secrets() -> Mapping[str, object]:
    if not SECRETS_FILE.is_file():
        return {}
    with SECRETS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def mail_settings(environ: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None) -> MailSettings:
    """The SMTP settings, or :class:`MailNotSetUp` when there is no host or no sender (or a bad value)."""
    env = os.environ if environ is None else environ
    store = _secrets() if secrets is None else secrets
    values = {name: str(env.get(name) or store.get(name) or "").strip() for name in _NAMES}
    if not values["EFFEKT_SMTP_HOST"] or not values["EFFEKT_MAIL_FROM"]:
        raise MailNotSetUp()
    security = values["EFFEKT_SMTP_SECURITY"].lower() or "starttls"
    if security not in SECURITY_MODES:
        raise MailNotSetUp("mail.bad_security", value=security)
    default_port = {"none": "25", "starttls": "587", "tls": "465"}[security]
    try:
        port = int(values["EFFEKT_SMTP_PORT"] or default_port)
        timeout = float(values["EFFEKT_SMTP_TIMEOUT"] or "10")
    except ValueError as error:
        raise MailNotSetUp("mail.bad_port", value=values["EFFEKT_SMTP_PORT"]) from error
    return MailSettings(values["EFFEKT_SMTP_HOST"], port, security, values["EFFEKT_SMTP_USER"],
                        str(env.get("EFFEKT_SMTP_PASSWORD") or store.get("EFFEKT_SMTP_PASSWORD") or ""),
                        values["EFFEKT_MAIL_FROM"], timeout)


def build_email(settings: MailSettings, message: Message) -> EmailMessage:
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = settings.sender, message.to, message.subject
    email["Date"], email["Message-ID"] = formatdate(localtime=False), make_msgid(domain="effekt")
    email.set_content(message.body)
    for name, content, mime in message.attachments:
        main, sub = mime.split("/", 1)
        email.add_attachment(content, maintype=main, subtype=sub, filename=name)
    return email


def _connect(settings: MailSettings) -> smtplib.SMTP:
    """An open, authenticated connection; the timeout covers the connect and every later command."""
    context = ssl.create_default_context()
    if settings.security == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.user:
            smtp.login(settings.user, settings.password)
    except BaseException:
        _close(smtp)
        raise
    return smtp


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _failure(error: BaseException) -> tuple[str, str]:
    """The translation key and a short detail for an error from smtplib or the socket."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "mail.auth_failed", _reply(error)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "mail.recipient_refused", "; ".join(f"{who}: {_reply(e)}" for who, e in error.recipients.items())
    if isinstance(error, smtplib.SMTPSenderRefused):
        return "mail.sender_refused", _reply(error)
    # smtplib reports a reply that never came as a closed connection ("...: timed out").
    if isinstance(error, TimeoutError) or (isinstance(error, smtplib.SMTPServerDisconnected) and "timed out" in str(error)):
        return "mail.timeout", str(error) or "timeout"
    if isinstance(error, smtplib.SMTPResponseException):
        return "mail.server_error", _reply(error)
    if isinstance(error, (OSError, smtplib.SMTPException)):
        return "mail.connect_failed", str(error) or type(error).__name__
    return "mail.server_error", type(error).__name__


def _reply(error: object) -> str:
    if isinstance(error, tuple) and len(error) == 2:
        code, text = error
    else:
        code, text = getattr(error, "smtp_code", ""), getattr(error, "smtp_error", b"")
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}".strip()


def deliver(settings: MailSettings, messages: Sequence[Message]) -> list[Delivery]:
    """Send the messages over one connection; one result per message, in order, never an exception.

    A refused recipient fails only its message. A connection that cannot be made (down, wrong
    password, TLS) or that breaks fails the messages not yet sent with the same reason.
    """
    results: list[Delivery] = []
    if not messages:
        return results
    try:
        smtp = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        key, detail = _failure(error)
        return [Delivery(m, False, key, detail) for m in messages]
    try:
        for position, message in enumerate(messages):
            try:
                smtp.send_message(build_email(settings, message))
                results.append(Delivery(message, True))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
                results.append(Delivery(message, False, *_failure(error)))
            except (OSError, smtplib.SMTPException) as error:
                key, detail = _failure(error)
                results += [Delivery(m, False, key, detail) for m in messages[position:]]
                break
    finally:
        _close(smtp)
    return results
