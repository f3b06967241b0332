//! The pipeline behind [`crate::validate_with`]: parse → detect → normalize → validate against
//! the committed schema → semantic rules, gathered into one [`Report`].

// Natively the compact interpreter only serves the test that holds it to the jsonschema crate.
#[cfg_attr(feature = "jsonschema", allow(dead_code))]
mod compact;
#[cfg(feature = "jsonschema")]
mod engine;
mod fast;
mod messages;
mod unknown;
pub(crate) mod walk;

use serde_json::Value;

use crate::detect::{Detection, detect_value};
use crate::normalize::{Normalized, normalize};
use crate::parse::{Limits, Parsed, parse_recovering};
use crate::{Diagnostic, Kind, Options, Report, catalog, rules};

/// Everything the pipeline learned about one document; decode builds on it.
pub(crate) struct Outcome {
    /// The report users see.
    pub report: Report,
    /// The normalized document (None when it did not parse or has no kind).
    pub normalized: Option<Value>,
    /// What detection said (None when it did not parse).
    pub detection: Option<Detection>,
}

/// The report of `input`: straight from the fast path when one typed pass proves the document
/// valid (see [`fast`]), otherwise from the full pipeline.
pub(crate) fn report(input: &[u8], options: &Options) -> Report {
    fast::check(input, options).unwrap_or_else(|| run(input, options).report)
}

/// The fast path alone: `Some` only when it proves `input` valid.
pub(crate) fn fast_report(input: &[u8], options: &Options) -> Option<Report> {
    fast::check(input, options)
}

/// Runs the full pipeline.
pub(crate) fn run(input: &[u8], options: &Options) -> Outcome {
    let mut report = Report {
        kind: options.kind,
        ..Report::default()
    };
    // A syntax error that still leaves a value (a comment, a trailing comma…) does not hide
    // the rest: the recovered document is detected, validated, checked and decoded.
    let parsed = match parse_recovering(input, &Limits::from(options)) {
        Ok(parsed) => parsed,
        Err(errors) => {
            report.errors = errors;
            return Outcome {
                report: finish(report, options),
                normalized: None,
                detection: None,
            };
        }
    };
    report.errors.extend(parsed.errors().iter().cloned());
    report.warnings.extend(parsed.warnings().iter().cloned());

    let detected = detect_value(parsed.value());
    let detection = match options.kind {
        Some(kind) => Detection {
            kind: Some(kind),
            reason: format!("checked as {kind} as asked"),
            product: (kind == Kind::Vss).then(|| crate::detect::guess_product(parsed.value())),
        },
        None => detected.clone(),
    };
    let Some(kind) = detection.kind else {
        report.errors.push(positioned(
            &parsed,
            Diagnostic::new("", catalog::KIND_UNKNOWN.id, detection.reason.clone()),
        ));
        return Outcome {
            report: finish(report, options),
            normalized: None,
            detection: Some(detection),
        };
    };
    report.kind = Some(kind);

    // Checked as one kind but plainly another (a VSS posted to the VCA endpoint): one finding
    // at the discriminating field, not one per field the two kinds do not share.
    if let Some(other) = detected
        .kind
        .filter(|&d| d != kind && !interchangeable(d, kind))
    {
        report
            .errors
            .push(positioned(&parsed, mismatch(kind, other)));
        return Outcome {
            report: finish(report, options),
            normalized: None,
            detection: Some(detection),
        };
    }

    let schema = crate::schema::schema(kind);
    let mut doc = parsed.value().clone();
    let norm = normalize(kind, &mut doc, schema, options.strict);
    for q in &norm.quirks {
        let message = if options.strict {
            format!(
                "{} — strict mode reports this documented quirk as an error",
                q.message
            )
        } else {
            q.message.clone()
        };
        let mut d = Diagnostic::new(q.pointer.clone(), q.rule.id, message);
        // A renamed key is shown at the key itself, not at its value.
        if std::ptr::eq(q.rule, &catalog::NORMALIZE_KEY_CASE)
            && let Some((line, column)) = parsed.key_position(&q.pointer)
        {
            d = d.at(line, column);
        }
        let d = positioned(&parsed, d);
        if q.rule.is_error(options.strict) {
            report.errors.push(d)
        } else {
            report.warnings.push(d)
        }
    }

    let mut ctx = rules::Ctx::new(kind, &doc, options);
    for e in schema_errors(kind, schema, &doc) {
        ctx.schema_error(e.pointer, e.missing, e.rule, e.message);
    }
    if kind.is_user_sent() {
        for (pointer, message) in unknown::unknown_fields(schema, &doc) {
            ctx.emit(&pointer, &catalog::SCHEMA_UNKNOWN_FIELD, message);
        }
    }
    rules::check(&mut ctx);
    ctx.into_report(&mut report, |d| locate(&parsed, &norm, d));
    if options.kind.is_none() {
        other_reading(input, options, kind, parsed.value(), &mut report);
    }
    Outcome {
        report: finish(report, options),
        normalized: Some(doc),
        detection: Some(detection),
    }
}

