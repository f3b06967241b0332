//! Many documents at once: one flat [`Row`] per document, for DuckDB, Spark or pandas, and the
//! [`Summary`] of a whole archive (counts by kind and verdict, the most frequent rules and
//! pointers, the sessions by outcome and error code).
//!
//! What a document is and means comes from [`crate::analyze`] and [`crate::Analysis::decode`],
//! as for one document; this module only flattens and counts. Reading files, threads and output
//! are the caller's (the CLI's `validate` and `decode` over folders and NDJSON archives).
//!
//! ```
//! use voicehook::bulk::{Entry, Row, Summary};
//! use voicehook::{Options, analyze};
//!
//! let vss = voicehook::fixtures::example(voicehook::Kind::Vss, &[]).unwrap().to_string();
//! let analysis = analyze(vss.as_bytes(), &Options::default());
//! let row = Row::new(Some("calls.ndjson"), Some(1), &analysis);
//! assert_eq!(row.outcome.as_deref(), Some("COMPLETED"));
//!
//! let mut summary = Summary::default();
//! summary.add(&Entry::new(&analysis));
//! summary.add(&Entry::new(&analyze(b"{", &Options::default())));
//! let totals = summary.totals(10);
//! assert_eq!((totals.documents, totals.valid, totals.invalid), (2, 1, 1));
//! assert_eq!(totals.rules[0].rule, "json.syntax");
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::Analysis;
use crate::decode::{CodeTable, CodeValue, Decoded};

/// One column of [`Row`]: its name, its type (`string`, `integer`, `number`, `boolean`; every
/// column may also be `null`) and what it holds.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Column {
    /// The key in each row.
    pub name: &'static str,
    /// Its JSON type when not `null`.
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// What it holds.
    pub meaning: &'static str,
}

const fn col(name: &'static str, ty: &'static str, meaning: &'static str) -> Column {
    Column { name, ty, meaning }
}

/// The columns of a [`Row`], in the order they are written. The list is stable: a column is
/// only ever added at the end, never renamed, retyped or removed.
pub const COLUMNS: &[Column] = &[
    col(
        "file",
        "string",
        "the file the document was read from (null: standard input)",
    ),
    col(
        "line",
        "integer",
        "the line the document starts on in that file",
    ),
    col(
        "kind",
        "string",
        "what the document is (vss, vca, vcs, vru, vnu, callflow…); null when unknown",
    ),
    col("valid", "boolean", "true when the document has no error"),
    col("errors", "integer", "how many errors it has"),
    col("warnings", "integer", "how many warnings it has"),
    col(
        "rule",
        "string",
        "the rule of its first error (json.syntax, schema.required…)",
    ),
    col("session_id", "string", "payload.sessionId"),
    col("sub_account_id", "string", "payload.subAccountId"),
    col(
        "product",
        "string",
        "for a VSS: the product that most likely sent it (ivr, voice-messaging, number-masking, unknown)",
    ),
    col(
        "outcome",
        "string",
        "how it ended: the session, call or recording status, usual spelling",
    ),
    col("success", "boolean", "true when that outcome is a good one"),
    col(
        "error_code",
        "integer",
        "the session error code (errorDetails.errorCode), when there is one",
    ),
    col("error_meaning", "string", "what that code means"),
    col(
        "sip_code",
        "integer",
        "the SIP code of the first leg that has one",
    ),
    col(
        "legs",
        "integer",
        "how many call legs the document describes",
    ),
    col(
        "start_time",
        "string",
        "payload.startTime (VSS) or payload.timestamp, as written",
    ),
    col(
        "duration_seconds",
        "number",
        "the whole session, startTime to endTime",
    ),
    col("ring_seconds", "number", "the first leg's ringing time"),
    col("talk_seconds", "number", "the first leg's talk time"),
    col(
        "mos",
        "number",
        "the lowest MOS (call quality, 1-5) of any leg",
    ),
    col("mos_band", "string", "that MOS's band (good, fair, poor…)"),
];

