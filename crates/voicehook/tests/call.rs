//! The call engine: documented calls played end to end (transcripts pinned as snapshots), every
//! session error, and a property test over generated callflows, scripts and replies: every
//! webhook the engine emits passes voicehook in strict mode and decodes back to the script's
//! facts.

use serde_json::{Value, json};
use voicehook::call::{self, Call, Event, Keys, Reply, Script, Start, Waiting, What};
use voicehook::{Kind, Options, fixtures};

fn doc(name: &str) -> Value {
    fixtures::named(name)
        .unwrap_or_else(|| panic!("documented example {name}"))
        .document
        .clone()
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

fn script(v: Value) -> Script {
    serde_json::from_value(v).expect("script")
}

/// Plays `start` with `script`, answering each call action with `answer`.
fn play(start: Start<'_>, script: &Script, answer: impl FnMut(&Value) -> Reply) -> Vec<Event> {
    let events = call::simulate(start, script, answer).expect("playable");
    assert_consistent(&events);
    events
}

fn webhooks(events: &[Event]) -> Vec<(Kind, &Value)> {
    events
        .iter()
        .filter_map(|e| match &e.what {
            What::Webhook { kind, webhook } => Some((*kind, webhook)),
            _ => None,
        })
        .collect()
}

fn summary(events: &[Event]) -> &Value {
    webhooks(events)
        .into_iter()
        .find(|(k, _)| *k == Kind::Vss)
        .map(|(_, w)| &w["payload"])
        .expect("a session summary")
}

fn transcript(events: &[Event]) -> String {
    events
        .iter()
        .filter(|e| !matches!(e.what, What::Assumed { .. }))
        .map(Event::line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// What holds for every simulated call: time never goes back, every webhook is clean in
/// strict mode (no error, no warning) and is read as the kind it was sent as, there is one
/// summary at the end, and its legs agree with the call events.
fn assert_consistent(events: &[Event]) {
    for pair in events.windows(2) {
        assert!(pair[0].t <= pair[1].t, "time goes back: {pair:?}");
    }
    let strict = |kind| Options {
        kind: Some(kind),
        strict: true,
        now: Some(i64::MAX / 4),
        ..Options::default()
    };
    for (kind, webhook) in webhooks(events) {
        let report = voicehook::validate_with(&bytes(webhook), &strict(kind));
        assert!(
            report.valid && report.warnings.is_empty(),
            "{kind:?} is not clean in strict mode: {:?} {:?}\n{webhook:#}",
            report.errors,
            report.warnings
        );
        assert_eq!(voicehook::detect(&bytes(webhook)).kind, Some(kind));
    }
    let refused = events
        .iter()
        .any(|e| matches!(e.what, What::Refused { .. }));
    let summaries = webhooks(events)
        .iter()
        .filter(|(k, _)| *k == Kind::Vss)
        .count();
    assert_eq!(summaries, usize::from(!refused), "one summary per session");
    if refused {
        assert_eq!(
            webhooks(events).len(),
            0,
            "a refused callflow places no call"
        );
        return;
    }
    // The summary's legs are the legs that rang, with the times of the call events.
    let vss = summary(events);
    let decoded = voicehook::decode::decode_value(Kind::Vss, &json!({"payload": vss}), None);
    let dialed: Vec<(&str, &str)> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::Dialing { to, from, .. } => Some((from.as_str(), to.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(decoded.legs.len(), dialed.len());
    for (leg, (from, to)) in decoded.legs.iter().zip(&dialed) {
        assert_eq!(
            (leg.from.as_deref(), leg.to.as_deref()),
            (Some(*from), Some(*to))
        );
        let answered = events.iter().find_map(|e| match &e.what {
            What::Answered { leg: l } if *l == leg.key => Some(e.t),
            _ => None,
        });
        assert_eq!(leg.connected.is_some(), answered.is_some(), "{}", leg.key);
        if let (Some(talk), Some(duration)) = (leg.talk_seconds, leg.call_duration) {
            assert_eq!(talk, duration, "{}: talk time and callDuration", leg.key);
        }
    }
    // Every VCA after a capture carries the digits the capture kept.
    for (i, e) in events.iter().enumerate() {
        match &e.what {
            What::Webhook {
                kind: Kind::Vca,
                webhook,
            } if webhook["payload"]["callStatus"] == "ACTION_COMPLETED" => {
                let capture = events[..i].iter().rev().find_map(|e| match &e.what {
                    What::Capture { dtmf, .. } => Some(dtmf.clone()),
                    _ => None,
                });
                let sent = webhook["payload"]["eventData"]["dtmf"]
                    .as_str()
                    .map(str::to_owned);
                assert_eq!(capture.flatten(), sent, "the VCA's dtmf");
            }
            _ => {}
        }
    }
    let ended = events.iter().find_map(|e| match &e.what {
        What::Ended { status, error_code } => Some((status.clone(), *error_code)),
        _ => None,
    });
    let (status, code) = ended.expect("an end");
    assert_eq!(vss["sessionStatus"], status.as_str());
    assert_eq!(vss["errorDetails"]["errorCode"].as_i64(), code);
}

fn with(values: &[(&str, &str)], text: &str) -> Value {
    // Fills the template placeholders of a documented example.
    let mut t = text.to_owned();
    for (k, v) in values {
        t = t.replace(k, v);
    }
    serde_json::from_str(&t).unwrap()
}

// ---- documented calls ----------------------------------------------------------------------

/// The advanced IVR's restaurant: main menu, key 1 (book a table), then key 2 (tomorrow), and
/// a goodbye.
#[test]
fn a_two_level_ivr_menu_to_a_completed_session() {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/docs/ivr--advanced-ivr.1.json"
    ));
    let start = match page {
        Ok(text) => with(
            &[
                ("{{Virtual Number}}", "+6568332048"),
                ("{{Number to Call}}", "+6591178965"),
            ],
            &text,
        ),
        Err(_) => doc("ivr--simple-ivr.1"),
    };
    let menu = doc("ivr--advanced-ivr.7");
    let goodbye = json!({"clientActionId": "done", "callflow": [
        {"action": "say", "params": {"text": "Your table for tomorrow is booked. Goodbye.",
            "voiceProfile": "en-US-BenjaminRUS"}},
        {"action": "hangup"}]});
    let mut asked = Vec::new();
    let events = play(
        Start::Callflow(&bytes(&start)),
        &script(json!({"keys": ["1", "2"], "refIds": {"+6568332048": "vn-restaurant"}})),
        |vca| {
            let p = &vca["payload"];
            asked.push((p["clientActionId"].clone(), p["eventData"]["dtmf"].clone()));
            match p["eventData"]["dtmf"].as_str() {
                Some("1") => Reply::Body(bytes(&menu)),
                Some("2") => Reply::Body(bytes(&goodbye)),
                _ => Reply::Timeout,
            }
        },
    );
    assert_eq!(
        asked,
        vec![(Value::Null, json!("1")), (json!("book_table"), json!("2"))],
        "each VCA echoes the clientActionId of the reply whose capture it completes"
    );
    let vss = summary(&events);
    assert_eq!(vss["sessionStatus"], "COMPLETED");
    assert_eq!(vss["lastAction"], "HANGUP");
    assert_eq!(vss["details"]["callA"]["sourceRefId"], "vn-restaurant");
    insta::assert_snapshot!("two_level_ivr", transcript(&events));
}

/// Voice Messaging by text to speech and by file, as the guide sends them.
#[test]
fn voice_messaging_by_tts_and_by_file() {
    for (name, snapshot) in [
        (
            "voice-messaging--voice-messaging-guide.7",
            "voice_message_tts",
        ),
        (
            "voice-messaging--voice-messaging-guide.8",
            "voice_message_file",
        ),
    ] {
        let mut body = doc(name);
        body["validUntil"] = json!("2026-01-13T09:00:00Z");
        let events = play(Start::Callflow(&bytes(&body)), &Script::default(), |_| {
            Reply::Timeout
        });
        let vss = summary(&events);
        assert_eq!(vss["sessionStatus"], "COMPLETED", "{name}");
        assert_eq!(vss["callCount"], 1);
        assert!(
            webhooks(&events).iter().all(|(k, _)| *k != Kind::Vca),
            "no capture, no call action"
        );
        insta::assert_snapshot!(snapshot, transcript(&events));
    }
}

/// Number Masking: a call to a virtual number, bridged by the documented makeCall reply; the
/// summary has callA inbound and callB outbound, both COMPLETED, and the table's status.
#[test]
fn a_number_masking_bridge() {
    let reply = json!({"clientActionId": "NumberMaskingId1", "callflow": [
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}}]});
    let events = play(
        Start::Inbound {
            from: "+12314377870",
            to: "+6568332048",
        },
        &script(json!({
            "legs": [{}, {"answerAfter": 7000, "hangUpAfter": 13000}],
            "refIds": {"6568332048": "PSTN1"}
        })),
        |vca| {
            assert_eq!(vca["payload"]["callStatus"], "CALL_RECEIVED");
            assert_eq!(vca["payload"]["destinationRefId"], "PSTN1");
            Reply::Body(bytes(&reply))
        },
    );
    let vss = summary(&events);
    assert_eq!(vss["sessionStatus"], "COMPLETED");
    let (a, b) = (&vss["details"]["callA"], &vss["details"]["callB"]);
    assert_eq!(
        (&a["callDirection"], &b["callDirection"]),
        (&json!("INBOUND"), &json!("OUTBOUND"))
    );
    assert_eq!(
        (&a["callDuration"], &b["callDuration"]),
        (&json!(13), &json!(13))
    );
    assert_eq!(
        a["connectedTimestamp"], b["connectedTimestamp"],
        "callA is answered when callB is"
    );
    assert_eq!(b["sourceRefId"], "PSTN1");
    insta::assert_snapshot!("number_masking_bridge", transcript(&events));
}

/// The simple IVR: a wrong key twice, then the documented retry reply.
#[test]
fn the_simple_ivr_retries_then_reports_no_digits() {
    let events = play(
        Start::Callflow(&bytes(&doc("ivr--simple-ivr.1"))),
        &script(json!({"keys": ["", ""]})),
        |vca| {
            assert_eq!(vca["payload"]["eventData"]["dtmf"], Value::Null);
            Reply::Body(bytes(&doc("ivr--simple-ivr.5")))
        },
    );
    let captures: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::Capture {
                attempt, ended_by, ..
            } => Some((*attempt, ended_by.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        captures,
        [(1, "overall-timeout"), (2, "overall-timeout")],
        "noOfTries 2"
    );
    let failures = events
        .iter()
        .filter(|e| matches!(&e.what, What::Say { text, .. } if text == "Invalid input, please try again"))
        .count();
    assert_eq!(failures, 2, "the failure message after each failed attempt");
    assert_eq!(summary(&events)["lastAction"], "HANGUP");
}

// ---- session errors ------------------------------------------------------------------------

fn ivr_menu() -> Vec<u8> {
    bytes(&json!({"callflow": [
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}},
        {"action": "sayAndCapture", "params": {"promptMessage": "Press 1", "voiceProfile": "en-US-ZiraRUS",
            "maxDigits": 1}}]}))
}

