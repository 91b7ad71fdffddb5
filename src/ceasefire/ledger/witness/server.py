"""The witness's HTTP side: `POST /add-checkpoint` per C2SP tlog-witness v1.0.0, as a plain WSGI app.

Checks, in the specification's order: a well-formed body (400); the checkpoint's origin is a trusted log (404);
a trusted key's signature verifies (403); old size <= checkpoint size (400); old size equals the size last
cosigned (409, body `<size>\\n`, `text/x.tlog.size`); at equal sizes, equal roots (409); the consistency proof
(422). Then the new (size, root) is stored atomically and the answer is one cosignature line
(tlog-cosignature v1.0.1, Ed25519, the witness's clock). Check-and-store runs under one lock, so two requests
can never roll the stored size back (the race the specification describes).

Served by wsgiref's single-threaded server (`serve`): a witness gets one request per checkpoint per log, every
few seconds at most; a serial server makes check-and-store trivially atomic, and the standard library keeps the
witness a small, auditable program a party can run on any machine, with no Django, database or worker model.
"""

from __future__ import annotations

import base64
import binascii
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ..checkpoint import CheckpointError, CosignatureSigner, parse_checkpoint
from ..merkle import HASH_SIZE, ProofError, verify_append_only
from ..note import Ed25519Verifier, NoteError, UnverifiedNote, open_note, parse_note, signature_line
from .state import LogState, WitnessState

__all__ = ["WitnessApp", "serve"]

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024
MAX_PROOF_LINES = 63
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class _Refusal(Exception):
    def __init__(self, status: str, body: str = "", media_type: str = "text/plain; charset=utf-8") -> None:
        super().__init__(status)
        self.status, self.body, self.media_type = status, body, media_type


@dataclass(frozen=True)
class Request:
    old: int
    proof: list[bytes]
    note: str


def parse_request(body: bytes) -> Request:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refusal("400 Bad Request", "body is not UTF-8\n") from None
    head, separator, note = text.partition("\n\n")
    if not separator:
        raise _Refusal("400 Bad Request", "no empty line before the checkpoint\n")
    lines = head.split("\n")
    first = lines[0]
    size_text = first[4:] if first.startswith("old ") else ""
    if not (size_text == "0" or (size_text[:1] in "123456789" and size_text.isdigit())):
        raise _Refusal("400 Bad Request", "first line must be 'old <size>'\n")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise _Refusal("400 Bad Request", f"more than {MAX_PROOF_LINES} proof lines\n")
    proof = []
    for line in lines[1:]:
        try:
            item = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            raise _Refusal("400 Bad Request", "a proof line is not base64\n") from None
        if len(item) != HASH_SIZE:
            raise _Refusal("400 Bad Request", f"a proof hash is not {HASH_SIZE} bytes\n")
        proof.append(item)
    return Request(int(size_text), proof, note)


class WitnessApp:
    """WSGI app of one witness: `name` and Ed25519 `seed` cosign; `trusted` lists the logs' verifier keys
    (each key's name is its log's origin)."""

    def __init__(self, name: str, seed: bytes, trusted: Iterable[Ed25519Verifier], state: WitnessState) -> None:
        self.name, self.seed, self.state = name, seed, state
        self.logs: dict[str, list[Ed25519Verifier]] = {}
        for verifier in trusted:
            self.logs.setdefault(verifier.name, []).append(verifier)
        CosignatureSigner(name, seed)  # refuse a bad name or seed at start, not at the first request
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        try:
            if environ.get("PATH_INFO") != "/add-checkpoint":
                raise _Refusal("404 Not Found", "only POST /add-checkpoint is served\n")
            if environ.get("REQUEST_METHOD") != "POST":
                raise _Refusal("405 Method Not Allowed", "use POST\n")
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if length > MAX_BODY:
                raise _Refusal("400 Bad Request", "body too large\n")
            body = environ["wsgi.input"].read(length)
            status, text, media_type = "200 OK", self.add_checkpoint(parse_request(body)), "text/plain; charset=utf-8"
        except _Refusal as refusal:
            status, text, media_type = refusal.status, refusal.body, refusal.media_type
        payload = text.encode()
        start_response(status, [("Content-Type", media_type), ("Content-Length", str(len(payload)))])
        return [payload]

    def add_checkpoint(self, request: Request) -> str:
        try:
            text, _signatures = parse_note(request.note)
            checkpoint = parse_checkpoint(text)
        except (NoteError, CheckpointError) as error:
            raise _Refusal("400 Bad Request", f"{error}\n") from None
        verifiers = self.logs.get(checkpoint.origin)
        if verifiers is None:
            raise _Refusal("404 Not Found", f"unknown log origin {checkpoint.origin!r}\n")
        try:
            open_note(request.note, verifiers)
        except UnverifiedNote as error:
            raise _Refusal("403 Forbidden", f"{error}\n") from None
        except NoteError as error:
            raise _Refusal("400 Bad Request", f"{error}\n") from None
        if request.old > checkpoint.size:
            raise _Refusal("400 Bad Request", "old size is larger than the checkpoint size\n")
        with self._lock:
            known = self.state.get(checkpoint.origin)
            if request.old != known.size:
                raise _Refusal("409 Conflict", f"{known.size}\n", "text/x.tlog.size")
            if request.old == checkpoint.size and known.root != checkpoint.root_hash and known.size > 0:
                logger.error("fork: %s has two roots at size %d", checkpoint.origin, checkpoint.size)
                raise _Refusal("409 Conflict", f"{known.size}\n", "text/x.tlog.size")
            try:
                verify_append_only(
                    request.old,
                    checkpoint.size,
                    request.proof,
                    known.root if known.size else None,
                    checkpoint.root_hash,
                )
            except ProofError as error:
                logger.error("inconsistent checkpoint from %s: %s", checkpoint.origin, error)
                raise _Refusal("422 Unprocessable Entity", f"{error}\n") from None
            self.state.put(checkpoint.origin, LogState(checkpoint.size, checkpoint.root_hash))
        signer = CosignatureSigner(self.name, self.seed, int(time.time()))
        return signature_line(signer, text)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)


def serve(app: WitnessApp, host: str, port: int, ready: Callable[[WSGIServer], None] | None = None) -> None:
    """Serve until interrupted (or until `server.shutdown()` from another thread)."""
    server = make_server(host, port, app, server_class=WSGIServer, handler_class=_QuietHandler)
    if ready is not None:
        ready(server)
    try:
        server.serve_forever()
    finally:
        server.server_close()
