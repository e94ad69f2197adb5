"""Serialising a :class:`QdaProject` as QDA-XML in the schema's element order.

Kept apart from reading because writing is strict where reading is lenient: every choice here
(GUID spelling, inline memos, Links for memos on cases, code-point positions) aims at files other
tools accept without complaint, and :func:`voicetrace.exchange.validate_qde` checks the result.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from importlib import metadata
from typing import Any

from lxml import etree

from voicetrace.exchange.guids import guid_for
from voicetrace.exchange.qda_model import QdaProject, VariableValue
from voicetrace.exchange.qda_xml import PROJECT_NS, build_code, element_maker, text_element, xml_safe


def _version() -> str:
    try:
        return metadata.version("voicetrace")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def export_origin() -> str:
    """The ``Project@origin`` we write: it states our offset and line-ending conventions."""
    return f"voicetrace {_version()}; positions in Unicode code points; LF line endings"


def _fmt_dt(value: datetime) -> str:
    return value.isoformat()


def _value_element(make: Any, var_type: str, value: VariableValue) -> Any:
    if isinstance(value, bool) or var_type == "Boolean":
        return text_element(make, "BooleanValue", "true" if value else "false")
    if var_type == "Integer" and isinstance(value, int):
        return text_element(make, "IntegerValue", str(value))
    if var_type == "Float" and isinstance(value, (int, float)):
        return text_element(make, "FloatValue", format(Decimal(repr(float(value))), "f"))
    if var_type == "DateTime" and isinstance(value, datetime):
        return text_element(make, "DateTimeValue", _fmt_dt(value))
    if var_type == "Date" and isinstance(value, date) and not isinstance(value, datetime):
        return text_element(make, "DateValue", value.isoformat())
    if isinstance(value, datetime):
        return text_element(make, "TextValue", value.isoformat())
    if isinstance(value, date):
        return text_element(make, "TextValue", value.isoformat())
    return text_element(make, "TextValue", str(value))


def _stamp(el: Any, user: str | None, when: datetime | None, user_attr: str, time_attr: str) -> None:
    if user:
        el.set(user_attr, user)
    if when:
        el.set(time_attr, _fmt_dt(when))


def build_qde(project: QdaProject) -> tuple[bytes, dict[str, str]]:
    """The project.qde bytes and the ``sources/`` files they point to (name -> text)."""
    make = element_maker(PROJECT_NS)
    root = make("Project", {"name": xml_safe(project.name) or "voicetrace project", "origin": export_origin()})
    files: dict[str, str] = {}

    sel_guids = {sel.guid for s in project.sources for sel in s.selections}
    coding_guids = {c.guid for s in project.sources for sel in s.selections for c in sel.codings}
    code_guids = {c.guid for c in project.all_codes()}
    source_guids = {s.guid for s in project.sources}
    refable = sel_guids | coding_guids | code_guids | source_guids
    notes_for: dict[str, list[str]] = defaultdict(list)
    linked: list[tuple[str, str]] = []
    project_level: list[str] = []
    for note in project.notes:
        targets = list(dict.fromkeys(note.targets))
        for s in project.sources:
            for sel in s.selections:
                if note.guid in sel.note_guids and sel.guid not in targets:
                    targets.append(sel.guid)
        if not targets:
            project_level.append(note.guid)
        for t in targets:
            if t in refable:
                notes_for[t].append(note.guid)
            else:
                linked.append((note.guid, t))

    def refs(guid: str) -> list[str]:
        return notes_for.get(guid, [])

    if project.users:
        users = make("Users", {})
        for u in project.users:
            attrs = {"guid": u.guid}
            if u.name:
                attrs["name"] = xml_safe(u.name)
            users.append(make("User", attrs))
        root.append(users)
    if project.codes:
        book, codes = make("CodeBook", {}), make("Codes", {})
        for code in project.codes:
            codes.append(build_code(make, code, refs))
        book.append(codes)
        root.append(book)
    var_types = {v.guid: v.type for v in project.variables}
    if project.variables:
        variables = make("Variables", {})
        for v in project.variables:
            el = make("Variable", {"guid": v.guid, "name": xml_safe(v.name), "typeOfVariable": v.type})
            if v.description:
                el.append(text_element(make, "Description", v.description))
            variables.append(el)
        root.append(variables)

    def values(el: Any, vals: dict[str, VariableValue]) -> None:
        for guid, value in vals.items():
            vv = make("VariableValue", {})
            vv.append(make("VariableRef", {"targetGUID": guid}))
            vv.append(_value_element(make, var_types.get(guid, "Text"), value))
            el.append(vv)

    if project.cases:
        cases = make("Cases", {})
        for c in project.cases:
            el = make("Case", {"guid": c.guid, **({"name": xml_safe(c.name)} if c.name else {})})
            if c.description:
                el.append(text_element(make, "Description", c.description))
            values(el, c.variable_values)
            for sg in c.source_guids:
                el.append(make("SourceRef", {"targetGUID": sg}))
            cases.append(el)
        root.append(cases)
    if project.sources:
        sources = make("Sources", {})
        for s in project.sources:
            if s.text is None:
                raise ValueError(f"source {s.name!r} has no text; only text sources can be exported")
            if "\r" in s.text:
                raise ValueError(f"source {s.name!r} text must use LF line endings")
            files[f"{s.guid}.txt"] = s.text
            el = make("TextSource", {"guid": s.guid, "name": xml_safe(s.name), "plainTextPath": f"internal://{s.guid}.txt"})
            _stamp(el, s.creating_user, s.created, "creatingUser", "creationDateTime")
            _stamp(el, s.modifying_user, s.modified, "modifyingUser", "modifiedDateTime")
            if s.description:
                el.append(text_element(make, "Description", s.description))
            for sel in s.selections:
                if not 0 <= sel.start < sel.end <= len(s.text):
                    raise ValueError(f"selection {sel.guid} [{sel.start},{sel.end}) outside source {s.name!r}")
                se = make("PlainTextSelection", {"guid": sel.guid, "startPosition": str(sel.start),
                                                 "endPosition": str(sel.end)})
                if sel.name:
                    se.set("name", xml_safe(sel.name))
                _stamp(se, sel.creating_user, sel.created, "creatingUser", "creationDateTime")
                if sel.description:
                    se.append(text_element(make, "Description", sel.description))
                for coding in sel.codings:
                    ce = make("Coding", {"guid": coding.guid})
                    _stamp(ce, coding.user_guid, coding.created, "creatingUser", "creationDateTime")
                    ce.append(make("CodeRef", {"targetGUID": coding.code_guid}))
                    for n in refs(coding.guid):
                        ce.append(make("NoteRef", {"targetGUID": n}))
                    se.append(ce)
                for n in refs(sel.guid):
                    se.append(make("NoteRef", {"targetGUID": n}))
                el.append(se)
            for n in refs(s.guid):
                el.append(make("NoteRef", {"targetGUID": n}))
            values(el, s.variable_values)
            sources.append(el)
        root.append(sources)
    if project.notes:
        notes = make("Notes", {})
        for note in project.notes:
            el = make("Note", {"guid": note.guid, **({"name": xml_safe(note.name)} if note.name else {})})
            _stamp(el, note.author, note.created, "creatingUser", "creationDateTime")
            el.append(text_element(make, "PlainTextContent", note.text))
            notes.append(el)
        root.append(notes)
    if linked:
        links = make("Links", {})
        for note_guid, target in linked:
            links.append(make("Link", {"guid": guid_for("memo-link", f"{note_guid}>{target}"), "name": "memo",
                                       "direction": "OneWay", "originGUID": note_guid, "targetGUID": target}))
        root.append(links)
    if project.sets:
        sets = make("Sets", {})
        for st in project.sets:
            el = make("Set", {"guid": st.guid, "name": xml_safe(st.name)})
            if st.description:
                el.append(text_element(make, "Description", st.description))
            for tag, members in (("MemberCode", st.member_codes), ("MemberSource", st.member_sources),
                                 ("MemberNote", st.member_notes)):
                for m in members:
                    el.append(make(tag, {"targetGUID": m}))
            sets.append(el)
        root.append(sets)
    if project.description:
        root.append(text_element(make, "Description", project.description))
    for n in project_level:
        root.append(make("NoteRef", {"targetGUID": n}))
    etree.cleanup_namespaces(root)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml, files
