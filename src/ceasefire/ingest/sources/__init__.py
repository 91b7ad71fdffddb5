"""One folder per source of external event data: its column layout, its category mapping and its parser.

Every parser turns a file into `ParsedRow`s (ingest/sources/base.py) or rejections naming file, line and column;
`formats()` lists them by source code and `sniff()` recognises a file of another source given to the wrong one.
"""

from __future__ import annotations

from .base import EventFormat, FileRejected, ParsedRow, Rejection, RowRejected, sniff


def formats() -> dict[str, EventFormat]:
    from .acled.parser import ACLED
    from .gdelt.parser import GDELT
    from .ucdp.parser import UCDP

    return {f.source: f for f in (UCDP, ACLED, GDELT)}


__all__ = ["EventFormat", "FileRejected", "ParsedRow", "Rejection", "RowRejected", "formats", "sniff"]
