"""Exchange formats: REFI-QDA projects (.qdpx) and codebooks (.qdc).

A pure exchange layer: it turns files into :class:`QdaProject` values and back, and never touches
the database; ``services`` maps between these values and storage.
"""
from voicetrace.exchange.archives import DEFAULT_LIMITS, ArchiveLimits
from voicetrace.exchange.guids import guid_for
from voicetrace.exchange.qda_model import (
    QdaCase,
    QdaCode,
    QdaCoding,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSet,
    QdaSource,
    QdaUser,
    QdaVariable,
)
from voicetrace.exchange.qdc import read_qdc, validate_qdc, write_qdc
from voicetrace.exchange.qdpx import read_qdpx, validate_qde, write_qdpx

__all__ = [
    "DEFAULT_LIMITS",
    "ArchiveLimits",
    "QdaCase",
    "QdaCode",
    "QdaCoding",
    "QdaNote",
    "QdaProject",
    "QdaSelection",
    "QdaSet",
    "QdaSource",
    "QdaUser",
    "QdaVariable",
    "guid_for",
    "read_qdc",
    "read_qdpx",
    "validate_qdc",
    "validate_qde",
    "write_qdc",
    "write_qdpx",
]
