//! Documents you send to 8x8 (callflow, VCA reply, webhook registration) and 8x8's answers
//! (callflow result, webhook list).

use super::{Decoded, Outcome, clip, fmt_seconds, int, null, num, parse_ms, plural, text};
use crate::Kind;
use crate::callflow::{CAPTURE_DEFAULTS, OPENAPI_CAPTURE_DEFAULTS};
use crate::codes;
use crate::parse::View;

/// The most steps the summary of a callflow names (a real callflow holds a handful).
const SUMMARY_STEPS: usize = 12;

/// The array member `key` of `doc`, or `null` (no elements) when it is missing or not an array.
fn array<'d>(doc: View<'d>, key: &str) -> View<'d> {
    doc.get(key).filter(|v| v.is_array()).unwrap_or_else(null)
}

/// Callflow (Send Callflow request) and VCA reply: each action in words.
pub(super) fn callflow(kind: Kind, doc: View<'_>, now_ms: Option<i64>, d: &mut Decoded) {
    let actions = array(doc, "callflow");
    let mut calls = 0;
    if actions.len() > super::MAX_ITEMS {
        d.note(format!(
            "the callflow holds {} actions; the decoded view describes the first {}",
            actions.len(),
            super::MAX_ITEMS
        ));
    }
    for (i, action) in actions.items().enumerate().take(super::MAX_ITEMS) {
        let n = i + 1;
        let name = text(action.get("action"));
        let p = action.get("params").unwrap_or_else(null);
        if name == Some("makeCall") {
            calls += 1;
        }
        let bridged = name == Some("makeCall") && (calls > 1 || kind == Kind::VcaReply);
        d.fact(&format!("{n}."), describe(name, p, bridged));
        if name == Some("sayAndCapture") {
            capture_defaults(n, p, d);
            if p.get("repetition").is_some() {
                d.note(format!(
                    "action {n}: sayAndCapture sets repetition, which 8x8's IVR examples use but its API reference does not list"
                ));
            }
        }
        if let Some(speed) = num(p.get("speed"))
            && speed.fract() != 0.0
        {
            d.note(format!(
                "action {n}: speed {speed}: 8x8's API reference types speed as an integer yet documents 0.5–2.0; the IVR pages use fractions"
            ));
        }
    }
    if let Some(id) = text(doc.get("clientActionId")) {
        d.fact(
            "clientActionId",
            format!("{id}: 8x8 sends it back in the next Voice Call Action, so you know this step finished"),
        );
    }
    let mut until_words = None;
    if let Some(until) = doc.get("validUntil") {
        let raw = until.as_str().unwrap_or_default();
        match (parse_ms(raw), now_ms) {
            (None, _) => {
                let until = until.to_string();
                d.fact("Valid until", until.as_str());
                d.note(format!(
                    "validUntil {until} is not a date-time (a template placeholder left in?)"
                ));
            }
            (Some(t), Some(now)) if t <= now => {
                d.fact("Valid until", format!("{raw} (already past)"));
                d.note(format!(
                    "validUntil {raw} is {} in the past: 8x8 answers -1015",
                    span(now - t)
                ));
            }
            (Some(t), Some(now)) => {
                d.fact("Valid until", format!("{raw} (in {})", span(t - now)));
            }
            (Some(_), None) => d.fact("Valid until", raw),
        }
        until_words = Some(raw);
    }

    let mut summary = match (kind, text(doc.get("clientActionId"))) {
        (Kind::Callflow, _) => "Send Callflow request".to_owned(),
        (_, Some(id)) => format!("Reply to a call action (step {id})"),
        _ => "Reply to a call action".to_owned(),
    };
    summary.push_str(&format!(": {}", plural(actions.len(), "action")));
    // One line whatever the callflow holds: the first steps by name, then how many more.
    for (i, a) in actions.items().take(SUMMARY_STEPS).enumerate() {
        summary.push_str(if i == 0 { " (" } else { " → " });
        summary.push_str(&clip(text(a.get("action")).unwrap_or("?"), 40));
    }
    if actions.len() > SUMMARY_STEPS {
        summary.push_str(&format!(" → … {} more", actions.len() - SUMMARY_STEPS));
    }
    if !actions.is_empty() {
        summary.push(')');
    }
    if let Some(first) = actions
        .items()
        .find(|a| text(a.get("action")) == Some("makeCall"))
    {
        let p = first.get("params").unwrap_or_else(null);
        summary.push_str(&format!(
            ", calling {} from {}",
            text(p.get("destination")).unwrap_or("?"),
            text(p.get("source")).unwrap_or("?")
        ));
    }
    if let Some(u) = until_words.filter(|u| !u.is_empty()) {
        summary.push_str(&format!(", valid until {u}"));
    }
    d.summary = summary;
}

