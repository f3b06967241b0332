//! `voicehook::fixtures`: the documented examples the crate ships, and the factory that builds
//! documents for users' tests (always valid, times and durations kept in step).

use std::path::Path;

use serde_json::Value;
use voicehook::fixtures::{self, ExampleError, Override};
use voicehook::{Kind, Options};

/// 2024-01-01, before the `validUntil` of every documented callflow.
const DOCUMENTED_AT: i64 = 1_704_067_200_000;

fn check_at(doc: &Value, kind: Kind, now: Option<i64>) -> voicehook::Report {
    let options = Options {
        kind: Some(kind),
        now,
        ..Options::default()
    };
    voicehook::validate_with(&serde_json::to_vec(doc).unwrap(), &options)
}

fn check(doc: &Value, kind: Kind) -> voicehook::Report {
    let options = Options {
        kind: Some(kind),
        ..Options::default()
    };
    voicehook::validate_with(&serde_json::to_vec(doc).unwrap(), &options)
}

fn set(text: &str) -> Override {
    Override::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn the_shipped_examples_are_the_documented_ones() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/docs");
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/documented.json"),
    )
    .unwrap();
    assert_eq!(
        fixtures::render_documented(&docs).unwrap(),
        committed,
        "crates/voicehook/fixtures/documented.json is stale: run `cargo xtask schemas`"
    );
}

#[test]
fn every_documented_example_is_valid_and_found_by_name() {
    let all = fixtures::documented();
    assert!(all.len() > 30, "{} examples", all.len());
    for e in all {
        let report = check_at(&e.document, e.kind, Some(DOCUMENTED_AT));
        assert!(report.valid, "{}: {:?}", e.name, report.errors);
        assert_eq!(fixtures::named(&e.name), Some(e));
    }
    let kinds: std::collections::BTreeSet<&str> = all.iter().map(|e| e.kind.id()).collect();
    assert_eq!(kinds.len(), Kind::ALL.len(), "{kinds:?}");
    assert_eq!(fixtures::named("no-such-page.1"), None);
}

#[test]
fn every_kind_has_a_clean_example() {
    for kind in Kind::ALL {
        let doc = fixtures::example(kind, &[]).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let report = check(&doc, kind);
        assert!(report.valid, "{kind}: {:?}", report.errors);
        assert!(report.warnings.is_empty(), "{kind}: {:?}", report.warnings);
    }
}

/// Every path to a scalar in `v`, as dotted paths.
fn leaves(v: &Value, at: &mut Vec<String>, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                at.push(k.clone());
                leaves(x, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                at.push(i.to_string());
                leaves(x, at, out);
                at.pop();
            }
        }
        scalar => out.push((at.join("."), scalar.clone())),
    }
}

#[test]
fn setting_any_field_of_any_kind_to_its_own_value_keeps_it_valid() {
    let now = Some(DOCUMENTED_AT);
    for kind in Kind::ALL {
        let base = fixtures::example_at(kind, &[], now).unwrap();
        let mut paths = Vec::new();
        leaves(&base, &mut Vec::new(), &mut paths);
        assert!(!paths.is_empty(), "{kind}");
        for (path, value) in paths {
            let text = format!("{path}={value}");
            let doc = fixtures::example_at(kind, &[set(&text)], now)
                .unwrap_or_else(|e| panic!("{kind} {text}: {e}"));
            let at = format!("/{}", path.replace('.', "/"));
            assert_eq!(doc.pointer(&at), Some(&value), "{kind} {text}");
            let report = check_at(&doc, kind, now);
            assert!(
                report.valid && report.warnings.is_empty(),
                "{kind} {text}: {:?}",
                report.warnings
            );
        }
    }
}

