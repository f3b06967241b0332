//! Semantic rules: what no schema can express (time order, counts that must agree, codes from
//! the right table, callflow constraints 8x8 enforces), each with a stable rule id from the
//! [catalog](crate::catalog), which also gives each rule its severity: a rule only says what it
//! found ([`Ctx::emit`]); whether that is an error or a warning is the catalog's, per mode.
//!
//! Rules read the normalized document through [`View`]s of its tape and must not assume it passed
//! the schema: a missing or mistyped field is skipped here (the schema already reported it).

pub(crate) mod common;
mod vca;
mod vcs;
mod vnu;
mod vru;
mod vss;

use std::collections::HashSet;

use rustc_hash::FxHashSet;

use crate::catalog::Rule;
use crate::parse::View;
use crate::predict::{self, Prediction};
use crate::{Finding, Kind, Options, Report};

/// What rules read and where they write.
pub(crate) struct Ctx<'a> {
    /// The kind being checked.
    pub kind: Kind,
    /// The normalized document.
    pub doc: View<'a>,
    /// The caller's options (`now` for time rules).
    pub options: &'a Options,
    /// Everything found so far, pointers still into the normalized document.
    found: Vec<Finding>,
    /// The status codes of the findings past the cap, which are counted but not kept
    /// ([`crate::predict`] answers from them and from `found`).
    beyond: Prediction,
    /// A hash of every pointer the schema reported at and of each of its ancestors, for
    /// [`Self::has_error_at`] (no copy of the pointers).
    schema_pointers: FxHashSet<u64>,
    /// Findings past the cap (`Options::max_findings`): counted, not kept.
    pub(crate) dropped: usize,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(kind: Kind, doc: View<'a>, options: &'a Options) -> Self {
        Ctx {
            kind,
            doc,
            options,
            found: Vec::new(),
            beyond: Prediction::default(),
            schema_pointers: FxHashSet::default(),
            dropped: 0,
        }
    }

    /// Takes one finding of any step (its pointer into the normalized document).
    pub(crate) fn add(&mut self, finding: Finding) {
        if self.found.len() >= self.options.max_findings {
            self.dropped += 1;
            if finding.is_error(self.options.strict) {
                self.beyond.count_finding(&finding);
            }
            return;
        }
        if finding.rule.id.starts_with("schema.") {
            let mut at = finding.pointer.as_str();
            while self.schema_pointers.insert(pointer_hash(at)) {
                match at.rsplit_once('/') {
                    Some((parent, _)) => at = parent,
                    None => break,
                }
            }
        }
        self.found.push(finding);
    }

    /// Reports a finding of `rule` at `pointer` (into the normalized document); the catalog
    /// gives it its severity in this mode.
    pub fn emit(&mut self, pointer: &str, rule: &'static Rule, message: impl Into<String>) {
        self.add(Finding::new(pointer, rule, message));
    }

    /// True when the schema already reported something at `pointer` or inside it, so a rule
    /// reading that value would only repeat it (the same in lenient and strict mode).
    pub fn has_error_at(&self, pointer: &str) -> bool {
        self.schema_pointers.contains(&pointer_hash(pointer))
    }

    /// Withdraws the schema's findings at exactly these pointers, for rules whose findings say
    /// the same more precisely (one pass, however many).
    pub(crate) fn retract_schema_errors_at(&mut self, pointers: &HashSet<&str>) {
        if pointers.is_empty() {
            return;
        }
        self.found.retain(|f| {
            !(f.rule.id.starts_with("schema.") && pointers.contains(f.pointer.as_str()))
        });
    }

    /// Lets the first error at each of these findings' pointers also stand for the 8x8 answer
    /// the finding names (a rule that found the same problem as the schema, whose message
    /// stands for both). One pass over what was found, however many.
    pub(crate) fn answer_at(&mut self, same: Vec<Finding>) {
        if same.is_empty() {
            return;
        }
        let strict = self.options.strict;
        let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, f) in self.found.iter().enumerate() {
            if f.is_error(strict) {
                first.entry(f.pointer.as_str()).or_insert(i);
            }
        }
        let targets: Vec<(usize, Option<predict::Answer>)> = same
            .iter()
            .filter_map(|f| Some((*first.get(f.pointer.as_str())?, f.answer)))
            .collect();
        for (i, answer) in targets {
            let f = &mut self.found[i];
            f.answer = predict::better(f.answer, answer);
        }
    }

    /// Counts the codes of findings a step did not keep (past its own cap) for the prediction.
    pub(crate) fn count_beyond(&mut self, counted: Prediction) {
        self.beyond.merge(counted);
    }

    /// All errors reported so far (schema and rules), for rules that predict 8x8's answer.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        let strict = self.options.strict;
        self.found.iter().filter(move |f| f.is_error(strict))
    }

    /// `(pointer, is_error, rule)` of everything reported so far, for tests.
    #[cfg(test)]
    pub(crate) fn found(&self) -> Vec<(&str, bool, &str)> {
        let strict = self.options.strict;
        self.found
            .iter()
            .map(|f| (f.pointer.as_str(), f.is_error(strict), f.rule.id))
            .collect()
    }

    /// What 8x8 answers, from everything found: `(status code, session error code)`.
    pub(crate) fn predicted(&self) -> (Option<i32>, Option<i32>) {
        predict::answer(self.kind, self.errors(), self.beyond)
    }

    /// Moves everything into `report`, positioning each finding with `locate`.
    pub(crate) fn into_report(self, report: &mut Report, locate: impl Fn(Finding) -> Finding) {
        (
            report.predicted_status_code,
            report.predicted_session_error_code,
        ) = self.predicted();
        let strict = self.options.strict;
        for f in self.found {
            let is_error = f.is_error(strict);
            let f = locate(f);
            if is_error {
                report.errors.push(f)
            } else {
                report.warnings.push(f)
            }
        }
    }
}

/// The hash [`Ctx::has_error_at`] knows a pointer by.
fn pointer_hash(pointer: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(pointer)
}

/// Runs every webhook rule of the context's kind (the callflow rules are
/// [`crate::callflow`]'s).
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    match ctx.kind {
        Kind::Vss => vss::check(ctx),
        Kind::Vca => vca::check(ctx),
        Kind::Vcs => vcs::check(ctx),
        Kind::Vru => vru::check(ctx),
        Kind::Vnu => vnu::check(ctx),
        Kind::Callflow
        | Kind::VcaReply
        | Kind::CallflowResult
        | Kind::WebhookCreate
        | Kind::WebhookList => {}
    }
}

/// What the rules tests of each kind share: running the kind's rules alone on a document.
#[cfg(test)]
pub(crate) mod testing {
    use serde_json::Value;

    use super::Ctx;
    use crate::{Kind, Options};

    /// `(pointer, is_error, rule)` of everything `check` finds in `doc` read as `kind`.
    pub(crate) fn run(
        kind: Kind,
        check: fn(&mut Ctx<'_>),
        doc: &Value,
    ) -> Vec<(String, bool, String)> {
        let options = Options::default();
        let tape = crate::parse::Doc::from_value(doc);
        let mut ctx = Ctx::new(kind, tape.root(), &options);
        check(&mut ctx);
        ctx.found()
            .into_iter()
            .map(|(p, e, r)| (p.to_owned(), e, r.to_owned()))
            .collect()
    }

    /// One expected finding, in the shape [`run`] returns.
    pub(crate) fn found(pointer: &str, is_error: bool, rule: &str) -> (String, bool, String) {
        (pointer.to_owned(), is_error, rule.to_owned())
    }
}
