"""Readers load with their format: importing a text file must not pay for python-docx, odfpy or pdfium."""
from __future__ import annotations

import json
import subprocess
import sys

from voicetrace.ingest import SUPPORTED_EXTENSIONS, read_bytes
from voicetrace.ingest.registry import reader_for


def test_every_registered_extension_resolves_to_a_reader() -> None:
    for ext in SUPPORTED_EXTENSIONS:
        assert callable(reader_for(ext)), ext
        assert reader_for(ext.upper()) is reader_for(ext)
    assert reader_for(".xyz") is None


def test_a_text_file_does_not_import_the_other_readers() -> None:
    code = ("import json, sys\nfrom voicetrace.ingest import read_bytes\n"
            "read_bytes('a.txt', b'Minutes of the group.')\n"
            "print(json.dumps([m for m in ('docx', 'odf', 'pypdfium2', 'pypdf', 'bs4') if m in sys.modules]))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(run.stdout) == []
    assert read_bytes("t.srt", b"1\n00:00:01,000 --> 00:00:02,000\nMargaret: Hello\n").text
