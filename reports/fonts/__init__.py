"""The typeface of every PDF: DejaVu Sans 2.37 (regular and bold), shipped here with its licence.

Copied from Debian's fonts-dejavu-core (``/usr/share/fonts/truetype/dejavu``; licence in LICENSE,
Bitstream Vera terms, DejaVu changes public domain), so a pack looks the same on every machine and
has the Swedish letters, ✓, ✗ and the minus sign without any system font installed.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FOLDER = Path(__file__).resolve().parent
FONT, BOLD = "EffektSans", "EffektSans-Bold"
FILES = {FONT: FOLDER / "DejaVuSans.ttf", BOLD: FOLDER / "DejaVuSans-Bold.ttf"}


def register_fonts() -> None:
    """Register the shipped fonts with reportlab once per process (a missing file is a packaging error)."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, path in FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))
