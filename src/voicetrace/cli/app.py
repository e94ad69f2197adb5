"""The `voicetrace` command. Each command parses arguments, calls one service, prints.

Failures print one line (`error: FILE: reason`) to stderr and exit non-zero.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.cases import short_case_names
from ..core.errors import VoicetraceError
from . import output

if TYPE_CHECKING:
    from ..services.project import Project

app = typer.Typer(name="voicetrace", no_args_is_help=True, add_completion=False,
                  help="Show what service-user involvement changes: import, code, triangulate, report — offline.",
                  pretty_exceptions_enable=False)
codebook_app = typer.Typer(no_args_is_help=True, help="Show, import and export the project's codebook.")
app.add_typer(codebook_app, name="codebook")


def _version(value: bool) -> None:
    if value:
        from .. import __version__
        output.out.print(f"voicetrace {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Show what service-user involvement changes: import, code, triangulate, report — offline."""

from .common import (
    CoderOpt,
    FormatOpt,
    JsonFormatOpt,
    ProjectArg,
    create_project,
    guarded,
    open_project,
    within,
)


def _open(path: Path) -> Project:
    return open_project(path)


@app.command()
@guarded
def init(project: ProjectArg,
         title: Annotated[str | None, typer.Option(help="The study's title, shown on every report.")] = None,
         description: Annotated[str | None, typer.Option(help="What the study asks and of whom.")] = None) -> None:
    """Create a project (one SQLite file) with the default codebook."""
    p = create_project(project, title=title, description=description)
    cb = p.codebook()
    output.out.print(f"created {project} ('{p.title}') with codebook '{cb.name}' v{cb.version} "
                     f"({sum(1 for c in cb.codes if c.codable)} codes)", markup=False)
    p.close()


@app.command("project")
@guarded
def project_(project: ProjectArg,
             title: Annotated[str | None, typer.Option(help="Set the title shown on every report.")] = None,
             description: Annotated[str | None, typer.Option(help="Set the description ('' clears it).")] = None,
             format: JsonFormatOpt = "table") -> None:
    """Show the project's title and description, or set them."""
    p = _open(project)
    info = p.update_project(title=title, description=description) if title is not None or description is not None \
        else p.describe()
    if format == "json":
        import json
        sys.stdout.write(json.dumps(info.as_json(), ensure_ascii=False) + "\n")
        return
    output.out.print(f"title:       {info.title}" + ("  (from the file name; set it with --title)"
                                                    if info.title_is_default else ""), markup=False)
    output.out.print(f"description: {info.description or '(none; set it with --description)'}", markup=False)
    output.out.print(f"file:        {info.location}\ncreated:     {info.created_at or '?'}", markup=False)


@app.command("import")
@guarded
def import_(project: ProjectArg,
            paths: Annotated[list[Path], typer.Argument(help="Files, or corpus folders (with or without a manifest).")],
            case: Annotated[str | None, typer.Option(help="Case for files that do not name one.")] = None,
            kind: Annotated[str | None, typer.Option(help="Source kind, e.g. minutes, interview.")] = None,
            date: Annotated[str | None, typer.Option(help="Source date YYYY-MM-DD.")] = None,
            case_from_folder: Annotated[bool, typer.Option(
                "--case-from-folder", help="Without a manifest: each sub-folder's name is its files' case.")] = False,
            coder: CoderOpt = None) -> None:
    """Import files, or a corpus folder with its manifest (cases.csv, participants.csv, sources.csv)."""
    p = _open(project)
    with output.progress_factory("importing") as prog:
        rep = p.import_paths(paths, case=case, kind=kind, date=date, progress=prog, case_from_folder=case_from_folder,
                             actor=p.coder(coder))
    segs = sum(n for _, _, n in rep.imported)
    parts = [f"imported {len(rep.imported)} file(s), {segs} segments"]
    if rep.duplicates:
        parts.append(f"{len(rep.duplicates)} already in the project")
    if rep.cases or rep.participants:
        parts.append(f"manifest: {rep.cases} cases, {rep.participants} participants, {rep.connections} connections")
    output.out.print("; ".join(parts))
    for path, existing in rep.duplicates:
        output.out.print(f"  same file already imported: {path} (as {existing})", markup=False)
    for path, why in rep.skipped:
        output.err.print(f"  skipped {path}: {why}", markup=False)
    for path, why in rep.warnings:
        output.err.print(f"  warning: {path} {why}", markup=False)
    if rep.failed:
        output.err.print(f"{len(rep.failed)} file(s) failed, nothing of them was imported:", markup=False)
        for path, why in rep.failed:
            output.err.print(f"  {path}: {why}", markup=False)
        raise SystemExit(1)


