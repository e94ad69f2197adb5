"""The API fuzzed from its own OpenAPI schema (schemathesis): no 5xx, and every answer is the declared one.

A bounded budget (a few examples per operation, no shrinking, no example database) keeps it to
seconds, so `make test` runs it on every clone. Failures of all operations are gathered and reported
together.
"""
from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from voicetrace.web.app import create_app
from voicetrace.web.security import Secrets

from .conftest import BASE, CSRF, TOKEN, build_project

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 8


def test_every_operation_answers_as_declared(tmp_path: Path) -> None:
    p = build_project(tmp_path / "研究 fuzz.db", tmp_path / "corpus")
    app = create_app(p, secrets=Secrets(token=TOKEN, csrf=CSRF), coder="fuzzer")
    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app  # called in-process; the Host check applies (base_url is loopback)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=BASE, headers={"X-Voicetrace-Token": TOKEN, "X-CSRF-Token": CSRF},
                                   checks=CHECKS)
        try:
            run()
        except Exception as e:  # noqa: BLE001 - gather every operation's failure, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {str(e)[:600]}")
    p.close()
    assert operations > 20
    assert not failures, "\n\n".join(failures)
