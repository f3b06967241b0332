//! Receiving webhooks: the practices of 8x8's webhooks overview as one pure check.
//!
//! [`check`] takes what an HTTP server knows of a request (the peer address, the headers, the
//! raw body) and a [`Policy`], and returns a [`Verdict`]: the typed document with its kind and
//! idempotency key, or a rejection with the HTTP status to answer and why. It does no I/O and
//! keeps no state: deduplication is a [`MemoryStore`] here (one instance) or a shared store
//! behind the same three operations (Redis, several instances), driven by the adapters that do
//! the HTTP (npm `voicehook/receiver`).
//!
//! The checks run cheapest and least revealing first, and the first that fails decides:
//!
//! | check | status | [`Reason`] |
//! |---|---|---|
//! | the client address is not allowed (8x8's published addresses by default) | 403 | `source` |
//! | a forwarded header names fewer hops than the trusted proxies, or an unreadable one | 403 | `forwarded` |
//! | the authorization header is missing or differs (compared in constant time) | 401 | `authorization` |
//! | the body is larger than [`Policy::max_size`] | 413 | `size` |
//! | the body is empty | 400 | `empty` |
//! | the body is not JSON | 400 | `syntax` |
//! | the document is not of a kind this endpoint takes | 422 | `kind` |
//! | the document is invalid (lenient unless [`Policy::strict`]) | 422 | `invalid` |
//!
//! Decisions:
//! - Forwarded headers (`Forwarded`, else `X-Forwarded-For`) are read only through
//!   [`Policy::trusted_proxies`]: with none (the default) the peer address is the client, whatever
//!   the headers claim, since anyone can write them. With `n`, the peer is the nearest proxy and
//!   the client is the `n`-th address from the right of the forwarded list.
//! - 8x8 sends the value registered as `httpAuthHeader` but does not say in which header; the
//!   check reads `Authorization` unless [`Policy::authorization_header`] names another.
//! - Plausibility never rejects a webhook 8x8 sent: by default only contract violations make it
//!   invalid (see the crate documentation); [`Policy::strict`] makes every finding count.
//! - Idempotency keys are [`crate::decode::idempotency_key`]'s: `sessionId` (VSS), `eventId`
//!   (VCS), `recordingId:status` (VRU, which sends one event per status of a recording), and a
//!   hash of the canonical JSON for VNU (it carries no id). A VCA is not deduplicated
//!   ([`Accepted::deduplicate`] is false): it is a question the reply answers, and a repeated one
//!   needs the reply again, not a silent 200.

mod address;
mod store;

pub use address::{Network, ParseNetworkError};
pub use store::{Claim, MemoryStore};

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::parse::{Doc, View};
use crate::{Document, Kind, Options, Report};

/// Largest webhook body [`Policy::default`] accepts: 1 MiB. 8x8's webhooks are a few kilobytes;
/// a virtual-number snapshot of a large sub-account is the largest.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// Which peers may deliver webhooks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The addresses 8x8 publishes ([`crate::codes::SOURCE_IPS`]).
    Published,
    /// Any address (for local development and tests behind other protection).
    Any,
    /// An address or a range in CIDR notation.
    Network(Network),
}

impl std::str::FromStr for Source {
    type Err = ParseNetworkError;

    /// `8x8` (the published addresses), `any`, or an address or range (`10.0.0.0/8`, `::1`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "8x8" => Ok(Source::Published),
            "any" => Ok(Source::Any),
            other => other.parse().map(Source::Network),
        }
    }
}

impl Source {
    fn covers(&self, ip: IpAddr) -> bool {
        match self {
            Source::Published => crate::codes::is_8x8_source_ip(&ip.to_string()),
            Source::Any => true,
            Source::Network(net) => net.contains(ip),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Published => f.write_str("8x8"),
            Source::Any => f.write_str("any"),
            Source::Network(net) => net.fmt(f),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What one webhook endpoint accepts. Serialized in camelCase (the npm receiver's options).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Policy {
    /// The kinds this endpoint takes; empty takes any of the five webhooks.
    pub kinds: Vec<Kind>,
    /// Who may deliver: by default 8x8's published addresses.
    pub allow: Vec<Source>,
    /// How many proxies in front of the server append to `Forwarded` / `X-Forwarded-For`
    /// (0: the headers are ignored).
    pub trusted_proxies: u32,
    /// The exact value registered as the webhook's `httpAuthHeader`; `None` checks nothing.
    pub authorization: Option<String>,
    /// The header that carries it, in any case (default `authorization`).
    pub authorization_header: String,
    /// Largest body accepted, in bytes.
    pub max_size: usize,
    /// Every finding makes the document invalid, plausibility included.
    pub strict: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            kinds: Vec::new(),
            allow: vec![Source::Published],
            trusted_proxies: 0,
            authorization: None,
            authorization_header: "authorization".to_owned(),
            max_size: DEFAULT_MAX_BODY,
            strict: false,
        }
    }
}

/// What an HTTP server knows of one request.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The address the connection came from (`1.2.3.4`, `::ffff:1.2.3.4`, `[::1]:443`…);
    /// `None` when the platform does not say.
    pub peer: Option<&'a str>,
    /// The request headers, names in any case; a repeated header appears once per line.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body as sent.
    pub body: &'a [u8],
}

