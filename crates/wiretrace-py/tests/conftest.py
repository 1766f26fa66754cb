"""Shared fixtures: the repository's test data and the CLI binary.

The CLI equality tests run the `wiretrace` binary: `WIRETRACE_BIN`, else
`target/release/wiretrace` at the workspace root. Where neither exists they
are skipped, unless `WIRETRACE_REQUIRE_CLI=1` (CI sets it) makes that a
failure.
"""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
DEMO = ROOT / "testdata" / "demo" / "corpus.jsonl"


def _cli():
    given = os.environ.get("WIRETRACE_BIN")
    for c in [given, ROOT / "target" / "release" / "wiretrace", shutil.which("wiretrace")]:
        if c and pathlib.Path(c).is_file():
            return str(c)
    return None


@pytest.fixture(scope="session")
def cli():
    path = _cli()
    if path is None:
        if os.environ.get("WIRETRACE_REQUIRE_CLI") == "1":
            pytest.fail("WIRETRACE_REQUIRE_CLI=1 but no wiretrace binary: set WIRETRACE_BIN or cargo build --release")
        pytest.skip("no wiretrace binary (set WIRETRACE_BIN or run cargo build --release)")
    return path


@pytest.fixture(scope="session")
def demo():
    assert DEMO.is_file(), f"{DEMO} is missing"
    return DEMO


@pytest.fixture(scope="session")
def generated(cli, tmp_path_factory):
    """A 3,000-article corpus made by `wiretrace gen` (seed 21)."""
    out = tmp_path_factory.mktemp("gen")
    subprocess.run([cli, "gen", "--out", str(out), "--articles", "3000", "--seed", "21"],
                   check=True, capture_output=True)
    return out / "corpus.jsonl"