@app.command()
@guarded
def sources(project: ProjectArg, format: FormatOpt = "table") -> None:
    """List the project's sources."""
    items = _open(project).sources()
    if format == "jsonl":
        output.write_jsonl(s.as_json() for s in items)
    else:
        output.table(f"{len(items)} sources", ["name", "case", "kind", "type", "date", "segments", "chars"],
                     [(s.name, s.case, s.kind, s.type, s.date, s.segments, s.chars) for s in items])


@app.command("text")
@guarded
def text_(project: ProjectArg, source: Annotated[str, typer.Argument(help="Source name as `sources` lists it.")]) -> None:
    """Print a source's canonical text exactly (UTF-8, nothing added)."""
    data = _open(project).text(source)
    sys.stdout.buffer.write(data.encode("utf-8"))
    sys.stdout.flush()


@app.command()
@guarded
def search(project: ProjectArg, query: Annotated[str, typer.Argument(help="Words or an FTS5 query.")],
           case: Annotated[str | None, typer.Option(help="Only this case.")] = None,
           kind: Annotated[str | None, typer.Option(help="Only this source kind.")] = None,
           role: Annotated[str | None, typer.Option(help="Only turns by participants in this role.")] = None,
           limit: Annotated[int, typer.Option(help="At most this many hits.")] = 200,
           format: FormatOpt = "table") -> None:
    """Full-text search over segments, with snippets."""
    hits = _open(project).search(query, case=case, kind=kind, role=role, limit=limit)
    if format == "jsonl":
        output.write_jsonl(h.as_json() for h in hits)
    else:
        output.table(f"{len(hits)} hits for {query!r}", ["source", "case", "speaker", "start", "snippet"],
                     [(h.source, h.case, h.speaker or "", h.start, h.snippet) for h in hits])


@app.command()
@guarded
def code(project: ProjectArg,
         source: Annotated[str, typer.Option(help="Source name.")],
         start: Annotated[int, typer.Option(help="Start offset (Unicode code points).")],
         end: Annotated[int, typer.Option(help="End offset, exclusive.")],
         code: Annotated[str, typer.Option("--code", help="Code id from the codebook.")],
         coder: CoderOpt = None) -> None:
    """Apply a code to a span of a source."""
    p = _open(project)
    c = p.code(source, start, end, code, coder=p.coder(coder))
    output.out.print(f"coded {c.source} [{c.start}, {c.end}) as {c.code} by {c.coder} (coding {c.id}): "
                     f"{c.text[:80]!r}", markup=False)


@app.command()
@guarded
def uncode(project: ProjectArg, coding: Annotated[int, typer.Argument(help="The coding's id (`codings --format jsonl`"
                                                                        " lists it; so does the web reader).")],
           coder: CoderOpt = None) -> None:
    """Remove one coding (undo it with `voicetrace undo`)."""
    p = _open(project)
    c = p.coding(coding)
    p.uncode(c.id, actor=p.coder(coder))
    output.out.print(f"removed coding {c.id} ({c.code} by {c.coder} in {c.source}); `voicetrace undo {project}` "
                     "puts it back", markup=False)


@app.command()
@guarded
def undo(project: ProjectArg, coder: CoderOpt = None,
         anyone: Annotated[bool, typer.Option("--anyone", help="Undo the last deletion by anyone, not only yours.")] = False) -> None:
    """Undo your newest deletion or source edit (it comes back with its ids); undo again to go further back."""
    p = _open(project)
    output.out.print(p.undo(None if anyone else p.coder(coder)), markup=False)


@app.command("coder")
@guarded
def coder_(project: ProjectArg, name: Annotated[str | None, typer.Argument(help="Set this as your coder name.")] = None) -> None:
    """Show who you are coding as, or set it once for this project (VOICETRACE_CODER overrides it)."""
    p = _open(project)
    if name is not None:
        p.set_coder(name)
    output.out.print(f"coding as {p.coder()}", markup=False)


