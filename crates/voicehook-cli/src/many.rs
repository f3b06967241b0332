//! `validate` and `decode` over any number of inputs: what each document prints in each format
//! (made on the checking threads), and the frame around them (SARIF's header, JUnit's test
//! suites, the summary), written in input order.

use std::fmt::Write as _;
use std::io::{self, Seek, Write};

use voicehook::bulk::{Entry, Row, Summary, Totals};
use voicehook::catalog::{RULES, Rule, Severity};
use voicehook::{Finding, Options, Report};

use crate::archive::{Input, Source};
use crate::render;
use crate::safe::{self, Esc, shown};

/// How `validate` prints.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Each report with its source lines; for an NDJSON line, only when it has something to say.
    Human,
    /// One JSON line per document: `file`, `line` (NDJSON) and the Report.
    Json,
    /// JUnit XML: a test suite per input, a test case per document.
    Junit,
    /// SARIF 2.1.0, for code scanning: one result per error or warning.
    Sarif,
    /// GitHub Actions workflow annotations (`::error file=…,line=…::…`).
    Github,
}

/// How `decode` prints.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DecodeFormat {
    /// The decoded view of each document.
    Human,
    /// The decoded view of each document as JSON (the report when it cannot be decoded).
    Json,
    /// One flat row per document, the columns of `voicehook decode --columns`.
    Ndjson,
}

/// What makes a document fail (exit status 1, a JUnit failure).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// An error.
    Error,
    /// An error or a warning.
    Warning,
}

/// What `validate --emit` prints on standard output.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// The report of each input.
    Report,
    /// Each valid input's document, normalized (the report goes to standard error).
    Normalized,
}

/// What one document (or unreadable input) gives: its output, in input order.
pub struct Done {
    source: usize,
    out: Vec<u8>,
    err: Vec<u8>,
    entry: Option<Entry>,
    failed: bool,
    /// JUnit: it counts as an error (unreadable) rather than a failure.
    error: bool,
}

impl Done {
    /// Nothing printed yet for a document of `source`.
    fn new(source: usize) -> Done {
        Done {
            source,
            out: Vec::new(),
            err: Vec::new(),
            entry: None,
            failed: false,
            error: false,
        }
    }
}

/// One line of `validate --format json`: the input's name, the line the document starts on
/// (NDJSON) and its Report.
#[derive(serde::Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(flatten)]
    report: &'a Report,
}

/// Everything a checking thread needs to know.
pub struct Job<'a> {
    pub sources: &'a [Source],
    pub options: Options,
    pub format: Format,
    pub emit: Emit,
    pub fail_on: FailOn,
    pub color: bool,
    pub summary_only: bool,
    /// Only parse (the benchmark's reference).
    pub syntax_only: bool,
}

impl Job<'_> {
    fn fails(&self, report: &Report) -> bool {
        !report.valid || (self.fail_on == FailOn::Warning && !report.warnings.is_empty())
    }

    /// Checks one input and renders what it prints.
    pub fn check(&self, input: &Input) -> Done {
        let (source, line, bytes) = match input.doc() {
            Ok(doc) => doc,
            Err((source, error)) => {
                return unreadable(&self.sources[source], source, error, self.format);
            }
        };
        let src = &self.sources[source];
        let at = src.ndjson.then_some(line);
        let mut done = Done::new(source);
        if self.syntax_only {
            done.failed = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err();
            done.entry = Some(Entry::default());
            return done;
        }
        if self.emit == Emit::Normalized {
            let analysis = voicehook::analyze(bytes, &self.options);
            done.failed = self.fails(&analysis.report);
            done.entry = Some(Entry::new(&analysis));
            if !self.summary_only {
                let _ = self.normalized(&mut done, src, at, bytes, &analysis);
            }
            return done;
        }
        let (report, entry) = voicehook::bulk::check(bytes, &self.options);
        let report = &report;
        done.failed = self.fails(report);
        done.entry = Some(entry);
        if self.summary_only {
            return done;
        }
        let mask = self.options.mask;
        // rendering into memory cannot fail
        let _ = (|| -> io::Result<()> {
            match self.format {
                Format::Human => {
                    if at.is_none() || !report.valid || !report.warnings.is_empty() {
                        let origin = render::Origin {
                            name: &src.name,
                            line: at,
                        };
                        render::report(&mut done.out, origin, bytes, report, self.color, mask)?;
                    }
                }
                Format::Json => {
                    let line = JsonLine {
                        file: &src.name,
                        line: at,
                        report,
                    };
                    safe::json_line(&mut done.out, &line)?;
                }
                Format::Sarif => sarif_results(&mut done.out, src, line, report, mask)?,
                Format::Github => github(&mut done.out, src, line, report, mask, self.fail_on)?,
                Format::Junit => junit_case(&mut done.out, src, at, report, done.failed, mask)?,
            }
            Ok(())
        })();
        done
    }
}

