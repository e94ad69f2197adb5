"""Every public function and method of src/voicetrace is used by src/voicetrace.

A public name that only tests call is a rule with a second home: the live code does the same thing some
other way, or the name is dead and its tests test nothing the program does. Either wire it in or delete it
with its tests. A name is "used" when it appears anywhere in the package (as a name, an attribute, an
imported name, a string or a word of a template) other than inside its own definition; that is loose on
purpose (two methods called `get` cover each other), so what it finds is surely unused.
"""
from __future__ import annotations

import ast
import functools
import re
import tomllib
from collections import Counter
from pathlib import Path

import voicetrace
from voicetrace.services.project import Project

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "voicetrace"

# Library API that people use from Python (notebooks, scripts) though the package does not call it, each
# with who it is for. An entry the package comes to use, or deletes, is reported as stale.
ALLOWED: dict[str, str] = {
    "ClassifierSuggester.trained_dimensions": "what a fitted suggester learned, for people inspecting one",
    "read_file": "a path in, a ParsedSource out, for scripts and bench/bench_ingest_pdf.py; imports read "
                 "with file_bytes and parse_bytes instead because they hash the bytes before parsing",
    "PositionResolver.to_raw": "resolve()'s inverse, to write offsets in a vendor's counting scheme; the "
                               "round trip through it is how the tests prove every scheme",
}

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _registered(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A handler that a framework calls: `@router.get(...)`, `@app.command(...)`, `@app.exception_handler(...)`."""
    return any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) for d in fn.decorator_list)


def _definitions() -> list[tuple[str, str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """(module path, qualified name, node) of every public top-level function and public method."""
    found = []
    for f in sorted(PKG.rglob("*.py")):
        rel = f.relative_to(PKG).as_posix()
        for node in ast.parse(f.read_text("utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((rel, node.name, node))
            elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        found.append((rel, f"{node.name}.{item.name}", item))
    return [(rel, q, n) for rel, q, n in found if not n.name.startswith("_") and not _registered(n)]


def _words(node: ast.AST) -> list[str]:
    """The identifiers one node uses: a name, an attribute, an imported name, a keyword, words of a string."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.alias):
        return [node.name.split(".")[-1], *([node.asname] if node.asname else [])]
    if isinstance(node, ast.keyword) and node.arg:
        return [node.arg]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _WORD.findall(node.value)
    return []


def _uses() -> Counter[str]:
    """How often each word is used in the package: its modules, templates and the console scripts."""
    total: Counter[str] = Counter()
    listed: Counter[str] = Counter()
    for f in sorted(PKG.rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text("utf-8"))):
            total.update(_words(node))
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__"
                                                    for t in node.targets):
                listed.update(w for n in ast.walk(node.value) for w in _words(n))
    total.subtract(listed)  # naming a function in `__all__` exports it; it is not a use
    for folder in ("web/templates", "web/static", "reports/templates"):  # templates call methods too
        for f in (PKG / folder).rglob("*"):
            if f.is_file() and f.suffix in (".html", ".j2", ".js", ".md", ".txt"):
                total.update(_WORD.findall(f.read_text("utf-8", errors="replace")))
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"].get("scripts", {})
    total.update(ref.split(":")[-1] for ref in scripts.values())
    return total


def _facade() -> set[str]:
    """The classes whose public methods are the Project facade's API: Project and what it still inherits."""
    return {cls.__name__ for cls in Project.__mro__ if cls is not object}


@functools.cache
def _unused() -> list[tuple[str, str]]:
    """(module, qualified name) of each public function or method that nothing in the package uses."""
    total, facade, exported = _uses(), _facade(), set(voicetrace.__all__)
    out = []
    for rel, qual, node in _definitions():
        if node.name in exported or ("." in qual and qual.split(".")[0] in facade):
            continue
        own = sum(_words(n).count(node.name) for n in ast.walk(node))  # a recursive call is no use
        if total[node.name] - own <= 0:
            out.append((rel, qual))
    return out


def test_no_public_function_is_used_only_by_tests() -> None:
    unused = [f"{rel}: {qual}" for rel, qual in _unused() if qual not in ALLOWED]
    assert not unused, ("public, but used by nothing in the package (wire it in, delete it with its tests, or "
                        "allowlist it with a reason):\n" + "\n".join(unused))


def test_the_allowlist_is_not_stale() -> None:
    still = {qual for _rel, qual in _unused()}
    assert set(ALLOWED) <= still, f"allowlisted but now used or gone: {sorted(set(ALLOWED) - still)}"