@app.command()
@guarded
def codings(project: ProjectArg, format: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
            coder: Annotated[str | None, typer.Option(help="Only this coder's codings.")] = None) -> None:
    """Export codings with their exact text."""
    if format not in ("jsonl", "csv"):
        output.fail(f"--format: unknown format {format!r} (jsonl or csv)")
    items = _open(project).codings(coder=coder)
    if format == "csv":
        from ..services.records import codings_csv
        sys.stdout.write(codings_csv(items))
    else:
        output.write_jsonl(c.as_json() for c in items)


@codebook_app.command("show")
@guarded
def codebook_show(project: ProjectArg) -> None:
    """Print the codebook as a tree with definitions."""
    cb = _open(project).codebook()
    from rich.tree import Tree
    tree = Tree(f"[bold]{cb.name}[/] v{cb.version}")

    def add(node: Tree, parent: str | None) -> None:
        for c in cb.children(parent):
            label = f"[bold]{c.label}[/]" if not c.codable else f"[cyan]{c.id}[/] — {c.definition}"
            add(node.add(label), c.id)
    add(tree, None)
    output.out.print(tree)


@codebook_app.command("import")
@guarded
def codebook_import(project: ProjectArg, file: Annotated[Path, typer.Argument(help=".yaml, .csv or .qdc")],
                    replace: Annotated[bool, typer.Option(help="Drop unused codes not in the file.")] = False) -> None:
    """Import a codebook (.yaml / .csv / .qdc): codes are added or updated by id."""
    counts = _open(project).import_codebook(file, replace=replace)
    output.out.print(f"codebook imported from {file.name}: {counts['added']} added, {counts['updated']} updated, "
                     f"{counts['removed']} removed")


