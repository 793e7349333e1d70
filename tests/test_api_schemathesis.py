"""Schemathesis over /api/openapi.json with a head's token: no server errors, every
answer as the schema documents it. A bounded number of examples per operation; runs once,
on SQLite."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bibliomo.accounts.models import ApiToken

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="один раз, на SQLite",
)

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))


def test_api_conforms_to_its_schema_with_no_server_errors(live_server, world, tmp_path, client):
    # The live server shares this process: build (and cache) the schema before timing.
    assert client.get("/api/openapi.json").status_code == 200
    cli = Path(sys.executable).with_name("schemathesis")
    if not cli.exists():
        cli = Path(shutil.which("schemathesis") or "schemathesis")
    _, key = ApiToken.issue(world.head, "schemathesis")
    result = subprocess.run(
        [
            str(cli), "run", f"{live_server.url}/api/openapi.json",
            "--header", f"Authorization: Bearer {key}",
            "--checks", "not_a_server_error,status_code_conformance,response_schema_conformance",
            "--phases", "examples,fuzzing", "--max-examples", str(EXAMPLES),
            "--seed", "16", "--no-color", "--report-dir", str(tmp_path),
            "--wait-for-schema", "60", "--request-timeout", "60",
        ],
        capture_output=True, text=True, timeout=540,
    )  # fmt: skip
    output = result.stdout + result.stderr
    summary = output[output.rfind("SUMMARY") :]
    print(summary)  # the figures for the record: operations, cases, failures
    Path(os.environ.get("SCHEMATHESIS_LOG", tmp_path / "schemathesis.txt")).write_text(output)
    assert re.search(r"Tested: \d+", summary), output[-3000:]
    assert result.returncode == 0, output[-6000:]
