//! The scenario: what the sandbox starts with and how it behaves.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use voicehook::call::Script;

/// What the sandbox starts with, who answers the calls it places, and how it delivers
/// webhooks. Every field has a default, so `{}` is a scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "SandboxScenario")]
pub struct Scenario {
    /// The JSON Schema this file follows (ignored).
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What the scenario is for, in words (ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The sub-account of the inbound calls below that name none (default `sandbox`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_account_id: Option<String>,
    /// Webhooks registered when the sandbox starts, as the Webhooks API would register them.
    #[serde(default)]
    pub webhooks: Vec<WebhookSetup>,
    /// The virtual numbers of the sub-account (Number Masking): `GET .../numbers` lists them and
    /// inbound calls go to them (default: `+6531570000` and `+6531570001`).
    #[serde(default)]
    pub numbers: Vec<String>,
    /// What the people called do, by the number dialled by a Send Callflow's first `makeCall`
    /// (or the virtual number of an inbound call); `*` for every other number. A call no
    /// script covers is played with a live keypad: its captures wait for keys from
    /// `POST /sandbox/sessions/{id}/keys` (or the page) for `keypadTimeout`.
    #[serde(default)]
    pub callees: BTreeMap<String, Script>,
    /// Inbound calls to place when the sandbox starts.
    #[serde(default)]
    pub calls: Vec<InboundCall>,
    /// How webhooks are delivered.
    #[serde(default)]
    pub delivery: Delivery,
    /// How long a capture waits for live keys before the caller is taken to press nothing,
    /// in milliseconds of real time (default 60000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keypad_timeout: Option<u64>,
    /// Seed of the delivery faults and of the ids of the first session (each later session
    /// adds one): the same seed gives the same ids and faults. Without it each run picks its
    /// own, so that the ids of two runs never meet in your idempotency store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// A webhook registered at start: the Webhooks API's create body, and its sub-account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookSetup {
    /// VCA, VSS, VCS, VRU or VNU.
    #[serde(rename = "type")]
    #[schemars(extend("enum" = ["VCA", "VSS", "VCS", "VRU", "VNU"]))]
    pub kind: String,
    /// Where the sandbox POSTs this type of webhook (an http:// address).
    #[schemars(extend("pattern" = "^http://"))]
    pub url: String,
    /// Sent as the `Authorization` header of every delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_auth_header: Option<String>,
    /// The sub-account it is registered for (default: every sub-account, so that your code
    /// can use its own sub-account id; one registered through the Webhooks API for a
    /// sub-account takes its place there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_account_id: Option<String>,
}

/// An inbound call (Number Masking, inbound IVR) placed at start or by `POST /sandbox/calls`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InboundCall {
    /// The caller's number.
    pub from: String,
    /// The virtual number called.
    pub to: String,
    /// What the people on the call do (default: the callee script for `to`, else a live keypad).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<Script>,
    /// The sub-account (default: the scenario's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_account_id: Option<String>,
    /// Milliseconds of real time after the start before the call arrives.
    #[serde(default)]
    pub after: u64,
}

/// How webhooks are delivered. 8x8 documents no retry policy, no delivery order and no
/// duplicate rate: these are the faults a receiver must survive, off unless asked for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Delivery {
    /// The share of webhooks delivered twice, 0 to 1.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub duplicates: f64,
    /// The share of status and summary webhooks (VCS, VSS) held back and delivered after the
    /// next webhook of the session, 0 to 1.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub reorder: f64,
    /// Milliseconds of real time before each delivery.
    #[serde(default)]
    pub delay_ms: u64,
    /// Up to this many milliseconds more, at random, before each delivery.
    #[serde(default)]
    pub jitter_ms: u64,
    /// Deliveries tried again after an answer that is not 2xx, a timeout or a refused
    /// connection (default 2). Call actions are never retried: 8x8 ends the session instead.
    #[serde(default = "two")]
    pub retries: u32,
    /// Milliseconds before the first retry, doubled for each next one (default 1000).
    #[serde(default = "second")]
    pub retry_after_ms: u64,
    /// How long a delivery waits for an answer, in milliseconds (default 5000).
    #[serde(default = "five_seconds")]
    pub timeout_ms: u64,
}

fn two() -> u32 {
    2
}
fn second() -> u64 {
    1000
}
fn five_seconds() -> u64 {
    5000
}