@codebook_app.command("export")
@guarded
def codebook_export(project: ProjectArg, file: Annotated[Path, typer.Argument(help=".yaml, .csv or .qdc")]) -> None:
    """Export the codebook (.yaml / .csv / .qdc)."""
    _open(project).export_codebook(file)
    output.out.print(f"codebook written to {file}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning user errors into one line and a non-zero exit."""
    try:
        app(args=argv, standalone_mode=True)
    except VoicetraceError as e:
        output.fail(str(e))
    except BrokenPipeError:
        sys.exit(0)


qdpx_app = typer.Typer(no_args_is_help=True, help="Exchange projects with NVivo, ATLAS.ti, MAXQDA, QualCoder (REFI-QDA).")
app.add_typer(qdpx_app, name="qdpx")


@qdpx_app.command("import")
@guarded
def qdpx_import(project: ProjectArg, file: Annotated[Path, typer.Argument(help="A .qdpx project file.")],
                default_codebook: Annotated[bool, typer.Option(
                    "--default-codebook", help="When creating PROJECT, start it with voicetrace's default codebook "
                                               "as well as the file's codes.")] = False) -> None:
    """Import a REFI-QDA project (creates PROJECT if it does not exist); reports what was not imported."""
    from ..services.project import Project
    _, s = Project.import_qdpx_project(project, file, default_codebook=default_codebook)
    output.out.print(f"imported {file.name}: {s.sources} sources, {s.codings} codings by {len(s.coders)} coder(s), "
                     f"{s.codes_added} new codes, {s.memos} memos, {s.cases} cases, {s.variables} variables",
                     markup=False)
    skipped = {k: v for k, v in s.skipped.items() if v}
    if skipped:
        output.err.print("not imported: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sorted(skipped.items())),
                         markup=False)
    for w in s.warnings:
        output.err.print(f"warning: {w}", markup=False)


@qdpx_app.command("export")
@guarded
def qdpx_export(project: ProjectArg, file: Annotated[Path, typer.Argument(help="The .qdpx file to write.")]) -> None:
    """Export the project as REFI-QDA (.qdpx), validated against the standard's schema."""
    out = _open(project).export_qdpx(file)
    output.out.print(f"wrote {out}")


@app.command()
@guarded
def claims(project: ProjectArg, format: FormatOpt = "table",
           rebuild: Annotated[bool, typer.Option(help="Propose claims from the codings again first.")] = False,
           coder: Annotated[str | None, typer.Option(help="Build from this coder's codings only.")] = None) -> None:
    """Influence claims with their level, domain, status and evidence strength."""
    p = _open(project)
    p.ensure_claims(coder=coder, rebuild=rebuild)
    rows = p.claims_json()
    if format == "jsonl":
        output.write_jsonl(rows)
    else:
        output.table(f"{len(rows)} claims", ["no.", "case", "level", "domain", "status", "strength", "evidence", "change"],
                     [(r["number"], r["case"], r["level"], r["domain"], r["status"], r["evidence_strength"],
                       len(r["evidence"]), r["change"][:70]) for r in rows])


@app.command()
@guarded
def report(project: ProjectArg, out: Annotated[Path, typer.Option("--out", help="The HTML report to write.")],
           xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Also write an XLSX workbook.")] = None,
           board: Annotated[Path | None, typer.Option("--board", help="Also write the two-page board summary "
                                                                      "(its figures link into the report).")] = None,
           coder: Annotated[str | None, typer.Option(help="Analyse this coder's codings only.")] = None) -> None:
    """Write a self-contained HTML report (and optionally a board summary and an XLSX) of the findings."""
    p = _open(project)
    p.ensure_claims(coder=coder)
    p.write_report(out, xlsx, coder=coder, board_path=board)
    output.out.print(f"report: {out}" + (f"\nboard summary: {board}" if board else "")
                     + (f"\nworkbook: {xlsx}" if xlsx else ""), markup=False)


@app.command()
@guarded
def agreement(project: ProjectArg,
              coders: Annotated[str, typer.Option("--coders", help="Two coders, comma-separated: A,B.")],
              unit: Annotated[str, typer.Option(help="segment or character.")] = "segment",
              scope: Annotated[str, typer.Option(help="both: sources both coded; all: every source.")] = "both",
              format: JsonFormatOpt = "table",
              show_disagreements: Annotated[int, typer.Option("--disagreements", help="List this many disagreements.",
                                                              callback=within(0))] = 0,
              machine_threshold: Annotated[float, typer.Option(help="With the coder 'machine': suggestions scoring at least this.",
                                                              callback=within(0, 1))] = 0.5) -> None:
    """Inter-coder agreement: percent agreement, Cohen's kappa, Krippendorff's alpha — per code and overall."""
    names = [c.strip() for c in coders.split(",") if c.strip()]
    if len(names) != 2:
        output.fail("--coders: give exactly two coders, e.g. --coders ann,ben")
    p = _open(project)
    res = p.agreement(names[0], names[1], unit=unit, scope=scope, machine_threshold=machine_threshold)
    data = res.to_json()
    if format == "json":
        import json
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return

    def f(v: object) -> str:
        return "—" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)
    o = data["overall"]
    output.out.print(f"unit: {unit} · coders: {names[0]} vs {names[1]} · overall: agreement "
                     f"{f(o['percent_agreement'])}, kappa {f(o['cohen_kappa'])}, alpha {f(o['krippendorff_alpha'])}",
                     markup=False)
    rows = [(c, f(s["percent_agreement"]), f(s["cohen_kappa"]), f(s["krippendorff_alpha"]))
            for c, s in data["per_code"].items()]
    output.table("per code", ["code", "% agreement", "Cohen's kappa", "Krippendorff's alpha"], rows)
    if len(data.get("per_case", {})) > 1:
        output.table("per case", ["case", "% agreement", "Cohen's kappa", "Krippendorff's alpha"],
                     [(c, f(s["percent_agreement"]), f(s["cohen_kappa"]), f(s["krippendorff_alpha"]))
                      for c, s in data["per_case"].items()])
    if show_disagreements:
        output.table("disagreements", ["source", "start", "end", "code", names[0], names[1]],
                     [(d.source_id, d.start, d.end, d.code, "yes" if d.coder_a else "no", "yes" if d.coder_b else "no")
                      for d in res.disagreements[:show_disagreements]])


