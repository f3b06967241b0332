//! Hostile and awkward inputs for the parse step (`voicehook::parse`): each must give a precise
//! `json.*` diagnostic (rule, line, column) or parse cleanly, and never panic or overflow.
//!
//! Modules: `limits` (size, depth, emptiness), `encoding` (UTF-8, BOM), `syntax` (comments,
//! commas, duplicates, stray tokens), `numbers`, `strings`, `positions` (pointer lookups) and
//! `repair` (the page's repair button, round-tripped through `parse`).

use voicehook::Diagnostic;
use voicehook::parse::{Limits, Parsed, parse};

/// Parses with default limits, expecting success.
fn ok(input: &[u8]) -> Parsed {
    match parse(input, &Limits::default()) {
        Ok(parsed) => parsed,
        Err(errors) => panic!(
            "{:?}: unexpected errors {errors:#?}",
            String::from_utf8_lossy(input)
        ),
    }
}

/// Parses with default limits, expecting failure.
fn fail(input: &[u8]) -> Vec<Diagnostic> {
    fail_with(input, &Limits::default())
}

fn fail_with(input: &[u8], limits: &Limits) -> Vec<Diagnostic> {
    match parse(input, limits) {
        Ok(_) => panic!(
            "{:?}: parsed, expected errors",
            String::from_utf8_lossy(input)
        ),
        Err(errors) => {
            assert!(!errors.is_empty());
            errors
        }
    }
}

/// Asserts that `d` is `rule` at `line`:`column` with `pointer`.
#[track_caller]
fn is(d: &Diagnostic, rule: &str, pointer: &str, line: u32, column: u32) {
    assert_eq!(
        (d.rule.id, d.pointer.as_str(), d.line, d.column),
        (rule, pointer, Some(line), Some(column)),
        "{d:?}"
    );
}

/// Asserts the only error of `input`.
#[track_caller]
fn only(input: &[u8], rule: &str, pointer: &str, line: u32, column: u32) -> Diagnostic {
    let mut errors = fail(input);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let d = errors.remove(0);
    is(&d, rule, pointer, line, column);
    d
}

mod limits {
    use super::*;

    #[test]
    fn deep_arrays_are_rejected_before_parsing() {
        let depth = 100_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let d = only(text.as_bytes(), "json.depth", &"/0".repeat(128), 1, 129);
        assert!(d.message.contains("128"), "{}", d.message);
    }

    #[test]
    fn deep_objects_are_rejected_before_parsing() {
        let depth = 100_000;
        let text = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        only(
            text.as_bytes(),
            "json.depth",
            &"/a".repeat(128),
            1,
            128 * 5 + 1,
        );
    }

    #[test]
    fn unclosed_depth_bombs_are_rejected_too() {
        let text = "[{\"x\": ".repeat(50_000);
        let errors = fail(text.as_bytes());
        assert_eq!(errors[0].rule, "json.depth");
    }

    #[test]
    fn deep_but_under_the_limit_parses() {
        let text = format!("{}{}", "[".repeat(128), "]".repeat(128));
        ok(text.as_bytes());
        let text = format!("{}null{}", "{\"a\":".repeat(128), "}".repeat(128));
        let parsed = ok(text.as_bytes());
        let pointer = "/a".repeat(128);
        assert_eq!(parsed.position(&pointer), Some((1, 128 * 5 + 1)));
    }

    #[test]
    fn a_raised_limit_still_meets_the_parsers_own_bound() {
        let limits = Limits {
            max_depth: 100_000,
            ..Limits::default()
        };
        let text = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
        let errors = fail_with(text.as_bytes(), &limits);
        assert_eq!(errors[0].rule, "json.depth");
    }

