"""Streamlit's own words in the page's language: the file uploader, help buttons, placeholders, labels.

Streamlit 1.67 writes a few English strings into every page whatever the app says: the file
uploader's "Drag and drop a file here" (on wide layouts), "Upload", "file upload" and "10MB per file", each help button's
"Help for …" (its accessible name), select placeholders ("Choose an option"), and the labels of
its own buttons (sidebar, menu, data grid toolbar). ``st.file_uploader`` and ``st.set_page_config``
have no parameter for any of them, and there is no configuration option or locale. So one small
script, sent once per page with ``st.html(unsafe_allow_javascript=True)`` (allowed by hash in
web/security.py's CSP, like the page-language script), rewrites them in place: text of Streamlit's
widgets, and ``aria-label``, ``title``, ``placeholder`` and ``data-title`` (plotly's toolbar tooltips)
attributes outside the app's own text.
A MutationObserver repeats it when Streamlit draws again. The same script turns the uploader's
drop zone from ``role="presentation"`` (which holds a button and an input: WCAG 1.3.1 F92/ARIA4)
into a named ``role="group"``.

Both directions are known, so choosing English after Swedish turns the words back.
"""

from __future__ import annotations

import json

import streamlit as st

# (English as Streamlit writes it, Swedish). Exact whole strings only.
PAIRS: tuple[tuple[str, str], ...] = (
    ("Drag and drop a file here", "Dra och släpp en fil här"),
    ("Drag and drop files here", "Dra och släpp filer här"),
    ("Upload", "Ladda upp"),
    ("Add files", "Lägg till filer"),
    ("file upload", "Välj fil att ladda upp"),
    ("Delete", "Ta bort"),
    ("Help", "Hjälp"),
    ("Choose an option", "Välj ett alternativ"),
    ("Choose options", "Välj alternativ"),
    ("No results", "Inga träffar"),
    ("Clear value", "Rensa värdet"),
    ("Clear all", "Rensa allt"),
    ("Close", "Stäng"),
    ("Main menu", "Huvudmeny"),
    ("Collapse sidebar", "Fäll ihop sidofältet"),
    ("Expand sidebar", "Fäll ut sidofältet"),
    ("Sidebar", "Sidofält"),
    ("Skip to main content", "Hoppa till huvudinnehållet"),
    ("App pages", "Sidor"),
    ("Running...", "Arbetar …"),
    ("Stop script", "Avbryt"),
    ("Link to heading", "Länk till rubriken"),
    ("Choose date", "Välj datum"),
    ("Choose date range", "Välj datumintervall"),
    ("Clear date", "Rensa datumet"),
    ("Clear dates", "Rensa datumen"),
    ("Scroll tabs left", "Rulla flikarna åt vänster"),
    ("Scroll tabs right", "Rulla flikarna åt höger"),
    ("Download as CSV", "Ladda ned som CSV"),
    ("Search", "Sök"),
    ("Close Search", "Stäng sökningen"),
    ("Fullscreen", "Helskärm"),
    ("Exit fullscreen", "Lämna helskärm"),
    ("Show password", "Visa lösenordet"),
    ("Hide password", "Dölj lösenordet"),
    ("Increment", "Öka"),
    ("Decrement", "Minska"),
    ("Dataframe column menu", "Kolumnmeny"),
    ("Copy column name", "Kopiera kolumnens namn"),
    ("Navigate to home page", "Till startsidan"),
    ("Notifications", "Aviseringar"),
    ("Open", "Öppna"),
    ("Selected values", "Valda värden"),
    ("Show/hide columns", "Visa/dölj kolumner"),
    ("Period start date", "Periodens första dag"),
    ("Period end date", "Periodens sista dag"),
    # plotly's toolbar over every chart (its buttons' aria-label and data-title, the tooltip)
    ("Autoscale", "Skala automatiskt"),
    ("Zoom", "Zooma"),
    ("Zoom in", "Zooma in"),
    ("Zoom out", "Zooma ut"),
    ("Pan", "Panorera"),
    ("Reset axes", "Återställ axlarna"),
    ("Download plot as a PNG", "Ladda ned diagrammet som PNG"),
    ("Download plot as a png", "Ladda ned diagrammet som png"),
)
# Strings with a part that varies: (pattern, replacement) per target language, JavaScript regex syntax.
PATTERNS = {
    "sv": [[r"^Help for (.+)$", "Hjälp om $1"], [r"^(\d+(?:\.\d+)?)\s?([KMG]?B) per file$", "$1 $2 per fil"],
           [r"^Remove (.+)$", "Ta bort $1"], [r"^day, (.+)$", "dag, $1"], [r"^month, (.+)$", "månad, $1"],
           [r"^year, (.+)$", "år, $1"]],
    "en": [[r"^Hjälp om (.+)$", "Help for $1"], [r"^(\d+(?:\.\d+)?) ([KMG]?B) per fil$", "$1$2 per file"],
           [r"^Ta bort (.+)$", "Remove $1"], [r"^dag, (.+)$", "day, $1"], [r"^månad, (.+)$", "month, $1"],
           [r"^år, (.+)$", "year, $1"]],
}
# Where text nodes are Streamlit's own (the app's text is never rewritten): its widgets' chrome.
# Not the select menus' popovers: rewriting text there broke choosing an option (tests/e2e/test_journeys.py).
TEXT_SCOPES = ('a[href="#stMain"]', '[data-testid="stFileUploader"]', '[data-testid="stStatusWidget"]',
               '[data-testid="stToolbar"]')
