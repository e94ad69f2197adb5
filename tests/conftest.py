"""Shared fixtures: throwaway projects and a tiny mixed corpus written on the fly."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import voicetrace


@pytest.fixture
def project(tmp_path: Path):
    p = voicetrace.create(tmp_path / "p.db")
    yield p
    p.close()


MINUTES = ("Partnership group minutes\n\nPresent: Margaret, Derek, Helen (facilitator).\n\n"
           "Item 2. Following the survey, the quiet room was refurbished after members asked for it.\n\n"
           "Action: Helen to write to the car parking manager about charges for patients.\n")
INTERVIEW = ("Interviewer: How did the group start?\n\nMargaret: Well, it was after my treatment, you know. "
             "The parking was terrible.\n\nInterviewer: And the facilitator?\n\nMargaret: She made all the "
             "difference, honestly.\n\nDr Lomax: The trust confirmed the new parking permits for patients.\n")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    (d / "northvale").mkdir(parents=True)
    (d / "northvale" / "minutes-2008-03-12.txt").write_text(MINUTES, encoding="utf-8")
    (d / "northvale" / "interview-01-margaret.txt").write_text(INTERVIEW, encoding="utf-8")
    (d / "cases.csv").write_text("case,nation,year_formed,funded_facilitator,annual_budget_gbp\n"
                                 "Northvale,England,2002,yes,21500\nGlanmorfa,Wales,2004,no,4200\n", encoding="utf-8")
    (d / "participants.csv").write_text("pseudonym,role,case,consent_date\nMargaret,service_user,Northvale,2008-10-14\n"
                                        "Dr Lomax,clinician,Northvale,2008-11-04\n", encoding="utf-8")
    (d / "connections.csv").write_text("case,target,target_type,relationship\nNorthvale,Network board,network_board,seat\n",
                                       encoding="utf-8")
    (d / "sources.csv").write_text(
        "file,case,kind,date,title\n"
        "northvale/minutes-2008-03-12.txt,Northvale,minutes,2008-03-12,March minutes\n"
        "northvale/interview-01-margaret.txt,Northvale,interview,2008-10-14,Interview with Margaret\n",
        encoding="utf-8")
    return d


# Every 8th bundled seed statement: 142 of 1130, with every code of the codebook still among them. A fit on
# the whole set takes seconds even with the fake embedder; tests about anything but the seed set use this.
SMALL_SEED_STEP = 8


@pytest.fixture(scope="session")
def small_seed():
    from voicetrace.analysis.autocoding.defaults import load_statements
    return load_statements()[::SMALL_SEED_STEP]


@pytest.fixture
def small_default_seed(monkeypatch, small_seed):
    """Code that trains on the bundled seed statements and gold quotes (autocode, classify) gets a slice of
    them instead: the name is replaced wherever a voicetrace module has imported it."""
    import importlib
    import sys

    from voicetrace.analysis.autocoding import defaults

    for trainer in ("voicetrace.analysis.classify", "voicetrace.services.autocode"):
        importlib.import_module(trainer)  # loaded now, so their imported names are patched below too

    real_gold = defaults.load_gold
    swaps = [(defaults.load_statements, lambda path=None: list(small_seed)),
             (real_gold, lambda space, folder=None: real_gold(space, folder)[::SMALL_SEED_STEP])]
    for mod in [m for n, m in list(sys.modules.items()) if n.startswith("voicetrace")]:
        for name, value in list(vars(mod).items()):
            for real, small in swaps:
                if value is real:
                    monkeypatch.setattr(mod, name, small)