impl Default for Delivery {
    fn default() -> Delivery {
        Delivery {
            duplicates: 0.0,
            reorder: 0.0,
            delay_ms: 0,
            jitter_ms: 0,
            retries: two(),
            retry_after_ms: second(),
            timeout_ms: five_seconds(),
        }
    }
}

/// The webhook types the Webhooks API registers.
pub const TYPES: [&str; 5] = ["VCA", "VSS", "VCS", "VRU", "VNU"];

impl Scenario {
    /// Reads a scenario: the JSON is read by voicehook's parser (duplicate keys, comments and
    /// trailing commas are errors with their line and column), then its fields, then what they
    /// say. Each error is one line.
    ///
    /// ```
    /// let scenario = voicehook_sandbox::Scenario::read(br#"{
    ///   "webhooks": [{"type": "VSS", "url": "http://127.0.0.1:3000/vss"}],
    ///   "callees": {"+6591178965": {"keys": ["1", "2"]}, "*": {"legs": [{"outcome": "busy"}]}},
    ///   "delivery": {"duplicates": 0.2}
    /// }"#).unwrap();
    /// assert_eq!(scenario.webhooks.len(), 1);
    /// ```
    pub fn read(bytes: &[u8]) -> Result<Scenario, String> {
        let text =
            std::str::from_utf8(bytes).map_err(|e| format!("the scenario is not UTF-8: {e}"))?;
        if let Err(errors) = voicehook::parse::Doc::parse_str(text) {
            let first = errors.first();
            return Err(match first {
                Some(f) => format!(
                    "{}:{}: {} [{}]",
                    f.line.unwrap_or(1),
                    f.column.unwrap_or(1),
                    f.message,
                    f.rule.id
                ),
                None => "the scenario is not JSON".into(),
            });
        }
        let scenario: Scenario = serde_json::from_str(text).map_err(|e| crate::at(&e))?;
        scenario.check()?;
        Ok(scenario)
    }

    /// What the fields cannot say: rates between 0 and 1, known webhook types, http(s)
    /// addresses, scripts the call engine can play.
    pub fn check(&self) -> Result<(), String> {
        for (name, rate) in [
            ("delivery.duplicates", self.delivery.duplicates),
            ("delivery.reorder", self.delivery.reorder),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} is a share from 0 to 1, found {rate}"));
            }
        }
        let d = &self.delivery;
        let day = voicehook::call::MAX_CALL_MS * 24;
        for (name, ms, max) in [
            ("delivery.delayMs", d.delay_ms, day),
            ("delivery.jitterMs", d.jitter_ms, day),
            ("delivery.retryAfterMs", d.retry_after_ms, day),
            (
                "delivery.timeoutMs",
                d.timeout_ms,
                voicehook::call::MAX_CALL_MS,
            ),
            ("keypadTimeout", self.keypad_timeout.unwrap_or(0), day),
        ] {
            if ms > max {
                return Err(format!("{name} is at most {max} ms, found {ms}"));
            }
        }
        if d.timeout_ms == 0 {
            return Err("delivery.timeoutMs should be above 0".into());
        }
        if d.retries > MAX_RETRIES {
            return Err(format!(
                "delivery.retries is at most {MAX_RETRIES}, found {}",
                d.retries
            ));
        }
        for (i, hook) in self.webhooks.iter().enumerate() {
            if !TYPES.contains(&hook.kind.as_str()) {
                return Err(format!(
                    "webhooks[{i}].type should be one of {}, found {:?}",
                    TYPES.join(", "),
                    hook.kind
                ));
            }
            check_url(&hook.url).map_err(|e| format!("webhooks[{i}].url {e}"))?;
        }
        for (number, script) in &self.callees {
            playable(script).map_err(|e| format!("callees[{number:?}]: {e}"))?;
        }
        for (i, call) in self.calls.iter().enumerate() {
            if let Some(script) = &call.script {
                playable(script).map_err(|e| format!("calls[{i}].script: {e}"))?;
            }
        }
        Ok(())
    }

    /// The sub-account of what names none.
    pub fn sub_account(&self) -> &str {
        self.sub_account_id.as_deref().unwrap_or("sandbox")
    }

    /// The virtual numbers (the scenario's, or two Singapore numbers).
    pub fn numbers(&self) -> Vec<String> {
        if self.numbers.is_empty() {
            vec!["+6531570000".into(), "+6531570001".into()]
        } else {
            self.numbers.clone()
        }
    }

    /// The callee script for `number` (with or without `+`), else the `*` one.
    pub fn callee(&self, number: &str) -> Option<&Script> {
        let bare = number.trim_start_matches('+');
        self.callees
            .iter()
            .find(|(n, _)| n.trim_start_matches('+') == bare)
            .map(|(_, s)| s)
            .or_else(|| self.callees.get("*"))
    }
}