/// Why a request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The client address is not allowed.
    Source,
    /// The forwarded headers cannot be read through the trusted proxies.
    Forwarded,
    /// The authorization header is missing or wrong.
    Authorization,
    /// The body is larger than the limit.
    Size,
    /// The body is empty.
    Empty,
    /// The body is not JSON.
    Syntax,
    /// The document is not of a kind this endpoint takes.
    Kind,
    /// The document is invalid.
    Invalid,
}

impl Reason {
    /// The HTTP status to answer with.
    pub const fn status(self) -> u16 {
        match self {
            Reason::Source | Reason::Forwarded => 403,
            Reason::Authorization => 401,
            Reason::Size => 413,
            Reason::Empty | Reason::Syntax => 400,
            Reason::Kind | Reason::Invalid => 422,
        }
    }
}

/// A refused request.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    /// The HTTP status to answer with ([`Reason::status`]).
    pub status: u16,
    /// Why, as a stable id.
    pub reason: Reason,
    /// Why, for a person (safe to answer with: it never repeats the expected authorization).
    pub message: String,
    /// The client address the check used, when it got that far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The validation report, for `empty`, `syntax`, `kind` and `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<Box<Report>>,
}

/// An accepted webhook.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    /// Its kind.
    pub kind: Kind,
    /// What to deduplicate deliveries by (see the module documentation).
    pub key: String,
    /// Whether deliveries of this kind are deduplicated (all but VCA).
    pub deduplicate: bool,
    /// The client address the check used.
    pub client: String,
    /// The document as voicehook read it (quirks rewritten to the canonical form), serialized as
    /// `data`; [`Accepted::document`] reads it typed.
    #[serde(rename = "data", serialize_with = "as_json")]
    normalized: Doc,
    /// The validation report (its warnings say what was rewritten).
    pub report: Report,
}

impl Accepted {
    /// The document as voicehook read it, as a view of its tape.
    pub fn data(&self) -> View<'_> {
        self.normalized.root()
    }

    /// The document read into its kind's model. A valid document always reads (the fuzz and
    /// the differential tests hold the core to it); `Err` says why in the one case it did not.
    pub fn document(&self) -> serde_json::Result<Document> {
        Document::of(self.kind, self.data().to_value())
    }
}

impl std::fmt::Debug for Accepted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accepted")
            .field("kind", &self.kind)
            .field("key", &self.key)
            .field("deduplicate", &self.deduplicate)
            .field("client", &self.client)
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

fn as_json<S: serde::Serializer>(doc: &Doc, s: S) -> Result<S::Ok, S::Error> {
    doc.root().serialize(s)
}

/// The outcome of [`check`].
#[derive(Debug, Serialize)]
#[serde(tag = "verdict", rename_all = "camelCase")]
pub enum Verdict {
    /// Hand the document to the user's code (after deduplication).
    Accept(Box<Accepted>),
    /// Answer with the rejection's status; the user's code is not called.
    Reject(Rejection),
}

impl Verdict {
    /// The HTTP status this verdict answers with before any handler runs: 200, or the rejection's.
    pub fn status(&self) -> u16 {
        match self {
            Verdict::Accept(_) => 200,
            Verdict::Reject(r) => r.status,
        }
    }
}

/// Checks one request against `policy` (see the module documentation for the order).
pub fn check(policy: &Policy, request: &Request<'_>) -> Verdict {
    match checked(policy, request) {
        Ok(accepted) => Verdict::Accept(Box::new(accepted)),
        Err(rejection) => Verdict::Reject(rejection),
    }
}

/// The checks that need no body: source address, forwarded headers, authorization, and the size
/// (`size`: the body's length in bytes, as far as it is known). An adapter runs them before it
/// reads the body, so that a refused peer or a 20 MB body is answered without reading it; `Ok`
/// holds the client address. [`check`] runs them again, with the body's real length.
pub fn check_head(
    policy: &Policy,
    peer: Option<&str>,
    headers: &[(&str, &str)],
    size: usize,
) -> Result<String, Rejection> {
    let client = address::client(peer, headers, policy.trusted_proxies)
        .map_err(|message| reject(Reason::Forwarded, message, None, None))?;
    let shown = client.to_string();
    if !policy.allow.iter().any(|s| s.covers(client)) {
        let mut message = format!("{shown} is not an allowed source ({})", allowed(policy));
        if policy.trusted_proxies == 0 && address::forwarded_present(headers) {
            message.push_str(
                "; forwarded headers are ignored because no proxy is trusted (trustedProxies is 0)",
            );
        }
        return Err(reject(Reason::Source, message, Some(&shown), None));
    }
    if let Some(expected) = &policy.authorization {
        let name = policy.authorization_header.as_str();
        let given = header(headers, name);
        let message = match given {
            None => Some(format!("no {name} header")),
            Some(given) if !same_secret(given.as_bytes(), expected.as_bytes()) => Some(format!(
                "the {name} header does not match the registered httpAuthHeader"
            )),
            Some(_) => None,
        };
        if let Some(message) = message {
            return Err(reject(Reason::Authorization, message, Some(&shown), None));
        }
    }
    if size > policy.max_size {
        let message = format!(
            "the body has {size} bytes, more than the {} this endpoint accepts",
            policy.max_size
        );
        return Err(reject(Reason::Size, message, Some(&shown), None));
    }
    Ok(shown)
}

