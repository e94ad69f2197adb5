"""Fine-tune the bundled MiniLM end to end on the training statements (issue 15), on CPU, with torch.

Training needs the optional [torch] extra; using the result does not: the tuned encoder is saved as an
ordinary sentence-transformers folder in the user cache (`encoders/`), named by the hash of its weights,
and `resolve_model_path` prefers it when present, so the default ONNX route builds its graph from the tuned
safetensors like any other model and `classify`/`autocode` use it offline without torch. Removing the
pointer file (`train-encoder --reset`) goes back to the packaged model.

Objectives (measured in bench/bench_finetune.py): ``ce`` — a cosine-softmax head per dimension (claim,
level, domain, activity; class-balanced cross-entropy; heads start at the class means of the base vectors)
with the encoder unfrozen; ``supcon`` — SetFit-style supervised contrastive loss in each batch on the same
labels, no heads; ``both`` — the sum.
"""
from __future__ import annotations

import hashlib
import math
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from voicetrace.analysis.autocoding.defaults import Example
from voicetrace.analysis.autocoding.embedders import QUIET_ENV, encoders_dir, quiet_model_loading
from voicetrace.analysis.autocoding.embedders import TUNED_POINTER as POINTER
from voicetrace.analysis.autocoding.predictions import CodeSpace
from voicetrace.core.errors import InputError

DIMS = ("claim", "level", "domain", "activity")


def targets(examples: Sequence[Example], space: CodeSpace) -> dict[str, tuple[list[str], list[int]]]:
    """Class names and one index per example (-100 = not labelled / not a claim) for each trained dim."""
    out: dict[str, tuple[list[str], list[int]]] = {"claim": (["none", "claim"], [int(e.labels.is_claim) for e in examples])}
    for dim in DIMS[1:]:
        ids = list(space.ids(dim))
        pos = {c: i for i, c in enumerate(ids)}
        out[dim] = (ids, [pos.get(e.labels.single(dim), -100) if e.labels.is_claim else -100 for e in examples])
    return out


def _torch() -> tuple[Any, Any]:
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise InputError("train-encoder", "fine-tuning needs the optional extra: pip install 'voicetrace[torch]'") from exc
    return torch, SentenceTransformer


def finetune(train: Sequence[Example], space: CodeSpace, *, base: str, objective: str = "ce", epochs: int = 2,
             lr: float = 3e-5, batch: int = 16, max_len: int = 128, seed: int = 0,
             log: Callable[[str], None] = lambda _msg: None) -> Any:
    """The fine-tuned SentenceTransformer (in memory, eval mode, max_seq_length back at 256)."""
    if objective not in ("ce", "supcon", "both"):
        raise InputError("train-encoder", f"unknown objective {objective!r} (ce, supcon or both)")
    torch, sentence_transformer = _torch()
    import torch.nn.functional as F

    torch.manual_seed(seed)
    rng = random.Random(seed)
    for var, value in QUIET_ENV.items():
        os.environ.setdefault(var, value)
    with quiet_model_loading():
        model = sentence_transformer(base, device="cpu")
    tokenize = getattr(model, "preprocess", None) or model.tokenize
    model.max_seq_length = max_len
    texts = [e.text for e in train]
    tg = targets(train, space)
    ys = {d: torch.tensor(v[1]) for d, v in tg.items()}
    heads: dict[str, Any] = {}
    weights: dict[str, Any] = {}
    if objective in ("ce", "both"):
        model.eval()
        with torch.no_grad():
            vectors = torch.tensor(model.encode(texts, batch_size=64, normalize_embeddings=True))
        for d, (names, y) in tg.items():
            yt = torch.tensor(y)
            protos = torch.randn(len(names), vectors.shape[1]) * 0.01
            counts = torch.zeros(len(names))
            for k in range(len(names)):
                m = yt == k
                counts[k] = float(m.sum())
                if m.any():
                    protos[k] = vectors[m].mean(0)
            heads[d] = torch.nn.Parameter(protos)
            present = counts > 0
            w = torch.zeros(len(names))
            w[present] = counts[present].sum() / (present.sum() * counts[present])
            weights[d] = w
    params = [{"params": list(model.parameters()), "lr": lr}]
    if heads:
        params.append({"params": list(heads.values()), "lr": 1e-3})
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    steps = max(1, epochs * math.ceil(len(texts) / batch))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, (steps - s) / steps))
    scale, tau = 20.0, 0.1
    model.train()
    t0 = time.perf_counter()
    for ep in range(epochs):
        order = list(range(len(texts)))
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            feats = tokenize([texts[i] for i in idx])
            emb = F.normalize(model(feats)["sentence_embedding"], dim=-1)
            loss = emb.new_zeros(())
            it = torch.tensor(idx)
            for d, w in heads.items():
                y = ys[d][it]
                if (y >= 0).any():
                    logits = scale * emb @ F.normalize(w, dim=-1).T
                    loss = loss + F.cross_entropy(logits, y, weight=weights[d], ignore_index=-100)
            if objective in ("supcon", "both"):
                sim = emb @ emb.T / tau
                eye = torch.eye(len(idx), dtype=torch.bool)
                for d in ("level", "domain", "claim"):
                    y = ys[d][it]
                    ok = y >= 0
                    pos = (y[:, None] == y[None, :]) & ok[:, None] & ok[None, :] & ~eye
                    has = pos.any(1)
                    if has.any():
                        logp = sim.masked_fill(eye, -1e9).log_softmax(1)
                        loss = loss - (logp.masked_fill(~pos, 0).sum(1)[has] / pos.sum(1)[has]).mean()
            if loss.requires_grad:
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
            sched.step()
            total += loss.item()
        log(f"epoch {ep + 1}/{epochs}: mean loss {total / max(1, math.ceil(len(order) / batch)):.3f}, "
            f"{time.perf_counter() - t0:.0f} s")
    model.eval()
    model.max_seq_length = 256
    return model


def train_encoder(train: Sequence[Example], space: CodeSpace, *, base: str, epochs: int = 2, objective: str = "ce",
                  max_len: int = 128, seed: int = 0, log: Callable[[str], None] = lambda _msg: None) -> Path:
    """Fine-tune, save into the user cache under the hash of the weights, point `current` at it."""
    if not train:
        raise InputError("train-encoder", "no training statements")
    model = finetune(train, space, base=base, objective=objective, epochs=epochs, max_len=max_len, seed=seed, log=log)
    root = encoders_dir()
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    with quiet_model_loading():
        model.save(str(tmp))
    # Only the weights changed: keep the packaged model's module and pooling files, which the ONNX graph
    # builder reads (newer sentence-transformers write these in a shape it does not know).
    for rel in ("modules.json", "1_Pooling/config.json", "sentence_bert_config.json"):
        if (Path(base) / rel).is_file():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(base) / rel, tmp / rel)
    weights = tmp / "model.safetensors"
    if not weights.is_file():
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(str(tmp), "the saved encoder has no model.safetensors")
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:12]
    base_name = Path(base).parent.name if Path(base).name == "model" else Path(base).name
    final = root / f"{base_name}-tuned-{digest}"
    if final.exists():
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp.rename(final)
    pointer_tmp = root / f".{POINTER}.{os.getpid()}"
    pointer_tmp.write_text(final.name + "\n", encoding="utf-8")
    pointer_tmp.replace(root / POINTER)
    return final


def reset_encoder() -> bool:
    """Go back to the packaged encoder; True if a tuned one was in use (its folder stays, unused)."""
    pointer = encoders_dir() / POINTER
    if pointer.is_file():
        pointer.unlink()
        return True
    return False
