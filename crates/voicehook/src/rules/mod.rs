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

use crate::catalog::{self, Rule};
use crate::parse::View;
use crate::predict::{self, Prediction};
use crate::{Diagnostic, Kind, Options, Report};

/// A diagnostic before it is positioned: its pointer still points into the normalized document.
pub(crate) struct Pending {
    /// Pointer into the normalized document.
    pub pointer: String,
    /// The value at `pointer` does not exist (position it at the parent).
    pub missing: bool,
    /// Error (true) or warning.
    pub is_error: bool,
    /// The diagnostic (its `pointer` is replaced when positioned).
    pub diagnostic: Diagnostic,
}

/// What rules read and where they write.
pub(crate) struct Ctx<'a> {
    /// The kind being checked.
    pub kind: Kind,
    /// The normalized document.
    pub doc: View<'a>,
    /// The caller's options (`now` for time rules).
    pub options: &'a Options,
    /// The status codes the callflow rules counted ([`crate::predict`] answers from them).
    counted: Prediction,
    pending: Vec<Pending>,
    /// Every pointer the schema reported at, and each of its ancestors, for [`Self::has_error_at`].
    schema_pointers: HashSet<String>,
    /// Findings past the cap (`Options::max_findings`): counted, not kept.
    pub(crate) dropped: usize,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(kind: Kind, doc: View<'a>, options: &'a Options) -> Self {
        Ctx {
            kind,
            doc,
            options,
            counted: Prediction::default(),
            pending: Vec::new(),
            schema_pointers: HashSet::new(),
            dropped: 0,
        }
    }

    fn push(&mut self, pointer: &str, missing: bool, is_error: bool, rule: &str, message: String) {
        if self.pending.len() >= self.options.max_findings {
            self.dropped += 1;
            return;
        }
        if rule.starts_with("schema.") {
            let mut at = pointer;
            while self.schema_pointers.insert(at.to_owned()) {
                match at.rsplit_once('/') {
                    Some((parent, _)) => at = parent,
                    None => break,
                }
            }
        }
        self.pending.push(Pending {
            pointer: pointer.to_owned(),
            missing,
            is_error,
            diagnostic: Diagnostic::new(pointer, rule, message),
        });
    }

    /// Reports a finding of `rule` at `pointer` (into the normalized document), with the
    /// severity the catalog gives the rule in this mode.
    pub fn emit(&mut self, pointer: &str, rule: &'static Rule, message: impl Into<String>) {
        let is_error = rule.is_error(self.options.strict);
        self.push(pointer, false, is_error, rule.id, message.into());
    }

    /// [`emit`](Self::emit) for a property that should exist at `pointer` but does not.
    pub fn emit_missing(&mut self, pointer: &str, rule: &'static Rule, message: impl Into<String>) {
        let is_error = rule.is_error(self.options.strict);
        self.push(pointer, true, is_error, rule.id, message.into());
    }

    /// Records a schema error (`rule` is a `schema.*` id of the catalog).
    pub(crate) fn schema_error(
        &mut self,
        pointer: String,
        missing: bool,
        rule: String,
        message: String,
    ) {
        let is_error = catalog::rule(&rule).is_none_or(|r| r.is_error(self.options.strict));
        self.push(&pointer, missing, is_error, &rule, message);
    }

    /// True when the schema already reported something at `pointer` or inside it, so a rule
    /// reading that value would only repeat it (the same in lenient and strict mode).
    pub fn has_error_at(&self, pointer: &str) -> bool {
        self.schema_pointers.contains(pointer)
    }

    /// Withdraws the schema's findings at exactly these pointers, for rules whose findings say
    /// the same more precisely (one pass, however many).
    pub(crate) fn retract_schema_errors_at(&mut self, pointers: &HashSet<&str>) {
        if pointers.is_empty() {
            return;
        }
        self.pending.retain(|p| {
            !(p.diagnostic.rule.starts_with("schema.") && pointers.contains(p.pointer.as_str()))
        });
    }

    /// All errors reported so far (schema and rules), for rules that predict 8x8's answer.
    pub fn errors(&self) -> impl Iterator<Item = (&str, &Diagnostic)> {
        self.pending
            .iter()
            .filter(|p| p.is_error)
            .map(|p| (p.pointer.as_str(), &p.diagnostic))
    }

    /// `(pointer, is_error, rule)` of everything reported so far, for tests.
    #[cfg(test)]
    pub(crate) fn found(&self) -> Vec<(&str, bool, &str)> {
        self.pending
            .iter()
            .map(|p| (p.pointer.as_str(), p.is_error, p.diagnostic.rule.as_str()))
            .collect()
    }

    /// Records the status codes the callflow rules counted.
    pub(crate) fn predict(&mut self, counted: Prediction) {
        self.counted = counted;
    }

    /// What 8x8 answers, from everything found: `(status code, session error code)`.
    pub(crate) fn predicted(&self) -> (Option<i32>, Option<i32>) {
        predict::answer(self.kind, &self.counted, self.errors().next().is_some())
    }

    /// Moves everything into `report`, positioning each diagnostic with `locate`.
    pub(crate) fn into_report(self, report: &mut Report, locate: impl Fn(Pending) -> Diagnostic) {
        (
            report.predicted_status_code,
            report.predicted_session_error_code,
        ) = self.predicted();
        for p in self.pending {
            let is_error = p.is_error;
            let d = locate(p);
            if is_error {
                report.errors.push(d)
            } else {
                report.warnings.push(d)
            }
        }
    }
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
