"""REFI-QDA project exchange (.qdpx): lenient reading, strict writing.

Reading accepts what NVivo, ATLAS.ti, MAXQDA, QualCoder and qc actually produce (see
docs in ``shared/design/REFI-QDA.md``) and reports every loss in ``QdaProject.warnings`` and
``QdaProject.skipped``; writing produces only schema-valid files in the spec's conventions.
The archive is untrusted input: it is read into memory under :class:`ArchiveLimits` and never
extracted to disk.
"""
from __future__ import annotations

import io
import os
import posixpath
import tempfile
import zipfile
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from voicetrace.core.errors import InputError
from voicetrace.exchange.archives import DEFAULT_LIMITS, ArchiveLimits, SafeArchive
from voicetrace.exchange.guids import guid_for
from voicetrace.exchange.positions import PositionResolver, choose_scheme, on_word_boundary
from voicetrace.exchange.qda_model import (
    VARIABLE_TYPES,
    QdaCase,
    QdaCoding,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    QdaVariable,
    VariableValue,
)
from voicetrace.exchange.qda_xml import (
    GuidBook,
    attr,
    child,
    child_text,
    children,
    is_qda_namespace,
    local,
    namespace,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_xml,
    read_codes,
    read_sets,
)
from voicetrace.exchange.qde_builder import build_qde, export_origin

__all__ = ["DEFAULT_LIMITS", "ArchiveLimits", "export_origin", "read_qdpx", "validate_qde", "write_qdpx"]

_BOM = b"\xef\xbb\xbf"
# a source is considered shifted when more than this share of its selections cut words at both ends
SHIFTED_SHARE = 0.2
_MEDIA = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}


# --------------------------------------------------------------------------- reading


