use super::*;
use crate::fixtures::named;

const EIGHT_BY_EIGHT: &str = "18.140.80.2";

fn body(name: &str) -> Vec<u8> {
    serde_json::to_vec(&named(name).expect("a documented example").document).unwrap()
}

fn request<'a>(peer: &'a str, headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> Request<'a> {
    Request {
        peer: Some(peer),
        headers,
        body,
    }
}

fn rejected(verdict: Verdict) -> Rejection {
    match verdict {
        Verdict::Reject(r) => r,
        Verdict::Accept(a) => panic!("accepted: {} {}", a.kind, a.key),
    }
}

fn accepted(verdict: Verdict) -> Accepted {
    match verdict {
        Verdict::Accept(a) => *a,
        Verdict::Reject(r) => panic!("rejected: {} {:?} {}", r.status, r.reason, r.message),
    }
}

#[test]
fn a_summary_from_8x8_is_accepted_typed_with_its_session_id_as_key() {
    let vss = body("ivr--session-summary-ivr.1");
    let a = accepted(check(
        &Policy::default(),
        &request(EIGHT_BY_EIGHT, &[], &vss),
    ));
    assert_eq!(a.kind, Kind::Vss);
    let Ok(Document::Vss(summary)) = a.document() else {
        panic!("{:?}", a.document())
    };
    assert_eq!(a.key, summary.payload.session_id.to_string());
    assert!(a.deduplicate);
    assert_eq!(a.client, EIGHT_BY_EIGHT);
    // The IPv4-mapped form Node reports for an IPv4 peer on a dual-stack socket.
    let mapped = check(
        &Policy::default(),
        &request("::ffff:18.140.80.2", &[], &vss),
    );
    assert_eq!(accepted(mapped).client, EIGHT_BY_EIGHT);
}

#[test]
fn quirks_are_rewritten_and_a_vca_is_not_deduplicated() {
    let vm = body("voice-messaging--session-status.1");
    let a = accepted(check(
        &Policy::default(),
        &request(EIGHT_BY_EIGHT, &[], &vm),
    ));
    let Ok(Document::Vss(summary)) = a.document() else {
        panic!()
    };
    // The view holds the same, spelled canonically.
    let payload = a.data().get("payload");
    assert!(
        payload
            .and_then(|p| p.get("details"))
            .and_then(|d| d.get("callA"))
            .is_some()
    );
    let leg = &summary.payload.details["callA"];
    assert_eq!(leg.source_ref_id, None);
    assert!(
        a.report
            .warnings
            .iter()
            .any(|w| w.rule.as_str() == "normalize.key-case")
    );
    // Strict: the quirks are errors.
    let strict = Policy {
        strict: true,
        ..Policy::default()
    };
    let r = rejected(check(&strict, &request(EIGHT_BY_EIGHT, &[], &vm)));
    assert_eq!((r.status, r.reason), (422, Reason::Invalid));
    assert!(r.message.starts_with("normalize."), "{}", r.message);

    let vca = body("number-masking--call-action-handling.1");
    let a = accepted(check(
        &Policy::default(),
        &request(EIGHT_BY_EIGHT, &[], &vca),
    ));
    assert_eq!(a.kind, Kind::Vca);
    assert!(!a.deduplicate);
}

#[test]
fn a_peer_outside_the_allowlist_is_refused_and_forwarded_headers_do_not_help_without_a_proxy() {
    let vss = body("ivr--session-summary-ivr.1");
    let r = rejected(check(
        &Policy::default(),
        &request("203.0.113.9", &[], &vss),
    ));
    assert_eq!((r.status, r.reason), (403, Reason::Source));
    assert!(
        r.message
            .starts_with("203.0.113.9 is not an allowed source"),
        "{}",
        r.message
    );
    assert_eq!(r.client.as_deref(), Some("203.0.113.9"));
    // A forged X-Forwarded-For naming 8x8: ignored, and the message says why.
    let forged = [("X-Forwarded-For", EIGHT_BY_EIGHT)];
    let r = rejected(check(
        &Policy::default(),
        &request("203.0.113.9", &forged, &vss),
    ));
    assert_eq!(r.reason, Reason::Source);
    assert!(r.message.contains("no proxy is trusted"), "{}", r.message);
    // No peer address at all.
    let none = Request {
        peer: None,
        headers: &[],
        body: &vss,
    };
    assert_eq!(
        rejected(check(&Policy::default(), &none)).reason,
        Reason::Forwarded
    );
}

