"""Passwords, stored only as argon2id hashes (argon2-cffi) and never logged; a check against an
unknown name spends the same time as against a known one.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from data.actors import AccountError
from data.usernames import fold_name

MIN_PASSWORD_LENGTH = 10


_hasher = PasswordHasher()


# Verified against when the name is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always spends one argon2 verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str, username: str = "") -> None:
    """Refuse passwords that are short or just the account name (``username`` already normalised)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("account.password_short", minimum=MIN_PASSWORD_LENGTH)
    if username and fold_name(password) == username:
        raise AccountError("account.password_is_name")
