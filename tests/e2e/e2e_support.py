"""Helpers of the browser journeys: Chromium's launch, the console watch, screenshots, a real PNG, and where a
latitude/longitude falls on a Leaflet map that was fitted to the mechanism's bounds.
"""

from __future__ import annotations

import math
import os
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
# The bounds map.js fits every map to (south-west, north-east): the bundled outlines' extent, with its padding
# (pixels on each side) and zoom snap.
MAP_BOUNDS = ((23.694525458, 60.486777791), (38.473673402, 77.048970988))
MAP_PADDING = 16
ZOOM_SNAP = 0.25
EARTH_RADIUS = 6378137.0
MAX_LATITUDE = 85.0511287798

# A CSP violation is reported to the console too, but the event names the directive even where the console
# message is terse; it is logged as an error so the watch below catches it either way.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + e.blockedURI);
});
"""
_FAILED_LOAD = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


def chromium_path() -> str:
    path = os.environ.get("CEASEFIRE_CHROMIUM") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            f"Chromium not found at {path}: install Debian's chromium (scripts/install-test-deps) or set "
            "CEASEFIRE_CHROMIUM to its path. The browser journeys never download a browser.",
            pytrace=False,
        )
    return path


def artifacts_dir() -> Path:
    """<CEASEFIRE_TEST_ARTIFACTS or <repo>/test-artifacts>/e2e: scripts/test keeps every pass's files apart."""
    base = Path(os.environ.get("CEASEFIRE_TEST_ARTIFACTS") or REPO / "test-artifacts")
    folder = base / "e2e"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    path = artifacts_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


@dataclass
class ConsoleWatch:
    """Console errors and uncaught exceptions of one page; error responses a journey asked for are allowed."""

    page_name: str
    errors: list[str] = field(default_factory=list)
    allowed_statuses: set[int] = field(default_factory=set)

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)

    def allow_status(self, status: int) -> None:
        """A journey that expects a 404/422/429 page: Chromium logs the document's status as an error."""
        self.allowed_statuses.add(status)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type not in ("error", "assert"):
            return
        failed = _FAILED_LOAD.search(message.text)
        if failed and int(failed.group(1)) in self.allowed_statuses:
            return
        self.errors.append(f"[{self.page_name}] console {message.type}: {message.text} at {message.location}")

    def _on_pageerror(self, error: Error) -> None:
        self.errors.append(f"[{self.page_name}] page error: {error.message}")


@dataclass
class Tab:
    """A page of one persona's browser context, with the watch on its console."""

    page: Page
    watch: ConsoleWatch


@dataclass
class FiledComplaint:
    """The complaint af-liaison filed by clicking the map, as the later journeys look for it."""

    code: str
    title: str
    url: str
    evidence_name: str
    evidence_bytes: bytes
    evidence_url: str
    latitude: float
    longitude: float


def tiny_png(seed: int = 0, size: int = 8) -> bytes:
    """A real PNG (RGB, size×size, a gradient varied by seed), built by hand so no image library is needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(bytes(((x * 31 + seed) % 256, (y * 29) % 256, (seed * 7) % 256)) for x in range(size))
        for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _project(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Leaflet's EPSG:3857 projection to pixels at a zoom level."""
    scale = 256 * 2**zoom
    sin = math.sin(math.radians(max(min(MAX_LATITUDE, lat), -MAX_LATITUDE)))
    x = EARTH_RADIUS * math.radians(lon)
    y = EARTH_RADIUS * math.log((1 + sin) / (1 - sin)) / 2
    k = 0.5 / (math.pi * EARTH_RADIUS)
    return scale * (k * x + 0.5), scale * (-k * y + 0.5)


def _fitted_zoom(width: float, height: float) -> float:
    """The zoom Leaflet's fitBounds picks for MAP_BOUNDS in a map of this size (L.Map.getBoundsZoom)."""
    (south, west), (north, east) = MAP_BOUNDS
    x1, y1 = _project(north, west, 0)
    x2, y2 = _project(south, east, 0)
    zoom = math.log2(min((width - 2 * MAP_PADDING) / (x2 - x1), (height - 2 * MAP_PADDING) / (y2 - y1)))
    zoom = round(zoom / (ZOOM_SNAP / 100)) * (ZOOM_SNAP / 100)
    return math.floor(zoom / ZOOM_SNAP) * ZOOM_SNAP


def map_point(width: float, height: float, lat: float, lon: float) -> dict[str, float]:
    """Where (lat, lon) is drawn in a freshly fitted map of this inner size, as a click position."""
    zoom = _fitted_zoom(width, height)
    (south, west), (north, east) = MAP_BOUNDS
    sx, sy = _project(south, west, zoom)
    nx, ny = _project(north, east, zoom)
    px, py = _project(lat, lon, zoom)
    return {"x": px - (sx + nx) / 2 + width / 2, "y": py - (sy + ny) / 2 + height / 2}