#[test]
fn through_trusted_proxies_the_client_is_read_from_the_right() {
    let vss = body("ivr--session-summary-ivr.1");
    let one = Policy {
        trusted_proxies: 1,
        ..Policy::default()
    };
    // The client wrote a forged first entry; the proxy appended the real address.
    let headers = [("x-forwarded-for", "18.140.80.2, 203.0.113.9")];
    let r = rejected(check(&one, &request("10.0.0.1", &headers, &vss)));
    assert_eq!(
        (r.reason, r.client.as_deref()),
        (Reason::Source, Some("203.0.113.9"))
    );
    let headers = [("X-Forwarded-For", "203.0.113.9, 18.140.80.2")];
    assert_eq!(
        accepted(check(&one, &request("10.0.0.1", &headers, &vss))).client,
        EIGHT_BY_EIGHT
    );
    // Two header lines are one list; two proxies read the second address from the right.
    let two = Policy {
        trusted_proxies: 2,
        ..Policy::default()
    };
    let headers = [
        ("X-Forwarded-For", "18.140.80.2"),
        ("X-Forwarded-For", "10.0.0.7"),
    ];
    assert_eq!(
        accepted(check(&two, &request("10.0.0.1", &headers, &vss))).client,
        EIGHT_BY_EIGHT
    );
    // RFC 7239 Forwarded wins over X-Forwarded-For, IPv6 with a port included.
    let headers = [
        (
            "Forwarded",
            r#"for="[2001:db8::1]:4711";proto=https, for=18.140.80.2;by=10.0.0.1"#,
        ),
        ("X-Forwarded-For", "203.0.113.9"),
    ];
    assert_eq!(
        accepted(check(&one, &request("10.0.0.1", &headers, &vss))).client,
        EIGHT_BY_EIGHT
    );
    // Fewer forwarded addresses than trusted proxies, or one that is not an address: refused.
    let r = rejected(check(
        &two,
        &request("10.0.0.1", &[("X-Forwarded-For", EIGHT_BY_EIGHT)], &vss),
    ));
    assert_eq!((r.status, r.reason), (403, Reason::Forwarded));
    assert!(r.message.contains("2 trusted proxies"), "{}", r.message);
    let r = rejected(check(
        &one,
        &request("10.0.0.1", &[("Forwarded", "for=unknown")], &vss),
    ));
    assert_eq!(r.reason, Reason::Forwarded);
    assert!(r.message.contains("for=unknown"), "{}", r.message);
}

#[test]
fn the_authorization_header_must_match_exactly() {
    let vss = body("ivr--session-summary-ivr.1");
    let policy = Policy {
        allow: vec![Source::Any],
        authorization: Some("Bearer s3cret".to_owned()),
        ..Policy::default()
    };
    let with = |headers: &[(&str, &str)]| check(&policy, &request("127.0.0.1", headers, &vss));
    accepted(with(&[("Authorization", "Bearer s3cret")]));
    accepted(with(&[("AUTHORIZATION", "Bearer s3cret")]));
    for wrong in [
        "Bearer s3cre",
        "Bearer s3cret!",
        "bearer s3cret",
        "",
        "Bearer s3creT",
    ] {
        let r = rejected(with(&[("authorization", wrong)]));
        assert_eq!(
            (r.status, r.reason),
            (401, Reason::Authorization),
            "{wrong:?}"
        );
        assert!(
            !r.message.contains("s3cret"),
            "the message must not repeat the secret"
        );
    }
    let r = rejected(with(&[]));
    assert_eq!(r.message, "no authorization header");
    // Another header name, when the registration put it elsewhere.
    let custom = Policy {
        authorization_header: "X-Webhook-Token".to_owned(),
        ..policy.clone()
    };
    let r = check(
        &custom,
        &request("127.0.0.1", &[("x-webhook-token", "Bearer s3cret")], &vss),
    );
    accepted(r);
    assert!(same_secret(b"abc", b"abc"));
    assert!(!same_secret(b"abc", b"abcd"));
    assert!(!same_secret(b"abcd", b"abc"));
    assert!(!same_secret(b"", b"a"));
    assert!(same_secret(b"", b""));
}

