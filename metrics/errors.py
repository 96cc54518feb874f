"""The one base of every error a person is shown: a translation key and the parameters that fill it.

Pages, the CLI and the API catch :class:`EffektError` and say ``t(error.key, **error.params)``;
no error class repeats the key and parameters. It lives in ``metrics/``, the bottom layer, so the
domain's own errors derive from it too. It is a plain ``Exception``: each subclass keeps the
built-in kind it always had (``ValueError`` for input that cannot be used, ``PermissionError`` for a
refusal, ``RuntimeError`` for mail that is not set up), so an ``except ValueError`` somewhere never
starts catching a refusal that must reach the audit log.
"""

from __future__ import annotations


class EffektError(Exception):
    """An error with a translated message: ``key`` names it, ``params`` fill its placeholders."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params: dict[str, object] = params
        super().__init__(f"{key} {params}" if params else key)
