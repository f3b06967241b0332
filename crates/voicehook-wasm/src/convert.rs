//! Conversions between the JavaScript calling convention and the core's types.
//!
//! The glue passes options as numbers so that a call crosses the boundary without building objects:
//! a kind index (negative: detect), a flag set ([`STRICT`], [`MASK`]), and numbers where `NaN` means
//! "not given" (`now`, `maxDepth`, `maxSize`).
//!
//! A document over the size limit is never copied into wasm memory: the glue measures it first and
//! asks for the answer by size alone ([`too_large_report`] and its siblings). The diagnostic is the
//! core's [`voicehook::parse::too_large`]; what surrounds it is what the core makes of a document that
//! does not parse, and the tests below hold each one equal to the core's answer for real bytes.

use serde::Serialize;
use voicehook::detect::Detection;
use voicehook::parse::Repaired;
use voicehook::{Kind, Options, Report, UnknownKind};

/// Flag bit: strict mode.
pub const STRICT: u32 = 1;
/// Flag bit: mask phone numbers in messages.
pub const MASK: u32 = 2;

/// Builds [`Options`] from the numbers the glue passes.
pub fn options(kind: i32, flags: u32, now: f64, max_depth: f64, max_size: f64) -> Options {
    let defaults = Options::default();
    Options {
        kind: usize::try_from(kind)
            .ok()
            .and_then(|i| Kind::ALL.get(i).copied()),
        strict: flags & STRICT != 0,
        mask: flags & MASK != 0,
        now: given(now).map(|v| v as i64),
        max_depth: given(max_depth).map_or(defaults.max_depth, |v| v as usize),
        max_size: given(max_size).map_or(defaults.max_size, |v| v as usize),
        ..defaults
    }
}

/// `Some(v)` unless `v` is `NaN` or infinite; negative numbers count as 0.
fn given(v: f64) -> Option<f64> {
    v.is_finite().then_some(v.max(0.0))
}

/// The index in [`Kind::ALL`] of the kind named `id`.
pub fn kind_index(id: &str) -> Result<u8, UnknownKind> {
    let kind: Kind = id.parse()?;
    Ok(Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default() as u8)
}

/// One kind as `kinds()` lists it in JavaScript.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KindInfo {
    id: &'static str,
    title: &'static str,
    webhook: bool,
    event_type: Option<&'static str>,
}

/// Every kind, in [`Kind::ALL`] order, as a JSON array of `{id, title, webhook, eventType}`.
pub fn kinds_json() -> String {
    let kinds: Vec<KindInfo> = Kind::ALL
        .iter()
        .map(|k| KindInfo {
            id: k.id(),
            title: k.title(),
            webhook: k.is_webhook(),
            event_type: k.event_type(),
        })
        .collect();
    to_json(&kinds)
}

/// A report as JSON text.
pub fn report_json(report: &Report) -> String {
    to_json(report)
}

/// What `analyze` hands to JavaScript.
#[derive(Serialize)]
pub struct Analyzed {
    /// The validation report.
    pub report: voicehook::Report,
    /// The decoded view, when the document could be read as a kind.
    pub decoded: Option<voicehook::decode::Decoded>,
    /// Which kind the document is and why, as `detect` says it (when the kind was given: that
    /// it was checked as asked).
    pub detection: Option<Detection>,
}

impl Analyzed {
    /// The answer of `analyze` from the core's analysis.
    pub fn of(analysis: voicehook::Analysis) -> Analyzed {
        Analyzed {
            decoded: analysis.decode(),
            detection: analysis.detection,
            report: analysis.report,
        }
    }
}

/// What `parse` hands to JavaScript: `{ok: true, kind, data, report}` for a valid document,
/// `{ok: false, report}` otherwise.
#[derive(Serialize)]
pub struct Parsed<'a> {
    /// Whether there is a document: the report is valid.
    pub ok: bool,
    /// The kind of the document (when `ok`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<voicehook::Kind>,
    /// The normalized document (when `ok`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<voicehook::parse::View<'a>>,
    /// The validation report.
    pub report: &'a voicehook::Report,
}

