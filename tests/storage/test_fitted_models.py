from pathlib import Path

import voicetrace
from voicetrace.storage.fitted_models import ProjectModelStore, load_model, save_model


def test_models_round_trip_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    p = voicetrace.create(tmp_path / "a.db")
    store = ProjectModelStore(p.db)
    assert store.get("k1") is None
    store["k1"] = b"one"
    store["k1"] = b"one again"  # same key replaces
    assert store.get("k1") == b"one again"
    with p.db.begin() as conn:
        save_model(conn, "k2", b"two", keep=2)
        save_model(conn, "k3", b"three", keep=2)
        assert load_model(conn, "k1") is None
        assert load_model(conn, "k2") == b"two"
        assert load_model(conn, "k3") == b"three"
    p.close()