    #[test]
    fn size_is_checked_first() {
        let limits = Limits {
            max_size: 10,
            ..Limits::default()
        };
        let errors = fail_with(b"[\xFF, 1, 2, 3, 4]", &limits);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].rule, "json.size");
        assert!(
            errors[0].message.contains("10 bytes"),
            "{}",
            errors[0].message
        );
        ok(b"[1,2,3,4]");
    }

    #[test]
    fn empty_input() {
        only(b"", "json.empty", "", 1, 1);
        only(b" \n\t\r\n", "json.empty", "", 1, 1);
        only(b"// only a comment\n", "json.empty", "", 1, 1);
    }

    #[test]
    fn any_top_level_value_parses() {
        assert!(ok(b"{}").value().as_object().is_some_and(|o| o.is_empty()));
        ok(b"[]");
        ok(b"\"text\"");
        ok(b"null");
        ok(b" 42 ");
    }

    #[test]
    fn a_2mb_string_parses() {
        let big = "x".repeat(2 * 1024 * 1024);
        let text = format!("{{\"s\": \"{big}\", \"after\": 1}}");
        let parsed = ok(text.as_bytes());
        assert_eq!(parsed.value()["s"].as_str().map(str::len), Some(big.len()));
        assert_eq!(
            parsed.position("/after"),
            Some((1, 8 + big.len() as u32 + 12))
        );
    }

    #[test]
    fn a_million_comments_give_a_bounded_report() {
        let text = format!("[{}1]", "/**/".repeat(1_000_000));
        let errors = fail(text.as_bytes());
        assert_eq!(errors.len(), 101);
        assert!(errors.iter().all(|d| d.rule == "json.comment"));
        assert!(
            errors[100].message.starts_with("999900 more"),
            "{}",
            errors[100].message
        );
    }
}

mod encoding {
    use super::*;

    #[test]
    fn invalid_utf8_in_a_string() {
        let d = only(b"{\"a\": \"caf\xE9\"}", "json.utf8", "/a", 1, 11);
        assert!(d.message.contains("0xE9"), "{}", d.message);
    }

    #[test]
    fn invalid_utf8_in_structure() {
        let d = only(b"{\"a\": 1,\n\xFF}", "json.utf8", "", 2, 1);
        assert!(d.message.contains("0xFF"), "{}", d.message);
    }

    #[test]
    fn every_invalid_sequence_is_reported() {
        let errors = fail(b"[\"\xC3\x28\", \"ok\", \"\x80\"]");
        assert_eq!(errors.len(), 2);
        is(&errors[0], "json.utf8", "/0", 1, 3);
        is(&errors[1], "json.utf8", "/2", 1, 15);
        assert!(
            errors[0].message.contains("0xC3 0x28"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[1].message.contains("continuation"),
            "{}",
            errors[1].message
        );
    }

    #[test]
    fn truncated_character_at_the_end() {
        let d = only(b"\"\xE2\x82", "json.utf8", "", 1, 2);
        assert!(d.message.contains("cuts off"), "{}", d.message);
    }

    #[test]
    fn a_bom_is_stripped_with_a_warning() {
        let parsed = ok(b"\xEF\xBB\xBF{\"a\": 1}");
        assert_eq!(parsed.value()["a"], 1);
        assert_eq!(parsed.source(), "{\"a\": 1}");
        assert_eq!(parsed.warnings().len(), 1);
        is(&parsed.warnings()[0], "json.bom", "", 1, 1);
        assert_eq!(parsed.position("/a"), Some((1, 7)));
    }

    #[test]
    fn positions_after_a_bom_ignore_it() {
        only(b"\xEF\xBB\xBF{\"a\" 1}", "json.syntax", "/a", 1, 6);
        only(b"\xEF\xBB\xBF", "json.empty", "", 1, 1);
    }
}

mod syntax {
    use super::*;

    #[test]
    fn the_vca_guide_example_reports_everything_at_once() {
        let errors = fail(b"{ \"a\": 1 // note\n \"b\": 2, }");
        assert_eq!(errors.len(), 3, "{errors:#?}");
        is(&errors[0], "json.comment", "", 1, 10);
        is(&errors[1], "json.syntax", "/b", 2, 2);
        is(&errors[2], "json.trailing-comma", "", 2, 8);
        assert_eq!(
            errors[1].message,
            "expected ',' or '}' after an object member, found '\"'"
        );
    }

    #[test]
    fn comments_of_both_kinds_everywhere() {
        let text = b"/* a */ {\"x\" /* b */ : // c\n [1 /* d */, 2] } // e";
        let errors = fail(text);
        let rules: Vec<_> = errors
            .iter()
            .map(|d| (d.rule.id, d.line, d.column))
            .collect();
        assert_eq!(
            rules,
            [
                ("json.comment", Some(1), Some(1)),
                ("json.comment", Some(1), Some(14)),
                ("json.comment", Some(1), Some(24)),
                ("json.comment", Some(2), Some(5)),
                ("json.comment", Some(2), Some(19)),
            ]
        );
    }