impl<'a> Parsed<'a> {
    /// The answer of `parse` from the core's analysis.
    pub fn of(analysis: &'a voicehook::Analysis) -> Parsed<'a> {
        let data = analysis.document();
        Parsed {
            ok: data.is_some(),
            kind: data.and(analysis.report.kind),
            data,
            report: &analysis.report,
        }
    }
}

/// What `exampleFrom` hands to JavaScript: `{ok: true, document}`, or `{ok: false, error}` with
/// the report when the values make the document invalid.
#[derive(Serialize)]
pub struct Built {
    /// Whether there is a document.
    pub ok: bool,
    /// The document built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<serde_json::Value>,
    /// Why there is none, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The report of the invalid document, when that is why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
}

/// [`voicehook::fixtures::from`] of the document (JSON text) with `overrides` (JSON text: an array
/// of `"path=value"` strings or `[path, value]` pairs) at `now`.
pub fn fixture_from(kind: i32, document: &str, overrides: &str, now: f64) -> Built {
    use voicehook::fixtures::{ExampleError, Override};
    let failed = |error: ExampleError| {
        let message = error.to_string();
        let report = match error {
            ExampleError::Invalid(report) => Some(*report),
            _ => None,
        };
        Built {
            ok: false,
            document: None,
            error: Some(message),
            report,
        }
    };
    let Some(kind) = usize::try_from(kind)
        .ok()
        .and_then(|i| Kind::ALL.get(i).copied())
    else {
        return failed(ExampleError::Override("no such kind".into()));
    };
    let read = voicehook::fixtures::read_json;
    let (Some(document), Some(serde_json::Value::Array(items))) = (read(document), read(overrides))
    else {
        return failed(ExampleError::Override(
            "the document or the overrides are not JSON".into(),
        ));
    };
    let overrides: Result<Vec<Override>, ExampleError> = items
        .into_iter()
        .map(|item| match item {
            serde_json::Value::String(text) => Override::parse(&text),
            serde_json::Value::Array(mut pair) if pair.len() == 2 => {
                let value = pair.pop().unwrap_or_default();
                match pair.pop() {
                    Some(serde_json::Value::String(path)) => Override::new(&path, value),
                    _ => Err(ExampleError::Override("a path is a string".into())),
                }
            }
            other => Err(ExampleError::Override(format!(
                "expected \"path=value\" or [path, value], found {other}"
            ))),
        })
        .collect();
    match overrides
        .and_then(|o| voicehook::fixtures::from(document, kind, &o, given(now).map(|v| v as i64)))
    {
        Ok(document) => Built {
            ok: true,
            document: Some(document),
            error: None,
            report: None,
        },
        Err(error) => failed(error),
    }
}

/// The size limit in force for a `maxSize` the glue passes (`NaN`: the default), in bytes.
pub fn size_limit(max_size: f64) -> usize {
    options(-1, 0, f64::NAN, f64::NAN, max_size).max_size
}

/// The report [`voicehook::validate_with`] gives every input of `size` bytes when that is over
/// `options.max_size`; `None` when it fits.
pub fn too_large_report(size: usize, options: &Options) -> Option<Report> {
    voicehook::validate_size(size, options)
}

/// What [`voicehook::detect`] says of every input of `size` bytes over the default size limit;
/// `None` when it fits.
pub fn too_large_detection(size: usize) -> Option<Detection> {
    voicehook::detect_size(size)
}

/// What [`voicehook::parse::repair`] returns for every text of `size` bytes over the default size
/// limit, except `text`, left empty (it is the input unchanged: the glue puts it back); `None`
/// when it fits.
pub fn too_large_repair(size: usize) -> Option<Repaired> {
    Repaired::refused(size)
}

/// Serializes `value` as JSON text for the glue (which `JSON.parse`s it); `null` in the
/// (unreachable for our types) error case, so the boundary never panics.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| String::from("null"))
}

/// A receive policy from the npm receiver's options (JSON text); `Err` says what is wrong.
pub fn receive_policy(json: &str) -> Result<voicehook::receive::Policy, String> {
    serde_json::from_str(json).map_err(|e| format!("voicehook: receiver options: {e}"))
}

/// Headers from JSON text `[[name, value], ...]`; anything else is no headers (the glue always
/// writes pairs of strings).
pub fn header_pairs(json: &str) -> Vec<(String, String)> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The id of a claim, as the npm store interface names it.
pub fn claim_id(claim: voicehook::receive::Claim) -> &'static str {
    use voicehook::receive::Claim;
    match claim {
        Claim::New => "new",
        Claim::Duplicate => "duplicate",
        Claim::InProgress => "in-progress",
    }
}