# Where attributes are the app's own words (left alone): its HTML. Markdown is not excluded, as Streamlit
# puts its own "Link to heading" anchors inside headings' Markdown.
APP_TEXT = '[data-testid="stHtml"]'

_SCRIPT = r"""(() => {
const pairs = %(pairs)s, back = %(back)s, patterns = %(patterns)s.map(([p, r]) => [new RegExp(p, 's'), r]);
const table = new Map(pairs.map(p => back ? [p[1], p[0]] : [p[0], p[1]]));
const word = text => {
  const t = text.trim();
  if (table.has(t)) return text.replace(t, () => table.get(t));
  for (const [p, r] of patterns) {
    const m = t.match(p);  // the varying part is translated too: "day, Period end date" -> "dag, Periodens sista dag"
    if (m) return text.replace(t, () => r.replace(/\$(\d)/g, (_, i) => word(m[+i]) ?? m[+i]));
  }
  return null;
};
const fix = () => {
  document.querySelectorAll('[data-testid="stFileUploaderDropzone"][role="presentation"]')
    .forEach(zone => zone.setAttribute('role', 'group'));
  document.querySelectorAll(%(scopes)s).forEach(scope => {
    const walk = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const shown = word(node.data);
      if (shown !== null && shown !== node.data) node.data = shown;
    }
  });
  document.querySelectorAll('[aria-label], [title], [placeholder], [data-title]').forEach(element => {
    if (element.closest(%(app)s)) return;
    for (const name of ['aria-label', 'title', 'placeholder', 'data-title']) {
      const value = element.getAttribute(name), shown = value === null ? null : word(value);
      if (shown !== null && shown !== value) element.setAttribute(name, shown);
    }
  });
};
window.effektWords = fix;
if (!window.effektWordsObserver) {
  let queued = false;
  window.effektWordsObserver = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; window.effektWords(); });
  });
  window.effektWordsObserver.observe(document.body, {subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ['aria-label', 'title', 'placeholder', 'data-title', 'role']});
}
fix();
})();"""


def words_script(language: str) -> str:
    """The script for one language (a fixed text per language: web/security.py allows it by hash)."""
    code = language if language in PATTERNS else "sv"
    return _SCRIPT % {
        "pairs": json.dumps(PAIRS, ensure_ascii=False), "back": json.dumps(code == "en"),
        "patterns": json.dumps(PATTERNS[code], ensure_ascii=False),
        "scopes": json.dumps(", ".join(TEXT_SCOPES)), "app": json.dumps(APP_TEXT),
    }


def declare_streamlit_words(language: str) -> None:
    """Send the script to the page (in the sidebar, where an empty element costs no layout)."""
    with st.sidebar:
        st.html(f"<script>{words_script(language)}</script>", unsafe_allow_javascript=True)