/// How many times a delivery may be tried again, at most.
pub const MAX_RETRIES: u32 = 20;

/// What the call engine checks of a script, and its `start`.
fn playable(script: &Script) -> Result<(), String> {
    script.check()?;
    match &script.start {
        Some(start) if voicehook::time::millis(start).is_none() => Err(format!(
            "start should be a timestamp such as 2026-01-13T08:00:00Z, found {start:?}"
        )),
        _ => Ok(()),
    }
}

/// The JSON Schema of scenario files (draft 2020-12), as committed in
/// `crates/voicehook-sandbox/scenario.schema.json`.
pub fn schema() -> String {
    // An input: the fields with defaults are optional.
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<Scenario>();
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// An address deliveries can go to: `http://` (the sandbox speaks plain HTTP, see the crate
/// documentation).
pub fn check_url(url: &str) -> Result<(), String> {
    match url.parse::<reqwest::Url>() {
        Ok(u) if u.scheme() == "http" && u.host().is_some() => Ok(()),
        Ok(u) if u.scheme() == "https" => Err(format!(
            "is https ({url}): the sandbox delivers over plain HTTP to servers on your machine; \
             register the http:// address your server listens on"
        )),
        _ => Err(format!(
            "should be an http:// address such as http://127.0.0.1:3000/8x8/vss, found {url:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_where() {
        let e = Scenario::read(b"{\n  \"webhooks\": [],\n  \"webhooks\": []\n}").unwrap_err();
        assert!(e.starts_with("3:3:"), "{e}");
        assert!(e.contains("json.duplicate-key"), "{e}");
        let e = Scenario::read(b"{\n  \"delivery\": {\"duplicate\": 0.2}\n}").unwrap_err();
        assert!(e.starts_with("2:"), "{e}");
        assert!(e.contains("unknown field `duplicate`"), "{e}");
        let e = Scenario::read(br#"{"delivery": {"duplicates": 20}}"#).unwrap_err();
        assert_eq!(e, "delivery.duplicates is a share from 0 to 1, found 20");
        let e =
            Scenario::read(br#"{"webhooks": [{"type": "VSX", "url": "http://x"}]}"#).unwrap_err();
        assert!(
            e.starts_with("webhooks[0].type should be one of VCA"),
            "{e}"
        );
        let e = Scenario::read(br#"{"webhooks": [{"type": "VSS", "url": "https://x.io/"}]}"#)
            .unwrap_err();
        assert!(e.contains("plain HTTP"), "{e}");
        let e = Scenario::read(br#"{"callees": {"*": {"legs": [{}, {}, {}]}}}"#).unwrap_err();
        assert!(e.starts_with("callees[\"*\"]: "), "{e}");
        let e = Scenario::read(br#"{"callees": {"*": {"start": "today"}}}"#).unwrap_err();
        assert!(e.contains("start should be a timestamp"), "{e}");
        let e = Scenario::read(br#"{"delivery": {"jitterMs": 18446744073709551615}}"#).unwrap_err();
        assert!(e.starts_with("delivery.jitterMs is at most"), "{e}");
        let e = Scenario::read(br#"{"delivery": {"retries": 4000000000}}"#).unwrap_err();
        assert!(e.starts_with("delivery.retries is at most 20"), "{e}");
        let e = Scenario::read(br#"{"delivery": {"timeoutMs": 0}}"#).unwrap_err();
        assert!(e.contains("above 0"), "{e}");
    }

    #[test]
    fn callee_by_number_then_star() {
        let s = Scenario::read(br#"{"callees": {"6591178965": {"seed": 1}, "*": {"seed": 2}}}"#)
            .unwrap();
        assert_eq!(s.callee("+6591178965").map(|s| s.seed), Some(1));
        assert_eq!(s.callee("+6500000000").map(|s| s.seed), Some(2));
        assert_eq!(Scenario::default().callee("+65"), None);
    }
}