/// A call script from JSON text; `Err` says what is wrong, with the line and column.
pub fn call_script(json: &str) -> Result<voicehook::call::Script, String> {
    serde_json::from_str(json).map_err(|e| format!("voicehook: simulate: script: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_means_default_and_flags_map_to_fields() {
        let o = options(-1, 0, f64::NAN, f64::NAN, f64::NAN);
        assert_eq!(o, Options::default());
        let o = options(0, STRICT | MASK, 1_700_000_000_000.0, 7.0, 100.0);
        assert_eq!(o.kind, Some(Kind::Vss));
        assert!(o.strict && o.mask);
        assert_eq!(
            (o.now, o.max_depth, o.max_size),
            (Some(1_700_000_000_000), 7, 100)
        );
    }

    #[test]
    fn kind_indexes_follow_kind_all() {
        for (i, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(kind_index(kind.id()).unwrap() as usize, i);
            assert_eq!(
                options(i as i32, 0, f64::NAN, f64::NAN, f64::NAN).kind,
                Some(*kind)
            );
        }
        assert!(
            kind_index("vsss")
                .unwrap_err()
                .to_string()
                .contains("vca-reply")
        );
        assert_eq!(options(99, 0, f64::NAN, f64::NAN, f64::NAN).kind, None);
    }

    #[test]
    fn the_size_limit_is_the_cores() {
        assert_eq!(size_limit(f64::NAN), voicehook::DEFAULT_MAX_SIZE);
        assert_eq!(size_limit(100.0), 100);
        assert_eq!(size_limit(0.0), 0);
    }

    /// Over the limit, the answers by size alone are the core's answers for real bytes of that
    /// size, whatever the options; at the limit there is none.
    #[test]
    fn answers_by_size_are_the_cores_for_the_bytes() {
        for limit in [0, 10, 1000] {
            for kind in [-1, 0, 5, 6, 9] {
                for flags in [0, STRICT, MASK, STRICT | MASK] {
                    let options = options(kind, flags, 1.0e12, 2.0, limit as f64);
                    assert_eq!(too_large_report(limit, &options), None);
                    for size in [limit + 1, limit + 2, 12_345_678] {
                        let input = vec![b' '; size];
                        let core = voicehook::validate_with(&input, &options);
                        assert_eq!(too_large_report(size, &options).as_ref(), Some(&core));
                        assert_eq!(core.errors[0].rule, "json.size");
                        let analysis = voicehook::analyze(&input, &options);
                        assert_eq!(analysis.report, core);
                        assert!(analysis.decode().is_none());
                    }
                }
            }
        }
        let limit = voicehook::DEFAULT_MAX_SIZE;
        assert_eq!(too_large_detection(limit), None);
        assert_eq!(too_large_repair(limit), None);
        for size in [limit + 1, limit + 7] {
            let text = "{".repeat(size);
            assert_eq!(
                too_large_detection(size),
                Some(voicehook::detect(text.as_bytes()))
            );
            let core = voicehook::parse::repair(&text);
            assert_eq!(core.remaining[0].rule, "json.size");
            let by_size = too_large_repair(size).map(|r| Repaired {
                text: text.clone(),
                ..r
            });
            assert_eq!(by_size, Some(core));
        }
    }

    #[test]
    fn kinds_and_reports_are_camel_case_json() {
        let kinds: serde_json::Value = serde_json::from_str(&kinds_json()).unwrap();
        assert_eq!(kinds[6]["id"], "vca-reply");
        assert_eq!(kinds[0]["eventType"], "SESSION_SUMMARY");
        let report: serde_json::Value =
            serde_json::from_str(&report_json(&Report::default())).unwrap();
        assert!(report.get("predictedStatusCode").is_some());
    }

    #[test]
    fn receive_policies_headers_and_claims_convert() {
        let policy =
            receive_policy(r#"{"allow": ["8x8", "10.0.0.0/8"], "trustedProxies": 1}"#).unwrap();
        assert_eq!(policy.trusted_proxies, 1);
        let err = receive_policy(r#"{"allow": "8x8"}"#).unwrap_err();
        assert!(err.starts_with("voicehook: receiver options: "), "{err}");
        let err = receive_policy(r#"{"trustedProxy": 1}"#).unwrap_err();
        assert!(err.contains("unknown field `trustedProxy`"), "{err}");
        assert_eq!(
            header_pairs(r#"[["X-Forwarded-For", "1.2.3.4"], ["a", "b"]]"#),
            [
                ("X-Forwarded-For".to_owned(), "1.2.3.4".to_owned()),
                ("a".to_owned(), "b".to_owned())
            ]
        );
        assert!(header_pairs("not json").is_empty());
        assert_eq!(
            claim_id(voicehook::receive::Claim::InProgress),
            "in-progress"
        );
    }
}
