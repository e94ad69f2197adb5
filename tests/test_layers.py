"""The import direction of ARCHITECTURE.md, enforced by reading every module's imports."""
import ast
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "voicetrace"
ALLOWED = {
    "core": set(),
    "ingest": {"core"},
    "storage": {"core"},
    "analysis": {"core"},
    "exchange": {"core", "storage"},
    "reports": {"core", "analysis"},
    "sample": {"core"},
    "services": {"core", "ingest", "storage", "analysis", "exchange", "reports", "sample"},
    "cli": {"services", "core", "web"},  # `voicetrace serve` starts the web interface
    "web": {"services", "core"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    pkg_parts = path.relative_to(PKG.parent).with_suffix("").parts
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(pkg_parts[:-node.level])
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_layers_import_only_downwards() -> None:
    bad = []
    for layer, allowed in ALLOWED.items():
        for f in (PKG / layer).rglob("*.py"):
            for mod in _imports(f):
                parts = mod.split(".")
                if parts[0] != "voicetrace" or len(parts) < 2:
                    continue
                target = parts[1]
                if target in ALLOWED and target != layer and target not in allowed:
                    bad.append(f"{f.relative_to(PKG)} imports {mod}")
    assert not bad, bad


def test_core_uses_only_the_standard_library() -> None:
    std = set(sys.stdlib_module_names)
    for f in (PKG / "core").rglob("*.py"):
        for mod in _imports(f):
            top = mod.split(".")[0]
            assert top in std or top == "voicetrace" or top == "__future__", f"{f.name} imports {mod}"


def test_only_storage_imports_sqlalchemy() -> None:
    for f in PKG.rglob("*.py"):
        layer = f.relative_to(PKG).parts[0]
        if layer in ("storage", "services"):
            continue
        assert not any(m.split(".")[0] == "sqlalchemy" for m in _imports(f)), f