impl Job<'_> {
    /// `--emit normalized`: the document as read on standard output, the report on standard
    /// error.
    fn normalized(
        &self,
        done: &mut Done,
        src: &Source,
        at: Option<u64>,
        bytes: &[u8],
        analysis: &voicehook::Analysis,
    ) -> io::Result<()> {
        let mask = self.options.mask;
        let report = &analysis.report;
        if let Some(document) = &analysis.document() {
            if mask {
                let mut masked = safe::MaskLines::new(&mut done.out);
                safe::json_line(&mut masked, document)?;
                masked.flush()?;
            } else {
                safe::json_line(&mut done.out, document)?;
            }
        }
        if self.format == Format::Json {
            let line = JsonLine {
                file: &src.name,
                line: at,
                report,
            };
            safe::json_line(&mut done.err, &line)
        } else if !report.valid || !report.warnings.is_empty() {
            let origin = render::Origin {
                name: &src.name,
                line: at,
            };
            render::report(&mut done.err, origin, bytes, report, false, mask)
        } else {
            Ok(())
        }
    }
}

/// What an unreadable input prints: a line on standard error (and a JUnit error case).
fn unreadable(src: &Source, source: usize, error: &str, format: Format) -> Done {
    let what = match &src.path {
        None => "standard input".to_owned(),
        Some(_) => Esc(&src.name).to_string(),
    };
    let mut out = Vec::new();
    if format == Format::Junit {
        let _ = writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\"><error message=\"cannot read it\">{}</error></testcase>",
            xml(&src.name),
            xml(&src.name),
            xml(error)
        );
    }
    Done {
        source,
        out,
        err: format!("voicehook: cannot read {what}: {}\n", Esc(error)).into_bytes(),
        entry: None,
        failed: false,
        error: true,
    }
}

/// Decodes one input for `decode`.
pub struct Decode<'a> {
    pub sources: &'a [Source],
    pub options: Options,
    pub format: DecodeFormat,
    pub color: bool,
    /// More than one document may come: each view gets a header.
    pub headers: bool,
}

impl Decode<'_> {
    /// Decodes one input and renders it.
    pub fn decode(&self, input: &Input) -> Done {
        let (source, line, bytes) = match input.doc() {
            Ok(doc) => doc,
            Err((source, error)) => {
                return unreadable(&self.sources[source], source, error, Format::Human);
            }
        };
        let src = &self.sources[source];
        let at = src.ndjson.then_some(line);
        let mask = self.options.mask;
        let analysis = voicehook::analyze(bytes, &self.options);
        let mut done = Done::new(source);
        done.entry = Some(Entry::new(&analysis));
        let _ = (|| -> io::Result<()> {
            let decoded = {
                let mut masked;
                let view: &mut dyn Write = if mask {
                    masked = safe::MaskLines::new(&mut done.out);
                    &mut masked
                } else {
                    &mut done.out
                };
                if self.format == DecodeFormat::Ndjson {
                    safe::json_line(view, &Row::new(src.file(), Some(line), &analysis))?;
                    done.failed = !analysis.report.valid;
                    return view.flush();
                }
                let decoded = analysis.decode();
                if self.format == DecodeFormat::Json {
                    match &decoded {
                        Some(decoded) => safe::json_pretty(view, decoded)?,
                        None => safe::json_pretty(view, &analysis.report)?,
                    }
                    view.flush()?;
                    decoded
                } else {
                    if self.headers {
                        let place = at.map(|l| format!(":{l}")).unwrap_or_default();
                        let name = shown(&src.name, false, render::MAX_TEXT);
                        writeln!(view, "==> {name}{place} <==")?;
                    }
                    if let Some(decoded) = &decoded {
                        render::decoded(view, decoded, self.color)?;
                        if !analysis.report.valid {
                            writeln!(view)?;
                        }
                    }
                    view.flush()?;
                    decoded
                }
            };
            // Like validate: it fails when invalid, though its meaning is still shown.
            done.failed = decoded.is_none() || !analysis.report.valid;
            if self.format == DecodeFormat::Human {
                if done.failed {
                    let origin = render::Origin {
                        name: &src.name,
                        line: at,
                    };
                    render::report(
                        &mut done.out,
                        origin,
                        bytes,
                        &analysis.report,
                        self.color,
                        mask,
                    )?;
                }
                if self.headers {
                    writeln!(done.out)?;
                }
            }
            Ok(())
        })();
        done
    }
}

