//! Text output: reports as source snippets with a caret under each problem, and decoded views.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Shown, Label};
use codespan_reporting::term::{self, Config, Styles, StylesWriter, termcolor};
use serde_json::Value;
use voicehook::Report;
use voicehook::codes::{Explanation, Lookup, Table};

use crate::safe::shown;
use crate::snippet::{self, Snippet};

/// UTF-8 byte order mark: the core's lines and columns count from after it.
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Most characters of one message, pointer, file name or decoded value shown.
pub const MAX_TEXT: usize = 2000;

/// Where a document was read: its input's name and, for a line of an NDJSON file, that line.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    /// The input's name as shown (`<stdin>` for standard input).
    pub name: &'a str,
    /// The line the document starts on, for a document that is one line of its file: the
    /// report's lines are counted from it.
    pub line: Option<u64>,
}

/// Prints one report: a verdict line, then every error and warning with its source line (or a
/// window of it, see [`snippet`]). Each diagnostic is written as soon as it is rendered, and
/// costs the same whatever the size of the document. Document text is escaped
/// ([`crate::safe`]) and, with `mask`, phone numbers in it are masked.
pub fn report(
    out: &mut dyn Write,
    origin: Origin<'_>,
    bytes: &[u8],
    report: &Report,
    color: bool,
    mask: bool,
) -> io::Result<()> {
    let name = shown(origin.name, mask, MAX_TEXT);
    let first_line = origin.line.unwrap_or(1);
    let heading = match origin.line {
        Some(line) => format!("{name}:{line}"),
        None => name.clone(),
    };
    let kind = report
        .kind
        .map_or("unknown kind".to_owned(), |k| k.to_string());
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if report.valid {
        write!(out, "{heading}: valid {kind}")?;
        if !report.warnings.is_empty() {
            write!(out, " ({})", count(report.warnings.len(), "warning"))?;
        }
    } else {
        write!(
            out,
            "{heading}: invalid {kind}: {}",
            count(report.errors.len(), "error")
        )?;
        if !report.warnings.is_empty() {
            write!(out, ", {}", count(report.warnings.len(), "warning"))?;
        }
    }
    writeln!(out)?;
    if let Some(code) = report.predicted_status_code {
        writeln!(
            out,
            "  8x8 would answer statusCode {code}{}",
            explain_inline(code)
        )?;
    }
    if let Some(code) = report.predicted_session_error_code {
        writeln!(
            out,
            "  8x8 would end the session with error {code}{}",
            explain_inline(code)
        )?;
    }
    let src = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let all = || {
        report
            .errors
            .iter()
            .map(|d| (d, true))
            .chain(report.warnings.iter().map(|d| (d, false)))
    };
    let wanted: Vec<(u32, u32)> = all().filter_map(|(d, _)| d.line.zip(d.column)).collect();
    let mut places = snippet::locate(src, &wanted).into_iter();
    let config = Config::default();
    let styles = Styles::default();
    let mut plain = Vec::new();
    for (d, is_error) in all() {
        let mut shown_d = if is_error {
            Shown::error()
        } else {
            Shown::warning()
        }
        .with_code(shown(d.rule.id, false, MAX_TEXT))
        .with_message(shown(&d.message, mask, MAX_TEXT));
        let pointer = shown(&d.pointer, mask, MAX_TEXT);
        let file = match d.line.zip(d.column) {
            Some(position) => {
                let place = places.next().unwrap_or_default();
                let end = d.span.map_or(place.1, |span| span.end as usize);
                // the line in the file: counted from the document's first line
                let line =
                    usize::try_from(first_line + u64::from(position.0) - 1).unwrap_or(usize::MAX);
                let shown_at = (line, position.1 as usize);
                let (file, caret) = Snippet::new(name.clone(), src, place, end, shown_at, mask);
                let label = if d.pointer.is_empty() {
                    "here".to_owned()
                } else {
                    pointer
                };
                shown_d = shown_d.with_labels(vec![Label::primary((), caret).with_message(label)]);
                file
            }
            None => {
                if !d.pointer.is_empty() {
                    shown_d = shown_d.with_notes(vec![format!("at {pointer}")]);
                }
                Snippet::empty(name.clone())
            }
        };
        if color {
            let mut buffer = termcolor::Buffer::ansi();
            let mut writer = StylesWriter::new(&mut buffer, &styles);
            term::emit_to_write_style(&mut writer, &config, &file, &shown_d)
                .map_err(io::Error::other)?;
            out.write_all(buffer.as_slice())?;
        } else {
            plain.clear();
            term::emit_to_io_write(&mut plain, &config, &file, &shown_d)
                .map_err(io::Error::other)?;
            out.write_all(&plain)?;
        }
    }
    Ok(())
}

