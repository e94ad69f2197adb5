"""Machine-coding commands: autocode, review, evaluate, classify (thin wrappers over services)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import output
from .common import JsonFormatOpt, ProjectArg, guarded, open_project, within

if TYPE_CHECKING:
    from ..services.project import Project


def demo_autocode(p: Project, threshold: float) -> tuple[int, int, dict[str, Any] | None, str]:
    from ..services.autocode import autocode_project
    with output.progress_factory("suggesting") as prog:
        return autocode_project(p, accept_threshold=threshold, only_uncoded=True, by="demo", progress=prog)


def demo_evaluate(p: Project) -> dict[str, Any]:
    from ..services.autocode import evaluate_against
    return evaluate_against(p, "gold", compare=False, learning_curve=False)


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def autocode(project: ProjectArg,
                 accept: Annotated[float | None, typer.Option(help="Also accept suggestions scoring at least this.",
                                                              callback=within(0, 1))] = None,
                 all_segments: Annotated[bool, typer.Option("--all", help="Suggest for coded segments too.")] = False,
                 by: Annotated[str | None, typer.Option(help="Who accepts, with --accept (default: your coder name).")] = None) -> None:
        """Machine suggestions (never codings) for every uncoded segment, with a model that runs locally."""
        from ..services.autocode import autocode_project
        p = open_project(project)
        with output.progress_factory("suggesting") as prog:
            n, accepted, _, note = autocode_project(p, accept_threshold=accept, only_uncoded=not all_segments,
                                                    by=p.coder(by), progress=prog)
        output.out.print(f"{n} suggestions queued ({note})" + (f"; {accepted} accepted at ≥ {accept}" if accept else ""),
                         markup=False)
        output.out.print(f"review them with: voicetrace review {project}", markup=False)

    @app.command()
    @guarded
    def review(project: ProjectArg,
               coder: Annotated[str | None, typer.Option(help="Your name, recorded with each decision "
                                                             "(default: your coder name).")] = None,
               retrain_every: Annotated[int, typer.Option(help="Retrain after this many decisions (0: never).",
                                                          callback=within(0))] = 20) -> None:
        """Review suggestions at the keyboard: a accept, x reject, space skip, u undo, q quit."""
        import readchar

        from ..services.autocode import autocode_project
        from .review import run_review
        p = open_project(project)
        who = p.coder(coder)
        if not sys.stdin.isatty():
            output.fail("review: needs a terminal (use the web app's suggestion queue, or `voicetrace serve`)")

        def retrain() -> None:
            autocode_project(p, only_uncoded=True, by=who)
        counts = run_review(p, who, readchar.readkey, output.out, retrain_every=retrain_every,
                            retrain=retrain if retrain_every else None, clear=True)
        output.out.print(", ".join(f"{v} {k}" for k, v in counts.items()), markup=False)

    def _fmt_ci(fig: dict[str, Any], key: str) -> str:
        ci = fig.get(f"{key}_ci")
        return _fmt(fig.get(key)) + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")

    @app.command()
    @guarded
    def evaluate(project: ProjectArg,
                 gold: Annotated[str, typer.Option("--gold", help="The coder whose codings are the reference.")],
                 folds: Annotated[int, typer.Option(help="Cross-validation folds (grouped by source).",
                                                  callback=within(2, 50))] = 5,
                 format: JsonFormatOpt = "table") -> None:
        """Precision, recall, F1 and kappa of the machine coder against a gold coder (cross-validated)."""
        from ..services.autocode import evaluate_against
        p = open_project(project)
        res = evaluate_against(p, gold, folds=folds)
        if format == "json":
            sys.stdout.write(json.dumps(res, ensure_ascii=False) + "\n")
            return
        output.out.print(f"{res['segments']} segments coded by {gold}; {res['folds']}-fold cross-validation grouped by "
                         "source (no segment is scored by a model that trained on it)", markup=False)
        dims = ["claim", "level", "domain", "activity", "evidence", "status", "enabler", "barrier"]
        rows = []
        for name, r in res["suggesters"].items():
            per = r["per_dimension"]
            rows.append((name, *[_fmt(per.get(d, {}).get("macro_f1")) for d in dims]))
        output.table("macro-F1 per dimension", ["suggester", *dims], rows)
        comb = res["suggesters"]["combined"]["per_dimension"]
        output.table("combined: agreement with the gold coder (95 % bootstrap interval)",
                     ["figure", *dims[:6]],
                     [[label, *[_fmt_ci(comb.get(d, {}), key) for d in dims[:6]]]
                      for label, key in (("Cohen's kappa", "kappa"), ("Gwet's AC1", "ac1"), ("macro-F1", "macro_f1"))])
        for coder, vs in (res.get("versus_humans") or {}).items():
            worse = ", ".join(vs["machine_worse_codes"]) or "none"
            output.out.print(f"vs {coder} ({vs['shared_segments']} segments both coded): machine agrees less well "
                             f"than {coder} on: {worse}", markup=False)
        if res.get("learning_curve"):
            output.table("learning curve (combined, macro-F1 by training size)", ["trained on", "level", "domain", "activity"],
                         [(n, _fmt(v.get("level")), _fmt(v.get("domain")), _fmt(v.get("activity")))
                          for n, v in res["learning_curve"].items()])

    @app.command()
    @guarded
    def classify(file: Annotated[Path | None, typer.Argument(help="JSONL with {\"id\", \"text\"}; - or none for stdin.")] = None,
                 claim_prior: Annotated[float | None, typer.Option(
                     "--claim-prior", help="Share of claims expected in the input (default 0.95, for statements of "
                     "impact; about 0.5 for whole minutes or reports).")] = None) -> None:
        """Label statements with the default codebook (JSONL in, JSONL out); no project needed."""
        from ..core.errors import InputError
        from ..core.jsonlines import jsonl_records
        from ..services.autocode import classify as classify_statements
        if file is None or str(file) == "-":
            stream = sys.stdin
        else:
            if not file.is_file():
                raise InputError(str(file), "no such file")
            stream = file.open(encoding="utf-8-sig")

        def items() -> Any:
            for n, rec in jsonl_records(stream, str(file or "stdin")):
                if "text" not in rec:
                    raise InputError(f"{file or 'stdin'} line {n}", "needs an object with \"text\"")
                rec.setdefault("id", str(n))
                yield rec
        out = sys.stdout
        for rec in classify_statements(items(), claim_prior=claim_prior):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        out.flush()

    @app.command("train-encoder")
    @guarded
    def train_encoder(epochs: Annotated[int, typer.Option("--epochs", help="Passes over the training statements "
                                                          "(2 measured best; each takes minutes on 2 cores).")] = 2,
                      reset: Annotated[bool, typer.Option("--reset", help="Go back to the packaged encoder.")] = False) -> None:
        """Fine-tune the embedding model on the training statements (needs the [torch] extra); classify and
        autocode then use it, offline and without torch, from the user cache."""
        from ..services.autocode import train_encoder as train

        output.out.print(train(epochs=epochs, reset=reset, log=lambda m: output.err.print(m, markup=False)), markup=False)


def _fmt(v: Any) -> str:
    return "—" if v is None else f"{v:.2f}"