/// The frame around the documents' output, the counts and the exit status.
pub struct Writer {
    format: Option<Format>,
    summary: Summary,
    /// Anything failed (exit 1).
    pub failed: bool,
    /// An input could not be read (exit 2).
    pub unreadable: bool,
    sarif_first: bool,
    suite: Option<Suite>,
    suites_open: bool,
}

/// The JUnit test suite of the input being written: its cases wait in a file until its counts
/// are known.
struct Suite {
    source: usize,
    tests: u64,
    failures: u64,
    errors: u64,
    cases: std::fs::File,
}

impl Writer {
    /// A writer for `validate` in `format`, or for `decode` (`None`).
    pub fn new(format: Option<Format>) -> Writer {
        Writer {
            format,
            summary: Summary::default(),
            failed: false,
            unreadable: false,
            sarif_first: true,
            suite: None,
            suites_open: false,
        }
    }

    /// What comes before the first document.
    pub fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.format {
            Some(Format::Sarif) => sarif_begin(out),
            Some(Format::Junit) => {
                writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
                writeln!(out, "<testsuites name=\"voicehook\">")?;
                self.suites_open = true;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Writes a batch of documents' output, in order.
    pub fn write(
        &mut self,
        out: &mut dyn Write,
        sources: &[Source],
        batch: Vec<Done>,
    ) -> io::Result<()> {
        for done in batch {
            match &done.entry {
                Some(entry) => self.summary.add(entry),
                None => self.summary.add_unreadable(),
            }
            self.failed |= done.failed;
            self.unreadable |= done.error;
            if !done.err.is_empty() {
                out.flush()?;
                io::stderr().write_all(&done.err)?;
            }
            match self.format {
                Some(Format::Sarif) if !done.out.is_empty() => {
                    if !self.sarif_first {
                        out.write_all(b",\n")?;
                    }
                    self.sarif_first = false;
                    out.write_all(&done.out)?;
                }
                Some(Format::Junit) => self.junit(out, sources, &done)?,
                _ => out.write_all(&done.out)?,
            }
        }
        Ok(())
    }

    fn junit(&mut self, out: &mut dyn Write, sources: &[Source], done: &Done) -> io::Result<()> {
        if self.suite.as_ref().is_some_and(|s| s.source != done.source) {
            self.end_suite(out, sources)?;
        }
        if self.suite.is_none() {
            self.suite = Some(Suite {
                source: done.source,
                tests: 0,
                failures: 0,
                errors: 0,
                cases: tempfile::tempfile()?,
            });
        }
        if let Some(suite) = &mut self.suite {
            suite.tests += 1;
            suite.failures += u64::from(done.failed);
            suite.errors += u64::from(done.error);
            suite.cases.write_all(&done.out)?;
        }
        Ok(())
    }

    fn end_suite(&mut self, out: &mut dyn Write, sources: &[Source]) -> io::Result<()> {
        let Some(mut suite) = self.suite.take() else {
            return Ok(());
        };
        writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            xml(&sources[suite.source].name),
            suite.tests,
            suite.failures,
            suite.errors
        )?;
        suite.cases.rewind()?;
        io::copy(&mut suite.cases, out)?;
        writeln!(out, "  </testsuite>")
    }

    /// What comes after the last document: the end of the frame. The summary is the caller's
    /// ([`Writer::totals`]).
    pub fn end(&mut self, out: &mut dyn Write, sources: &[Source]) -> io::Result<()> {
        match self.format {
            Some(Format::Sarif) => out.write_all(b"\n      ]\n    }\n  ]\n}\n"),
            Some(Format::Junit) if self.suites_open => {
                self.end_suite(out, sources)?;
                writeln!(out, "</testsuites>")
            }
            _ => Ok(()),
        }
    }

    /// How many documents were written.
    pub fn documents(&self) -> u64 {
        self.summary.documents()
    }

    /// The counts so far, with the ten most frequent rules and places.
    pub fn totals(&self) -> Totals {
        self.summary.totals(10)
    }
}

/// The summary for a person.
pub fn summary(out: &mut dyn Write, t: &Totals) -> io::Result<()> {
    let plural = |n: u64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    write!(
        out,
        "{}: {} valid ({} with warnings), {} invalid",
        plural(t.documents, "document"),
        t.valid,
        t.with_warnings,
        t.invalid
    )?;
    if t.unreadable > 0 {
        write!(out, "; {} could not be read", plural(t.unreadable, "input"))?;
    }
    writeln!(out)?;
    if !t.kinds.is_empty() {
        writeln!(
            out,
            "\nby kind                    valid   warnings    invalid"
        )?;
        for k in &t.kinds {
            let v = &k.verdicts;
            writeln!(
                out,
                "  {:<20} {:>10} {:>10} {:>10}",
                k.kind, v.valid, v.with_warnings, v.invalid
            )?;
        }
    }
    if !t.rules.is_empty() {
        writeln!(out, "\nmost frequent rules")?;
        for r in &t.rules {
            writeln!(out, "  {:<40} {:>10}", r.rule, r.count)?;
        }
    }
    if !t.pointers.is_empty() {
        writeln!(out, "\nmost frequent places")?;
        for p in &t.pointers {
            let name = if p.name.is_empty() {
                "(the document)"
            } else {
                &p.name
            };
            writeln!(out, "  {:<40} {:>10}", shown(name, false, 200), p.count)?;
        }
    }
    if !t.sessions.outcomes.is_empty() {
        writeln!(out, "\nsessions by outcome")?;
        for o in &t.sessions.outcomes {
            writeln!(out, "  {:<40} {:>10}", shown(&o.name, false, 200), o.count)?;
        }
    }
    if !t.sessions.errors.is_empty() {
        writeln!(out, "\nsessions by error code")?;
        for e in &t.sessions.errors {
            let name = e.name.as_deref().unwrap_or("not in 8x8's table");
            writeln!(
                out,
                "  {:<40} {:>10}",
                format!("{} {name}", e.code),
                e.count
            )?;
        }
    }
    Ok(())
}

/// Text for XML, attributes and content alike: markup characters as entities, and characters
/// XML 1.0 cannot hold (most controls) as visible escapes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            c if safe::is_unsafe(c) || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A finding for one line of text: `rule at pointer (line:col): message`.
fn finding_text(f: &Finding, mask: bool) -> String {
    let mut text = format!(
        "{} at {}",
        f.rule.id,
        if f.pointer.is_empty() {
            "/"
        } else {
            &f.pointer
        }
    );
    if let Some((l, c)) = f.line.zip(f.column) {
        let _ = write!(text, " ({l}:{c})");
    }
    let _ = write!(text, ": {}", f.message);
    shown(&text, mask, render::MAX_TEXT)
}

fn junit_case(
    out: &mut Vec<u8>,
    src: &Source,
    at: Option<u64>,
    report: &Report,
    failed: bool,
    mask: bool,
) -> io::Result<()> {
    let kind = report.kind.map_or("unknown kind", |k| k.id());
    let name = match at {
        Some(line) => format!("line {line}: {kind}"),
        None => format!("{}: {kind}", src.name),
    };
    write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\"",
        xml(&name),
        xml(&src.name)
    )?;
    let findings: Vec<String> = report
        .errors
        .iter()
        .chain(&report.warnings)
        .map(|f| finding_text(f, mask))
        .collect();
    if findings.is_empty() {
        return writeln!(out, "/>");
    }
    writeln!(out, ">")?;
    let body = xml(&findings.join("\n"));
    if failed {
        let first = report.errors.first().or(report.warnings.first());
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{body}</failure>",
            xml(&format!(
                "{}, {}",
                count(report.errors.len(), "error"),
                count(report.warnings.len(), "warning")
            )),
            xml(first.map_or("", |f| f.rule.id)),
        )?;
    } else {
        writeln!(out, "      <system-out>{body}</system-out>")?;
    }
    writeln!(out, "    </testcase>")
}

