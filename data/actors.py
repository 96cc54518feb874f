"""Who is acting, and what they may do. Every write function takes an :class:`Actor` and checks it.

The UI hiding a button is a convenience; these checks are the control. A refused check raises
:class:`PermissionDenied`, which carries who was refused and for which organisation, so that
``data.db.writing`` can record the refusal in the audit log after rolling the change back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from metrics.disclosure import Viewer
from metrics.errors import EffektError

ROLES = ("admin", "editor", "viewer")


class PermissionDenied(EffektError, PermissionError):
    """The actor may not do this. ``key`` names the translated message the UI shows."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, **params)
        # Set by the checks below so the refusal can be audited; None when raised elsewhere.
        self.actor: Actor | None = None
        self.organisation_id: int | None = None


class AccountError(EffektError, ValueError):
    """An account change that cannot be made (a name, a password, a role, the last administrator).

    Here, beside :class:`PermissionDenied`, because user names, passwords, accounts and sign-ins
    (each a module of its own) all raise it."""


def _denied(actor: Actor, key: str, organisation_id: int | None = None) -> PermissionDenied:
    error = PermissionDenied(key, username=actor.username)
    error.actor = actor
    error.organisation_id = organisation_id
    return error


@dataclass(frozen=True)
class Actor:
    """The person (or system process) behind a change, as stored in revisions and audit rows."""

    username: str
    role: str
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    origin: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def signed_in(self) -> bool:
        return self.role in ROLES

    def can_edit(self, organisation_id: int) -> bool:
        """Administrators edit everything; editors only their own organisations."""
        if self.is_admin:
            return True
        return self.role == "editor" and organisation_id in self.organisation_ids

    def require_edit(self, organisation_id: int) -> None:
        if not self.can_edit(organisation_id):
            raise _denied(self, "permission.edit_organisation", organisation_id)

    def require_admin(self) -> None:
        if not self.is_admin:
            raise _denied(self, "permission.admin_only")


# The local operator: the CLI and the demo loader act with full rights under this name.
def viewer(actor: Actor) -> Viewer:
    """The actor as the disclosure rule sees them: role and own organisations."""
    return Viewer(role=actor.role, own=frozenset(actor.organisation_ids))


SYSTEM = Actor(username="system", role="admin", origin="cli")
# Nobody signed in: may read nothing the gate does not show and change nothing.
SIGNED_OUT = Actor(username="(signed out)", role="signed_out", origin="app")
