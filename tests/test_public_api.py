import voicetrace


def test_all_is_explicit_and_importable() -> None:
    assert sorted(voicetrace.__all__) == sorted(set(voicetrace.__all__))
    for name in voicetrace.__all__:
        assert hasattr(voicetrace, name), name
    public = {n for n in dir(voicetrace) if not n.startswith("_") and n not in
              {"core", "services", "storage", "ingest", "exchange", "analysis", "reports", "cli", "web", "sample",
               "annotations", "data"}}
    assert public <= set(voicetrace.__all__), public - set(voicetrace.__all__)