fn explain_inline(code: i32) -> String {
    voicehook::codes::explain(i64::from(code))
        .first()
        .map(|e| format!(" ({})", e.name()))
        .unwrap_or_default()
}

/// Document text in decoded views and lookups: escaped and cut to [`MAX_TEXT`] characters
/// (masking is done line by line around the whole view).
fn t(text: &str) -> String {
    shown(text, false, MAX_TEXT)
}

/// Prints a decoded view: summary, outcome, legs, timeline, codes, facts, idempotency key.
pub fn decoded(out: &mut dyn Write, d: &voicehook::decode::Decoded, color: bool) -> io::Result<()> {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    writeln!(out, "{}", bold(&t(&d.summary)))?;
    if let Some(o) = &d.outcome {
        writeln!(out, "outcome: {} — {}", t(&o.status), t(&o.meaning))?;
    }
    if let Some(p) = &d.product {
        writeln!(out, "product: {} ({})", p.product, t(&p.reasons.join("; ")))?;
    }
    if !d.legs.is_empty() {
        writeln!(out, "\n{}", bold("legs"))?;
        for leg in &d.legs {
            writeln!(out, "  {}", t(&leg.story))?;
        }
    }
    if !d.timeline.is_empty() {
        writeln!(out, "\n{}", bold("timeline"))?;
        for e in &d.timeline {
            let at = e
                .offset_ms
                .map_or_else(|| t(&e.at), |ms| format!("{:+7.1} s", ms as f64 / 1000.0));
            writeln!(out, "  {at}  {}", t(&e.event))?;
        }
    }
    if !d.codes.is_empty() {
        writeln!(out, "\n{}", bold("codes"))?;
        for c in &d.codes {
            let code = serde_json::to_value(&c.code)
                .map(|v| scalar(&v))
                .unwrap_or_default();
            let table = serde_json::to_value(c.table)
                .map(|v| scalar(&v))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} {} ({}, at {})",
                t(&code),
                t(&c.name),
                table.replace('-', " "),
                t(&c.pointer)
            )?;
            writeln!(out, "    {}", t(&c.meaning))?;
            if let Some(h) = &c.hint {
                writeln!(out, "    hint: {}", t(h))?;
            }
        }
    }
    if !d.facts.is_empty() {
        writeln!(out, "\n{}", bold("details"))?;
        for f in &d.facts {
            writeln!(out, "  {}: {}", t(&f.label), t(&f.value))?;
        }
    }
    for note in &d.notes {
        writeln!(out, "note: {}", t(note))?;
    }
    if let Some(key) = &d.idempotency_key {
        writeln!(out, "\nidempotency key: {}", t(key))?;
    }
    Ok(())
}

