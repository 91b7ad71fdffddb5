"""The content-addressed evidence store on a real directory: addresses, read-only originals, streaming."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from incident_samples import (
    FORBIDDEN,
    SAMPLES,
    stored_files,
)

from ceasefire.incidents import evidence_store
from ceasefire.incidents.filetypes import DisallowedFile

pytestmark = pytest.mark.unit


class ReadRecorder(io.RawIOBase):
    """A real file, noting each requested size: a streaming reader never asks for 'everything'."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self.requests: list[int | None] = []

    def read(self, size: int | None = -1) -> bytes:
        self.requests.append(size)
        return self._file.read(size)

    def close(self) -> None:
        self._file.close()
        super().close()


def test_put_stores_under_sha256_address(evidence_dir: Path) -> None:
    data, media_type = SAMPLES["report.pdf"]

    blob = evidence_store.put(io.BytesIO(data))

    sha = hashlib.sha256(data).hexdigest()
    assert (blob.sha256, blob.size, blob.media_type) == (sha, len(data), media_type)
    assert evidence_store.path_for(sha) == evidence_dir / sha[:2] / sha[2:4] / sha
    assert stored_files(evidence_dir) == [evidence_dir / sha[:2] / sha[2:4] / sha]


def test_put_keeps_original_bytes_read_only(evidence_dir: Path) -> None:
    data = SAMPLES["photo.jpg"][0]

    blob = evidence_store.put(io.BytesIO(data))

    path = evidence_store.path_for(blob.sha256)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    with evidence_store.open_blob(blob.sha256) as stored:  # type: ignore[attr-defined]
        assert stored.read() == data


def test_put_stores_same_bytes_once(evidence_dir: Path) -> None:
    data = SAMPLES["photo.png"][0]

    first = evidence_store.put(io.BytesIO(data))
    second = evidence_store.put(SimpleUploadedFile("again.png", data))

    assert first == second
    assert len(stored_files(evidence_dir)) == 1


def test_put_streams_large_file_in_chunks(evidence_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "long-video.mp4"
    head = SAMPLES["clip.mp4"][0]
    with source.open("wb") as out:
        out.write(head)
        for i in range(5):
            out.write(bytes([i]) * (evidence_store.CHUNK // 2 + 7))
    expected = hashlib.sha256(source.read_bytes()).hexdigest()
    reader = ReadRecorder(source)

    blob = evidence_store.put(reader)
    reader.close()

    assert blob.size == source.stat().st_size > evidence_store.CHUNK
    assert blob.sha256 == expected and blob.media_type == "video/mp4"
    assert len(reader.requests) > 2
    assert all(size == evidence_store.CHUNK for size in reader.requests)
    assert evidence_store.path_for(expected).read_bytes() == source.read_bytes()


def test_put_streams_uploaded_file_chunks(evidence_dir: Path) -> None:
    data = SAMPLES["call.wav"][0] + os.urandom(evidence_store.CHUNK * 2)

    blob = evidence_store.put(SimpleUploadedFile("call.wav", data))

    assert (blob.size, blob.media_type) == (len(data), "audio/wav")
    assert evidence_store.path_for(blob.sha256).read_bytes() == data


def test_put_refuses_file_over_limit_leaving_nothing(evidence_dir: Path, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 2048

    with pytest.raises(evidence_store.OversizeFile) as caught:
        evidence_store.put(io.BytesIO(SAMPLES["report.pdf"][0] + bytes(4096)))

    assert "2 KB" in str(caught.value)
    assert stored_files(evidence_dir) == []


def test_put_accepts_file_exactly_at_limit(evidence_dir: Path) -> None:
    data = SAMPLES["note.txt"][0]

    blob = evidence_store.put(io.BytesIO(data), max_bytes=len(data))

    assert blob.size == len(data)


@pytest.mark.parametrize("name", list(FORBIDDEN))
def test_put_refuses_forbidden_kind_leaving_nothing(evidence_dir: Path, name: str) -> None:
    with pytest.raises(DisallowedFile):
        evidence_store.put(io.BytesIO(FORBIDDEN[name]))

    assert stored_files(evidence_dir) == []


def test_put_accepts_pashto_text_cut_mid_character_at_sniff_boundary(evidence_dir: Path) -> None:
    line = "د تورخم په لاره کې د سوداګرۍ موټرونه ودرول شول.\n"
    data = ("x" + line * 40).encode()
    assert len(data) > 1024

    blob = evidence_store.put(io.BytesIO(data))

    assert blob.media_type == "text/plain"
    assert evidence_store.path_for(blob.sha256).read_bytes() == data


def test_stage_then_discard_leaves_nothing(evidence_dir: Path) -> None:
    staged = evidence_store.stage(io.BytesIO(SAMPLES["anim.gif"][0]))

    evidence_store.discard(staged)

    assert stored_files(evidence_dir) == []
    assert not evidence_store.path_for(staged.blob.sha256).exists()