def read_qdpx(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> QdaProject:
    """Read a .qdpx into a :class:`QdaProject`; raises ``InputError`` for unusable or hostile files."""
    path = Path(path)
    with SafeArchive(path, limits) as archive:
        qdes = [n for n in archive.names if "/" not in n.strip("/") and n.lower().endswith(".qde")]
        if not qdes:
            raise InputError(path.name, "no .qde project file at the top level of the archive")
        if len(qdes) > 1:
            preferred = [n for n in qdes if n.lower() == "project.qde"]
            if len(preferred) != 1:
                raise InputError(path.name, f"several .qde files at the top level: {', '.join(sorted(qdes))}")
            qdes = preferred
        root = parse_xml(archive.read(qdes[0]), path.name)
        if local(root) != "Project":
            raise InputError(path.name, f"{qdes[0]} is not a REFI-QDA project (root element <{local(root)}>)")
        return _ProjectReader(archive, root, path.name).read()


def _decode_text(data: bytes, what: str, warnings: list[str]) -> str:
    """Exact text for offset resolution: a UTF-8 BOM goes, everything else (CRLF too) stays."""
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        warnings.append(f"{what}: text is UTF-16, not UTF-8 as the standard requires; decoded anyway")
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(f"{what}: text is not valid UTF-8; decoded as Windows-1252")
        return data.decode("cp1252", errors="replace")


class _ProjectReader:
    def __init__(self, archive: SafeArchive, root: etree._Element, subject: str) -> None:
        self.archive = archive
        self.root = root
        self.subject = subject
        self.guids = GuidBook()
        self.project = QdaProject(
            name=attr(root, "name") or "", origin=attr(root, "origin") or "", description=child_text(root, "Description")
        )
        self.base_path = attr(root, "basePath") or ""
        self.user_guids: set[str] = set()
        self.selection_index: dict[str, QdaSelection] = {}
        self.coding_guids: set[str] = set()
        self.variable_guids: set[str] = set()
        self.code_guids: set[str] = set()
        self.source_guids: set[str] = set()
        self.notes: dict[str, QdaNote] = {}

    # -- helpers
    def warn(self, message: str) -> None:
        self.project.warnings.append(message)

    def user(self, raw: str | None) -> str | None:
        guid = self.guids(raw)
        if guid and guid not in self.user_guids:
            self.user_guids.add(guid)
            self.project.users.append(QdaUser(guid=guid, name=""))
        return guid

    def read(self) -> QdaProject:
        p = self.project
        ns = namespace(self.root)
        if not is_qda_namespace(ns):
            self.warn(f"unexpected XML namespace {ns!r}; read as REFI-QDA anyway")
        users = child(self.root, "Users")
        if users is not None:
            for el in children(users, "User"):
                guid = self.guids(attr(el, "guid"))
                if guid and guid not in self.user_guids:
                    self.user_guids.add(guid)
                    p.users.append(QdaUser(guid=guid, name=attr(el, "name") or attr(el, "id") or ""))
        book = child(self.root, "CodeBook")
        if book is not None:
            codes = child(book, "Codes")
            if codes is not None:
                p.codes = read_codes(codes, self.guids)
        self.code_guids = {c.guid for c in p.all_codes()}
        self._read_variables()
        self._read_notes()
        self._read_sources()
        self._read_cases()
        sets = child(self.root, "Sets")
        if sets is not None:
            p.sets = read_sets(sets, self.guids)
        self._attach_notes()
        self._tidy_references()
        p.guid_aliases = dict(self.guids.aliases)
        return p

    # -- variables and values
    def _read_variables(self) -> None:
        el = child(self.root, "Variables")
        if el is None:
            return
        for v in children(el, "Variable"):
            guid = self.guids(attr(v, "guid"))
            if not guid:
                continue
            raw_type = (attr(v, "typeOfVariable") or "Text").strip()
            vtype = next((t for t in VARIABLE_TYPES if t.lower() == raw_type.lower()), "Text")
            self.project.variables.append(
                QdaVariable(guid=guid, name=attr(v, "name") or "(unnamed variable)", type=vtype,  # type: ignore[arg-type]
                            description=child_text(v, "Description"))
            )
        self.variable_guids = {v.guid for v in self.project.variables}

    def _values(self, el: etree._Element) -> dict[str, VariableValue]:
        known = self.variable_guids
        out: dict[str, VariableValue] = {}
        for vv in children(el, "VariableValue"):
            ref = child(vv, "VariableRef")
            guid = self.guids(attr(ref, "targetGUID")) if ref is not None else None
            if not guid or guid not in known:
                self.project.skip("unknown_variable_values")
                continue
            value = _parse_value(vv)
            if value is not None:
                out[guid] = value
        return out

    # -- notes
    def _read_notes(self) -> None:
        el = child(self.root, "Notes")
        if el is None:
            return
        for n in children(el, "Note"):
            guid = self.guids(attr(n, "guid"))
            if not guid:
                continue
            raw = self._text_of(n, f"note {attr(n, 'name') or guid}")
            text = "" if raw is None else PositionResolver(raw).text
            note = QdaNote(guid=guid, name=attr(n, "name") or "", text=text,
                           author=self.user(attr(n, "creatingUser")),
                           created=parse_datetime(attr(n, "creationDateTime")))
            self.notes[guid] = note
            self.project.notes.append(note)

    # -- text loading
    def _text_of(self, el: etree._Element, what: str) -> str | None:
        """The exact plain text of a TextSourceType element (inline or file), or None if missing."""
        content = child(el, "PlainTextContent")
        path = attr(el, "plainTextPath")
        if content is not None and (content.text or not path):
            return content.text or ""
        if path:
            return self._load_path(path, what)
        rich = attr(el, "richTextPath")
        if rich:
            self.warn(f"{what}: only a rich-text file ({rich}) and no plain-text representation; not imported")
        return None

    def _load_path(self, ref: str, what: str) -> str | None:
        ref = ref.strip()
        lower = ref.lower()
        candidates: list[str]
        if lower.startswith("internal://"):
            name = ref[len("internal://"):].lstrip("/")
            candidates = [f"sources/{name}", name]
        elif lower.startswith("relative://"):
            rel = ref[len("relative://"):].lstrip("/")
            joined = posixpath.normpath(rel.replace("\\", "/"))
            if joined.startswith(("..", "/")):
                self.warn(f"{what}: {ref} points outside the archive; not read")
                return None
            candidates = [joined, f"sources/{joined}"]
        elif lower.startswith(("absolute://", "file:")) or "://" in lower:
            self.warn(f"{what}: {ref} is a file outside the archive; voicetrace does not read local files "
                      "named by an archive, so this source's text is missing")
            return None
        else:
            name = posixpath.normpath(ref.replace("\\", "/"))
            if name.startswith(("..", "/")) or (len(name) > 1 and name[1] == ":"):
                self.warn(f"{what}: {ref} points outside the archive; not read")
                return None
            candidates = [f"sources/{name}", name]
        for cand in candidates:
            member = self.archive.find(cand)
            if member:
                return _decode_text(self.archive.read(member), what, self.project.warnings)
        self.warn(f"{what}: {ref} is not in the archive; text missing")
        return None

    # -- sources
    def _read_sources(self) -> None:
        el = child(self.root, "Sources")
        media: dict[str, list[str]] = defaultdict(list)
        names_seen: set[str] = set()
        if el is None:
            return
        for index, s in enumerate(el, start=1):
            tag = local(s)
            guid = self.guids(attr(s, "guid"))
            if not guid:
                self.project.skip("sources_without_guid")
                continue
            label = attr(s, "name") or ""
            if tag in _MEDIA:
                media[_MEDIA[tag]].append(label or guid)
                continue
            if tag == "PDFSource":
                regions = list(children(s, "PDFSelection"))
                if regions:
                    self.project.skip("pdf_region_selections", len(regions))
                    self.warn(f"{len(regions)} area selections in PDF {label or guid} not imported "
                              "(only text selections are)")
                text_el = child(s, "Representation")
                if text_el is None:
                    media["pdf"].append(label or guid)
                    continue
                kind = "pdf"
            elif tag == "TextSource":
                text_el, kind = s, "text"
            else:
                continue
            source = self._read_text_source(s, text_el, guid, kind, index)
            if source is None:
                continue
            base, n = source.name, 1
            while source.name.lower() in names_seen:
                n += 1
                source.name = f"{base} ({n})"
            names_seen.add(source.name.lower())
            if n > 1:
                self.warn(f"duplicate source name {base!r} renamed to {source.name!r}")
            self.project.sources.append(source)
            self.source_guids.add(guid)
        for kind, names in media.items():
            self.project.skip(f"{kind}_sources", len(names))
            what = "PDF sources without a text representation" if kind == "pdf" else f"{kind} sources"
            self.warn(f"{len(names)} {what} not imported: {', '.join(names)}")

    def _read_text_source(
        self, outer: etree._Element, el: etree._Element, guid: str, kind: str, index: int
    ) -> QdaSource | None:
        name = attr(outer, "name") or attr(el, "name") or ""
        if not name:
            ref = attr(el, "plainTextPath") or ""
            stem = posixpath.basename(ref.replace("\\", "/").split("://")[-1]).rsplit(".", 1)[0]
            name = stem if stem and stem.lower() != guid else f"Source {index}"
        raw = self._text_of(el, f"source {name}")
        if raw is None:
            self.project.skip("missing_source_text")
            return None
        source = QdaSource(
            guid=guid, name=name, kind=kind,  # type: ignore[arg-type]
            description=child_text(outer, "Description") or child_text(el, "Description"),
            creating_user=self.user(attr(outer, "creatingUser")),
            created=parse_datetime(attr(outer, "creationDateTime")),
            modifying_user=self.user(attr(outer, "modifyingUser")),
            modified=parse_datetime(attr(outer, "modifiedDateTime")),
            variable_values=self._values(outer),
        )
        resolver = PositionResolver(raw)
        source.text = resolver.text
        source.selections = self._read_selections(el, resolver, source)
        whole = [c for c in (self._coding(c, guid) for c in children(el, "Coding")) if c]
        if el is not outer:
            whole += [c for c in (self._coding(c, guid) for c in children(outer, "Coding")) if c]
        if whole and source.text:
            sel = QdaSelection(guid=guid_for("whole-source", guid), start=0, end=len(source.text),
                               text=source.text, codings=whole)
            source.selections.append(sel)
            self.selection_index[sel.guid] = sel
        return source

    def _coding(self, el: etree._Element, owner: str) -> QdaCoding | None:
        ref = child(el, "CodeRef")
        code = self.guids(attr(ref, "targetGUID")) if ref is not None else None
        guid = self.guids(attr(el, "guid")) or guid_for("coding-without-guid", f"{owner}:{code}")
        if not code or code not in self.code_guids:
            self.project.skip("codings_with_unknown_code")
            return None
        self.coding_guids.add(guid)
        return QdaCoding(guid=guid, code_guid=code, user_guid=self.user(attr(el, "creatingUser")),
                         created=parse_datetime(attr(el, "creationDateTime")))

    def _read_selections(self, el: etree._Element, resolver: PositionResolver, source: QdaSource) -> list[QdaSelection]:
        raw_sels = []
        for s in children(el, "PlainTextSelection"):
            guid = self.guids(attr(s, "guid"))
            try:
                start = int((attr(s, "startPosition") or "").strip())
                end = int((attr(s, "endPosition") or "").strip())
            except ValueError:
                self.project.skip("invalid_selections")
                continue
            if not guid:
                self.project.skip("invalid_selections")
                continue
            if start == end:
                self.project.skip("zero_length_selections")
                continue
            raw_sels.append((s, guid, start, end))
        spans = [(a, b) for _, _, a, b in raw_sels]
        scheme = choose_scheme(resolver, spans, self.project.origin)
        if scheme.utf16 or scheme.crlf_as_one:
            self.warn(f"source {source.name}: positions read as {scheme.describe()}")
        text = resolver.text
        kept: list[QdaSelection] = []
        suspects: list[QdaSelection] = []
        for s, guid, start, end in raw_sels:
            a, b = resolver.resolve(start, scheme), resolver.resolve(end, scheme)
            if a is None or b is None or a >= b:
                self.project.skip("selections_outside_text" if a is None or b is None else "invalid_selections")
                continue
            sel = QdaSelection(
                guid=guid, start=a, end=b, text=text[a:b],
                codings=[c for c in (self._coding(c, guid) for c in children(s, "Coding")) if c],
                description=child_text(s, "Description"), name=attr(s, "name") or "",
                creating_user=self.user(attr(s, "creatingUser")),
                created=parse_datetime(attr(s, "creationDateTime")),
            )
            kept.append(sel)
            if not on_word_boundary(text, a) and not on_word_boundary(text, b):
                suspects.append(sel)
        trusted = self.project.origin.lower().startswith("voicetrace")
        if not trusted and kept and suspects and len(suspects) / len(kept) > SHIFTED_SHARE:
            listing = "; ".join(f"{s.guid} [{s.start},{s.end}) {s.text[:30]!r}" for s in suspects[:20])
            more = f" and {len(suspects) - 20} more" if len(suspects) > 20 else ""
            self.warn(f"{len(suspects)} selections in {source.name} look shifted (they cut words at both "
                      f"ends) and were not imported: {listing}{more}")
            self.project.skip("shifted_selections", len(suspects))
            bad = {s.guid for s in suspects}
            self.coding_guids.difference_update(c.guid for s in suspects for c in s.codings)
            kept = [s for s in kept if s.guid not in bad]
        for sel in kept:
            self.selection_index[sel.guid] = sel
        return kept

    # -- cases
    def _read_cases(self) -> None:
        el = child(self.root, "Cases")
        if el is None:
            return
        who = self.project.origin.lower()
        file_variable_style = "maxqda" in who or "quirkos" in who
        by_guid = {s.guid: s for s in self.project.sources}
        moved = 0
        for c in children(el, "Case"):
            guid = self.guids(attr(c, "guid"))
            if not guid:
                continue
            refs = [g for r in children(c, "SourceRef") if (g := self.guids(attr(r, "targetGUID")))]
            case = QdaCase(guid=guid, name=attr(c, "name") or "", description=child_text(c, "Description"),
                           variable_values=self._values(c), source_guids=refs)
            if file_variable_style and len(refs) == 1 and refs[0] in by_guid:
                src = by_guid[refs[0]]
                if not case.name or _same_name(case.name, src.name):
                    for k, v in case.variable_values.items():
                        src.variable_values.setdefault(k, v)
                    moved += 1
                    continue
            self.project.cases.append(case)
        if moved:
            self.warn(f"{moved} cases that only carried document variables were read as source variables")

    # -- memos
    def _attach_notes(self) -> None:
        """Give every note its targets, from NoteRefs, Links and selection Descriptions."""
        targets: dict[str, list[str]] = defaultdict(list)
        for ref in self.root.iter():
            if local(ref) != "NoteRef":
                continue
            ref_guid = self.guids(attr(ref, "targetGUID"))
            owner = ref.getparent()
            if ref_guid is None or ref_guid not in self.notes:
                self.project.skip("dangling_note_refs")
                continue
            if owner is None or local(owner) == "Project":
                continue
            if local(owner) == "Representation" and owner.getparent() is not None:
                owner = owner.getparent()
            target = self.guids(attr(owner, "guid"))
            if target and target not in targets[ref_guid]:
                targets[ref_guid].append(target)
        links = child(self.root, "Links")
        if links is not None:
            for link in children(links, "Link"):
                a, b = self.guids(attr(link, "originGUID")), self.guids(attr(link, "targetGUID"))
                if a in self.notes and b and b not in targets[a]:
                    targets[a].append(b)
                elif b in self.notes and a and a not in targets[b]:
                    targets[b].append(a)
                else:
                    self.project.skip("links")
        for sel in self.selection_index.values():
            if not sel.description:
                continue
            note_guid = guid_for("selection-description", sel.guid)
            if note_guid not in self.notes:
                memo = QdaNote(guid=note_guid, name=sel.name or "Comment", text=sel.description.replace("\r\n", "\n"),
                               author=sel.creating_user, created=sel.created, targets=[])
                self.notes[note_guid] = memo
                self.project.notes.append(memo)
            if sel.guid not in targets[note_guid]:
                targets[note_guid].append(sel.guid)
        live = (self.code_guids | self.source_guids | set(self.selection_index) | self.coding_guids
                | {c.guid for c in self.project.cases} | {s.guid for s in self.project.sets}
                | set(self.notes) | self.user_guids | self.variable_guids)
        detached = 0
        for guid, note in self.notes.items():
            wanted = targets.get(guid, [])
            note.targets = [t for t in wanted if t in live]
            if wanted and not note.targets:
                detached += 1
            for t in note.targets:
                target_sel = self.selection_index.get(t)
                if target_sel is not None and guid not in target_sel.note_guids:
                    target_sel.note_guids.append(guid)
        if detached:
            self.project.skip("notes_detached", detached)
            self.warn(f"{detached} memos were attached only to things not imported; kept as project memos")

    def _tidy_references(self) -> None:
        """Drop references to anything that was not imported, so every GUID in the result resolves."""
        for case in self.project.cases:
            case.source_guids = [g for g in case.source_guids if g in self.source_guids]
        codes, notes = self.code_guids, set(self.notes)
        for s in self.project.sets:
            s.member_codes = [g for g in s.member_codes if g in codes]
            s.member_sources = [g for g in s.member_sources if g in self.source_guids]
            s.member_notes = [g for g in s.member_notes if g in notes]


def _same_name(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        x = x.strip().lower()
        return x.rsplit(".", 1)[0] if "." in x[-6:] else x

    return norm(a) == norm(b)


def _parse_value(vv: etree._Element) -> VariableValue | None:
    for el in vv:
        kind = local(el)
        raw = (el.text or "").strip() if kind != "TextValue" else (el.text or "")
        if kind == "TextValue":
            return raw
        if kind == "BooleanValue":
            return parse_bool(raw, False)
        if kind == "IntegerValue":
            try:
                return int(raw)
            except ValueError:
                return raw
        if kind == "FloatValue":
            try:
                return float(raw)
            except ValueError:
                return raw
        if kind == "DateValue":
            return parse_date(raw)
        if kind == "DateTimeValue":
            return parse_datetime(raw) or raw
    return None


# --------------------------------------------------------------------------- validation


SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "refi"


@lru_cache(maxsize=1)
def _project_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA_DIR / "Project.xsd"))


