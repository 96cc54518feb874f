"""Charts as PNG images for the PDF and the PPTX, through one persistent headless browser.

kaleido 1.5 starts Chromium for every ``write_image`` (2–3 s each); with one sync server kept
running, an image takes about 0.25 s, so a full pack's charts cost one start plus a few seconds.
The server is process-wide (kaleido keeps one), hence the lock: Streamlit renders in threads.
"""

from __future__ import annotations

import atexit
import threading
import warnings
from collections.abc import Sequence

from reports.charts import slide_figure
from reports.model import ChartSpec

WIDTH, HEIGHT, SCALE = 1000, 640, 1.5
_lock = threading.Lock()
_started = False


def chart_images(specs: Sequence[ChartSpec], language: str) -> list[bytes]:
    """One PNG per chart, in order."""
    if not specs:
        return []
    import kaleido

    with _lock:
        _ensure_server(kaleido)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [
                bytes(kaleido.calc_fig_sync(
                    slide_figure(spec, language, height=HEIGHT, width=WIDTH),
                    opts={"format": "png", "width": WIDTH, "height": HEIGHT, "scale": SCALE},
                ))
                for spec in specs
            ]


def _ensure_server(kaleido: object) -> None:
    global _started
    if not _started:
        kaleido.start_sync_server(silence_warnings=True)  # type: ignore[attr-defined]
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)  # type: ignore[attr-defined]
        _started = True