/// One document as a flat record: the columns of [`COLUMNS`], in that order, every one always
/// present (`null` when it does not apply), so a reader infers one schema for a whole archive.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[allow(missing_docs)] // each field is described in COLUMNS
pub struct Row {
    pub file: Option<String>,
    pub line: Option<u64>,
    pub kind: Option<&'static str>,
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    pub rule: Option<&'static str>,
    pub session_id: Option<String>,
    pub sub_account_id: Option<String>,
    pub product: Option<String>,
    pub outcome: Option<String>,
    pub success: Option<bool>,
    pub error_code: Option<i64>,
    pub error_meaning: Option<String>,
    pub sip_code: Option<i64>,
    pub legs: Option<usize>,
    pub start_time: Option<String>,
    pub duration_seconds: Option<f64>,
    pub ring_seconds: Option<f64>,
    pub talk_seconds: Option<f64>,
    pub mos: Option<f64>,
    pub mos_band: Option<String>,
}

impl Row {
    /// The row of one analyzed document read from `file` (`None`: standard input) at `line`.
    pub fn new(file: Option<&str>, line: Option<u64>, analysis: &Analysis) -> Row {
        let report = &analysis.report;
        let mut row = Row {
            file: file.map(str::to_owned),
            line,
            kind: report.kind.map(|k| k.id()),
            valid: report.valid,
            errors: report.errors.len(),
            warnings: report.warnings.len(),
            rule: report.errors.first().map(|f| f.rule.id),
            ..Row::default()
        };
        if let Some(doc) = analysis.normalized.as_ref().map(|d| d.root()) {
            let text = |pointer: &str| doc.pointer(pointer)?.as_str().map(str::to_owned);
            row.session_id = text("/payload/sessionId");
            row.sub_account_id = text("/payload/subAccountId");
            row.start_time = text("/payload/startTime").or_else(|| text("/payload/timestamp"));
        }
        let Some(decoded) = analysis.decode() else {
            return row;
        };
        row.product = decoded.product.as_ref().map(|p| p.product.to_string());
        row.outcome = decoded.outcome.as_ref().map(|o| o.status.clone());
        row.success = decoded.outcome.as_ref().map(|o| o.success);
        if let Some((code, meaning)) = session_error(&decoded) {
            row.error_code = Some(code);
            row.error_meaning = Some(meaning.to_owned());
        }
        row.sip_code = decoded.legs.iter().find_map(|l| l.sip_code);
        row.legs = Some(decoded.legs.len());
        row.duration_seconds = decoded.duration_seconds;
        if let Some(first) = decoded.legs.first() {
            row.ring_seconds = first.ring_seconds;
            row.talk_seconds = first.talk_seconds;
        }
        let worst = decoded
            .legs
            .iter()
            .filter_map(|l| Some((l.mos?, l)))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((mos, leg)) = worst {
            row.mos = Some(mos);
            row.mos_band = leg.mos_band.as_ref().map(|b| b.name.clone());
        }
        row
    }
}

/// The first session error code of a decoded view, and its meaning.
fn session_error(decoded: &Decoded) -> Option<(i64, &str)> {
    decoded.codes.iter().find_map(|c| match (&c.code, c.table) {
        (CodeValue::Number(n), CodeTable::SessionError) => Some((*n, c.meaning.as_str())),
        _ => None,
    })
}

/// A session summary's outcome (`sessionStatus`, usual spelling) and session error code.
pub type Session = (String, Option<i64>);

/// What one document adds to a [`Summary`]: small, so it can be made where the document was
/// checked (on another thread) and counted in input order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// Its kind, when known.
    pub kind: Option<crate::Kind>,
    /// It has no error.
    pub valid: bool,
    /// It has a warning.
    pub warned: bool,
    /// Each finding's rule id, errors first.
    pub rules: Vec<&'static str>,
    /// Each finding's pointer, array indices written `*` (`/callflow/*/action`), so findings
    /// at the same place of different documents count together.
    pub pointers: Vec<String>,
    /// For a session summary (VSS): its outcome and session error code.
    pub session: Option<Session>,
}