/// The line of the file a finding is on: the document's first line plus the finding's line.
fn file_line(start: u64, f: &Finding) -> u64 {
    start + u64::from(f.line.unwrap_or(1)) - 1
}

fn github(
    out: &mut Vec<u8>,
    src: &Source,
    start: u64,
    report: &Report,
    mask: bool,
    fail_on: FailOn,
) -> io::Result<()> {
    // Workflow commands: `%`, CR and LF escaped in the message; `:` and `,` too in properties.
    fn data(text: &str) -> String {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(text: &str) -> String {
        data(text).replace(':', "%3A").replace(',', "%2C")
    }
    let file = src
        .file()
        .map(|f| format!("file={},", property(f)))
        .unwrap_or_default();
    let level = |error: bool| match (error, fail_on) {
        (true, _) | (false, FailOn::Warning) => "error",
        _ => "warning",
    };
    let all = report
        .errors
        .iter()
        .map(|f| (f, true))
        .chain(report.warnings.iter().map(|f| (f, false)));
    for (f, is_error) in all {
        let col = f.column.map(|c| format!(",col={c}")).unwrap_or_default();
        let message = shown(
            &format!(
                "{} (at {})",
                f.message,
                if f.pointer.is_empty() {
                    "/"
                } else {
                    &f.pointer
                }
            ),
            mask,
            render::MAX_TEXT,
        );
        writeln!(
            out,
            "::{} {file}line={}{col},title={}::{}",
            level(is_error),
            file_line(start, f),
            property(f.rule.id),
            data(&message)
        )?;
    }
    Ok(())
}

/// A path as a SARIF artifact URI (a relative reference): each byte outside the unreserved
/// characters and `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn level(rule: &Rule, strict: bool) -> &'static str {
    match rule.severity(strict) {
        Severity::Error => "error",
        _ => "warning",
    }
}

