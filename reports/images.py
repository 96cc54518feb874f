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

# 980 px (700 at scale 1.4) across half an A4 page or a 7-inch PPTX picture is 140–160 dpi: sharp enough, and
# half the encoding work of 1500 px (measured: reportlab 0.6 s against 1.4 s for a pack).
WIDTH, HEIGHT, SCALE = 700, 450, 1.4
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
                    slide_figure(spec, language, height=HEIGHT, width=WIDTH, font_size=17),
                    opts={"format": "png", "width": WIDTH, "height": HEIGHT, "scale": SCALE},
                ))
                for spec in specs
            ]


def warm_up() -> threading.Thread:
    """Start the browser in the background while the caller reads the database and builds the pack."""
    def start() -> None:
        import kaleido

        with _lock:
            _ensure_server(kaleido)

    thread = threading.Thread(target=start, name="kaleido-warm-up", daemon=True)
    thread.start()
    return thread


def _ensure_server(kaleido: object) -> None:
    global _started
    if not _started:
        kaleido.start_sync_server(silence_warnings=True)  # type: ignore[attr-defined]
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)  # type: ignore[attr-defined]
        _started = True
