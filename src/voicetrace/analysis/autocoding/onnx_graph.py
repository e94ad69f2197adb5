"""Build an ONNX graph of a sentence-transformers BERT model straight from its safetensors weights.

The packaged all-MiniLM-L6-v2 ships PyTorch weights only. Exporting them the usual way needs torch
(860 MB installed) just to trace a six-layer encoder once, so this module writes the same computation
by hand with `onnx.helper`: embeddings, post-norm BERT layers (exact erf GELU), masked mean pooling and
L2 normalisation — the three modules listed in the model's modules.json. The result is checked against
vectors computed with sentence-transformers + torch (tests/analysis/autocoding/fixtures).

Only the configurations this BERT family uses are supported; anything else is a clear error rather
than a silently different model.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from voicetrace.core.errors import InputError

OPSET = 17  # first opset with LayerNormalization
GRAPH_VERSION = 1  # bump when the graph built here changes: cached graphs are keyed by it
INPUTS = ("input_ids", "attention_mask")
OUTPUT = "sentence_embedding"


def _config(model_dir: Path) -> dict[str, Any]:
    cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    if cfg.get("model_type") != "bert" or cfg.get("hidden_act") != "gelu" \
            or cfg.get("position_embedding_type", "absolute") != "absolute":
        raise InputError(str(model_dir), "only BERT models with GELU and absolute positions can run without torch")
    modules = model_dir / "modules.json"
    kinds = [m["type"].rsplit(".", 1)[-1] for m in json.loads(modules.read_text(encoding="utf-8"))] \
        if modules.is_file() else ["Transformer", "Pooling"]
    pooling_file = model_dir / "1_Pooling" / "config.json"
    pooling = json.loads(pooling_file.read_text(encoding="utf-8")) if pooling_file.is_file() else \
        {"pooling_mode_mean_tokens": True}
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
    if kinds[:2] != ["Transformer", "Pooling"] or modes != ["pooling_mode_mean_tokens"] \
            or any(k not in {"Transformer", "Pooling", "Normalize"} for k in kinds):
        raise InputError(str(model_dir), f"only mean-pooled sentence-transformers models are supported ({kinds}, {modes})")
    cfg["normalize"] = "Normalize" in kinds
    return cfg


def build_model(model_dir: str | Path) -> Any:
    """The onnx ModelProto: inputs input_ids, attention_mask (int64, [batch, tokens]); output
    sentence_embedding (float32, [batch, hidden]), L2-normalised when the model normalises."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.numpy import load_file

    model_dir = Path(model_dir)
    cfg = _config(model_dir)
    weights = load_file(str(model_dir / "model.safetensors"))
    prefix = "bert." if any(k.startswith("bert.") for k in weights) else ""
    hidden, heads = int(cfg["hidden_size"]), int(cfg["num_attention_heads"])
    head_dim, eps = hidden // heads, float(cfg.get("layer_norm_eps", 1e-12))

    nodes: list[Any] = []
    inits: list[Any] = []
    counter = iter(range(10**9))

    def fresh(stem: str) -> str:
        return f"{stem}_{next(counter)}"

    def const(value: Any, stem: str = "c", dtype: Any = np.float32) -> str:
        name = fresh(stem)
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def weight(key: str, transpose: bool = False) -> str:
        array = weights[prefix + key]
        array = np.ascontiguousarray(array.T if transpose else array, dtype=np.float32)
        inits.append(numpy_helper.from_array(array, key))
        return key

    def op(kind: str, *inputs: str, **attrs: Any) -> str:
        out = fresh(kind.lower())
        nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out

    def linear(x: str, key: str) -> str:
        return op("Add", op("MatMul", x, weight(f"{key}.weight", transpose=True)), weight(f"{key}.bias"))

    def layer_norm(x: str, key: str) -> str:
        return op("LayerNormalization", x, weight(f"{key}.weight"), weight(f"{key}.bias"), axis=-1, epsilon=eps)

    # Embeddings: word + absolute position + token type 0 (single sentences only), then LayerNorm.
    length = op("Gather", op("Shape", "input_ids"), const(1, "one", np.int64), axis=0)
    positions = op("Range", const(0, "zero", np.int64), length, const(1, "step", np.int64))
    x = op("Add", op("Gather", weight("embeddings.word_embeddings.weight"), "input_ids", axis=0),
           op("Gather", weight("embeddings.position_embeddings.weight"), positions, axis=0))
    x = op("Add", x, const(weights[prefix + "embeddings.token_type_embeddings.weight"][0], "type0"))
    x = layer_norm(x, "embeddings.LayerNorm")

    # Padding gets the most negative float before softmax, as transformers does.
    mask = op("Cast", "attention_mask", to=TensorProto.FLOAT)
    bias = op("Mul", op("Sub", const(1.0, "one_f"), op("Unsqueeze", mask, const([1, 2], "axes", np.int64))),
              const(np.finfo(np.float32).min, "neg"))
    split = const([0, 0, heads, head_dim], "split_shape", np.int64)
    merge = const([0, 0, hidden], "merge_shape", np.int64)
    scale = const(1.0 / np.sqrt(head_dim), "scale")

    def heads_of(t: str) -> str:  # [B, L, H] -> [B, heads, L, head_dim]
        return op("Transpose", op("Reshape", t, split), perm=[0, 2, 1, 3])

    for i in range(int(cfg["num_hidden_layers"])):
        base = f"encoder.layer.{i}"
        q = heads_of(linear(x, f"{base}.attention.self.query"))
        k = op("Transpose", op("Reshape", linear(x, f"{base}.attention.self.key"), split), perm=[0, 2, 3, 1])
        v = heads_of(linear(x, f"{base}.attention.self.value"))
        scores = op("Add", op("Mul", op("MatMul", q, k), scale), bias)
        context = op("MatMul", op("Softmax", scores, axis=-1), v)
        context = op("Reshape", op("Transpose", context, perm=[0, 2, 1, 3]), merge)
        x = layer_norm(op("Add", linear(context, f"{base}.attention.output.dense"), x),
                       f"{base}.attention.output.LayerNorm")
        inner = linear(x, f"{base}.intermediate.dense")
        gelu = op("Mul", op("Mul", inner, const(0.5, "half")),
                  op("Add", op("Erf", op("Div", inner, const(np.sqrt(2.0), "sqrt2"))), const(1.0, "one_g")))
        x = layer_norm(op("Add", linear(gelu, f"{base}.output.dense"), x), f"{base}.output.LayerNorm")

    # Mean over real tokens (sentence-transformers clamps the count at 1e-9), then L2 normalise.
    mask3 = op("Unsqueeze", mask, const([-1], "axes", np.int64))
    axis1 = const([1], "axis1", np.int64)
    summed = op("ReduceSum", op("Mul", x, mask3), axis1, keepdims=0)
    count = op("Max", op("ReduceSum", mask3, axis1, keepdims=0), const(1e-9, "tiny"))
    pooled = op("Div", summed, count)
    if cfg["normalize"]:
        # ReduceL2 takes its axes as an attribute until opset 18 (ReduceSum as an input since 13).
        norm = op("Max", op("ReduceL2", pooled, axes=[-1], keepdims=1),
                  const(1e-12, "eps_norm"))
        pooled = op("Div", pooled, norm)
    nodes.append(helper.make_node("Identity", [pooled], [OUTPUT]))

    graph = helper.make_graph(
        nodes, "sentence_embedding",
        [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "tokens"]) for n in INPUTS],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", hidden])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="voicetrace")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write_model(model_dir: str | Path, target: str | Path) -> Path:
    """Build and save atomically, so a half-written file never looks like a cached graph."""
    import onnx

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{np.random.default_rng().integers(1 << 30)}.tmp")
    try:
        onnx.save_model(build_model(model_dir), str(tmp))
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