/// One action in words.
fn describe(name: Option<&str>, p: View<'_>, bridged: bool) -> String {
    let quoted = |key: &str| text(p.get(key)).map(|t| format!("\"{}\"", clip(t, 80)));
    let voice = || text(p.get("voiceProfile")).or_else(|| text(p.get("language")));
    let mut extras: Vec<String> = Vec::new();
    let repetition = |extras: &mut Vec<String>| match int(p.get("repetition")) {
        Some(n) => extras.push(plural(usize::try_from(n).unwrap_or(0), "repetition")),
        None => extras.push("1 repetition (default)".to_owned()),
    };
    match name {
        Some("makeCall") => {
            let mut s = format!(
                "makeCall from {} to {}",
                text(p.get("source")).unwrap_or("?"),
                text(p.get("destination")).unwrap_or("?")
            );
            if bridged {
                s.push_str(", bridged to the call in progress");
            }
            if p.get("callRecording").and_then(View::as_bool) == Some(true) {
                s.push_str(", recorded");
            }
            s
        }
        Some("say") => {
            if let Some(v) = voice() {
                extras.push(v.to_owned());
            }
            repetition(&mut extras);
            if let Some(speed) = num(p.get("speed")) {
                extras.push(format!("speed {speed}"));
            }
            format!(
                "say {} ({})",
                quoted("text").unwrap_or_else(|| "(no text)".to_owned()),
                extras.join(", ")
            )
        }
        Some("sayAndCapture") => {
            if let Some(v) = voice() {
                extras.push(v.to_owned());
            }
            match (int(p.get("minDigits")), int(p.get("maxDigits"))) {
                (Some(a), Some(b)) if a == b => {
                    extras.push(plural(usize::try_from(a).unwrap_or(0), "digit"))
                }
                (Some(a), Some(b)) => extras.push(format!("{a}–{b} digits")),
                (None, Some(b)) => extras.push(format!("up to {b} digits")),
                (Some(a), None) => extras.push(format!("at least {a} digits")),
                (None, None) => {}
            }
            match p.get("completeOnHash").and_then(View::as_bool) {
                Some(false) => extras.push("input ends at maxDigits".to_owned()),
                _ => extras.push("# ends the input".to_owned()),
            }
            if let Some(t) = int(p.get("digitTimeout")) {
                extras.push(format!("{t} ms between digits"));
            }
            if let Some(t) = int(p.get("overallTimeout")) {
                extras.push(format!("{t} ms in all"));
            }
            if let Some(t) = int(p.get("noOfTries")) {
                extras
                    .push(plural(usize::try_from(t).unwrap_or(0), "try").replace("trys", "tries"));
            }
            let mut s = format!(
                "sayAndCapture {} ({}), then report the digits in a Voice Call Action",
                quoted("promptMessage").unwrap_or_else(|| "(no prompt)".to_owned()),
                extras.join(", ")
            );
            if let Some(m) = quoted("successMessage") {
                s.push_str(&format!("; on success say {m}"));
            }
            if let Some(m) = quoted("failureMessage") {
                s.push_str(&format!("; on failure say {m}"));
            }
            s
        }
        Some("playFile") => {
            repetition(&mut extras);
            format!(
                "playFile {} ({})",
                text(p.get("fileUrl")).unwrap_or("(no fileUrl)"),
                extras.join(", ")
            )
        }
        Some("hangup") => "hangup: end every call of the session".to_owned(),
        Some(other) => format!(
            "\"{other}\": not one of makeCall, say, sayAndCapture, playFile, hangup (8x8 refuses it)"
        ),
        None => "an action without a name".to_owned(),
    }
}

