"""Who is acting, and what they may do. Every write function takes an :class:`Actor` and checks it.

The UI hiding a button is a convenience; these checks are the control.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("admin", "editor", "viewer")


class PermissionDenied(PermissionError):
    """The actor may not do this. ``key`` names the translated message the UI shows."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}" if params else key)


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

    def can_edit(self, organisation_id: int) -> bool:
        """Administrators edit everything; editors only their own organisations."""
        if self.is_admin:
            return True
        return self.role == "editor" and organisation_id in self.organisation_ids

    def require_edit(self, organisation_id: int) -> None:
        if not self.can_edit(organisation_id):
            raise PermissionDenied("permission.edit_organisation", username=self.username)

    def require_admin(self) -> None:
        if not self.is_admin:
            raise PermissionDenied("permission.admin_only", username=self.username)


# The local operator: the CLI and the demo loader act with full rights under this name.
SYSTEM = Actor(username="system", role="admin", origin="cli")