impl Entry {
    /// The entry of one analyzed document.
    pub fn new(analysis: &Analysis) -> Entry {
        let report = &analysis.report;
        let findings = || report.errors.iter().chain(&report.warnings);
        let session = match (report.kind, &analysis.normalized) {
            (Some(crate::Kind::Vss), Some(doc)) => {
                let doc = doc.root();
                let status = doc
                    .pointer("/payload/sessionStatus")
                    .and_then(|v| v.as_str());
                let code = doc
                    .pointer("/payload/errorDetails/errorCode")
                    .and_then(|v| v.as_i64());
                status.map(|s| (usual_status(s), code))
            }
            _ => None,
        };
        Entry {
            kind: report.kind,
            valid: report.valid,
            warned: !report.warnings.is_empty(),
            rules: findings().map(|f| f.rule.id).collect(),
            pointers: findings().map(|f| general_pointer(&f.pointer)).collect(),
            session,
        }
    }
}

/// A session status in its usual spelling (as decode writes the outcome).
fn usual_status(written: &str) -> String {
    crate::decode::outcome_of(crate::codes::StatusTable::Session, written).status
}

/// Validates one document for a summary: its report and its [`Entry`], the same as
/// [`crate::validate_with`] and [`Entry::new`] of [`crate::analyze`] give, faster. A webhook the
/// fast path proves valid is not analyzed further: a session summary's outcome is what the
/// fast path read.
pub fn check(input: &[u8], options: &crate::Options) -> (crate::Report, Entry) {
    if let Some((report, session)) = crate::validate::fast_session(input, options) {
        let entry = Entry {
            kind: report.kind,
            valid: true,
            session: session.map(|(status, code)| (usual_status(&status), code)),
            ..Entry::default()
        };
        return (report, entry);
    }
    let analysis = crate::analyze(input, options);
    let entry = Entry::new(&analysis);
    (analysis.report, entry)
}

/// `pointer` with each all-digit segment (an array index) written `*`.
fn general_pointer(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The most distinct pointers a summary counts; findings at further ones count as `(other)`.
/// Generalized pointers of real documents number in the hundreds; the cap keeps the memory of
/// a hostile archive bounded.
pub const MAX_POINTERS: usize = 10_000;

/// Counts of a whole archive, fed one [`Entry`] at a time; [`Summary::totals`] says them.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    documents: u64,
    valid: u64,
    warned: u64,
    unreadable: u64,
    kinds: BTreeMap<&'static str, Verdicts>,
    rules: HashMap<&'static str, u64>,
    pointers: HashMap<String, u64>,
    outcomes: BTreeMap<String, u64>,
    errors: BTreeMap<i64, u64>,
}

/// How many documents of one kind were valid, valid with warnings, and invalid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdicts {
    /// Valid, without warnings.
    pub valid: u64,
    /// Valid, with warnings.
    pub with_warnings: u64,
    /// Invalid.
    pub invalid: u64,
}

impl Summary {
    /// Counts one document.
    pub fn add(&mut self, entry: &Entry) {
        self.documents += 1;
        let verdicts = self
            .kinds
            .entry(entry.kind.map_or("unknown", |k| k.id()))
            .or_default();
        match (entry.valid, entry.warned) {
            (true, false) => verdicts.valid += 1,
            (true, true) => verdicts.with_warnings += 1,
            (false, _) => verdicts.invalid += 1,
        }
        if entry.valid {
            self.valid += 1;
            self.warned += u64::from(entry.warned);
        }
        for rule in &entry.rules {
            *self.rules.entry(rule).or_default() += 1;
        }
        for pointer in &entry.pointers {
            let key = if self.pointers.len() < MAX_POINTERS || self.pointers.contains_key(pointer) {
                pointer.clone()
            } else {
                "(other)".to_owned()
            };
            *self.pointers.entry(key).or_default() += 1;
        }
        if let Some((status, code)) = &entry.session {
            *self.outcomes.entry(status.clone()).or_default() += 1;
            if let Some(code) = code {
                *self.errors.entry(*code).or_default() += 1;
            }
        }
    }

    /// Counts an input that could not be read at all (a missing file, a broken gzip stream).
    pub fn add_unreadable(&mut self) {
        self.unreadable += 1;
    }