fn checked(policy: &Policy, request: &Request<'_>) -> Result<Accepted, Rejection> {
    let shown = check_head(policy, request.peer, request.headers, request.body.len())?;
    let options = Options {
        strict: policy.strict,
        max_size: policy.max_size,
        ..Options::default()
    };
    let mut outcome = crate::validate::run(request.body, &options);
    let first_error = |report: &Report| {
        report
            .errors
            .first()
            .map(|e| e.message.clone())
            .unwrap_or_default()
    };
    if let Some(e) = outcome.report.errors.first() {
        let reason = match e.rule.as_str() {
            "json.empty" => Some(Reason::Empty),
            r if r.starts_with("json.") => Some(Reason::Syntax),
            _ => None,
        };
        if let Some(reason) = reason {
            let message = first_error(&outcome.report);
            return Err(reject(reason, message, Some(&shown), Some(outcome.report)));
        }
    }
    let takes = |kind: Kind| {
        if policy.kinds.is_empty() {
            kind.is_webhook()
        } else {
            policy.kinds.contains(&kind)
        }
    };
    match outcome.report.kind {
        Some(kind) if !takes(kind) => {
            let message = format!(
                "this endpoint takes {}; the body is a {} ({})",
                expected_kinds(policy),
                kind.title(),
                kind.id()
            );
            return Err(reject(
                Reason::Kind,
                message,
                Some(&shown),
                Some(outcome.report),
            ));
        }
        None if policy.kinds.len() == 1 => {
            // Not recognisable as any kind: check it as the one kind expected, for errors that
            // say what that kind lacks.
            let options = Options {
                kind: Some(policy.kinds[0]),
                ..options
            };
            outcome = crate::validate::run(request.body, &options);
        }
        _ => {}
    }
    let report = outcome.report;
    let (Some(kind), Some(doc), true) = (report.kind, outcome.normalized, report.valid) else {
        let message = match report.errors.first() {
            Some(e) => format!(
                "{} at {}: {}",
                e.rule.as_str(),
                pointer(&e.pointer),
                e.message
            ),
            None => "the document could not be read".to_owned(),
        };
        return Err(reject(Reason::Invalid, message, Some(&shown), Some(report)));
    };
    let key = crate::decode::idempotency_key(kind, doc.root());
    Ok(Accepted {
        kind,
        key,
        deduplicate: kind != Kind::Vca,
        client: shown,
        normalized: doc,
        report,
    })
}

fn reject(
    reason: Reason,
    message: String,
    client: Option<&str>,
    report: Option<Report>,
) -> Rejection {
    Rejection {
        status: reason.status(),
        reason,
        message,
        client: client.map(str::to_owned),
        report: report.map(Box::new),
    }
}

fn pointer(p: &str) -> &str {
    if p.is_empty() { "the root" } else { p }
}

fn allowed(policy: &Policy) -> String {
    if policy.allow.is_empty() {
        return "no source is allowed".to_owned();
    }
    let list: Vec<String> = policy
        .allow
        .iter()
        .map(|s| match s {
            Source::Published => "8x8's published addresses".to_owned(),
            other => other.to_string(),
        })
        .collect();
    format!("allowed: {}", list.join(", "))
}

fn expected_kinds(policy: &Policy) -> String {
    if policy.kinds.is_empty() {
        return "the five 8x8 webhooks".to_owned();
    }
    let list: Vec<String> = policy
        .kinds
        .iter()
        .map(|k| format!("{} ({})", k.title(), k.id()))
        .collect();
    list.join(" or ")
}

/// The value of the first header named `name` (any case).
fn header<'a>(headers: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// `given == expected`, in time that depends on the length of `expected` only: every byte of it
/// is compared, whatever `given` holds, and a length mismatch is folded in at the end.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    let padded: Vec<u8> = (0..expected.len())
        .map(|i| given.get(i).copied().unwrap_or(0))
        .collect();
    let bytes = padded.ct_eq(expected);
    let length = (given.len() as u64).ct_eq(&(expected.len() as u64));
    bool::from(bytes & length)
}

#[cfg(test)]
mod tests;
