//! Text output: reports as source snippets with a caret under each problem, and decoded views.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Shown, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, Styles, StylesWriter, termcolor};
use serde::Serialize;
use serde_json::Value;
use voicehook::{Diagnostic, Report};

/// Prints one report: a verdict line, then every error and warning with its source line.
pub fn report(
    out: &mut dyn Write,
    label: &str,
    bytes: &[u8],
    report: &Report,
    color: bool,
) -> io::Result<()> {
    let kind = report
        .kind
        .map_or("unknown kind".to_owned(), |k| k.to_string());
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if report.valid {
        write!(out, "{label}: valid {kind}")?;
        if !report.warnings.is_empty() {
            write!(out, " ({})", count(report.warnings.len(), "warning"))?;
        }
    } else {
        write!(
            out,
            "{label}: invalid {kind}: {}",
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
    let source = String::from_utf8_lossy(bytes);
    let file = SimpleFile::new(label, source.as_ref());
    let config = Config::default();
    let mut plain = Vec::new();
    let styles = Styles::default();
    for (d, is_error) in report
        .errors
        .iter()
        .map(|d| (d, true))
        .chain(report.warnings.iter().map(|d| (d, false)))
    {
        let shown = to_shown(&source, d, is_error);
        if color {
            let mut buffer = termcolor::Buffer::ansi();
            let mut writer = StylesWriter::new(&mut buffer, &styles);
            term::emit_to_write_style(&mut writer, &config, &file, &shown)
                .map_err(io::Error::other)?;
            out.write_all(buffer.as_slice())?;
        } else {
            plain.clear();
            term::emit_to_io_write(&mut plain, &config, &file, &shown).map_err(io::Error::other)?;
            out.write_all(&plain)?;
        }
    }
    Ok(())
}

fn explain_inline(code: i32) -> String {
    voicehook::codes::explain(i64::from(code))
        .into_iter()
        .next()
        .and_then(|e| serde_json::to_value(e).ok())
        .and_then(|v| {
            v.get("name")
                .or_else(|| v.get("meaning"))
                .and_then(Value::as_str)
                .map(|s| format!(" ({s})"))
        })
        .unwrap_or_default()
}

fn to_shown(source: &str, d: &Diagnostic, is_error: bool) -> Shown<()> {
    let base = if is_error {
        Shown::error()
    } else {
        Shown::warning()
    };
    let mut shown = base
        .with_code(d.rule.clone())
        .with_message(d.message.clone());
    match (d.line, d.column) {
        (Some(line), Some(column)) => {
            let range = token_range(source, line, column);
            let label = if d.pointer.is_empty() {
                "here".to_owned()
            } else {
                d.pointer.clone()
            };
            shown = shown.with_labels(vec![Label::primary((), range).with_message(label)]);
        }
        _ if !d.pointer.is_empty() => shown = shown.with_notes(vec![format!("at {}", d.pointer)]),
        _ => {}
    }
    shown
}

/// The byte range of the token starting at 1-based `line`:`column` (column in characters).
fn token_range(source: &str, line: u32, column: u32) -> std::ops::Range<usize> {
    let line_start = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let rest = &source[line_start.min(source.len())..];
    let start = line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(rest.len(), |(i, _)| i);
    let tail = &source[start.min(source.len())..];
    let mut chars = tail.char_indices();
    let len = match chars.next() {
        Some((_, '"')) => {
            let mut escaped = false;
            let mut end = tail.len();
            for (i, c) in chars {
                if c == '\n' {
                    end = i;
                    break;
                }
                if !escaped && c == '"' {
                    end = i + 1;
                    break;
                }
                escaped = !escaped && c == '\\';
            }
            end
        }
        Some((_, c)) if "{[,:]}".contains(c) => c.len_utf8(),
        Some(_) => tail
            .find(|c: char| c.is_whitespace() || ",:]}".contains(c))
            .unwrap_or(tail.len())
            .max(1),
        None => 0,
    };
    start..(start + len).min(source.len())
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
    writeln!(out, "{}", bold(&d.summary))?;
    if let Some(o) = &d.outcome {
        writeln!(out, "outcome: {} — {}", o.status, o.meaning)?;
    }
    if let Some(p) = &d.product {
        writeln!(out, "product: {} ({})", p.product, p.reasons.join("; "))?;
    }
    if !d.legs.is_empty() {
        writeln!(out, "\n{}", bold("legs"))?;
        for leg in &d.legs {
            writeln!(out, "  {}", leg.story)?;
        }
    }
    if !d.timeline.is_empty() {
        writeln!(out, "\n{}", bold("timeline"))?;
        for e in &d.timeline {
            let at = e.offset_ms.map_or_else(
                || e.at.clone(),
                |ms| format!("{:+7.1} s", ms as f64 / 1000.0),
            );
            writeln!(out, "  {at}  {}", e.event)?;
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
                "  {code} {} ({}, at {})",
                c.name,
                table.replace('-', " "),
                c.pointer
            )?;
            writeln!(out, "    {}", c.meaning)?;
            if let Some(h) = &c.hint {
                writeln!(out, "    hint: {h}")?;
            }
        }
    }
    if !d.facts.is_empty() {
        writeln!(out, "\n{}", bold("details"))?;
        for f in &d.facts {
            writeln!(out, "  {}: {}", f.label, f.value)?;
        }
    }
    for note in &d.notes {
        writeln!(out, "note: {note}")?;
    }
    if let Some(key) = &d.idempotency_key {
        writeln!(out, "\nidempotency key: {key}")?;
    }
    Ok(())
}

/// Prints code explanations: one block per table the number is in.
pub fn codes(out: &mut dyn Write, found: &[impl Serialize], color: bool) -> io::Result<()> {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    for (i, e) in found.iter().enumerate() {
        let v = serde_json::to_value(e).map_err(io::Error::other)?;
        let field = |k: &str| v.get(k).map(scalar).unwrap_or_default();
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} {} ({})",
            bold(&field("code")),
            bold(&field("name")),
            field("table").replace('-', " ")
        )?;
        writeln!(out, "  {}", field("meaning"))?;
        if v.get("hint").is_some() {
            writeln!(out, "  hint: {}", field("hint"))?;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_ranges_cover_strings_numbers_and_brackets() {
        let src = "{\n  \"a\": \"x\\\"y\",\n  \"b\": 123,\n  \"c\": {}\n}";
        assert_eq!(&src[token_range(src, 2, 8)], "\"x\\\"y\"");
        assert_eq!(&src[token_range(src, 3, 8)], "123");
        assert_eq!(&src[token_range(src, 4, 8)], "{");
        assert_eq!(token_range(src, 99, 1), src.len()..src.len());
    }
}