#[test]
fn a_callflows_valid_until_is_kept_ahead_of_now() {
    let now = voicehook::time::millis("2030-05-01T00:00:00Z").unwrap();
    // Every documented callflow with a validUntil (long past by 2030) comes out ahead of now.
    let dated: Vec<_> = fixtures::documented()
        .iter()
        .filter(|e| e.kind == Kind::Callflow && e.document.get("validUntil").is_some())
        .collect();
    assert!(!dated.is_empty(), "a documented callflow has a validUntil");
    for e in dated {
        let doc = fixtures::from(e.document.clone(), Kind::Callflow, &[], Some(now))
            .unwrap_or_else(|err| panic!("{}: {err}", e.name));
        let until = doc["validUntil"].as_str().expect("kept");
        assert!(
            voicehook::time::millis(until).unwrap() > now,
            "{}: {until}",
            e.name
        );
        assert!(
            check_at(&doc, Kind::Callflow, Some(now)).valid,
            "{}",
            e.name
        );
    }
    // One set by an override stays as set, and is judged as it is.
    let past = fixtures::example_at(
        Kind::Callflow,
        &[set("validUntil=2020-01-01T00:00:00.000Z")],
        Some(now),
    );
    assert!(matches!(past, Err(ExampleError::Invalid(_))));
}

/// The leg's connected-to-disconnected time in seconds.
fn talked(leg: &Value) -> i64 {
    let t = |k: &str| voicehook::time::millis(leg[k].as_str().unwrap()).unwrap();
    (t("disconnectedTimestamp") - t("connectedTimestamp")) / 1000
}

#[test]
fn a_session_keeps_its_times_durations_and_counts_in_step() {
    // A duration moves the disconnect time, and the session's end with it.
    let doc =
        fixtures::example(Kind::Vss, &[set("payload.details.callA.callDuration=3600")]).unwrap();
    let leg = &doc["payload"]["details"]["callA"];
    assert_eq!(talked(leg), 3600);
    let end = voicehook::time::millis(doc["payload"]["endTime"].as_str().unwrap()).unwrap();
    let disconnected =
        voicehook::time::millis(leg["disconnectedTimestamp"].as_str().unwrap()).unwrap();
    assert!(end >= disconnected);
    let report = check(&doc, Kind::Vss);
    assert!(
        report.valid && report.warnings.is_empty(),
        "{:?}",
        report.warnings
    );

    // A time moves the duration.
    let base = fixtures::example(Kind::Vss, &[]).unwrap();
    let connected = base["payload"]["details"]["callA"]["connectedTimestamp"]
        .as_str()
        .unwrap();
    let later = voicehook::time::millis(connected).unwrap() + 95_000;
    let later = voicehook::time::format_millis(later).unwrap();
    let doc = fixtures::example(
        Kind::Vss,
        &[set(&format!(
            "payload.details.callA.disconnectedTimestamp={later}"
        ))],
    )
    .unwrap();
    assert_eq!(doc["payload"]["details"]["callA"]["callDuration"], 95);
    assert!(check(&doc, Kind::Vss).warnings.is_empty());

    // A leg that no longer connected talked for no time.
    let doc = fixtures::example(
        Kind::Vss,
        &[set("payload.details.callA.connectedTimestamp=null")],
    )
    .unwrap();
    assert_eq!(doc["payload"]["details"]["callA"]["callDuration"], 0);

    // A leg more: the count follows.
    let leg = serde_json::to_string(&base["payload"]["details"]["callA"]).unwrap();
    let doc =
        fixtures::example(Kind::Vss, &[set(&format!("payload.details.callC={leg}"))]).unwrap();
    assert_eq!(
        doc["payload"]["callCount"],
        doc["payload"]["details"].as_object().unwrap().len()
    );
}

#[test]
fn what_cannot_be_built_says_why() {
    for bad in ["payload.sessionStatus", "=BUSY", "payload..x=1"] {
        assert!(
            matches!(Override::parse(bad), Err(ExampleError::Override(_))),
            "{bad}"
        );
    }
    let through = fixtures::example(Kind::Vss, &[set("payload.sessionId.x=1")]).unwrap_err();
    assert!(
        through.to_string().contains("payload.sessionId"),
        "{through}"
    );
    let past = fixtures::example(Kind::Callflow, &[set("callflow.7.action=hangup")]).unwrap_err();
    assert!(past.to_string().contains("is no item"), "{past}");
    let Err(ExampleError::Invalid(report)) =
        fixtures::example(Kind::Vss, &[set("payload.sessionStatus=DONE")])
    else {
        panic!("an unknown status is refused");
    };
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.pointer == "/payload/sessionStatus")
    );
    // Values are JSON when they read as JSON, strings otherwise.
    assert_eq!(set("a=12").value, Value::from(12));
    assert_eq!(set("a=\"12\"").value, Value::from("12"));
    assert_eq!(set("a=NO ANSWER").value, Value::from("NO ANSWER"));
}