    #[test]
    fn trailing_commas() {
        only(b"[1, 2, ]", "json.trailing-comma", "", 1, 6);
        only(
            b"{\"a\": {\"b\": 1,\n}}",
            "json.trailing-comma",
            "/a",
            1,
            14,
        );
    }

    #[test]
    fn duplicate_keys_each_point_at_the_later_one() {
        let errors = fail(b"{\"a\": 1, \"b\": {\"x\": 1,\n\"x\": 2}, \"a\": 3}");
        assert_eq!(errors.len(), 2);
        is(&errors[0], "json.duplicate-key", "/b/x", 2, 1);
        is(&errors[1], "json.duplicate-key", "/a", 2, 10);
        assert!(
            errors[1].message.contains("line 1"),
            "{}",
            errors[1].message
        );
    }

    #[test]
    fn stray_tokens() {
        let d = only(b"{\"a\": 1}}", "json.syntax", "", 1, 9);
        assert_eq!(
            d.message,
            "expected the end of the input after the JSON value, found '}'"
        );
        let d = only(b"{\"a\": [1, 2}", "json.syntax", "/a/1", 1, 12);
        assert_eq!(
            d.message,
            "expected ',' or ']' after an array element, found '}'"
        );
        let d = only(b"{\"a\": undefined}", "json.syntax", "/a", 1, 7);
        assert!(d.message.contains("no undefined"), "{}", d.message);
        only(b"{,}", "json.syntax", "", 1, 2);
        only(b"{\"a\": 1,, \"b\": 2}", "json.syntax", "", 1, 9);
        only(b"{a: 1}", "json.syntax", "", 1, 2);
    }

    #[test]
    fn unterminated_things() {
        let d = only(b"{\"a\": [1,\n 2", "json.syntax", "/a", 1, 7);
        assert!(d.message.contains("never closed"), "{}", d.message);
        only(b"[\"abc", "json.syntax", "/0", 1, 2);
        only(b"[1] /* no end", "json.comment", "", 1, 5);
    }
}

mod numbers {
    use super::*;

    #[test]
    fn out_of_range_floats() {
        let d = only(b"{\"n\": 1e400}", "json.number", "/n", 1, 7);
        assert!(d.message.contains("1e400"), "{}", d.message);
        only(b"[-1e400]", "json.number", "/0", 1, 2);
    }

    /// `-0` parses (as 0) and says so: the sign is lost in every JSON reader (issue 9).
    #[test]
    fn negative_zero_is_read_as_zero_with_a_warning() {
        let parsed = ok(b"{\"n\": -0, \"f\": -0.0}");
        assert_eq!(parsed.value()["n"].as_f64(), Some(0.0));
        let rules: Vec<(&str, &str)> = parsed
            .warnings()
            .iter()
            .map(|w| (w.rule.id, w.pointer.as_str()))
            .collect();
        assert_eq!(rules, [("json.precision", "/n"), ("json.precision", "/f")]);
    }

    #[test]
    fn leading_zeros() {
        only(b"[01]", "json.syntax", "/0", 1, 2);
        only(b"{\"a\": -012}", "json.syntax", "/a", 1, 7);
        only(b"00", "json.syntax", "", 1, 1);
    }

    #[test]
    fn bare_decimal_points_and_signs() {
        only(b"[1.]", "json.syntax", "/0", 1, 2);
        only(b"[.5]", "json.syntax", "/0", 1, 2);
        only(b"[+1]", "json.syntax", "/0", 1, 2);
        only(b"[-]", "json.syntax", "/0", 1, 3);
        only(b"[1e]", "json.syntax", "/0", 1, 4);
        only(b"[0x1F]", "json.syntax", "/0", 1, 2);
    }