def validate_qde(xml_bytes: bytes) -> list[str]:
    """Problems that make ``xml_bytes`` an invalid REFI-QDA project; empty when valid."""
    try:
        root = parse_xml(xml_bytes, "project.qde")
    except InputError as exc:
        return [exc.reason]
    problems = [f"{e.path}: {e.reason}" for e in _project_schema().iter_errors(etree.ElementTree(root))]
    for el in root.iter():
        if local(el) in ("TextSource", "Note", "Representation", "TextDescription"):
            has_content = child(el, "PlainTextContent") is not None
            has_path = attr(el, "plainTextPath") is not None
            if has_content == has_path:
                problems.append(f"{local(el)} {attr(el, 'guid')}: needs exactly one of PlainTextContent "
                                "and plainTextPath")
    return problems


# --------------------------------------------------------------------------- writing


_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def write_qdpx(project: QdaProject, path: Path) -> None:
    """Write a schema-valid .qdpx atomically; ``ValueError`` if the project cannot be expressed."""
    path = Path(path)
    xml, files = build_qde(project)
    problems = validate_qde(xml)
    if problems:
        raise ValueError("export would not be valid REFI-QDA: " + "; ".join(problems[:5]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("project.qde", _FIXED_TIME), xml, compress_type=zipfile.ZIP_DEFLATED)
        for name in sorted(files):
            zf.writestr(zipfile.ZipInfo(f"sources/{name}", _FIXED_TIME), files[name].encode("utf-8"),
                        compress_type=zipfile.ZIP_DEFLATED)
    fd, tmp = tempfile.mkstemp(prefix=".voicetrace-", suffix=".qdpx.tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(buffer.getvalue())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