#[test]
fn size_empty_syntax_kind_and_invalid_each_have_their_status() {
    let any = Policy {
        allow: vec![Source::Any],
        max_size: 4096,
        ..Policy::default()
    };
    let at = |body: &[u8], policy: &Policy| rejected(check(policy, &request("::1", &[], body)));
    let big = vec![b' '; 4097];
    let r = at(&big, &any);
    assert_eq!((r.status, r.reason), (413, Reason::Size));
    assert!(
        r.message.contains("4097 bytes, more than the 4096"),
        "{}",
        r.message
    );
    let r = at(b"", &any);
    assert_eq!((r.status, r.reason), (400, Reason::Empty));
    assert_eq!(r.report.unwrap().errors[0].rule.as_str(), "json.empty");
    let r = at(br#"{"payload": "#, &any);
    assert_eq!((r.status, r.reason), (400, Reason::Syntax));
    // A summary posted to the call action URL: both kinds named.
    let vca_only = Policy {
        kinds: vec![Kind::Vca],
        ..any.clone()
    };
    let r = at(&body("ivr--session-summary-ivr.1"), &vca_only);
    assert_eq!((r.status, r.reason), (422, Reason::Kind));
    assert!(
        r.message.contains("(vca)") && r.message.contains("(vss)"),
        "{}",
        r.message
    );
    // A callflow is no webhook.
    let flow = br#"{"callflow": [{"action": "hangup"}]}"#;
    assert_eq!(at(flow, &any).reason, Reason::Kind);
    // A call status whose callId is not a UUID: invalid, with the finding.
    let vcs = br#"{"namespace": "VOICE", "eventType": "CALL_STATUS", "description": "d",
      "payload": {"eventId": "77e6a667-133a-11ef-9dd4-e911cc6fc82f", "callId": "abc"}}"#;
    let r = at(vcs, &any);
    assert_eq!((r.status, r.reason), (422, Reason::Invalid));
    assert!(r.message.starts_with("schema."), "{}", r.message);
    let report = r.report.unwrap();
    assert!(
        report.errors.iter().any(|e| e.pointer == "/payload/callId"),
        "{report:?}"
    );
    // Unrecognisable, at an endpoint of one kind: the errors say what that kind lacks.
    let r = at(br#"{"hello": 1}"#, &vca_only);
    assert_eq!(r.reason, Reason::Invalid);
    assert_eq!(r.report.unwrap().kind, Some(Kind::Vca));
}

#[test]
fn the_checks_run_in_order_cheapest_first() {
    let policy = Policy {
        authorization: Some("t".to_owned()),
        max_size: 10,
        ..Policy::default()
    };
    let big = vec![b'x'; 100];
    assert_eq!(
        rejected(check(&policy, &request("10.1.1.1", &[], &big))).reason,
        Reason::Source
    );
    assert_eq!(
        rejected(check(&policy, &request(EIGHT_BY_EIGHT, &[], &big))).reason,
        Reason::Authorization
    );
    let auth = [("authorization", "t")];
    assert_eq!(
        rejected(check(&policy, &request(EIGHT_BY_EIGHT, &auth, &big))).reason,
        Reason::Size
    );
}

#[test]
fn networks_and_addresses_are_read_as_servers_write_them() {
    let net = |s: &str| s.parse::<Network>().unwrap();
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    assert!(net("10.0.0.0/8").contains(ip("10.255.1.2")));
    assert!(!net("10.0.0.0/8").contains(ip("11.0.0.1")));
    assert!(net("0.0.0.0/0").contains(ip("192.0.2.1")));
    assert!(!net("0.0.0.0/0").contains(ip("::1")));
    assert!(net("2001:db8::/32").contains(ip("2001:db8:ffff::1")));
    assert!(!net("2001:db8::/32").contains(ip("2001:db9::1")));
    assert!(net("127.0.0.1").contains(ip("::ffff:127.0.0.1")));
    assert!(net("::ffff:10.0.0.0/104").contains(ip("10.1.2.3")));
    assert_eq!(net("::ffff:10.0.0.0/104").to_string(), "10.0.0.0/8");
    assert!(!net("::ffff:10.0.0.0/104").contains(ip("11.1.2.3")));
    assert_eq!(net("10.0.0.0/8").to_string(), "10.0.0.0/8");
    assert_eq!(net("::1").to_string(), "::1");
    for bad in ["10.0.0.0/33", "::/129", "10.0.0/8", "x", "", "10.0.0.0/-1"] {
        let err = bad.parse::<Network>().unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{bad:?} is not an address or a range")),
            "{err}"
        );
    }
    for (text, want) in [
        ("1.2.3.4", Some("1.2.3.4")),
        (" 1.2.3.4:443 ", Some("1.2.3.4")),
        ("[::1]:8080", Some("::1")),
        ("\"[2001:db8::1]:4711\"", Some("2001:db8::1")),
        ("::ffff:1.2.3.4", Some("1.2.3.4")),
        ("unknown", None),
        ("_hidden", None),
        ("1.2.3.4:port", None),
    ] {
        assert_eq!(
            address::read_address(text)
                .map(|a| a.to_string())
                .as_deref(),
            want,
            "{text}"
        );
    }
    assert_eq!("8x8".parse::<Source>(), Ok(Source::Published));
    assert_eq!("any".parse::<Source>(), Ok(Source::Any));
}

