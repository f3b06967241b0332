//! The pipeline behind [`crate::validate_with`]: parse → detect → normalize → validate against
//! the committed schema → semantic rules, gathered into one [`Report`].

// One validator at run time, in the CLI, Rust, npm and the page alike: the compact interpreter
// of the keywords the generated schemas use. The jsonschema crate is its oracle in the tests.
mod compact;
pub(crate) mod compiled;
#[cfg(test)]
mod engine;
mod fast;
mod messages;
mod unknown;
pub(crate) mod walk;

use crate::detect::{Detection, detect_kind};
use crate::normalize::{Normalized, normalize};
use crate::parse::{Doc, Limits, Parsed, View, parse_recovering_owned};
use crate::{Finding, Kind, Options, Report, catalog, rules};

/// Everything the pipeline learned about one document; decode builds on it.
pub(crate) struct Outcome {
    /// The report users see.
    pub report: Report,
    /// The normalized document (None when it did not parse or has no kind).
    pub normalized: Option<Doc>,
    /// How its pointers map back to the document as written (with `normalized`).
    pub renamed: Option<Normalized>,
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

/// [`fast_report`], with a proven session summary's `sessionStatus` and `errorDetails.errorCode`.
pub(crate) fn fast_session(
    input: &[u8],
    options: &Options,
) -> Option<(Report, Option<crate::bulk::Session>)> {
    fast::check_session(input, options)
}

/// [`report`] of bytes the caller hands over (the document keeps them instead of a copy).
pub(crate) fn report_owned(input: Vec<u8>, options: &Options) -> Report {
    fast::check(&input, options).unwrap_or_else(|| run_owned(input, options).report)
}

/// Runs the full pipeline.
pub(crate) fn run(input: &[u8], options: &Options) -> Outcome {
    match crate::parse::too_large(input.len(), &Limits::from(options)) {
        Some(error) => Outcome {
            report: finish_alone(error, options),
            normalized: None,
            renamed: None,
            detection: None,
        },
        None => run_owned(input.to_vec(), options),
    }
}

/// [`run`] of bytes the caller hands over.
pub(crate) fn run_owned(input: Vec<u8>, options: &Options) -> Outcome {
    run_checked(input, options, true)
}

/// Every check of the full pipeline, without the shortcut for webhooks that only have quirks:
/// the reference the shortcut is tested against.
pub(crate) fn run_every_check(input: &[u8], options: &Options) -> Outcome {
    match crate::parse::too_large(input.len(), &Limits::from(options)) {
        Some(_) => run(input, options),
        None => run_checked(input.to_vec(), options, false),
    }
}

fn run_checked(input: Vec<u8>, options: &Options, shortcuts: bool) -> Outcome {
    let mut report = Report {
        kind: options.kind,
        ..Report::default()
    };
    // A syntax error that still leaves a value (a comment, a trailing comma…) does not hide
    // the rest: the recovered document is detected, validated, checked and decoded.
    let parsed = match parse_recovering_owned(input, &Limits::from(options)) {
        Ok(parsed) => parsed,
        Err(errors) => {
            report.errors = errors;
            predict_not_json(&mut report, options.kind);
            return Outcome {
                report: finish(report, options),
                normalized: None,
                renamed: None,
                detection: None,
            };
        }
    };
    report.errors.extend(parsed.errors().iter().cloned());
    let syntax_errors = !parsed.errors().is_empty();
    report.warnings.extend(parsed.warnings().iter().cloned());

    let detected = detect_kind(parsed.view());
    let mut detection = match options.kind {
        Some(kind) => Detection {
            kind: Some(kind),
            reason: format!("checked as {kind} as asked"),
            product: None,
        },
        None => detected.clone(),
    };
    // The product of a session summary, guessed once (on the normalized document when it gets
    // that far): detection reports it and decode reads it.
    let guess = |kind: Option<Kind>, doc: View<'_>| {
        (kind == Some(Kind::Vss)).then(|| crate::detect::guess_product_view(doc))
    };
    let Some(kind) = detection.kind else {
        // An eventType that names no webhook is the discriminating field: point at it.
        let pointer = match parsed.view().get("eventType") {
            Some(_) => "/eventType",
            None => "",
        };
        report.errors.push(positioned(
            &parsed,
            Finding::new(pointer, &catalog::KIND_UNKNOWN, detection.reason.clone()),
        ));
        parsed.place(report.errors.iter_mut());
        return Outcome {
            report: finish(report, options),
            normalized: None,
            renamed: None,
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
        parsed.place(report.errors.iter_mut());
        detection.product = guess(Some(kind), parsed.view());
        return Outcome {
            report: finish(report, options),
            normalized: None,
            renamed: None,
            detection: Some(detection),
        };
    }

    let schema = crate::schema::schema(kind);
    let mut norm = normalize(kind, parsed.view(), schema);
    let rewritten = norm.doc.take();
    let doc = rewritten.as_ref().map_or(parsed.view(), Doc::root);
    detection.product = guess(Some(kind), doc);
    let only_quirks = shortcuts && only_quirks(kind, &parsed, &norm, rewritten.as_ref(), options);
    // Quirks are found in the document as written: their pointers need no mapping back.
    for mut q in std::mem::take(&mut norm.quirks) {
        if options.strict {
            q.message
                .push_str(" — strict mode reports this documented quirk as an error");
        }
        let q = positioned(&parsed, q);
        if q.is_error(options.strict) {
            report.errors.push(q)
        } else {
            report.warnings.push(q)
        }
    }

    if only_quirks {
        parsed.place(report.errors.iter_mut().chain(report.warnings.iter_mut()));
        return Outcome {
            report: finish(report, options),
            normalized: rewritten,
            renamed: Some(norm),
            detection: Some(detection),
        };
    }

    let mut ctx = rules::Ctx::new(kind, doc, options);
    // One more than the cap, so that the report can tell it was cut.
    let limit = options.max_findings.saturating_add(1);
    for f in schema_errors(kind, doc, limit) {
        ctx.add(f);
    }
    for f in unknown::impossible_dates(compiled::for_kind(kind), doc) {
        if !ctx.has_error_at(&f.pointer) {
            ctx.add(f);
        }
    }
    if kind.is_user_sent() {
        for f in unknown::unknown_fields(compiled::for_kind(kind), doc) {
            ctx.add(f);
        }
    }
    rules::check(&mut ctx);
    crate::callflow::check(&mut ctx);
    let cut = ctx.dropped > 0 || norm.dropped > 0;
    ctx.into_report(&mut report, |d| locate(&parsed, &norm, d));
    if cut {
        report.warnings.push(truncated(options));
    }
    if syntax_errors {
        // Recovered for the rest of the checks, but still not JSON to 8x8.
        predict_not_json(&mut report, Some(kind));
    } else if options.kind.is_none() {
        other_reading(options, kind, doc, &mut report);
    }
    parsed.place(report.errors.iter_mut().chain(report.warnings.iter_mut()));
    Outcome {
        report: finish(report, options),
        normalized: Some(rewritten.unwrap_or_else(|| parsed.into_doc())),
        renamed: Some(norm),
        detection: Some(detection),
    }
}

/// True for a webhook whose only deviations are documented quirks: the fast path proves the
/// rewritten document valid with nothing to say, so the quirks are the whole report (the
/// schema, the rules and their messages need not run).
fn only_quirks(
    kind: Kind,
    parsed: &Parsed,
    norm: &Normalized,
    rewritten: Option<&Doc>,
    options: &Options,
) -> bool {
    !norm.quirks.is_empty()
        && norm.dropped == 0
        && kind.is_webhook()
        && parsed.errors().is_empty()
        && parsed.warnings().is_empty()
        && rewritten.is_some_and(|d| {
            let text = d.root().to_string();
            let as_kind = Options {
                kind: Some(kind),
                ..options.clone()
            };
            fast::check(text.as_bytes(), &as_kind).is_some()
        })
}

/// The verdict and prediction of `doc` (already parsed and normalized) read as `kind`: the
/// schema and the rules, without positions or messages for a person.
fn judge(kind: Kind, doc: View<'_>, options: &Options) -> Report {
    let options = Options {
        kind: Some(kind),
        ..options.clone()
    };
    let mut ctx = rules::Ctx::new(kind, doc, &options);
    for f in schema_errors(kind, doc, options.max_findings.saturating_add(1)) {
        ctx.add(f);
    }
    rules::check(&mut ctx);
    crate::callflow::check(&mut ctx);
    let mut report = Report::default();
    ctx.into_report(&mut report, |f| f);
    report.finish()
}

/// What 8x8 answers to a body that is not JSON: -1001 to a Send Callflow request; a VCA reply
/// that is not JSON ends the call with -2003.
fn predict_not_json(report: &mut Report, kind: Option<Kind>) {
    let (status, session) = crate::predict::not_json(kind);
    report.predicted_status_code = status.or(report.predicted_status_code);
    report.predicted_session_error_code = session.or(report.predicted_session_error_code);
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
fn mismatch(asked: Kind, found: Kind) -> Finding {
    let title = found.title();
    let (pointer, what) = match (asked.event_type(), found.event_type()) {
        (Some(want), Some(have)) => (
            "/eventType",
            format!(
                "eventType must be {want} for a {asked}, found {have}, which marks a {found} ({title})"
            ),
        ),
        (Some(want), None) => (
            "",
            format!(
                "a {asked} has eventType {want}, but this document has none: it reads as a {found} ({title})"
            ),
        ),
        (None, _) => (
            "",
            format!("this document reads as a {found} ({title}), not a {asked}"),
        ),
    };
    Finding::new(
        pointer,
        &catalog::KIND_MISMATCH,
        format!(
            "{what}; it was checked as {asked} because that kind was asked for — check it as {found}, or send it where a {found} belongs"
        ),
    )
}

/// `kind.ambiguous`: a `callflow` body with neither `validUntil` nor `clientActionId` reads as
/// a Send Callflow request and as a VCA reply alike; detection picked one by its first action.
/// When the other reading would fare differently, say what 8x8 would answer to it.
fn other_reading(options: &Options, kind: Kind, doc: View<'_>, report: &mut Report) {
    let other = match kind {
        Kind::Callflow => Kind::VcaReply,
        Kind::VcaReply => Kind::Callflow,
        _ => return,
    };
    let Some(root) = doc.as_object() else {
        return;
    };
    if root.get("validUntil").is_some() || root.get("clientActionId").is_some() {
        return;
    }
    let as_other = judge(other, doc, options);
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
        Finding::new(
            "",
            &catalog::KIND_AMBIGUOUS,
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

/// Every schema error of `doc` read as `kind`, up to `limit`: the compact interpreter over the
/// kind's compiled schema.
fn schema_errors(kind: Kind, doc: View<'_>, limit: usize) -> Vec<Finding> {
    let mut found = Vec::new();
    compact::validate_compiled(compiled::for_kind(kind), doc, limit, &mut found);
    found
}

/// Maps a finding's pointer back to the document as written and gives it a span when its step
/// gave none, found by its pointer (the value's own, or for a missing property its parent
/// object's); [`Parsed::place`] turns spans into lines and columns.
fn locate(parsed: &Parsed, norm: &Normalized, mut f: Finding) -> Finding {
    f.pointer = norm.written(std::mem::take(&mut f.pointer));
    if f.span.is_none() {
        let at = if f.missing {
            f.pointer.rsplit_once('/').map_or("", |(p, _)| p)
        } else {
            &f.pointer
        };
        f.span = parsed.nearest_span(at).map(crate::Span::of);
    }
    f
}

/// A finding whose pointer is into the document as written, with a span (its value's, or the
/// closest existing ancestor's).
fn positioned(parsed: &Parsed, mut f: Finding) -> Finding {
    if f.span.is_none() && f.line.is_none() {
        f.span = parsed.nearest_span(&f.pointer).map(crate::Span::of);
    }
    f
}

/// The report of a document refused before it was read, with only `error` (kind as asked).
pub(crate) fn finish_alone(error: Finding, options: &Options) -> Report {
    let mut report = Report {
        kind: options.kind,
        errors: vec![error],
        ..Report::default()
    };
    predict_not_json(&mut report, options.kind);
    finish(report, options)
}

fn finish(mut report: Report, options: &Options) -> Report {
    // Document order, whichever step found them (unpositioned ones last).
    let position = |d: &Finding| (d.line.unwrap_or(u32::MAX), d.column.unwrap_or(u32::MAX));
    report.errors.sort_by_key(position);
    report.warnings.sort_by_key(position);
    // At most `max_findings`, errors first; the closing warning says the list was cut.
    let closing = report
        .warnings
        .iter()
        .position(|w| std::ptr::eq(w.rule, &catalog::REPORT_TRUNCATED))
        .map(|i| report.warnings.remove(i));
    let limit = options.max_findings;
    let cut = closing.is_some() || report.errors.len() + report.warnings.len() > limit;
    report.errors.truncate(limit);
    report.warnings.truncate(limit - report.errors.len());
    if cut {
        report
            .warnings
            .push(closing.unwrap_or_else(|| truncated(options)));
    }
    if options.mask {
        for d in report.errors.iter_mut().chain(report.warnings.iter_mut()) {
            d.message = crate::mask::mask_numbers(&d.message);
            d.pointer = crate::mask::mask_numbers(&d.pointer);
        }
    }
    report.finish()
}

/// The closing `report.truncated` warning of a report that reached `max_findings`.
fn truncated(options: &Options) -> Finding {
    Finding::new(
        "",
        &catalog::REPORT_TRUNCATED,
        format!(
            "this report lists the first {} findings (errors first) and voicehook stopped collecting there, so more problems may follow: fix these and check again (the library's Options::max_findings raises the cap)",
            options.max_findings
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid session summary of the 8x8 pages, with `mutate` applied to its text.
    fn vss(mutate: impl Fn(String) -> String) -> Vec<u8> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/docs/");
        let text =
            std::fs::read_to_string(format!("{dir}ivr--session-summary-ivr.1.json")).unwrap();
        mutate(text).into_bytes()
    }

    #[test]
    fn a_webhook_with_only_quirks_skips_the_checks_and_reports_the_same() {
        let cases = [
            vss(|t| t.replacen("\"callA\"", "\"CallA\"", 1)),
            vss(|t| t.replacen("\"callB\"", "\"CallB\"", 1)),
        ];
        for input in &cases {
            for strict in [false, true] {
                let options = Options {
                    strict,
                    ..Options::default()
                };
                let parsed = crate::parse::parse_recovering(input, &Limits::default()).unwrap();
                let kind = detect_kind(parsed.view()).kind.unwrap();
                let mut norm = normalize(kind, parsed.view(), crate::schema::schema(kind));
                let rewritten = norm.doc.take();
                assert!(only_quirks(
                    kind,
                    &parsed,
                    &norm,
                    rewritten.as_ref(),
                    &options
                ));
                let quick = run_checked(input.clone(), &options, true).report;
                let every = run_checked(input.clone(), &options, false).report;
                assert_eq!(quick, every);
                assert_eq!(quick.valid, !strict);
                assert!(
                    quick
                        .warnings
                        .iter()
                        .chain(&quick.errors)
                        .all(|f| f.rule.id == "normalize.key-case")
                );
                assert!(
                    quick
                        .warnings
                        .iter()
                        .chain(&quick.errors)
                        .all(|f| f.line.is_some() && f.span.is_some())
                );
            }
        }
        // Quirks beside a real problem: the checks run (the shortcut would hide the problem).
        let broken = vss(|t| {
            t.replacen("\"callA\"", "\"CallA\"", 1).replacen(
                "\"sessionId\": \"",
                "\"sessionId\": \"x",
                1,
            )
        });
        let parsed = crate::parse::parse_recovering(&broken, &Limits::default()).unwrap();
        let mut norm = normalize(Kind::Vss, parsed.view(), crate::schema::schema(Kind::Vss));
        let rewritten = norm.doc.take();
        assert!(!only_quirks(
            Kind::Vss,
            &parsed,
            &norm,
            rewritten.as_ref(),
            &Options::default()
        ));
        assert!(!run_checked(broken, &Options::default(), true).report.valid);
    }
}