fn sarif_begin(out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "shortDescription": { "text": r.summary },
                "defaultConfiguration": { "level": level(r, false) },
            })
        })
        .collect();
    let head = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "voicehook",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/voicehook",
                "rules": rules,
            }},
            "results": [],
        }],
    });
    // Everything but the results' closing brackets: results follow as they come.
    let text = serde_json::to_string_pretty(&head).map_err(io::Error::other)?;
    let open = text
        .rfind("\"results\": []")
        .map_or(text.len(), |i| i + "\"results\": [".len());
    out.write_all(&text.as_bytes()[..open])?;
    out.write_all(b"\n")
}

fn sarif_results(
    out: &mut Vec<u8>,
    src: &Source,
    start: u64,
    report: &Report,
    mask: bool,
) -> io::Result<()> {
    let all = report
        .errors
        .iter()
        .map(|f| (f, "error"))
        .chain(report.warnings.iter().map(|f| (f, "warning")));
    let artifact = uri(src.file().unwrap_or("stdin"));
    for (f, level) in all {
        let mut region = serde_json::json!({ "startLine": file_line(start, f) });
        if let Some(c) = f.column {
            region["startColumn"] = c.into();
        }
        let result = serde_json::json!({
            "ruleId": f.rule.id,
            "ruleIndex": RULES.iter().position(|r| r.id == f.rule.id),
            "level": level,
            "message": { "text": shown(&f.message, mask, render::MAX_TEXT) },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": artifact },
                    "region": region,
                },
                "logicalLocations": [{ "fullyQualifiedName": shown(&f.pointer, mask, render::MAX_TEXT), "kind": "member" }],
            }],
        });
        if !out.is_empty() {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"        ");
        safe::json_line(out, &result)?;
        out.pop(); // the newline: the writer separates results
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_controls() {
        assert_eq!(
            xml("a<b & \"c\"\u{1b}"),
            "a&lt;b &amp; &quot;c&quot;\\u{1b}"
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("dir/a b%.json"), "dir/a%20b%25.json");
    }
}