#[test]
fn a_policy_reads_from_camel_case_json_and_names_a_wrong_field() {
    let policy: Policy = serde_json::from_str(
        r#"{"kinds": ["vss", "vcs"], "allow": ["8x8", "10.0.0.0/8"], "trustedProxies": 1,
            "authorization": "Bearer t", "maxSize": 2048}"#,
    )
    .unwrap();
    assert_eq!(policy.kinds, [Kind::Vss, Kind::Vcs]);
    assert_eq!(
        policy.allow[1],
        Source::Network("10.0.0.0/8".parse().unwrap())
    );
    assert_eq!(policy.authorization_header, "authorization");
    let err = serde_json::from_str::<Policy>(r#"{"allow": ["10.0.0.0/40"]}"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("the prefix length must be 0 to 32"),
        "{err}"
    );
    let err = serde_json::from_str::<Policy>(r#"{"alow": []}"#).unwrap_err();
    assert!(err.to_string().contains("unknown field `alow`"), "{err}");
}

#[test]
fn the_memory_store_claims_marks_done_releases_and_forgets() {
    let mut store = MemoryStore::new(3);
    assert_eq!(store.claim("a", 0, 1000), Claim::New);
    assert_eq!(store.claim("a", 10, 1000), Claim::InProgress);
    store.done("a", 20, 5000);
    assert_eq!(store.claim("a", 30, 1000), Claim::Duplicate);
    // Past its expiry a key is new again.
    assert_eq!(store.claim("a", 5021, 1000), Claim::New);
    // A failed handler releases it; a lease that ran out frees it too.
    store.release("a");
    assert_eq!(store.claim("a", 5030, 1000), Claim::New);
    assert_eq!(store.claim("a", 6031, 1000), Claim::New);
    // At capacity the oldest key goes first.
    for key in ["b", "c", "d"] {
        assert_eq!(store.claim(key, 7000, 1000), Claim::New);
        store.done(key, 7000, 60_000);
    }
    assert_eq!(store.len(), 3);
    assert_eq!(store.claim("a", 7001, 1000), Claim::New);
    assert_eq!(store.claim("b", 7002, 1000), Claim::New, "b was the oldest");
    assert_eq!(store.claim("d", 7003, 1000), Claim::Duplicate);
    // Rewriting one key many times keeps the bookkeeping bounded.
    let mut one = MemoryStore::new(2);
    for i in 0..10_000 {
        one.done("k", i, 10);
    }
    assert!(one.order.len() <= 2 * 2 + 17, "{}", one.order.len());
}

#[test]
fn the_head_is_checked_without_the_body() {
    let policy = Policy::default();
    // A 20 MB body from 8x8 is refused by its size alone; a refused peer before its size.
    let r = check_head(&policy, Some(EIGHT_BY_EIGHT), &[], 20 << 20).unwrap_err();
    assert_eq!((r.status, r.reason), (413, Reason::Size));
    let r = check_head(&policy, Some("198.51.100.1"), &[], 20 << 20).unwrap_err();
    assert_eq!(r.reason, Reason::Source);
    assert_eq!(
        check_head(&policy, Some(EIGHT_BY_EIGHT), &[], 100).as_deref(),
        Ok(EIGHT_BY_EIGHT)
    );
}