/// Kinds that one document can legitimately be checked as: the same list of actions is a Send
/// Callflow body or a VCA reply depending on where it goes.
fn interchangeable(a: Kind, b: Kind) -> bool {
    matches!(
        (a, b),
        (Kind::Callflow, Kind::VcaReply) | (Kind::VcaReply, Kind::Callflow)
    )
}

/// `kind.mismatch`: the document was checked as `asked` but reads as `found`.
fn mismatch(asked: Kind, found: Kind) -> Diagnostic {
    let (pointer, what) = match (asked.event_type(), found.event_type()) {
        (Some(want), Some(have)) => (
            "/eventType",
            format!("eventType must be {want} for a {asked}, found {have}, which marks a {found}"),
        ),
        (Some(want), None) => (
            "",
            format!(
                "a {asked} has eventType {want}, but this document has none: it reads as a {found}"
            ),
        ),
        (None, _) => (
            "",
            format!("this document reads as a {found}, not a {asked}"),
        ),
    };
    Diagnostic::new(
        pointer,
        catalog::KIND_MISMATCH.id,
        format!(
            "{what} ({}); it was checked as {asked} because that kind was asked for — check it as {found}, or send it where a {found} belongs",
            found.title()
        ),
    )
}

/// `kind.ambiguous`: a `callflow` body with neither `validUntil` nor `clientActionId` reads as
/// a Send Callflow request and as a VCA reply alike; detection picked one by its first action.
/// When the other reading would fare differently, say what 8x8 would answer to it.
fn other_reading(input: &[u8], options: &Options, kind: Kind, doc: &Value, report: &mut Report) {
    let other = match kind {
        Kind::Callflow => Kind::VcaReply,
        Kind::VcaReply => Kind::Callflow,
        _ => return,
    };
    let Some(root) = doc.as_object() else {
        return;
    };
    if root.contains_key("validUntil") || root.contains_key("clientActionId") {
        return;
    }
    let as_other = run(
        input,
        &Options {
            kind: Some(other),
            mask: false,
            ..options.clone()
        },
    )
    .report;
    if as_other.valid == report.errors.is_empty() && kind == Kind::Callflow {
        return;
    }
    let answer = match other {
        Kind::Callflow => match as_other.predicted_status_code {
            Some(1) | None => "8x8 would accept it (status 1)".to_owned(),
            Some(code) => format!(
                "8x8 would answer {code}{}",
                crate::codes::api_status(i64::from(code))
                    .map(|c| format!(" (\"{}\")", c.name))
                    .unwrap_or_default()
            ),
        },
        _ => match as_other.predicted_session_error_code {
            Some(code) => format!("8x8 would end the call with session error {code}"),
            None => "8x8 would play it".to_owned(),
        },
    };
    let (posted, checked) = match other {
        Kind::Callflow => (
            "POSTed to the Send Callflow endpoint",
            "a reply to a Voice Call Action, because its first action is not makeCall",
        ),
        _ => (
            "returned as the answer to a Voice Call Action",
            "a Send Callflow request, because its first action is makeCall",
        ),
    };
    report.warnings.push(
        Diagnostic::new(
            "",
            catalog::KIND_AMBIGUOUS.id,
            format!(
                "without validUntil or clientActionId this body reads as a {} too: {posted}, {answer}; it was checked as {checked} — pass kind {other} to check it as a {}",
                other.title(),
                other.title()
            ),
        )
        .at(1, 1),
    );
    report.also_reads_as = Some(other);
}