@app.command()
@guarded
def demo(out: Annotated[Path, typer.Option("--out", help="Folder for study.db, board-summary.html, report.html, "
                                                        "report.xlsx.")] = Path("voicetrace-demo"),
         machine: Annotated[bool, typer.Option(help="Add machine suggestions (accepted above the threshold).")] = True,
         threshold: Annotated[float, typer.Option(help="Accept machine suggestions scoring at least this.",
                                                      callback=within(0, 1))] = 0.9) -> None:
    """Run the whole job on the bundled fictional sample study and write the report."""
    import time

    from ..services.demo import run_demo
    from .machine import demo_autocode, demo_evaluate

    started = time.perf_counter()

    def step(msg: str) -> None:
        """One line per step on a terminal, with the time so far; nothing in pipes and CI logs."""
        if output.interactive():
            output.err.print(f"· {time.perf_counter() - started:5.1f} s  {msg}", markup=False)
    res = run_demo(out, step=step, machine=machine, threshold=threshold,
                   autocode=(lambda p: demo_autocode(p, threshold)) if machine else None,
                   evaluate=demo_evaluate if machine else None)
    step("done")
    levels = ["grassroots_operational", "organisational_network", "strategic_commissioning", "national_policy",
              "unclear_level"]
    short = {"grassroots_operational": "grass-roots", "organisational_network": "organisational",
             "strategic_commissioning": "strategic", "national_policy": "national", "unclear_level": "unclear"}
    short_case = short_case_names(list(res.by_case))
    rows = [(short_case[case], *[counts.get(lv, 0) for lv in levels], sum(counts.values()))
            for case, counts in res.by_case.items()]
    output.table(f"Influence claims by level — {res.claims} claims, {res.sources} sources, {res.segments} segments",
                 ["case", *[short[lv] for lv in levels], "total"], rows)
    output.out.print("evidence: " + ", ".join(f"{k} {v}" for k, v in sorted(res.by_strength.items())), markup=False)
    output.out.print(f"coding: {res.gold_codings} gold codings; {res.suggestions} machine suggestions, "
                     f"{res.accepted} accepted at ≥ {threshold:.2f}" + (f" ({res.machine_note})" if res.machine_note else ""),
                     markup=False)
    if res.evaluation:
        comb = res.evaluation["suggesters"]["combined"]["per_dimension"]
        output.out.print("machine coder vs gold (cross-validated kappa): " + ", ".join(
            f"{d} {comb[d]['kappa']:.2f}" for d in ("claim", "level", "domain", "activity") if comb.get(d, {}).get("kappa")
            is not None), markup=False)
    output.out.print(f"project: {res.project}\nboard summary: {res.board}\nreport:  {res.report}\n"
                     f"workbook: {res.workbook}", markup=False)
    if res.outputs:
        output.out.print(f"impact log: {res.impact_entries} entries; outputs: {res.out / 'outputs'} ("
                         + ", ".join(f"{k} {len(v)} files" for k, v in res.outputs.items()) + ")", markup=False)


@app.command()
@guarded
def serve(project: ProjectArg,
          host: Annotated[str, typer.Option(help="Address to bind; loopback unless you mean otherwise.")] = "127.0.0.1",
          port: Annotated[int | None, typer.Option(help="Port (default: a free one).", callback=within(1, 65535))] = None,
          no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a browser.")] = False,
          coder: Annotated[str | None, typer.Option(help="Name recorded on your codings and decisions.")] = None) -> None:
    """Open the project in the local web app (loopback only, per-run token printed at start)."""
    from .serve import serve as run
    _open(project).close()
    run(project, host, port, no_browser, coder=coder)


from . import machine as _machine

_machine.register(app)

from . import analyses as _analyses

_analyses.register(app)


@app.command()
@guarded
def memo(project: ProjectArg,
         body: Annotated[str, typer.Argument(help="The memo's text.")],
         on: Annotated[str, typer.Option(help="project, case:NAME, source:NAME, code:ID or coding:ID.")] = "project",
         title: Annotated[str, typer.Option(help="A short title.")] = "",
         author: Annotated[str | None, typer.Option(help="Who writes it (default: your coder name).")] = None) -> None:
    """Write a memo on the project, a case, a source, a code or a coding."""
    target, _, ident = on.partition(":")
    p = _open(project)
    m = p.add_memo(target, ident or None, body, author=p.coder(author), title=title)
    output.out.print(f"memo {m.id} on {m.target_type.value}{':' + m.target_id if m.target_id else ''}", markup=False)


@app.command()
@guarded
def memos(project: ProjectArg, format: FormatOpt = "table") -> None:
    """List memos with what they are about."""
    items = _open(project).memos()
    if format == "jsonl":
        output.write_jsonl({"id": m.id, "on": m.target_type.value, "target": m.target_id, "author": m.author,
                            "title": m.title, "body": m.body, "created_at": m.created_at} for m in items)
    else:
        output.table(f"{len(items)} memos", ["id", "on", "target", "author", "title", "memo"],
                     [(m.id, m.target_type.value, m.target_id, m.author, m.title, m.body) for m in items])

from . import impact as _impact

_impact.register(app)

from . import sources as _sources

_sources.register(app)

from . import claim_commands as _claim_commands

_claim_commands.register(app)