/// Contradiction 10: for each sayAndCapture setting left out, the two defaults the pages give.
fn capture_defaults(n: usize, p: View<'_>, d: &mut Decoded) {
    let (guide, api) = (CAPTURE_DEFAULTS, OPENAPI_CAPTURE_DEFAULTS);
    for (key, api_value, guide_value) in [
        (
            "maxDigits",
            api.max_digits.to_string(),
            guide.max_digits.to_string(),
        ),
        (
            "overallTimeout",
            format!("{} ms", api.overall_timeout_ms),
            format!("{} ms", guide.overall_timeout_ms),
        ),
        (
            "noOfTries",
            api.no_of_tries.to_string(),
            guide.no_of_tries.to_string(),
        ),
    ] {
        if p.get(key).is_none_or(View::is_null) {
            d.fact(
                &format!("Default (action {n})"),
                format!(
                    "{key} not set: 8x8's API reference defaults it to {api_value}, the IVR guide says {guide_value}"
                ),
            );
        }
    }
}

/// `3 h 5 min`, `12 min`, `40 s`, `2 days`.
fn span(ms: i64) -> String {
    let s = ms / 1000;
    if s >= 2 * 86_400 {
        format!("{} days", s / 86_400)
    } else if s >= 3600 {
        format!("{} h {} min", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{} min", s / 60)
    } else {
        fmt_seconds(ms as f64 / 1000.0)
    }
}

/// Send Callflow response: CREATED / NOT_CREATED and the status code.
pub(super) fn callflow_result(doc: View<'_>, now_ms: Option<i64>, d: &mut Decoded) {
    let status = text(doc.get("sessionStatus"));
    let code = int(doc.get("statusCode"));
    let known = code.and_then(codes::api_status);
    if let Some(c) = code {
        d.api_status_code("/statusCode".to_owned(), c);
    }
    let success = status == Some("CREATED");
    d.outcome = Some(Outcome {
        status: status.unwrap_or("(no status)").to_owned(),
        meaning: match status {
            Some("CREATED") => "8x8 accepted the callflow and started a session".to_owned(),
            Some("NOT_CREATED") => match known {
                Some(k) => format!("8x8 refused the callflow: {}", k.meaning),
                None => "8x8 refused the callflow; statusCode says why".to_owned(),
            },
            _ => "not a status the Send Callflow API documents".to_owned(),
        },
        success,
    });
    if success && code.is_some_and(|c| c != 1) || status == Some("NOT_CREATED") && code == Some(1) {
        d.note(format!(
            "sessionStatus {} does not match statusCode {}",
            status.unwrap_or_default(),
            code.unwrap_or_default()
        ));
    }
    for (label, field) in [
        ("Session", "sessionId"),
        ("Request", "callFlowRequestId"),
        ("Status message", "statusMessage"),
    ] {
        if let Some(v) = text(doc.get(field)) {
            d.fact(label, v);
        }
    }
    if let Some(until) = text(doc.get("validUntil")) {
        match (parse_ms(until), now_ms) {
            (Some(t), Some(now)) if t <= now => d.fact("Valid until", format!("{until} (past)")),
            _ => d.fact("Valid until", until),
        }
    }
    if let Some(hint) = known.and_then(|k| k.hint) {
        d.fact("What to do", hint);
    }
    let mut summary = format!("Send Callflow {}", status.unwrap_or("answer"));
    if let Some(c) = code {
        summary.push_str(&format!(": status {c}"));
        if let Some(k) = known {
            summary.push_str(&format!(" ({})", k.name));
        }
    }
    if let Some(s) = text(doc.get("sessionId")) {
        summary.push_str(&format!(", session {s}"));
    }
    d.summary = summary;
}

/// The type of a webhook in words.
fn type_words(t: Option<&str>) -> String {
    match t {
        Some(code) => match codes::webhook_type(code) {
            Some(w) => format!("{code} ({}): {}", w.name, w.purpose),
            None => format!("{code}: not one of VSS, VCA, VCS, VRU, VNU"),
        },
        None => "(no type)".to_owned(),
    }
}

/// Webhooks API create body.
pub(super) fn webhook_create(doc: View<'_>, d: &mut Decoded) {
    let t = text(doc.get("type"));
    let url = text(doc.get("url"));
    d.fact("Type", type_words(t));
    if let Some(u) = url {
        d.fact("URL", u);
        if u.contains("{{") {
            d.note("the URL still holds a template placeholder");
        }
    }
    let enabled = doc.get("enabled").and_then(View::as_bool);
    let active = doc.get("active").and_then(View::as_bool);
    match (enabled, active) {
        (Some(e), _) => d.fact("Enabled", e.to_string()),
        (None, Some(a)) => {
            d.fact("Enabled", format!("{a} (as active)"));
            d.note("the flag is sent as `active`, as 8x8's setup guides do; the API reference names it `enabled`");
        }
        (None, None) => d.fact("Enabled", "not set (the API reference defaults it to true)"),
    }
    if doc.get("httpAuthHeader").is_some_and(|v| !v.is_null()) {
        d.fact(
            "Authorization header",
            "set (not shown); 8x8 sends it with every webhook",
        );
    }
    d.summary = format!(
        "Register a {} webhook at {}{}",
        t.unwrap_or("(no type)"),
        url.unwrap_or("(no url)"),
        match enabled.or(active) {
            Some(false) => ", disabled",
            _ => "",
        }
    );
}

/// Webhooks API list response.
pub(super) fn webhook_list(doc: View<'_>, d: &mut Decoded) {
    let hooks = array(doc, "webhooks");
    let mut parts = Vec::new();
    for h in hooks.items() {
        let t = text(h.get("type"));
        let url = text(h.get("url")).unwrap_or("(no url)");
        let state = match h.get("enabled").and_then(View::as_bool) {
            Some(false) => "disabled",
            Some(true) => "enabled",
            None => "enabled unknown",
        };
        let auth = match h.get("httpAuthHeaderAvailable").and_then(View::as_bool) {
            Some(true) => ", with an authorization header",
            _ => "",
        };
        d.fact(
            t.unwrap_or("(no type)"),
            format!("{url}, {state}{auth} — {}", type_words(t)),
        );
        parts.push(format!("{} at {url} ({state})", t.unwrap_or("?")));
    }
    if let Some(n) = int(doc.get("count"))
        && usize::try_from(n).ok() != Some(hooks.len())
    {
        d.note(format!("count is {n} but webhooks lists {}", hooks.len()));
    }
    if let Some(a) = text(doc.get("subAccountId")) {
        d.fact("Sub-account", a);
    }
    if let Some(m) = text(doc.get("statusMessage")) {
        d.fact("Status message", m);
    }
    if let Some(c) = int(doc.get("statusCode"))
        && c != 0
    {
        d.api_status_code("/statusCode".to_owned(), c);
    }
    let missing: Vec<&str> = codes::WEBHOOK_TYPES
        .iter()
        .map(|w| w.code)
        .filter(|c| !hooks.items().any(|h| text(h.get("type")) == Some(c)))
        .collect();
    if !hooks.is_empty() && !missing.is_empty() {
        d.fact("Not registered", missing.join(", "));
    }
    d.summary = if parts.is_empty() {
        "No webhooks registered".to_owned()
    } else {
        format!("{}: {}", plural(hooks.len(), "webhook"), parts.join("; "))
    };
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::decode_value;
    use super::*;

    #[test]
    fn a_long_callflow_is_summarized_on_one_short_line() {
        let long_name = "x".repeat(10_000);
        let mut steps = vec![json!({"action": long_name})];
        steps.extend(std::iter::repeat_n(json!(0), 4999));
        let d = decode_value(Kind::VcaReply, &json!({ "callflow": steps }), None);
        assert!(d.summary.len() < 200, "{} bytes", d.summary.len());
        assert!(d.summary.ends_with("? → … 4988 more)"), "{}", d.summary);
    }

    #[test]
    fn actions_read_as_steps_with_both_capture_defaults() {
        let doc = json!({"callflow": [
            {"action": "makeCall", "params": {"source": "+6568888888", "destination": "+6598888888"}},
            {"action": "say", "params": {"text": "Hello", "voiceProfile": "en-US-BenjaminRUS", "repetition": 2}},
            {"action": "sayAndCapture", "params": {"promptMessage": "Press 1", "minDigits": 1}},
            {"action": "hangup"}
        ], "validUntil": "2030-01-01T00:00:00Z"});
        let d = decode_value(Kind::Callflow, &doc, None);
        assert_eq!(
            d.summary,
            "Send Callflow request: 4 actions (makeCall → say → sayAndCapture → hangup), calling +6598888888 from +6568888888, valid until 2030-01-01T00:00:00Z"
        );
        assert_eq!(d.facts[0].label, "1.");
        assert_eq!(d.facts[0].value, "makeCall from +6568888888 to +6598888888");
        assert_eq!(
            d.facts[1].value,
            "say \"Hello\" (en-US-BenjaminRUS, 2 repetitions)"
        );
        let defaults: Vec<&str> = d
            .facts
            .iter()
            .filter(|f| f.label == "Default (action 3)")
            .map(|f| f.value.as_str())
            .collect();
        assert_eq!(
            defaults,
            [
                "maxDigits not set: 8x8's API reference defaults it to 1, the IVR guide says 25",
                "overallTimeout not set: 8x8's API reference defaults it to 5000 ms, the IVR guide says 30000 ms",
                "noOfTries not set: 8x8's API reference defaults it to 1, the IVR guide says 3",
            ]
        );
        assert!(d.outcome.is_none());
        assert!(d.idempotency_key.unwrap().starts_with("fnv1a64:"));
    }

    #[test]
    fn valid_until_is_judged_only_with_a_clock() {
        let doc = json!({"validUntil": "2024-07-03T05:59:32.226Z", "callflow": []});
        let past = parse_ms("2024-07-03T08:59:32.226Z");
        let d = decode_value(Kind::Callflow, &doc, past);
        assert!(
            d.notes
                .iter()
                .any(|n| n.contains("3 h 0 min in the past") && n.contains("-1015")),
            "{:?}",
            d.notes
        );
        let d = decode_value(Kind::Callflow, &doc, None);
        assert!(d.notes.is_empty());
        let d = decode_value(
            Kind::Callflow,
            &json!({"validUntil": "<utc_timestamp>", "callflow": []}),
            None,
        );
        assert!(d.notes[0].contains("placeholder"));
    }

    #[test]
    fn a_reply_names_its_step_and_bridges_calls() {
        let doc = json!({"clientActionId": "ivr-1", "callflow": [
            {"action": "makeCall", "params": {"source": "+651", "destination": "+652"}},
            {"action": "dance"}]});
        let d = decode_value(Kind::VcaReply, &doc, None);
        assert!(
            d.summary
                .starts_with("Reply to a call action (step ivr-1): 2 actions")
        );
        assert!(
            d.facts[0]
                .value
                .ends_with("bridged to the call in progress")
        );
        assert!(d.facts[1].value.contains("not one of"));
    }

    #[test]
    fn callflow_results_explain_their_status_code() {
        let ok = json!({"sessionId": "s", "sessionStatus": "CREATED", "callFlowRequestId": "r",
            "statusCode": 1, "statusMessage": "Created"});
        let d = decode_value(Kind::CallflowResult, &ok, None);
        assert_eq!(
            d.summary,
            "Send Callflow CREATED: status 1 (Created), session s"
        );
        assert_eq!(d.idempotency_key.as_deref(), Some("r"));
        assert!(d.outcome.unwrap().success);
        let bad = json!({"sessionStatus": "NOT_CREATED", "statusCode": -1002});
        let d = decode_value(Kind::CallflowResult, &bad, None);
        assert!(!d.outcome.as_ref().unwrap().success);
        assert_eq!(d.codes[0].table, super::super::CodeTable::ApiStatus);
    }

    #[test]
    fn webhook_documents_name_types_and_flags() {
        let d = decode_value(
            Kind::WebhookCreate,
            &json!({"active": true, "type": "VSS", "url": "https://x.example/vss", "httpAuthHeader": "secret"}),
            None,
        );
        assert_eq!(d.summary, "Register a VSS webhook at https://x.example/vss");
        assert!(d.notes[0].contains("`enabled`"));
        assert!(!serde_json::to_string(&d).unwrap().contains("secret"));
        let d = decode_value(
            Kind::WebhookList,
            &json!({"count": 1, "webhooks": [{"type": "VCA", "url": "https://x.example/vca", "enabled": false}]}),
            None,
        );
        assert_eq!(
            d.summary,
            "1 webhook: VCA at https://x.example/vca (disabled)"
        );
        assert!(
            d.facts
                .iter()
                .any(|f| f.label == "Not registered" && f.value == "VSS, VCS, VRU, VNU")
        );
    }
}
