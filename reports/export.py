"""One entry for every board pack file: PDF or PPTX, charts drawn by the file's own library.

Nothing here starts a browser or another process: PowerPoint gets native charts, the PDF vector
drawings, so a pack is made in the Python process alone and cannot wait on anything outside it.
"""

from __future__ import annotations

from reports.model import BoardPack

FORMATS = {"pdf": "application/pdf",
           "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def render_pack(pack: BoardPack, file_format: str, clip: bytes | None = None) -> bytes:
    """The pack as ``pdf`` or ``pptx`` bytes; ``clip`` is the customer slide's clip, embedded in the PPTX
    (the PDF names it: a PDF cannot be relied on to play media)."""
    if file_format == "pdf":
        from reports.pdf import render_pdf

        return render_pdf(pack)
    if file_format == "pptx":
        from reports.pptx import render_pptx

        return render_pptx(pack, clip)
    raise ValueError(f"unknown board pack format {file_format!r}; use pdf or pptx")


def file_name(pack: BoardPack, organisation_code: str, file_format: str) -> str:
    return f"styrelseunderlag-{organisation_code}-{pack.quarter}.{file_format}"