    /// How many documents were counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// The counts, with the `top` most frequent rules and pointers.
    pub fn totals(&self, top: usize) -> Totals {
        fn most<K: Ord + Clone>(map: impl Iterator<Item = (K, u64)>, top: usize) -> Vec<(K, u64)> {
            let mut all: Vec<(K, u64)> = map.collect();
            all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            all.truncate(top);
            all
        }
        let mut outcomes: Vec<Counted> = self
            .outcomes
            .iter()
            .map(|(status, &count)| Counted {
                name: status.clone(),
                count,
            })
            .collect();
        outcomes.sort_by_key(|o| std::cmp::Reverse(o.count));
        let mut errors: Vec<CodeCount> = self
            .errors
            .iter()
            .map(|(&code, &count)| CodeCount {
                code,
                count,
                name: crate::codes::session_error(code).map(|e| e.name.to_owned()),
            })
            .collect();
        errors.sort_by_key(|e| std::cmp::Reverse(e.count));
        Totals {
            documents: self.documents,
            valid: self.valid,
            with_warnings: self.warned,
            invalid: self.documents - self.valid,
            unreadable: self.unreadable,
            kinds: self
                .kinds
                .iter()
                .map(|(kind, v)| KindCount { kind, verdicts: *v })
                .collect(),
            rules: most(self.rules.iter().map(|(r, n)| (*r, *n)), top)
                .into_iter()
                .map(|(rule, count)| RuleCount { rule, count })
                .collect(),
            pointers: most(self.pointers.iter().map(|(p, n)| (p.clone(), *n)), top)
                .into_iter()
                .map(|(name, count)| Counted { name, count })
                .collect(),
            sessions: Sessions { outcomes, errors },
        }
    }
}

/// What [`Summary::totals`] says: the shape of `voicehook validate --summary-only --format json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Documents checked.
    pub documents: u64,
    /// Of which valid (with or without warnings).
    pub valid: u64,
    /// Of the valid ones, those with warnings.
    pub with_warnings: u64,
    /// Of which invalid.
    pub invalid: u64,
    /// Inputs that could not be read (not counted as documents).
    pub unreadable: u64,
    /// The verdicts by kind (`unknown` when the kind could not be told), by kind id.
    pub kinds: Vec<KindCount>,
    /// The most frequent rules of errors and warnings, most frequent first.
    pub rules: Vec<RuleCount>,
    /// The most frequent places of errors and warnings (array indices as `*`).
    pub pointers: Vec<Counted>,
    /// The session summaries (VSS): by outcome and by session error code.
    pub sessions: Sessions,
}

/// The verdicts of one kind.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KindCount {
    /// The kind's id (`vss`…), or `unknown`.
    pub kind: &'static str,
    /// Its counts.
    #[serde(flatten)]
    pub verdicts: Verdicts,
}

/// How often one rule was found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleCount {
    /// The rule id.
    pub rule: &'static str,
    /// Findings of it.
    pub count: u64,
}

/// A name (a pointer, an outcome) and how often it was met.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Counted {
    /// What was counted.
    pub name: String,
    /// How often.
    pub count: u64,
}

/// Session summaries by outcome and error code, most frequent first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sessions {
    /// By `sessionStatus` (usual spelling).
    pub outcomes: Vec<Counted>,
    /// By session error code.
    pub errors: Vec<CodeCount>,
}

