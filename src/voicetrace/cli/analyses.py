"""`voicetrace analysis PROJECT NAME`: every analysis DataFrame as a terminal table, CSV or JSONL."""
from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..core.cases import short_case_names
from ..core.cells import formula_safe
from . import output
from .common import ProjectArg, guarded, open_project

if TYPE_CHECKING:
    import pandas as pd

ANALYSES: dict[str, tuple[str, list[str]]] = {
    "profile": ("influence_profile", ["case", "level", "domain", "n_claims", "claimed", "corroborated", "documented"]),
    "balance": ("grassroots_strategic_balance", ["case", "n_claims", "grassroots", "organisational", "strategic",
                                                 "unclear", "strategic_corroborated", "balance"]),
    "matrix": ("framework_matrix", ["case", "code", "count", "n_sources", "n_participants", "roles", "summary"]),
    "cooccurrence": ("co_occurrence", []),
    "factors": ("enablers_barriers", ["case", "dimension", "code", "count", "n_sources", "n_participants", "roles"]),
    "connections": ("connections_analysis", ["case", "target", "target_type", "route_label", "n_claims_route",
                                             "n_strategic", "strongest", "ran_through"]),
    "crosscase": ("cross_case_comparison", ["attribute", "value", "n_cases", "n_strategic_any",
                                            "n_strategic_corroborated", "cases"]),
    "claims": ("claims_frame", ["claim_id", "case", "level", "domain", "status", "evidence_strength", "n_evidence",
                                "n_contradicting", "change"]),
}


def _cell(v: Any) -> Any:
    if isinstance(v, (list, tuple, set)):
        return "; ".join(map(str, v))
    return v


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def analysis(project: ProjectArg,
                 name: Annotated[str, typer.Argument(help="profile, balance, matrix, cooccurrence, factors, "
                                                          "connections, crosscase or claims.")],
                 format: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
                 case: Annotated[str | None, typer.Option(help="Only this case (where the analysis has cases).")] = None,
                 all_columns: Annotated[bool, typer.Option("--all-columns", help="Every column, not the summary ones.")] = False) -> None:
        """An analysis as a table: influence profile, grass-roots/strategic balance, framework matrix, …"""
        if name not in ANALYSES:
            output.fail(f"analysis: unknown analysis {name!r} (one of: {', '.join(ANALYSES)})")
        method, cols = ANALYSES[name]
        p = open_project(project)
        if name in ("profile", "balance", "connections", "crosscase", "claims"):
            p.ensure_claims()
        df: pd.DataFrame = getattr(p, method)()
        if case is not None and "case" in df.columns:
            df = df[df["case"] == case]
        if name == "matrix":
            df = df[df["count"] > 0]
        if name == "cooccurrence":
            df = df.reset_index().rename(columns={"index": "code"})
        elif cols and not all_columns:
            df = df[[c for c in cols if c in df.columns]]
        df = df.apply(lambda col: col.map(_cell))
        if format == "csv":
            df.map(formula_safe).to_csv(sys.stdout, index=False)
        elif format == "jsonl":
            df.to_json(sys.stdout, orient="records", lines=True, force_ascii=False)
            sys.stdout.write("\n") if len(df) else None
        elif format == "table":
            short = short_case_names([str(c) for c in df["case"].dropna().unique()]) if "case" in df.columns else {}
            shown = df.copy()
            if short:
                shown["case"] = shown["case"].map(lambda c: short.get(str(c), c))
            output.table(f"{name}: {len(df)} rows", [str(c) for c in shown.columns],
                         [[("" if v is None or (isinstance(v, float) and math.isnan(v)) else (f"{v:.2f}" if isinstance(v, float) else v)) for v in row]
                          for row in shown.itertuples(index=False)])
        else:
            output.fail(f"--format: unknown format {format!r} (table, csv or jsonl)")
