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


# SQL lives in storage/. Elsewhere a module may name the connection and row types that storage's functions
# take and return, to annotate them, but never build or run a query.
SQLALCHEMY_TYPE_NAMES = {"Connection", "Row"}
# What a module outside storage still takes from sqlalchemy beyond those names; the list only shrinks.
SQLALCHEMY_STILL_IMPORTED = {
    "services/search.py": {"OperationalError"},  # an FTS5 syntax error, retried with the query quoted
    "services/projects.py": {"OperationalError"},  # a file that is not a project, said as an InputError
}


def _sqlalchemy_names(path: Path) -> set[str]:
    """Every name a module takes from sqlalchemy; `import sqlalchemy` counts as taking all of it ("*")."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "sqlalchemy":
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "sqlalchemy" for a in node.names):
            names.add("*")
    return names


def test_no_sql_outside_storage() -> None:
    bad = []
    for f in sorted(PKG.rglob("*.py")):
        rel = f.relative_to(PKG).as_posix()
        if rel.startswith("storage/"):
            continue
        extra = _sqlalchemy_names(f) - SQLALCHEMY_TYPE_NAMES - SQLALCHEMY_STILL_IMPORTED.get(rel, set())
        if extra:
            bad.append(f"{rel} imports {sorted(extra)} from sqlalchemy")
    assert not bad, bad
    stale = [rel for rel, names in SQLALCHEMY_STILL_IMPORTED.items() if not names & _sqlalchemy_names(PKG / rel)]
    assert not stale, f"no longer needed in SQLALCHEMY_STILL_IMPORTED: {stale}"