/// How often one session error code was met.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeCount {
    /// The code.
    pub code: i64,
    /// How often.
    pub count: u64,
    /// 8x8's name for it, when the table knows it.
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Kind, Options, analyze, fixtures};

    fn analysis(kind: Kind, set: &[&str]) -> Analysis {
        let overrides: Vec<_> = set
            .iter()
            .map(|s| fixtures::Override::parse(s).unwrap())
            .collect();
        let doc = fixtures::example(kind, &overrides).unwrap().to_string();
        analyze(doc.as_bytes(), &Options::default())
    }

    #[test]
    fn a_row_has_every_column_in_order() {
        for a in [
            analysis(Kind::Vss, &[]),
            analysis(Kind::Vcs, &[]),
            analyze(b"[1,", &Options::default()),
        ] {
            let row = serde_json::to_value(Row::new(None, None, &a)).unwrap();
            let keys: Vec<&str> = row
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
            assert_eq!(keys, names);
            for c in COLUMNS {
                let v = &row[c.name];
                let ty = match v {
                    serde_json::Value::Null => continue,
                    serde_json::Value::Bool(_) => "boolean",
                    serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => {
                        if c.ty == "number" {
                            "number"
                        } else {
                            "integer"
                        }
                    }
                    serde_json::Value::Number(_) => "number",
                    serde_json::Value::String(_) => "string",
                    _ => "other",
                };
                assert_eq!(ty, c.ty, "column {}", c.name);
            }
        }
    }

    #[test]
    fn a_failed_session_row_names_its_code() {
        let a = analysis(
            Kind::Vss,
            &[
                "payload.sessionStatus=ERROR",
                "payload.errorDetails={\"errorCode\": -2004, \"errorMsg\": \"x\"}",
            ],
        );
        let row = Row::new(Some("a.ndjson"), Some(7), &a);
        assert_eq!(row.outcome.as_deref(), Some("ERROR"));
        assert_eq!(row.success, Some(false));
        assert_eq!(row.error_code, Some(-2004));
        assert!(row.error_meaning.is_some());
        assert_eq!((row.file.as_deref(), row.line), (Some("a.ndjson"), Some(7)));
    }

    #[test]
    fn the_summary_counts_kinds_rules_pointers_and_sessions() {
        let mut s = Summary::default();
        let bad = analyze(
            br#"{"payload": {"callflow": 3}}"#,
            &Options {
                kind: Some(Kind::Vss),
                ..Options::default()
            },
        );
        let failed = analysis(
            Kind::Vss,
            &[
                "payload.sessionStatus=ERROR",
                "payload.errorDetails={\"errorCode\": -2004, \"errorMsg\": \"x\"}",
            ],
        );
        for a in [&analysis(Kind::Vss, &[]), &failed, &failed, &bad] {
            s.add(&Entry::new(a));
        }
        s.add_unreadable();
        let t = s.totals(3);
        assert_eq!(
            (t.documents, t.valid, t.invalid, t.unreadable),
            (4, 3, 1, 1)
        );
        assert_eq!(t.kinds.len(), 1);
        assert_eq!(t.kinds[0].verdicts.invalid, 1);
        assert!(t.rules.len() <= 3 && !t.rules.is_empty());
        assert_eq!(t.sessions.outcomes[0].name, "ERROR");
        assert_eq!(t.sessions.outcomes[0].count, 2);
        assert_eq!(t.sessions.errors[0].code, -2004);
        assert_eq!(t.sessions.errors[0].count, 2);
    }

    #[test]
    fn check_gives_what_analyze_gives() {
        let docs: Vec<Vec<u8>> = fixtures::documented()
            .iter()
            .map(|e| e.document.to_string().into_bytes())
            .chain([b"{".to_vec(), br#"{"payload": 1}"#.to_vec()])
            .collect();
        let failed = analysis(
            Kind::Vss,
            &[
                "payload.sessionStatus=ERROR",
                "payload.errorDetails={\"errorCode\": -2004, \"errorMsg\": \"x\"}",
            ],
        );
        assert!(!docs.is_empty());
        for doc in docs.iter().map(Vec::as_slice) {
            // one "now" for both, or a validUntil message could differ by a millisecond
            let options = Options {
                now: Some(1_780_000_000_000),
                ..Options::default()
            };
            let (report, entry) = check(doc, &options);
            let analysis = analyze(doc, &options);
            assert_eq!(report, analysis.report);
            assert_eq!(
                entry,
                Entry::new(&analysis),
                "{}",
                String::from_utf8_lossy(doc)
            );
        }
        assert_eq!(
            Entry::new(&failed).session,
            Some(("ERROR".to_owned(), Some(-2004)))
        );
    }

    #[test]
    fn array_indices_count_together() {
        assert_eq!(general_pointer("/callflow/12/action"), "/callflow/*/action");
        assert_eq!(general_pointer(""), "");
        assert_eq!(general_pointer("/a1/b"), "/a1/b");
    }
}
