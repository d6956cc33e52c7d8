"""Where the model card is, whatever folder the server was started from, and its summary in
three plain lines.

The card is written by ``nextseason backtest`` into the checkout's ``reports/`` folder.
:func:`find_model_card` looks, in order, at the path given to the app, ``$NEXTSEASON_MODEL_CARD``,
the ``reports/`` folder of the checkout the package was installed from (found from the
package's own location, not the working directory), and ``reports/`` under the working
directory.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["find_model_card", "card_summary", "ENV_CARD"]

ENV_CARD = "NEXTSEASON_MODEL_CARD"
_NAME = "model-card.md"


def find_model_card(given: Path | None = None) -> Path:
    """The model card to serve: ``given``, else ``$NEXTSEASON_MODEL_CARD``, else the first
    of the checkout's, the package's and the working directory's that exists."""
    if given is not None:  # asked for by name: that one, even if it is missing
        return given.resolve()
    if os.environ.get(ENV_CARD):
        return Path(os.environ[ENV_CARD]).resolve()
    package = Path(__file__).resolve().parents[1]  # src/nextseason
    candidates = [package.parents[1] / "reports" / _NAME, package / "reports" / _NAME,
                   Path.cwd() / "reports" / _NAME]
    for path in candidates:
        if path.is_file():
            return path.resolve()
    return candidates[0].resolve()


_AUC = re.compile(r"origin (\d{4}-\d{2}-\d{2}), auc: \*\*([0-9.]+)\*\*")
_TARGET = re.compile(r"^- origin .*\((target [^)]*)\) — (met|NOT met)", re.M)
_ORIGIN = re.compile(r"^## Origin (\d{4}-\d{2}-\d{2})", re.M)
_DEFAULT = re.compile(r"Forecasts use \*\*([^*]+)\*\*")


def card_summary(text: str) -> list[str]:
    """Three plain lines: what the model predicts, how it was checked, how well it did."""
    origins = sorted(set(_ORIGIN.findall(text)))
    aucs = dict(_AUC.findall(text))
    targets = _TARGET.findall(text)
    model = _DEFAULT.search(text)
    lines = ["What it tells you: the chance that a finished TV or web series gets a new"
             " season within 1, 2, 3 and 5 years, and ever"
             + (f" (model: {model.group(1)})." if model else ".")]
    if origins:
        lines.append("How it was checked: forecasts made with only what was known on "
                     + " and ".join(origins) + " were compared with what really happened.")
    else:
        lines.append("How it was checked: forecasts made as of past dates were compared with"
                     " what really happened.")
    if aucs:
        origin = max(aucs)
        auc = float(aucs[origin])
        met = sum(1 for _, m in targets if m == "met")
        lines.append(f"How well: from {origin}, it put a show that got a new season above one"
                     f" that did not {auc:.0%} of the time"
                     + (f"; {met} of {len(targets)} targets met." if targets else "."))
    else:
        lines.append("How well: see the scores below.")
    return lines
