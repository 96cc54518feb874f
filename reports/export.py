"""One entry for every board pack file: charts drawn once, then PDF or PPTX."""

from __future__ import annotations

from reports.images import chart_images
from reports.model import BoardPack

FORMATS = {"pdf": "application/pdf",
           "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def pack_images(pack: BoardPack) -> dict[int, bytes]:
    """Slide position -> chart PNG, for the slides that have a chart."""
    charted = [(i, slide.chart) for i, slide in enumerate(pack.slides) if slide.chart is not None]
    pngs = chart_images([chart for _, chart in charted], pack.language)
    return dict(zip((i for i, _ in charted), pngs, strict=True))


def render_pack(pack: BoardPack, file_format: str, images: dict[int, bytes] | None = None) -> bytes:
    """The pack as ``pdf`` or ``pptx`` bytes; pass ``images`` to reuse charts drawn for the other format."""
    if file_format == "pdf":
        from reports.pdf import render_pdf

        return render_pdf(pack, pack_images(pack) if images is None else images)
    if file_format == "pptx":
        from reports.pptx import render_pptx

        return render_pptx(pack)
    raise ValueError(f"unknown board pack format {file_format!r}; use pdf or pptx")


def file_name(pack: BoardPack, organisation_code: str, file_format: str) -> str:
    return f"styrelseunderlag-{organisation_code}-{pack.quarter}.{file_format}"
