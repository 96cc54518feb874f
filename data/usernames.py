"""User names in one form: Unicode NFKC, case-folded, surrounding whitespace removed, compared
so everywhere (the lock-out included); at most 100 characters of Latin letters, digits and ``. _ - @``.
"""

from __future__ import annotations

import unicodedata

from data.actors import AccountError

MIN_USERNAME_LENGTH = 2


MAX_USERNAME_LENGTH = 100


# Besides (Latin) letters and ASCII digits, the only characters a user name may hold.
USERNAME_PUNCTUATION = "._-@"


def fold_name(name: str) -> str:
    """NFKC, case folded, NFKC again (so folding twice changes nothing), Unicode whitespace stripped."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold()).strip()


def normalise_username(name: str) -> str:
    """The one form of a user name that is stored, looked up, signed in with and counted by the lock-out.

    Applied once where a name comes in. ``str.strip`` removes every Unicode whitespace (tabs,
    no-break, em and ideographic spaces) and NFKC has already turned the exotic ones into spaces;
    a name that is still too long is refused, never cut, so no two spellings can meet in one form
    for the lookup and another for the failure count.
    """
    folded = fold_name(name)
    if len(folded) > MAX_USERNAME_LENGTH:
        raise AccountError("security.username_too_long", maximum=MAX_USERNAME_LENGTH)
    return folded


def check_username(name: str) -> None:
    """The name rules for a new account (``name`` already normalised): length and characters."""
    if len(name) < MIN_USERNAME_LENGTH:
        raise AccountError("security.username_short", minimum=MIN_USERNAME_LENGTH)
    for character in name:
        if not _allowed_in_name(character):
            shown = character if character.isprintable() and not character.isspace() else f"U+{ord(character):04X}"
            raise AccountError("security.username_character", character=shown,
                               allowed=" ".join(USERNAME_PUNCTUATION))


def _allowed_in_name(character: str) -> bool:
    """Latin letters (å, ä, ö, é … included), ASCII digits and a little punctuation: no look-alikes
    from other scripts, no invisible characters, no spaces."""
    if character in USERNAME_PUNCTUATION or "0" <= character <= "9":
        return True
    return character.isalpha() and unicodedata.name(character, "").startswith("LATIN ")
