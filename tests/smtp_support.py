"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd in a thread): it keeps what it
receives, may refuse chosen recipients, and may require a user name and password."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message as ParsedMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "effekt", "the-right-password"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: ParsedMessage

    @property
    def body(self) -> str:
        part = next(p for p in self.message.walk() if p.get_content_type() == "text/plain")
        return str(part.get_content())


@dataclass
class Sink:
    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, _server, _session, envelope, address, _rcpt_options):  # aiosmtpd's name
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope):
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 Message accepted"


def _check_password(_server, _session, _envelope, _mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(*, refuse: set[str] | None = None, with_login: bool = False) -> Iterator[tuple[int, Sink]]:
    """A running server on a free port; stopped afterwards."""
    sink = Sink(refuse or set())
    options = dict(authenticator=_check_password, auth_required=True, auth_require_tls=False) if with_login else {}
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), ready_timeout=10, **options)
    controller.start()
    try:
        yield controller.port, sink
    finally:
        controller.stop()


def mail_environment(port: int, **extra: str) -> dict[str, str]:
    """The EFFEKT_* variables that point the app at the test server."""
    return {"EFFEKT_SMTP_HOST": "127.0.0.1", "EFFEKT_SMTP_PORT": str(port), "EFFEKT_SMTP_SECURITY": "none",
            "EFFEKT_MAIL_FROM": "effekt@effekt.example", "EFFEKT_BASE_URL": "https://effekt.example.se",
            "EFFEKT_SMTP_TIMEOUT": "5", **extra}