/// Every schema error of `doc`: with the `jsonschema` crate natively, with the compact
/// interpreter where the crate is left out (the wasm build).
fn schema_errors(kind: Kind, schema: &Value, doc: &Value) -> Vec<messages::SchemaError> {
    let mut found = Vec::new();
    #[cfg(feature = "jsonschema")]
    engine::collect(kind, schema, doc, &mut found);
    #[cfg(not(feature = "jsonschema"))]
    {
        let _ = kind;
        compact::validate(schema, doc, &mut found);
    }
    found
}

/// Maps a diagnostic's pointer back to the document as written and gives it a position:
/// the value's own, or for a missing property its parent object's.
fn locate(parsed: &Parsed, norm: &Normalized, mut d: rules::Pending) -> Diagnostic {
    let pointer = norm.original_pointer(&d.pointer);
    let position = if d.missing {
        let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
        parsed.position(parent)
    } else {
        parsed
            .position(&pointer)
            .or_else(|| nearest(parsed, &pointer))
    };
    d.diagnostic.pointer = pointer;
    if let Some((line, column)) = position {
        d.diagnostic = d.diagnostic.at(line, column);
    }
    d.diagnostic
}

/// The position of the closest existing ancestor of `pointer`.
fn nearest(parsed: &Parsed, pointer: &str) -> Option<(u32, u32)> {
    let mut p = pointer;
    while let Some((parent, _)) = p.rsplit_once('/') {
        if let Some(pos) = parsed.position(parent) {
            return Some(pos);
        }
        p = parent;
    }
    None
}

fn positioned(parsed: &Parsed, d: Diagnostic) -> Diagnostic {
    match parsed
        .position(&d.pointer)
        .or_else(|| nearest(parsed, &d.pointer))
    {
        Some((line, column)) => d.at(line, column),
        None => d,
    }
}

fn finish(mut report: Report, options: &Options) -> Report {
    // Document order, whichever step found them (unpositioned ones last).
    let position = |d: &Diagnostic| (d.line.unwrap_or(u32::MAX), d.column.unwrap_or(u32::MAX));
    report.errors.sort_by_key(position);
    report.warnings.sort_by_key(position);
    if options.mask {
        for d in report.errors.iter_mut().chain(report.warnings.iter_mut()) {
            d.message = crate::mask::mask_numbers(&d.message);
        }
    }
    report.finish()
}

/// The candidate closest to `word` when it is close enough to be a likely typo.
///
/// Candidates whose length in characters differs from `word`'s by more than the allowed
/// distance are skipped before the edit distance (which cannot be smaller than that
/// difference) is computed: the distance costs time in the product of the two lengths, and
/// `word` comes from the document (fuzzing found an 8 MB enum value spending 320 of its
/// 360 ms of validation here, in release).
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let chars = word.chars().count();
    let near = |c: &str| chars.abs_diff(c.chars().count()) <= 2.max(c.len() / 4);
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != word && near(c))
        .map(|c| {
            (
                c,
                strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()),
            )
        })
        .filter(|(c, d)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(_, d)| *d)
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn did_you_mean_finds_typos_only() {
        assert_eq!(
            did_you_mean("sesionId", ["sessionId", "subAccountId"]),
            Some("sessionId")
        );
        assert_eq!(
            did_you_mean("COMPLETE", ["COMPLETED", "BUSY"]),
            Some("COMPLETED")
        );
        assert_eq!(did_you_mean("zzz", ["sessionId"]), None);
        // Lengths far apart are not compared at all (the distance is quadratic).
        assert_eq!(did_you_mean(&"UPDATES".repeat(1 << 20), ["UPDATE"]), None);
        assert_eq!(did_you_mean("sessionIdd", ["sessionId"]), Some("sessionId"));
    }
}