/// Prints what `voicehook code` found: one block per table entry, or what the text is not and
/// the near codes or values it may be a typo of.
pub fn lookup(out: &mut dyn Write, text: &str, found: &Lookup, color: bool) -> io::Result<()> {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    if let Some(Explanation::Status {
        code,
        spelling: Some(s),
        ..
    }) = found.matches.first()
    {
        writeln!(
            out,
            "{} is read as {code}: {}\n",
            t(&format!("{:?}", s.written)),
            s.note
        )?;
    }
    for (i, e) in found.matches.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        match e {
            Explanation::Status { code, name, .. } => {
                writeln!(out, "{} ({name})", bold(code))?;
            }
            Explanation::Mos {
                code,
                name,
                min,
                max,
                ..
            } => {
                writeln!(out, "MOS {code} {} (band {min:.1}–{max:.1})", bold(name))?;
            }
            _ => {
                let number = e.number().unwrap_or_default();
                writeln!(
                    out,
                    "{} {} ({})",
                    bold(&number.to_string()),
                    bold(e.name()),
                    table_name(e.table())
                )?;
            }
        }
        writeln!(out, "  {}", e.meaning())?;
        if let Some(hint) = e.hint() {
            let label = if e.table() == Table::Status {
                "note"
            } else {
                "hint"
            };
            writeln!(out, "  {label}: {hint}")?;
        }
    }
    if found.matches.is_empty() {
        writeln!(
            out,
            "{} is not a code, status value or MOS score the 8x8 pages document",
            t(&format!("{:?}", text.trim()))
        )?;
        if !found.suggestions.is_empty() {
            writeln!(out, "did you mean:")?;
            for s in &found.suggestions {
                let tables: Vec<&str> = s.tables.iter().map(|t| table_name(*t)).collect();
                writeln!(
                    out,
                    "  {}  {} ({})",
                    bold(&s.query),
                    s.name,
                    tables.join(", ")
                )?;
            }
        }
    }
    Ok(())
}

/// A table's name in words, as the header of an entry shows it.
fn table_name(table: Table) -> &'static str {
    match table {
        Table::SessionError => "session error",
        Table::ApiStatus => "api status",
        Table::NumberMasking => "number masking",
        Table::WebhooksApi => "webhooks api status",
        Table::Sip => "sip",
        Table::Status => "status",
        Table::Mos => "MOS band",
    }
}

fn scalar(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

/// The rule catalog as an aligned table: id, severity in lenient and strict mode, summary.
pub fn rules(out: &mut dyn Write, rules: &[&voicehook::catalog::Rule]) -> io::Result<()> {
    use voicehook::catalog::Severity;
    let word = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(4);
    writeln!(
        out,
        "{:width$}  {:8} {:8} summary",
        "rule", "lenient", "strict"
    )?;
    for r in rules {
        writeln!(
            out,
            "{:width$}  {:8} {:8} {}",
            r.id,
            word(r.lenient),
            word(r.strict),
            r.summary
        )?;
    }
    Ok(())
}

/// How `voicehook ips` prints the allowlist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum IpFormat {
    /// One address per line.
    Plain,
    /// nginx `allow` lines, then `deny all;`.
    Nginx,
    /// iptables (ip6tables for IPv6) rules accepting TCP to the port.
    Iptables,
    /// A JSON list of `{ region, address }`.
    Json,
}

/// `voicehook ips`: 8x8's published webhook source addresses in `format`.
pub fn ips(out: &mut dyn Write, format: IpFormat, port: u16) -> io::Result<()> {
    use voicehook::codes::{SOURCE_IPS, SOURCE_IPS_UPDATED};
    let source = format!("8x8 Voice webhook source addresses (list updated {SOURCE_IPS_UPDATED})");
    match format {
        IpFormat::Plain => {
            for ip in SOURCE_IPS {
                writeln!(out, "{}", ip.address)?;
            }
        }
        IpFormat::Nginx => {
            writeln!(out, "# {source}")?;
            for ip in SOURCE_IPS {
                writeln!(out, "allow {};  # {}", ip.address, ip.region)?;
            }
            writeln!(out, "deny all;")?;
        }
        IpFormat::Iptables => {
            writeln!(out, "# {source}")?;
            for ip in SOURCE_IPS {
                let tool = if ip.address.contains(':') {
                    "ip6tables"
                } else {
                    "iptables"
                };
                writeln!(
                    out,
                    "{tool} -A INPUT -p tcp --dport {port} -s {} -m comment --comment \"8x8 Voice webhooks\" -j ACCEPT",
                    ip.address
                )?;
            }
        }
        IpFormat::Json => {
            let list: Vec<serde_json::Value> = SOURCE_IPS
                .iter()
                .map(|ip| serde_json::json!({"region": ip.region, "address": ip.address}))
                .collect();
            crate::safe::json_pretty(out, &list)?;
        }
    }
    Ok(())
}
