"""Refusing configured secrets (the sign-in cookie's, the provider's) that are missing, short or a
known example.
"""

from __future__ import annotations

MIN_SECRET_LENGTH = 32


KNOWN_EXAMPLE_SECRETS = frozenset({
    "xxx", "changeme", "change-me", "secret", "your-secret", "my secret password",
    "some_random_secret", "a_random_secret", "your_cookie_secret", "cookie_secret", "replace-me",
    "your-client-secret", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
})


def secret_problem(value: object) -> str | None:
    """Why a configured secret must be refused (missing, short, a known example), or None."""
    if not isinstance(value, str) or not value.strip():
        return "secret.missing"
    if value.strip().lower() in KNOWN_EXAMPLE_SECRETS or len(set(value)) < 8:
        return "secret.example"
    if len(value) < MIN_SECRET_LENGTH:
        return "secret.short"
    return None
