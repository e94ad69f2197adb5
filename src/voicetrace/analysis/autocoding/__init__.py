"""Machine-assisted coding: suggesters that propose codes for passages, never codings by themselves."""
from voicetrace.analysis.autocoding.classifier import ClassifierSuggester
from voicetrace.analysis.autocoding.combined import CombinedSuggester
from voicetrace.analysis.autocoding.defaults import Example, default_codebook, load_gold, load_statements
from voicetrace.analysis.autocoding.embedders import (
    CachedEmbedder,
    Embedder,
    FakeEmbedder,
    MemoryCache,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    SqliteCache,
    local_embedder,
    user_cache_dir,
)
from voicetrace.analysis.autocoding.lexicon import LexiconSuggester
from voicetrace.analysis.autocoding.predictions import (
    CodeSpace,
    Labels,
    Prediction,
    ScoredCode,
    Suggester,
    Thresholds,
    to_suggestions,
)
from voicetrace.analysis.autocoding.zeroshot import ZeroShotSuggester

__all__ = [
    "CachedEmbedder", "ClassifierSuggester", "CodeSpace", "CombinedSuggester", "Embedder", "Example",
    "FakeEmbedder", "Labels", "LexiconSuggester", "MemoryCache", "OnnxEmbedder", "Prediction", "ScoredCode",
    "SentenceTransformerEmbedder", "SqliteCache", "Suggester", "Thresholds", "ZeroShotSuggester",
    "default_codebook", "load_gold", "load_statements", "local_embedder", "to_suggestions", "user_cache_dir",
]