    #[test]
    fn nan_and_infinity() {
        let d = only(b"[NaN]", "json.syntax", "/0", 1, 2);
        assert!(d.message.contains("not JSON numbers"), "{}", d.message);
        only(b"{\"a\": Infinity}", "json.syntax", "/a", 1, 7);
        only(b"{\"a\": -Infinity}", "json.syntax", "/a", 1, 7);
    }

    #[test]
    fn huge_integers() {
        let parsed =
            ok(b"[18446744073709551615, -9223372036854775808, 18446744073709551616, 23.0]");
        let v = parsed.value();
        assert_eq!(v[0].as_u64(), Some(u64::MAX));
        assert_eq!(v[1].as_i64(), Some(i64::MIN));
        assert!(v[2].is_f64());
        assert!(v[3].is_f64());
        assert_eq!(parsed.warnings().len(), 1);
        is(&parsed.warnings()[0], "json.precision", "/2", 1, 46);
    }
}

mod strings {
    use super::*;

    #[test]
    fn escaped_surrogate_pairs_decode() {
        let parsed = ok(br#"["\ud83d\ude00", "\u00e9\n\/"]"#);
        assert_eq!(parsed.value()[0], "\u{1F600}");
        assert_eq!(parsed.value()[1], "\u{e9}\n/");
    }

    #[test]
    fn unpaired_surrogates_are_errors() {
        let d = only(br#"["\ud800"]"#, "json.syntax", "/0", 1, 3);
        assert!(d.message.contains("surrogate"), "{}", d.message);
        only(br#"{"a": "x\udc00"}"#, "json.syntax", "/a", 1, 9);
        only(br#"["\ud800\u0041"]"#, "json.syntax", "/0", 1, 3);
    }

    #[test]
    fn raw_control_characters_are_errors() {
        let d = only(b"[\"a\tb\"]", "json.syntax", "/0", 1, 4);
        assert!(d.message.contains("\\t"), "{}", d.message);
        only(b"{\"a\": \"x\ny\"}", "json.syntax", "/a", 1, 9);
        only(b"[\"\x00\"]", "json.syntax", "/0", 1, 3);
        only(b"{\"k\x01\": 1}", "json.syntax", "/k\u{1}", 1, 4);
    }

    #[test]
    fn bad_escapes() {
        only(br#"["\x41"]"#, "json.syntax", "/0", 1, 3);
        only(br#"["\'"]"#, "json.syntax", "/0", 1, 3);
        only(br#"["\u12"]"#, "json.syntax", "/0", 1, 3);
        only(b"['single']", "json.syntax", "/0", 1, 2);
    }

    #[test]
    fn whitespace_json_does_not_allow() {
        only("[1,\u{A0}2]".as_bytes(), "json.syntax", "", 1, 4);
        only(b"[1,\x0B2]", "json.syntax", "", 1, 4);
    }
}

mod positions {
    use super::*;

    const DOC: &str =
        "{\n  \"payload\": {\n    \"a/b\": [\"x\", {\"m~n\": 1}],\n    \"\": true\n  }\n}";

    #[test]
    fn values_and_names_by_pointer() {
        let parsed = ok(DOC.as_bytes());
        assert_eq!(parsed.position(""), Some((1, 1)));
        assert_eq!(parsed.position("/payload"), Some((2, 14)));
        assert_eq!(parsed.key_position("/payload"), Some((2, 3)));
        assert_eq!(parsed.position("/payload/a~1b"), Some((3, 12)));
        assert_eq!(parsed.position("/payload/a~1b/0"), Some((3, 13)));
        assert_eq!(parsed.position("/payload/a~1b/1/m~0n"), Some((3, 26)));
        assert_eq!(parsed.key_position("/payload/a~1b/1/m~0n"), Some((3, 19)));
        assert_eq!(parsed.position("/payload/"), Some((4, 9)));
    }

    #[test]
    fn missing_and_malformed_pointers() {
        let parsed = ok(DOC.as_bytes());
        assert_eq!(parsed.position("/payload/a~1b/2"), None);
        assert_eq!(parsed.position("/payload/a~1b/-"), None);
        assert_eq!(parsed.position("/payload/a~1b/00"), None);
        assert_eq!(parsed.position("/payload/a/b"), None);
        assert_eq!(parsed.position("/payload/a~2b"), None);
        assert_eq!(parsed.position("payload"), None);
        assert_eq!(parsed.key_position("/payload/a~1b/0"), None);
        assert_eq!(parsed.nearest_position("/payload/sessionId"), Some((2, 14)));
    }

    #[test]
    fn spans_slice_the_source() {
        let parsed = ok(DOC.as_bytes());
        let span = parsed.span("/payload/a~1b").unwrap();
        assert_eq!(&parsed.source()[span], "[\"x\", {\"m~n\": 1}]");
    }

    #[test]
    fn crlf_and_wide_characters() {
        let parsed = ok("{\r\n\"é🎉\": 1,\r\n\"b\": 2}".as_bytes());
        assert_eq!(parsed.position("/é🎉"), Some((2, 7)));
        assert_eq!(parsed.position("/b"), Some((3, 6)));
    }

    #[test]
    fn many_lookups_in_a_big_minified_document() {
        let items: Vec<String> = (0..20_000).map(|i| format!("{{\"i\":{i}}}")).collect();
        let text = format!("[{}]", items.join(","));
        let parsed = ok(text.as_bytes());
        for i in (0..20_000).step_by(997) {
            let (line, column) = parsed.position(&format!("/{i}/i")).unwrap();
            let offset = text.find(&format!("\"i\":{i}}}")).unwrap() + 4;
            assert_eq!((line, column), (1, offset as u32 + 1));
        }
    }
}

mod repair {
    use super::*;
    use voicehook::parse::repair;

    #[track_caller]
    fn round_trip(text: &str) -> voicehook::parse::Repaired {
        let repaired = repair(text);
        assert!(repaired.complete);
        if let Err(errors) = parse(repaired.text.as_bytes(), &Limits::default()) {
            panic!(
                "repaired text does not parse:\n{}\n{errors:#?}",
                repaired.text
            );
        }
        repaired
    }

    #[test]
    fn the_vca_guide_example() {
        let repaired = round_trip("{ \"a\": 1 // note\n \"b\": 2, }");
        assert_eq!(repaired.text, "{ \"a\": 1,\n \"b\": 2 }");
        let what: Vec<_> = repaired
            .changes
            .iter()
            .map(|c| (c.line, c.column, c.rule.as_str()))
            .collect();
        assert_eq!(
            what,
            [
                (1, 9, "json.syntax"),
                (1, 10, "json.comment"),
                (2, 8, "json.trailing-comma")
            ]
        );
    }

    #[test]
    fn a_commented_callflow() {
        let text = r#"{
  // the first action must be makeCall
  "callflow": [
    {
      "action": "makeCall", /* dial out */
      "params": {
        "source": "+6512345678",
        "destination": "+6587654321"
      }
    }
    {
      "action": "say",
      "params": { "text": "hello", },
    },
  ],
}
"#;
        let repaired = round_trip(text);
        assert_eq!(repaired.changes.len(), 7, "{:#?}", repaired.changes);
        let parsed = ok(repaired.text.as_bytes());
        assert_eq!(parsed.value()["callflow"][1]["action"], "say");
    }

    #[test]
    fn errors_before_and_none_after() {
        let text = "[1, 2, // two\n 3,]";
        assert_eq!(fail(text.as_bytes()).len(), 2);
        let repaired = round_trip(text);
        assert_eq!(repaired.text, "[1, 2,\n 3]");
    }

    #[test]
    fn placeholders_are_left_and_listed() {
        let repaired = repair("{\"to\": \"{{phone}}\", \"n\": {{count}}}");
        assert_eq!(repaired.text, "{\"to\": \"{{phone}}\", \"n\": {{count}}}");
        let found: Vec<_> = repaired
            .placeholders
            .iter()
            .map(|p| (p.text.as_str(), p.bare, p.column))
            .collect();
        assert_eq!(found, [("{{phone}}", false, 9), ("{{count}}", true, 26)]);
    }

    #[test]
    fn hostile_text_does_not_panic() {
        for text in [
            "", "{", "}}}", "[,,,]", "\"", "/*", "{{", "{{x", "\u{FEFF}", "[\u{A0}]", "'a'",
        ] {
            let _ = repair(text);
        }
        let deep = "[".repeat(100_000);
        assert_eq!(repair(&deep).text, deep);
    }
}