fn error_of(events: &[Event]) -> (Value, Value, Value) {
    let vss = summary(events);
    (
        vss["sessionStatus"].clone(),
        vss["errorDetails"]["errorCode"].clone(),
        vss["details"]["callA"]["callStatus"].clone(),
    )
}

#[test]
fn an_invalid_reply_ends_the_session_with_minus_2003() {
    let events = play(
        Start::Callflow(&ivr_menu()),
        &script(json!({"keys": ["1"]})),
        |_| Reply::Body(br#"{"callflow": [{"action": "sayy"}]}"#.to_vec()),
    );
    assert_eq!(
        error_of(&events),
        (json!("ERROR"), json!(-2003), json!("ERROR"))
    );
    let reply = events.iter().find_map(|e| match &e.what {
        What::Reply { valid, outcome, .. } => Some((*valid, outcome.clone())),
        _ => None,
    });
    let (valid, outcome) = reply.expect("the reply is shown");
    assert!(
        !valid && outcome.contains("sayy") && outcome.contains("-2003"),
        "{outcome}"
    );
    insta::assert_snapshot!("invalid_reply", transcript(&events));
}

#[test]
fn no_reply_an_error_status_or_a_third_leg_also_end_with_minus_2003() {
    let third = bytes(&json!({"callflow": [
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6531589338"}},
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6531589339"}}]}));
    for reply in [
        Reply::Timeout,
        Reply::Status(500),
        Reply::Body(Vec::new()),
        Reply::Body(third),
    ] {
        let events = play(
            Start::Callflow(&ivr_menu()),
            &script(json!({"keys": ["1"]})),
            |_| reply.clone(),
        );
        assert_eq!(error_of(&events).1, json!(-2003), "{reply:?}");
    }
    // The timeout takes its time on the clock, and says which code was chosen and why.
    let events = play(
        Start::Callflow(&ivr_menu()),
        &script(json!({"keys": ["1"], "replyTimeout": 8000})),
        |_| Reply::Timeout,
    );
    let assumed = events
        .iter()
        .any(|e| matches!(&e.what, What::Assumed { id, .. } if id == "no-reply"));
    assert!(assumed);
    let vca_t = events
        .iter()
        .find(|e| {
            matches!(
                &e.what,
                What::Webhook {
                    kind: Kind::Vca,
                    ..
                }
            )
        })
        .unwrap()
        .t;
    let end_t = events
        .iter()
        .find(|e| matches!(&e.what, What::Ended { .. }))
        .unwrap()
        .t;
    assert_eq!(end_t - vca_t, 8000);
}

#[test]
fn callee_outcomes_give_the_documented_statuses() {
    let flow = bytes(&json!({"callflow": [
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}},
        {"action": "say", "params": {"text": "Hello", "voiceProfile": "en-US-ZiraRUS"}}]}));
    let cases = [
        (json!({"outcome": "busy"}), "BUSY", 486),
        (json!({"outcome": "no-answer"}), "NO_ANSWER", 480),
        (json!({"outcome": "fails", "sipCode": 404}), "FAILED", 404),
        (json!({"outcome": "no-coverage"}), "ERROR", 503),
    ];
    for (leg, status, sip) in cases {
        let events = play(
            Start::Callflow(&flow),
            &script(json!({"legs": [leg]})),
            |_| Reply::Timeout,
        );
        let vss = summary(&events);
        assert_eq!(vss["sessionStatus"], status);
        assert_eq!(vss["details"]["callA"]["callDuration"], 0);
        assert!(vss["details"]["callA"].get("connectedTimestamp").is_none());
        let last_vcs = webhooks(&events)
            .into_iter()
            .rev()
            .find(|(k, _)| *k == Kind::Vcs)
            .unwrap()
            .1;
        assert_eq!(last_vcs["payload"]["callStatus"], "CALL_DISCONNECTED");
        assert_eq!(last_vcs["payload"]["sipCode"], sip);
        if status == "ERROR" {
            assert_eq!(vss["errorDetails"]["errorCode"], -2004);
        }
    }
}

#[test]
fn tts_and_file_failures_end_with_their_codes() {
    let flow = |action: Value| {
        bytes(&json!({"callflow": [
            {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}},
            action]}))
    };
    let say =
        json!({"action": "say", "params": {"text": "Hello", "voiceProfile": "en-US-ZiraRUS"}});
    let file = |url: &str| json!({"action": "playFile", "params": {"fileUrl": url}});
    let cases = [
        (flow(say), json!({"fail": ["tts"]}), -2005),
        (
            flow(file("https://example.com/a.mp3")),
            json!({"fail": ["file"]}),
            -2006,
        ),
        (flow(file("https://example.com/a.ogg")), json!({}), -2006),
    ];
    for (body, s, code) in cases {
        let events = play(Start::Callflow(&body), &script(s), |_| Reply::Timeout);
        assert_eq!(
            error_of(&events),
            (json!("ERROR"), json!(code), json!("ERROR"))
        );
    }
}

#[test]
fn a_refused_callflow_places_no_call() {
    let body = br#"{"callflow": [{"action": "say", "params": {"text": "Hi", "voiceProfile": "en-US-ZiraRUS"}}]}"#;
    let events = play(Start::Callflow(body), &Script::default(), |_| {
        Reply::Timeout
    });
    let What::Refused { response, .. } = &events[0].what else {
        panic!("{events:?}")
    };
    assert_eq!(
        (&response["sessionStatus"], &response["statusCode"]),
        (&json!("NOT_CREATED"), &json!(-1013))
    );
    let past = br#"{"validUntil": "2025-01-01T00:00:00Z", "callflow": [{"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}}]}"#;
    let events = play(Start::Callflow(past), &Script::default(), |_| {
        Reply::Timeout
    });
    assert!(
        matches!(&events[0].what, What::Refused { response, .. } if response["statusCode"] == -1015)
    );
}

/// What the checker warns about in a reply 8x8 accepts is shown with it: a misspelt
/// clientActionId is ignored by 8x8, so the next call action carries none.
#[test]
fn a_reply_s_warnings_are_shown_with_it() {
    let mut replies = vec![
        Reply::Body(br#"{"clientActionID": "sales", "callflow": [{"action": "sayAndCapture", "params": {"promptMessage": "Press 2", "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1}}]}"#.to_vec()),
        Reply::Body(b"{\"callflow\": [\n  {\"action\": \"hangup\"}\n".to_vec()),
    ]
    .into_iter();
    let events = play(
        Start::Callflow(&ivr_menu()),
        &script(json!({"keys": ["1", "2"]})),
        |_| replies.next().unwrap(),
    );
    let lines = transcript(&events);
    assert!(
        lines.contains("your reply is valid: 8x8 runs sayAndCapture; warning: ")
            && lines.contains("clientActionId"),
        "{lines}"
    );
    let second = webhooks(&events)
        .into_iter()
        .filter(|(k, _)| *k == Kind::Vca)
        .nth(1)
        .unwrap()
        .1;
    assert!(
        second["payload"].get("clientActionId").is_none(),
        "8x8 ignores the misspelt field"
    );
    // A reply that is not JSON says where it breaks.
    assert!(
        lines.contains("no usable reply: the array opened here is never closed: expected ']' before the end of the input (line 1:14)"),
        "{lines}"
    );
}

/// A server that answers every call action with the same prompt, and a caller who never keys
/// anything: the call ends after an hour on the line, as the engine assumes, instead of never.
#[test]
fn a_prompt_answered_with_itself_ends_after_an_hour() {
    let again = bytes(&json!({"callflow": [{"action": "sayAndCapture", "params": {
        "promptMessage": "Press 1", "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1, "overallTimeout": 1000}}]}));
    let events = play(Start::Callflow(&ivr_menu()), &Script::default(), |_| {
        Reply::Body(again.clone())
    });
    let end = events
        .iter()
        .find(|e| matches!(e.what, What::Ended { .. }))
        .unwrap()
        .t;
    assert_eq!(end, call::MAX_CALL_MS);
    assert!(
        events
            .iter()
            .any(|e| matches!(&e.what, What::Assumed { id, .. } if id == "an-hour"))
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(&e.what, What::Hangup { by } if by == "callA"))
    );
    assert_eq!(summary(&events)["sessionStatus"], "COMPLETED");
}

#[test]
fn the_caller_hanging_up_while_callb_rings_cancels_both() {
    let reply = bytes(&json!({"callflow": [
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}}]}));
    let events = play(
        Start::Inbound {
            from: "+6590000001",
            to: "+6568332048",
        },
        &script(json!({"legs": [{"hangUpAfter": 2000}, {"answerAfter": 10000}]})),
        |_| Reply::Body(reply.clone()),
    );
    let vss = summary(&events);
    assert_eq!(vss["sessionStatus"], "CANCELED");
    assert_eq!(vss["details"]["callB"]["callStatus"], "CANCELED");
}

#[test]
fn recording_sends_an_upload_notification_after_the_summary() {
    let flow = bytes(&json!({"callflow": [
        {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965", "callRecording": true}},
        {"action": "say", "params": {"text": "This call is recorded.", "voiceProfile": "en-US-ZiraRUS"}},
        {"action": "hangup"}]}));
    let events = play(Start::Callflow(&flow), &Script::default(), |_| {
        Reply::Timeout
    });
    let kinds: Vec<Kind> = webhooks(&events).iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds.last(), Some(&Kind::Vru));
    let vru = webhooks(&events).last().unwrap().1;
    assert_eq!(vru["payload"]["sessionId"], summary(&events)["sessionId"]);
    assert!(vru["payload"]["durationSeconds"].as_u64().unwrap() >= 1);
}

#[test]
fn capture_timing_follows_the_parameters() {
    let menu = |params: Value| {
        let mut p = json!({"promptMessage": "Enter your PIN", "voiceProfile": "en-US-ZiraRUS"});
        p.as_object_mut()
            .unwrap()
            .extend(params.as_object().unwrap().clone());
        bytes(&json!({"callflow": [
            {"action": "makeCall", "params": {"source": "+6568332048", "destination": "+6591178965"}},
            {"action": "sayAndCapture", "params": p}]}))
    };
    let dtmf = |params: Value, keys: Value| {
        let events = play(
            Start::Callflow(&menu(params)),
            &script(json!({"keys": [keys]})),
            |_| Reply::Body(br#"{"callflow": [{"action": "hangup"}]}"#.to_vec()),
        );
        events
            .iter()
            .find_map(|e| match &e.what {
                What::Capture { dtmf, ended_by, .. } => Some((dtmf.clone(), ended_by.clone())),
                _ => None,
            })
            .unwrap()
    };
    let some = |d: &str, by: &str| (Some(d.to_owned()), by.to_owned());
    assert_eq!(dtmf(json!({}), json!("1234#")), some("1234", "hash"));
    assert_eq!(
        dtmf(json!({"maxDigits": 4}), json!("123456")),
        some("1234", "max-digits")
    );
    assert_eq!(
        dtmf(
            json!({"completeOnHash": false, "maxDigits": 3}),
            json!("1#2")
        ),
        some("1#2", "max-digits")
    );
    assert_eq!(
        dtmf(
            json!({"digitTimeout": 1000, "overallTimeout": 20000}),
            json!({"digits": "12", "gap": 1500})
        ),
        some("1", "digit-timeout")
    );
    assert_eq!(
        dtmf(
            json!({"minDigits": 3, "maxDigits": 5, "noOfTries": 1}),
            json!("12#")
        ),
        (None, "hash".into())
    );
    assert_eq!(
        dtmf(
            json!({"overallTimeout": 2000, "noOfTries": 1}),
            json!({"digits": "1", "after": 2500})
        ),
        (None, "overall-timeout".into())
    );
    // The API reference's defaults: one digit ends the input.
    let events = play(
        Start::Callflow(&menu(json!({}))),
        &script(json!({"keys": ["98"], "defaults": "openapi"})),
        |_| Reply::Body(br#"{"callflow": [{"action": "hangup"}]}"#.to_vec()),
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(&e.what, What::Capture { dtmf: Some(d), .. } if d == "9"))
    );
}

#[test]
fn interactive_keys_are_asked_for_when_the_script_has_none() {
    let mut call = Call::new(Start::Callflow(&ivr_menu()), &Script::default())
        .unwrap()
        .interactive();
    let Waiting::Keys { attempt, prompt } = call.run() else {
        panic!()
    };
    assert_eq!((attempt, prompt.as_str()), (1, "Press 1"));
    call.press(Keys::Digits("1".into()));
    let Waiting::Reply { webhook } = call.run() else {
        panic!()
    };
    assert_eq!(webhook["payload"]["eventData"]["dtmf"], "1");
    call.reply(Reply::Body(
        br#"{"callflow": [{"action": "hangup"}]}"#.to_vec(),
    ));
    assert_eq!(call.run(), Waiting::Done);
    assert_consistent(call.events());
}

#[test]
fn bad_scripts_and_numbers_are_errors_not_panics() {
    let bad = Script {
        start: Some("yesterday".into()),
        ..Script::default()
    };
    assert!(
        Call::new(Start::Callflow(&ivr_menu()), &bad)
            .unwrap_err()
            .0
            .contains("timestamp")
    );
    let err = Call::new(
        Start::Inbound {
            from: "abc",
            to: "+6568332048",
        },
        &Script::default(),
    )
    .unwrap_err();
    assert!(err.0.contains("E.164"), "{err}");
    assert!(
        serde_json::from_value::<Script>(json!({"leg": []})).is_err(),
        "unknown fields are refused"
    );
    for (bad, says) in [
        (
            json!({"legs": [{}, {}, {}]}),
            "script: legs should be at most two (callA, callB): a session has no third leg, found 3",
        ),
        (
            json!({"keys": ["1a"]}),
            r#"script: keys[0] should hold digits, * and # only, found 'a' in "1a""#,
        ),
        (
            json!({"legs": [{"outcome": "fails", "sipCode": 200}]}),
            "script: legs[0].sipCode should be a failure code from 400 to 699, found 200",
        ),
        (
            json!({"legs": [{}, {"hangUpAfter": 1_000_000_000_000u64}]}),
            "script: legs[1].hangUpAfter should be at most 86400000 ms (a day), found 1000000000000",
        ),
        (
            json!({"keys": [{"digits": "1", "gap": 86_400_001}]}),
            "script: keys[0].gap should be at most 86400000 ms (a day), found 86400001",
        ),
    ] {
        let err = Call::new(Start::Callflow(&ivr_menu()), &script(bad)).unwrap_err();
        assert_eq!(err.0, says);
    }
}

// ---- the property test ---------------------------------------------------------------------

/// A small deterministic generator (splitmix64).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn number(&mut self) -> String {
        let prefix = ["+65", "+1", "+44", "+94", "+61", "+852", "+49"][self.below(7) as usize];
        let digits: String = (0..8)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect();
        format!("{prefix}{digits}")
    }
    fn text(&mut self) -> String {
        let words = [
            "press", "one", "for", "sales", "two", "support", "thank", "you", "hello",
        ];
        (0..=self.below(12))
            .map(|_| words[self.below(9) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn media(&mut self) -> Value {
        const SPEEDS: [f64; 4] = [0.5, 1.0, 1.5, 2.0];
        const FILES: [&str; 6] = [
            "https://example.com/a.mp3",
            "https://example.com/b.wav",
            "https://example.com/a.mp3?v=2",
            "https://example.com/B.WAV",
            "https://example.com/a.mp3",
            "https://example.com/c.ogg",
        ];
        match self.below(5) {
            0 => {
                let speed = SPEEDS[self.below(4) as usize];
                json!({"action": "say", "params": {"text": self.text(), "voiceProfile": "en-US-ZiraRUS",
                    "repetition": 1 + self.below(3), "speed": speed}})
            }
            1 => {
                let url = FILES[self.below(6) as usize];
                json!({"action": "playFile", "params": {"fileUrl": url, "repetition": 1 + self.below(3)}})
            }
            _ => self.capture(),
        }
    }
    fn capture(&mut self) -> Value {
        let mut p = json!({"promptMessage": self.text(), "voiceProfile": "en-US-ZiraRUS"});
        let max = 1 + self.below(6);
        if self.chance(70) {
            p["maxDigits"] = json!(max);
            if self.chance(50) {
                p["minDigits"] = json!(1 + self.below(max));
            }
            if self.chance(30) {
                p["completeOnHash"] = json!(false);
            }
        }
        if self.chance(50) {
            let digit = 500 + self.below(3000);
            p["digitTimeout"] = json!(digit);
            p["overallTimeout"] = json!(digit + 1 + self.below(20_000));
        } else if self.chance(50) {
            p["overallTimeout"] = json!(1000 + self.below(20_000));
        }
        if self.chance(50) {
            p["noOfTries"] = json!(1 + self.below(3));
        }
        if self.chance(40) {
            p["failureMessage"] = json!("Invalid input");
        }
        if self.chance(40) {
            p["successMessage"] = json!("Thank you");
        }
        json!({"action": "sayAndCapture", "params": p})
    }
    fn actions(&mut self, first_leg: bool, legs: usize) -> Vec<Value> {
        let mut out = Vec::new();
        if first_leg {
            out.push(json!({"action": "makeCall", "params": {"source": self.number(), "destination": self.number(),
                "callRecording": self.chance(20)}}));
        }
        for _ in 0..self.below(4) {
            out.push(self.media());
        }
        if legs < 2 && self.chance(25) {
            out.push(json!({"action": "makeCall", "params": {"source": self.number(), "destination": self.number()}}));
        } else if self.chance(50) {
            out.push(json!({"action": "hangup"}));
        }
        if out.is_empty() {
            out.push(json!({"action": "hangup"}));
        }
        out
    }
    fn keys(&mut self) -> Value {
        let digits: String = (0..self.below(7))
            .map(|_| b"0123456789*##"[self.below(13) as usize] as char)
            .collect();
        if self.chance(50) {
            json!(digits)
        } else {
            json!({"digits": digits, "after": self.below(4000), "gap": self.below(3000)})
        }
    }
    fn leg(&mut self) -> Value {
        let outcome = [
            "answers",
            "answers",
            "answers",
            "busy",
            "no-answer",
            "fails",
            "no-coverage",
        ][self.below(7) as usize];
        let mut leg = json!({"outcome": outcome, "answerAfter": self.below(20_000)});
        if outcome == "fails" {
            leg["sipCode"] = json!([404, 403, 503, 603][self.below(4) as usize]);
        }
        if self.chance(40) {
            leg["hangUpAfter"] = json!(self.below(60_000));
        }
        leg
    }
}

#[test]
fn every_generated_call_is_consistent_and_strictly_valid() {
    let mut g = Gen(20261201);
    let (mut sessions, mut vcas, mut refused) = (0, 0, 0);
    let mut by_status = std::collections::BTreeMap::new();
    for case in 0..1500 {
        let inbound = g.chance(30);
        let legs = vec![g.leg(), g.leg()];
        let keys: Vec<Value> = (0..g.below(5)).map(|_| g.keys()).collect();
        let mut fail = Vec::new();
        if g.chance(4) {
            fail.push("tts");
        }
        if g.chance(4) {
            fail.push("file");
        }
        let s = script(json!({
            "legs": legs, "keys": keys, "fail": fail, "seed": case,
            "defaults": if g.chance(30) { "openapi" } else { "ivr" },
        }));
        // Replies, generated ahead: mostly valid continuations, sometimes broken.
        let replies: Vec<Reply> = (0..6)
            .map(|i| match g.below(10) {
                0 => Reply::Timeout,
                1 => Reply::Body(br#"{"callflow": [{"action": "sayy"}]}"#.to_vec()),
                _ => Reply::Body(bytes(&json!({"clientActionId": format!("step-{i}"),
                    "callflow": g.actions(false, usize::from(inbound))}))),
            })
            .collect();
        let from = g.number();
        let to = g.number();
        let mut flow = g.actions(true, 0);
        if g.chance(3) {
            // Now and then one 8x8 refuses: the API answers NOT_CREATED and nothing is called.
            flow.insert(0, json!({"action": "hangup"}));
        }
        let body = bytes(&json!({"callflow": flow}));
        let start = if inbound {
            Start::Inbound {
                from: &from,
                to: &to,
            }
        } else {
            Start::Callflow(&body)
        };
        let mut next = replies.into_iter();
        let events = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            play(start, &s, |_| next.next().unwrap_or(Reply::Timeout))
        }))
        .unwrap_or_else(|_| panic!("case {case}: script {s:?}"));
        if let Some(vss) = webhooks(&events).iter().find(|(k, _)| *k == Kind::Vss) {
            sessions += 1;
            *by_status
                .entry(
                    vss.1["payload"]["sessionStatus"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                )
                .or_insert(0) += 1;
        }
        vcas += webhooks(&events)
            .iter()
            .filter(|(k, _)| *k == Kind::Vca)
            .count();
        refused += usize::from(matches!(events[0].what, What::Refused { .. }));
    }
    println!(
        "1500 generated calls: {sessions} sessions, {refused} refused, {vcas} call actions, \
         statuses {by_status:?}"
    );
    assert!(
        sessions > 1200 && vcas > 1000 && refused > 0,
        "the generator reaches the interesting paths"
    );
    for status in [
        "COMPLETED",
        "BUSY",
        "NO_ANSWER",
        "FAILED",
        "CANCELED",
        "ERROR",
    ] {
        assert!(
            by_status.contains_key(status),
            "{status} never reached: {by_status:?}"
        );
    }
}

/// Every documented Send Callflow (played from an hour before its validUntil) and every
/// documented reply to a call action (as the answer to an IVR menu, or for Number Masking to a
/// call that arrived): each plays to a summary, cleanly, and the transcripts are pinned.
#[test]
fn every_documented_callflow_and_reply_plays() {
    let mut out = String::new();
    for e in fixtures::documented() {
        let events = match e.kind {
            Kind::Callflow => {
                let mut s = script(json!({"keys": ["1"]}));
                if let Some(until) = e.document["validUntil"]
                    .as_str()
                    .and_then(voicehook::time::millis)
                {
                    s.start = voicehook::time::format_millis(until - 3_600_000);
                }
                play(Start::Callflow(&bytes(&e.document)), &s, |_| {
                    Reply::Body(br#"{"callflow": [{"action": "hangup"}]}"#.to_vec())
                })
            }
            Kind::VcaReply => {
                let reply = bytes(&e.document);
                let first = &e.document["callflow"][0]["action"];
                // A reply that starts with makeCall bridges a caller (Number Masking); the others
                // continue an IVR menu.
                let (start, menu) = (
                    Start::Inbound {
                        from: "+12314377870",
                        to: "+6568332048",
                    },
                    ivr_menu(),
                );
                let start = if first == "makeCall" {
                    start
                } else {
                    Start::Callflow(&menu)
                };
                let mut answered = false;
                play(start, &script(json!({"keys": ["1", "1", "1"]})), |_| {
                    if std::mem::replace(&mut answered, true) {
                        Reply::Body(br#"{"callflow": [{"action": "hangup"}]}"#.to_vec())
                    } else {
                        Reply::Body(reply.clone())
                    }
                })
            }
            _ => continue,
        };
        let vss = summary(&events);
        out.push_str(&format!(
            "== {} ({}): {} {}\n{}\n\n",
            e.name,
            e.kind.id(),
            vss["sessionStatus"].as_str().unwrap_or("?"),
            vss["errorDetails"]["errorCode"],
            transcript(&events)
        ));
        if e.kind == Kind::VcaReply {
            let reply = events.iter().find_map(|x| match &x.what {
                What::Reply { valid, outcome, .. } => Some((*valid, outcome.clone())),
                _ => None,
            });
            let (valid, outcome) = reply.expect("the documented reply was given");
            // The documented examples are the ones voicehook accepts: 8x8 runs each.
            assert!(valid, "{}: {outcome}", e.name);
        }
    }
    insta::assert_snapshot!("documented_calls", out);
}
