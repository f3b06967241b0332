//! The five webhooks 8x8 sends: VSS, VCA, VCS, VRU, VNU.

use super::{
    Band, CodeEntry, CodeTable, CodeValue, Decoded, Leg, TimelineEvent, clip, fmt_seconds,
    from_table, int, null, num, outcome_of, parse_ms, plural, seconds, status_lookup, text, token,
    unknown_entry,
};
use crate::Kind;
use crate::codes::{self, Level, StatusTable};
use crate::detect::Product;
use crate::parse::View;
use crate::view::{CallEvent, Moment, NumberUpdate, Recording, Session};

/// Leg timestamps further than this outside the session's own start and end are not drawn.
const WINDOW_SLACK_MS: i64 = 60_000;

/// The `lastAction` values the pages name (contradiction 5: the set is open).
const KNOWN_LAST_ACTIONS: [&str; 6] = [
    "MAKE_CALL",
    "HANGUP",
    "SAY_AND_CAPTURE",
    "SAY",
    "PLAY_FILE",
    "PLAY_TTS",
];

fn payload(doc: View<'_>) -> View<'_> {
    doc.get("payload").unwrap_or_else(null)
}

/// A leg's three moments (initiated, connected, disconnected), as written and as read.
type Moments<'a> = [Moment<'a>; 3];

/// A text field, unless it is the string "null" (where normalization left one: a field that is
/// not nullable), which reads as nothing, as `text` reads it.
fn real(s: Option<&str>) -> Option<&str> {
    s.filter(|s| *s != "null")
}

/// A moment, unless it is written as the string "null".
fn real_moment(m: Moment<'_>) -> Moment<'_> {
    if real(m.written).is_none() {
        Moment::default()
    } else {
        m
    }
}

/// A leg's three moments, those written "null" read as none.
fn times<'d>(leg: &crate::view::Leg<'d>) -> Moments<'d> {
    leg.times().map(real_moment)
}

/// The three moments in milliseconds.
fn ms(m: &Moments<'_>) -> [Option<i64>; 3] {
    m.map(|t| t.millis())
}

/// Reads the fields every leg shape shares (VSS `details` member, VCA and VCS payload).
fn leg_fields(key: &str, v: View<'_>, table: StatusTable, m: &Moments<'_>) -> Leg {
    let quality = v.get("callQuality");
    let mos = num(quality.and_then(|q| q.get("mos")));
    let [i, c, e] = ms(m);
    let ring_seconds = match (i, c, e) {
        (Some(i), Some(c), _) => Some(seconds(i, c)),
        (Some(i), None, Some(e)) => Some(seconds(i, e)),
        _ => None,
    };
    let status = text(v.get("callStatus"));
    Leg {
        key: key.to_owned(),
        call_id: text(v.get("callId")).map(str::to_owned),
        from: text(v.get("source")).map(str::to_owned),
        to: text(v.get("destination")).map(str::to_owned),
        direction: text(v.get("callDirection")).map(str::to_owned),
        call_type: text(v.get("callType")).map(str::to_owned),
        source_ref_id: text(v.get("sourceRefId")).map(str::to_owned),
        destination_ref_id: text(v.get("destinationRefId")).map(str::to_owned),
        status: status.map(|s| codes::canonical_status(s).to_owned()),
        status_meaning: status
            .and_then(|s| status_lookup(table, s))
            .map(|m| m.meaning.to_owned()),
        result: status.and_then(codes::leg_result),
        initiated: m[0].written.map(str::to_owned),
        connected: m[1].written.map(str::to_owned),
        disconnected: m[2].written.map(str::to_owned),
        ring_seconds,
        talk_seconds: c.zip(e).map(|(c, e)| seconds(c, e)),
        call_duration: num(v.get("callDuration")),
        mos,
        mos_band: mos.and_then(codes::mos_band).map(|b| Band {
            name: b.name.to_owned(),
            meaning: b.meaning.to_owned(),
        }),
        packet_loss_rate: num(quality.and_then(|q| q.get("packetLossRate"))),
        jitter: num(quality.and_then(|q| q.get("jitter"))),
        sip_code: int(v.get("sipCode")),
        ..Leg::default()
    }
}

/// A number with the virtual-number reference named after its side (contradiction 12: the
/// pages disagree on whether that number was the caller ID or the number called, so neither is
/// said).
fn party(number: Option<&str>, ref_id: Option<&str>) -> String {
    let number = number.unwrap_or("an unknown number");
    match ref_id {
        Some(r) => format!("virtual number {number} (ref {r})"),
        None => number.to_owned(),
    }
}

fn direction_word(direction: Option<&str>) -> &'static str {
    match direction {
        Some("INBOUND") => "inbound call",
        Some("OUTBOUND") => "outbound call",
        _ => "call",
    }
}

/// The leg in one sentence.
fn story(leg: &Leg) -> String {
    let mut s = format!(
        "{}: {} from {} to {}",
        leg.key,
        direction_word(leg.direction.as_deref()),
        party(leg.from.as_deref(), leg.source_ref_id.as_deref()),
        party(leg.to.as_deref(), leg.destination_ref_id.as_deref()),
    );
    match (leg.ring_seconds, leg.talk_seconds) {
        (Some(r), Some(t)) => s.push_str(&format!(
            ", rang {}, talked {}",
            fmt_seconds(r),
            fmt_seconds(t)
        )),
        (Some(r), None) if leg.connected.is_none() => {
            s.push_str(&format!(
                ", never connected (ended after {})",
                fmt_seconds(r)
            ));
        }
        (None, Some(t)) => s.push_str(&format!(", talked {}", fmt_seconds(t))),
        _ => {}
    }
    if let Some(status) = &leg.status {
        match &leg.status_meaning {
            Some(m) => s.push_str(&format!(", {status} ({m})")),
            None => s.push_str(&format!(", {status}")),
        }
    }
    if let (Some(mos), Some(band)) = (leg.mos, &leg.mos_band) {
        s.push_str(&format!(", call quality {} (MOS {mos})", band.name));
    }
    s
}

/// Voice Session Summary.
pub(super) fn vss(doc: View<'_>, d: &mut Decoded) {
    let p = payload(doc);
    let session = Session::of(doc);
    let guess = d
        .product
        .take()
        .unwrap_or_else(|| crate::detect::guess_product_view(doc));
    let product = guess.product;
    d.product = Some(guess);

    let (session_start, session_end) = (real_moment(session.start), real_moment(session.end));
    let (start_raw, end_raw) = (session_start.written, session_end.written);
    let (start, end) = (session_start.millis(), session_end.millis());
    if let (Some(s), Some(e)) = (start, end) {
        d.duration_seconds = Some(seconds(s, e));
    }

    let status = real(session.status_text);
    if let Some(s) = status {
        d.outcome = Some(outcome_of(StatusTable::Session, s));
        d.status_code("/payload/sessionStatus".to_owned(), StatusTable::Session, s);
    }

    // Legs, as written, in document order (none unless `details` is an object), read from the
    // tape each time they are needed.
    let legs = || session.members();
    let leg_count = session.entries().count();
    let origin = start.or_else(|| legs().flat_map(|l| ms(&times(&l))).flatten().min());

    if leg_count > super::MAX_ITEMS {
        d.note(format!(
            "details holds {} legs; the decoded view shows the first {}",
            leg_count,
            super::MAX_ITEMS
        ));
    }
    for view in legs().take(super::MAX_ITEMS) {
        let (key, v) = (view.key, view.fields);
        let m = &times(&view);
        let mut leg = leg_fields(key, v, StatusTable::Leg, m);
        let times = ms(m);
        let outside = match (start, end) {
            (Some(s), Some(e)) => times
                .iter()
                .flatten()
                .find(|t| **t < s - WINDOW_SLACK_MS || **t > e + WINDOW_SLACK_MS)
                .copied(),
            _ => None,
        };
        if let Some(t) = outside {
            let days = (t - start.unwrap_or(t)) as f64 / 86_400_000.0;
            d.note(format!(
                "{key}'s timestamps lie {:.0} days {} the session's startTime (8x8's Voice Messaging failure example shows the same); they are shown as written but left off the timeline",
                days.abs(),
                if days < 0.0 { "before" } else { "after" },
            ));
        } else if let Some(o) = origin {
            let [i, c, e] = times.map(|t| t.map(|t| t - o));
            (
                leg.start_offset_ms,
                leg.connect_offset_ms,
                leg.end_offset_ms,
            ) = (i, c, e);
            for (raw, offset, what) in [
                (m[0].written, i, "initiated"),
                (m[1].written, c, "connected"),
                (m[2].written, e, "disconnected"),
            ] {
                if let Some(at) = raw {
                    let event = match (what, leg.status.as_deref()) {
                        ("disconnected", Some(st)) => format!("{key} disconnected ({st})"),
                        _ => format!("{key} {what}"),
                    };
                    d.timeline.push(TimelineEvent {
                        at: at.to_owned(),
                        offset_ms: offset,
                        leg: Some(key.to_owned()),
                        event,
                    });
                }
            }
        }
        leg.story = story(&leg);
        let base = format!("/payload/details/{}", token(key));
        if let Some(st) = text(v.get("callStatus")) {
            d.status_code(format!("{base}/callStatus"), StatusTable::Leg, st);
        }
        if let Some(sip) = int(v.get("sipCode")) {
            d.sip_code(format!("{base}/sipCode"), sip);
        }
        quality_notes(d, &leg);
        d.legs.push(leg);
    }

    if let (Some(at), Some(o)) = (start_raw, origin) {
        d.timeline.insert(
            0,
            TimelineEvent {
                at: at.to_owned(),
                offset_ms: start.map(|s| s - o),
                leg: None,
                event: "session started".to_owned(),
            },
        );
    }
    if let (Some(at), Some(o)) = (end_raw, origin) {
        d.timeline.push(TimelineEvent {
            at: at.to_owned(),
            offset_ms: end.map(|e| e - o),
            leg: None,
            event: match status {
                Some(s) => format!("session ended ({})", codes::canonical_status(s)),
                None => "session ended".to_owned(),
            },
        });
    }

    // errorDetails
    let error = p.get("errorDetails");
    let error_code = int(error.and_then(|e| e.get("errorCode")));
    if let Some(code) = error_code {
        let entry = session_error_entry(code, product == Product::NumberMasking);
        if entry.table == CodeTable::ApiStatus {
            d.note(format!(
                "errorCode {code} is an API status code, not a session error code; see its entry under codes"
            ));
        }
        d.code(entry);
    }

    // Facts.
    if let Some(id) = text(p.get("sessionId")) {
        d.fact("Session", id);
    }
    if let Some(id) = text(p.get("subAccountId")) {
        d.fact("Sub-account", id);
    }
    if let Some(id) = text(p.get("clientRequestId")) {
        d.fact(
            "Client request id",
            format!(
                "{id} (the clientRequestId of the Send Callflow request that started the session)"
            ),
        );
    }
    if let Some(a) = text(p.get("lastAction")) {
        d.fact("Last action", a);
        if !KNOWN_LAST_ACTIONS.contains(&a) {
            d.note(format!(
                "lastAction {a} is not a name the 8x8 pages list; they list different sets, so it is not an error"
            ));
        }
    }
    if let Some(msg) = text(error.and_then(|e| e.get("errorMsg"))) {
        d.fact("Error message", msg);
    }
    if let Some(n) = int(p.get("callCount")) {
        d.fact("Call count", n.to_string());
        if usize::try_from(n).ok() != Some(leg_count) {
            d.note(format!(
                "callCount is {n} but details has {}",
                plural(leg_count, "leg")
            ));
        }
    }
    if let Some(s) = d.duration_seconds {
        d.fact("Duration", fmt_seconds(s));
    }
    if product == Product::NumberMasking {
        // Number Masking's table covers one or two legs: a third status decides as well as all
        // of them would (there is no session status for it).
        let statuses: Vec<&str> = legs().filter_map(|l| real(l.status_text)).take(3).collect();
        if let (Some(expected), Some(s)) = (codes::session_status_for_legs(&statuses), status)
            && expected != codes::canonical_status(s)
        {
            d.note(format!(
                "Number Masking's table gives session status {expected} for legs {}, this summary says {s}",
                statuses.join(" + ")
            ));
        }
    }

    // Summary.
    let mut summary = format!(
        "{} session {}",
        product.label(),
        status.map_or("(no status)", codes::canonical_status)
    );
    if let Some(first) = d.legs.first() {
        let dir = match first.direction.as_deref() {
            Some("INBOUND") => "inbound ",
            Some("OUTBOUND") => "outbound ",
            _ => "",
        };
        summary.push_str(&format!(
            ": {dir}{} → {}",
            first.from.as_deref().unwrap_or("?"),
            first.to.as_deref().unwrap_or("?")
        ));
        let others: Vec<&str> = d.legs[1..]
            .iter()
            .map(|l| l.to.as_deref().unwrap_or("?"))
            .collect();
        if !others.is_empty() {
            summary.push_str(&format!(" then bridged to {}", others.join(", ")));
        }
    }
    let mut tail = Vec::new();
    if let Some(s) = d.duration_seconds {
        tail.push(fmt_seconds(s));
    }
    tail.push(plural(d.legs.len(), "leg"));
    if let Some(code) = error_code {
        let name = d
            .codes
            .iter()
            .find(|c| c.code == CodeValue::Number(code) && c.table != CodeTable::Status)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        tail.push(format!("error {code} {name}").trim_end().to_owned());
    }
    summary.push_str("; ");
    summary.push_str(&tail.join(", "));
    d.summary = summary;
}

/// `errorDetails.errorCode`: a session error (with Number Masking's hint for Number Masking
/// sessions), or, when it is really an API status code (contradiction 1), that, said plainly.
fn session_error_entry(code: i64, number_masking: bool) -> CodeEntry {
    let pointer = "/payload/errorDetails/errorCode".to_owned();
    if let Some(c) = codes::session_error(code) {
        let nm_hint = if number_masking {
            codes::number_masking(code).and_then(|n| n.hint)
        } else {
            None
        };
        return from_table(pointer, CodeTable::SessionError, c, nm_hint);
    }
    if let Some(c) = codes::api_status(code) {
        let mut entry = from_table(pointer, CodeTable::ApiStatus, c, None);
        entry.meaning = format!(
            "{} This is an API status code (8x8's answer to a Send Callflow request), not a session error code: a session summary's errorCode is one of -2001…-2010 or -9999.",
            entry.meaning
        );
        if code == -1004 {
            entry.meaning.push_str(
                " 8x8's webhooks overview cites -1004 for an invalid destination, but -1004 is \"DTMF callback url not provided\"; the code for a destination that is not a phone number is API status -1017.",
            );
        }
        return entry;
    }
    unknown_entry(pointer, CodeValue::Number(code), "a session error code")
}

fn quality_notes(d: &mut Decoded, leg: &Leg) {
    if let Some(g) = leg.packet_loss_rate.and_then(codes::packet_loss_guidance)
        && g.level != Level::Ok
    {
        d.note(format!("{}: {}", leg.key, g.message));
    }
    if let Some(g) = leg.jitter.and_then(codes::jitter_guidance)
        && g.level != Level::Ok
    {
        d.note(format!("{}: {}", leg.key, g.message));
    }
    if let (Some(band), Some(mos)) = (&leg.mos_band, leg.mos)
        && matches!(band.name.as_str(), "Poor" | "Bad")
    {
        d.note(format!(
            "{}: MOS {mos} is {}: {}",
            leg.key, band.name, band.meaning
        ));
    }
}

/// Voice Call Action and Voice Call Status: one event of one leg.
pub(super) fn call_event(kind: Kind, doc: View<'_>, d: &mut Decoded) {
    let p = payload(doc);
    let table = if kind == Kind::Vca {
        StatusTable::CallAction
    } else {
        StatusTable::CallStatus
    };
    let event = CallEvent::of(doc);
    let status = real(event.status_text);
    let at = real(event.timestamp.written);
    let moment = Moment::text(at);
    let mut m: Moments<'_> = Default::default();
    match status.map(codes::canonical_status) {
        Some("CALL_INITIATED" | "CALL_RECEIVED") => m[0] = moment,
        Some("CALL_CONNECTED") => m[1] = moment,
        Some("CALL_DISCONNECTED") => m[2] = moment,
        _ => {}
    }
    let mut leg = leg_fields("call", p, table, &m);
    let offset = at.and_then(parse_ms).map(|_| 0);
    leg.start_offset_ms = m[0].written.and(offset);
    leg.connect_offset_ms = m[1].written.and(offset);
    leg.end_offset_ms = m[2].written.and(offset);
    leg.story = story(&leg);
    if let Some(at) = at {
        d.timeline.push(TimelineEvent {
            at: at.to_owned(),
            offset_ms: offset,
            leg: Some("call".to_owned()),
            event: format!("call {}", status.map_or("event", codes::canonical_status)),
        });
    }
    if let Some(s) = status {
        d.outcome = Some(outcome_of(table, s));
        d.status_code("/payload/callStatus".to_owned(), table, s);
    }
    if let Some(sip) = leg.sip_code {
        d.sip_code("/payload/sipCode".to_owned(), sip);
    }

    for (label, field) in [
        ("Event", "eventId"),
        ("Session", "sessionId"),
        ("Call", "callId"),
        ("Sub-account", "subAccountId"),
    ] {
        if let Some(v) = text(p.get(field)) {
            d.fact(label, v);
        }
    }
    if let Some(t) = at {
        d.fact("At", t);
    }

    let route = format!(
        "{}{} → {}",
        match leg.direction.as_deref() {
            Some("INBOUND") => "inbound ",
            Some("OUTBOUND") => "outbound ",
            _ => "",
        },
        leg.from.as_deref().unwrap_or("?"),
        leg.to.as_deref().unwrap_or("?")
    );
    let shown = status.map_or("(no status)", codes::canonical_status);
    if kind == Kind::Vca {
        // The legacy shape (DTMF_RECEIVED) keeps the digits at the top of the payload; strict
        // mode leaves it as written, so read either place.
        let dtmf = p
            .get("eventData")
            .and_then(|e| e.get("dtmf"))
            .or_else(|| p.get("dtmf"));
        let client_action = text(p.get("clientActionId"));
        let mut summary = format!("Call action {shown}: {route}");
        match dtmf.map(|v| v.as_str()) {
            Some(Some(k)) if k != "null" => {
                d.fact("Digits pressed", k);
                summary.push_str(&format!(", caller pressed {k}"));
            }
            Some(_) => d.fact(
                "Digits pressed",
                "none (no valid input before the timeout, or no capture step)",
            ),
            None => {}
        }
        if let Some(id) = client_action {
            d.fact(
                "clientActionId",
                format!("{id} (set by your callflow; names the step that finished)"),
            );
            summary.push_str(&format!(" after step {id}"));
        }
        let answer = match status.map(codes::canonical_status) {
            Some("CALL_RECEIVED") => {
                "a callflow saying what to do with this inbound call (for Number Masking: makeCall to the real number, which bridges the two)"
            }
            Some("ACTION_COMPLETED") => {
                "the next callflow (say, sayAndCapture, playFile, makeCall or hangup); the digits and clientActionId tell you where the caller is"
            }
            _ => "a callflow, or hangup to end the call",
        };
        d.fact(
            "Answer with",
            format!("{answer}; a reply 8x8 cannot run ends the session with session error -2003"),
        );
        summary.push_str("; answer with a callflow");
        d.summary = summary;
    } else {
        let mut summary = format!("Call status {shown}: {route}");
        if let Some(sip) = leg.sip_code {
            match codes::sip(sip) {
                Some(s) => summary.push_str(&format!(" (SIP {sip} {})", s.reason)),
                None => summary.push_str(&format!(" (SIP {sip})")),
            }
        }
        d.summary = summary;
    }
    d.legs.push(leg);
}

/// Voice Recording Uploaded.
pub(super) fn vru(doc: View<'_>, d: &mut Decoded) {
    let recording = Recording::of(doc);
    let id = real(recording.recording_id);
    let status = real(recording.status_text);
    let session = real(recording.session_id);
    if let Some(s) = status {
        d.outcome = Some(outcome_of(StatusTable::Recording, s));
        d.status_code("/payload/status".to_owned(), StatusTable::Recording, s);
    }
    if let Some(id) = id {
        d.fact("Recording", id);
    }
    if let Some(s) = session {
        d.fact("Session", s);
    }
    let duration = num(recording.duration);
    if let Some(s) = duration {
        d.fact("Duration", fmt_seconds(s));
    }
    let path = real(recording.file_path);
    if let Some(f) = path {
        d.fact("File", f);
    }
    if id.is_some() && status.is_some() {
        d.fact(
            "Idempotency",
            "8x8 sends one event per status of a recording, so recordingId:status identifies a delivery",
        );
    }
    let mut summary = format!(
        "Recording {}",
        status.map_or("(no status)", codes::canonical_status)
    );
    let mut parts = Vec::new();
    if let Some(s) = duration {
        parts.push(format!("{} recording", fmt_seconds(s)));
    } else {
        parts.push("recording".to_owned());
    }
    if let Some(id) = id {
        parts.push(id.to_owned());
    }
    if let Some(s) = session {
        parts.push(format!("of session {s}"));
    }
    summary.push_str(": ");
    summary.push_str(&parts.join(" "));
    if let Some(f) = path {
        summary.push_str(&format!(", file {}", clip(f, 60)));
    }
    d.summary = summary;
}

/// Virtual Number Updated.
pub(super) fn vnu(doc: View<'_>, d: &mut Decoded) {
    let update = NumberUpdate::of(doc);
    let numbers = update.numbers.unwrap_or_else(null);
    let event_type = real(update.event_type_text);
    match event_type {
        Some("SNAPSHOT") => d.fact(
            "Event type",
            "SNAPSHOT: the current state of the account's virtual numbers",
        ),
        Some("UPDATES") => d.fact(
            "Event type",
            "UPDATES: virtual numbers whose state changed (updateStatus says which did)",
        ),
        Some(other) => d.fact("Event type", format!("{other} (not SNAPSHOT or UPDATES)")),
        None => {}
    }
    if let Some(a) = real(update.sub_account_id) {
        d.fact("Sub-account", a);
    }
    if let Some(n) = int(update.total) {
        d.fact("Total numbers", n.to_string());
        if usize::try_from(n).ok() != Some(numbers.len()) {
            d.note(format!(
                "totalNumbers is {n} but virtualNumbers lists {}",
                numbers.len()
            ));
        }
    }
    // Counts by operationalStatus, in the order first seen.
    let mut counts: Vec<(String, usize)> = Vec::new();
    if numbers.len() > super::MAX_ITEMS {
        d.note(format!(
            "virtualNumbers lists {} numbers; the decoded view and the counts cover the first {}",
            numbers.len(),
            super::MAX_ITEMS
        ));
    }
    for (i, n) in numbers.items().enumerate().take(super::MAX_ITEMS) {
        let status = text(n.get("operationalStatus"));
        let label = text(n.get("msisdn")).unwrap_or("(no msisdn)");
        let mut value = status.unwrap_or("(no status)").to_owned();
        if let Some(m) = status.and_then(|s| status_lookup(StatusTable::VirtualNumber, s)) {
            value.push_str(&format!(": {}", m.meaning));
        }
        for (field, prefix) in [
            ("referenceId", "ref "),
            ("updateStatus", ""),
            ("countryCode", ""),
        ] {
            if let Some(v) = text(n.get(field)) {
                value.push_str(&format!(", {prefix}{v}"));
            }
        }
        d.fact(label, value);
        if let Some(s) = status {
            d.status_code(
                format!("/payload/virtualNumbers/{i}/operationalStatus"),
                StatusTable::VirtualNumber,
                s,
            );
            match counts.iter_mut().find(|(k, _)| k == s) {
                Some((_, c)) => *c += 1,
                None => counts.push((s.to_owned(), 1)),
            }
        }
    }
    let tally: Vec<String> = counts.iter().map(|(s, c)| format!("{c} {s}")).collect();
    if !tally.is_empty() {
        d.fact("By operational status", tally.join(", "));
    }
    let not_active = numbers.len()
        - counts
            .iter()
            .find(|(s, _)| s == "Active")
            .map_or(0, |c| c.1);
    d.outcome = Some(super::Outcome {
        status: event_type.unwrap_or("(no event type)").to_owned(),
        meaning: if numbers.is_empty() {
            "no virtual numbers listed".to_owned()
        } else if not_active == 0 {
            format!("{}, all Active", plural(numbers.len(), "number"))
        } else {
            format!(
                "{} of {} not Active: do not use them for new sessions",
                not_active,
                plural(numbers.len(), "number")
            )
        },
        success: not_active == 0,
    });
    d.summary = format!(
        "Virtual numbers {}: {}{}",
        event_type.unwrap_or("update"),
        plural(numbers.len(), "number"),
        if tally.is_empty() {
            String::new()
        } else {
            format!(" ({})", tally.join(", "))
        }
    );
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::decode_value;
    use super::*;

    fn ivr_scenario_1() -> Value {
        json!({"payload": {
            "sessionId": "a089b40d-f059-11f0-8937-99c7872ee3c4", "sessionStatus": "COMPLETED",
            "startTime": "2026-01-13T08:26:58Z", "endTime": "2026-01-13T08:27:33Z",
            "lastAction": "MAKE_CALL", "callCount": 2,
            "details": {
                "callA": {"callDirection": "OUTBOUND", "initiatedTimestamp": "2026-01-13T08:26:58Z",
                    "connectedTimestamp": "2026-01-13T08:27:09Z", "disconnectedTimestamp": "2026-01-13T08:27:33Z",
                    "source": "+6568332048", "destination": "+6591178965", "sourceRefId": "trunk-01",
                    "callStatus": "COMPLETED", "callDuration": 23, "callQuality": {"mos": 4.5, "packetLossRate": 0, "jitter": 20}},
                "callB": {"callDirection": "OUTBOUND", "initiatedTimestamp": "2026-01-13T08:27:17Z",
                    "connectedTimestamp": "2026-01-13T08:27:26Z", "disconnectedTimestamp": "2026-01-13T08:27:33Z",
                    "source": "+6568332048", "destination": "+6531589338", "callStatus": "COMPLETED"}
            }}, "namespace": "VOICE", "eventType": "SESSION_SUMMARY", "version": 5})
    }

    #[test]
    fn a_session_reads_as_legs_timeline_and_summary() {
        let d = decode_value(Kind::Vss, &ivr_scenario_1(), None);
        assert_eq!(
            d.summary,
            "IVR session COMPLETED: outbound +6568332048 → +6591178965 then bridged to +6531589338; 35 s, 2 legs"
        );
        assert_eq!(d.legs[0].ring_seconds, Some(11.0));
        assert_eq!(d.legs[0].talk_seconds, Some(24.0));
        assert_eq!(d.legs[1].start_offset_ms, Some(19_000));
        assert_eq!(d.legs[1].end_offset_ms, Some(35_000));
        assert_eq!(d.legs[0].mos_band.as_ref().unwrap().name, "Excellent");
        let events: Vec<&str> = d.timeline.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(events.first(), Some(&"session started"));
        assert_eq!(events.last(), Some(&"session ended (COMPLETED)"));
        assert_eq!(d.timeline.len(), 8);
        assert!(d.outcome.as_ref().unwrap().success);
        assert_eq!(
            d.idempotency_key.as_deref(),
            Some("a089b40d-f059-11f0-8937-99c7872ee3c4")
        );
    }

    /// Contradiction 12: the ref ids are shown next to the number they are named after, and
    /// nothing is said about caller ID or the number called.
    #[test]
    fn contradiction_12_ref_ids_follow_the_field_name() {
        let d = decode_value(Kind::Vss, &ivr_scenario_1(), None);
        assert!(
            d.legs[0]
                .story
                .starts_with("callA: outbound call from virtual number +6568332048 (ref trunk-01) to +6591178965, rang 11 s, talked 24 s"),
            "{}",
            d.legs[0].story
        );
        let vca = json!({"payload": {"callStatus": "CALL_RECEIVED", "callDirection": "INBOUND",
            "source": "+65123456789", "destination": "+65987654321", "destinationRefId": "vn-ref-1"}});
        let d = decode_value(Kind::Vca, &vca, None);
        assert!(
            d.legs[0].story.starts_with(
                "call: inbound call from +65123456789 to virtual number +65987654321 (ref vn-ref-1)"
            ),
            "{}",
            d.legs[0].story
        );
    }

    /// Contradiction 1: -1004 in a session summary is explained as the API status it is.
    #[test]
    fn contradiction_01_minus_1004_is_explained_as_an_api_status() {
        let mut doc = ivr_scenario_1();
        doc["payload"]["sessionStatus"] = json!("ERROR");
        doc["payload"]["errorDetails"] =
            json!({"errorCode": -1004, "errorMsg": "invalid destination"});
        let d = decode_value(Kind::Vss, &doc, None);
        let e = d
            .codes
            .iter()
            .find(|c| c.code == CodeValue::Number(-1004))
            .unwrap();
        assert_eq!(e.table, CodeTable::ApiStatus);
        assert_eq!(e.name, "DTMF callback url not provided");
        assert!(e.meaning.contains("not a session error code"));
        assert!(e.meaning.contains("-1017"));
        assert!(
            d.summary
                .ends_with("error -1004 DTMF callback url not provided"),
            "{}",
            d.summary
        );
    }

    #[test]
    fn number_masking_sessions_get_number_masking_hints() {
        let doc = json!({"payload": {"sessionStatus": "ERROR", "errorDetails": {"errorCode": -2004},
            "details": {
                "callA": {"callDirection": "INBOUND", "callStatus": "COMPLETED", "destinationRefId": "PSTN1"},
                "callB": {"callDirection": "OUTBOUND", "callStatus": "ERROR", "sourceRefId": "PSTN1"}}}});
        let d = decode_value(Kind::Vss, &doc, None);
        assert_eq!(d.product.as_ref().unwrap().product, Product::NumberMasking);
        let e = d
            .codes
            .iter()
            .find(|c| c.code == CodeValue::Number(-2004))
            .unwrap();
        assert_eq!(e.table, CodeTable::SessionError);
        assert_eq!(
            e.hint.as_deref(),
            codes::number_masking(-2004).and_then(|c| c.hint)
        );
    }

    /// Contradiction 3: leg timestamps a year before the session are left off the timeline.
    #[test]
    fn contradiction_03_leg_times_outside_the_session_are_not_drawn() {
        let doc = json!({"payload": {"sessionStatus": "ERROR",
            "startTime": "2024-07-13T09:54:38Z", "endTime": "2024-07-13T09:54:38Z",
            "details": {"callA": {"initiatedTimestamp": "2023-07-13T09:54:38Z",
                "disconnectedTimestamp": "2023-07-13T09:54:38Z", "callStatus": "ERROR"}}}});
        let d = decode_value(Kind::Vss, &doc, None);
        assert_eq!(d.legs[0].start_offset_ms, None);
        assert_eq!(d.legs[0].ring_seconds, Some(0.0));
        assert_eq!(d.timeline.len(), 2);
        assert!(
            d.notes.iter().any(|n| n.contains("366 days before")),
            "{:?}",
            d.notes
        );
    }

    #[test]
    fn a_recording_is_keyed_by_id_and_status() {
        let doc = json!({"payload": {"recordingId": "r1", "status": "UPLOAD_COMPLETED",
            "durationSeconds": 25, "sessionId": "s1", "filePath": "x/y.mp3"}});
        let d = decode_value(Kind::Vru, &doc, None);
        assert_eq!(d.idempotency_key.as_deref(), Some("r1:UPLOAD_COMPLETED"));
        assert_eq!(
            d.summary,
            "Recording UPLOAD_COMPLETED: 25 s recording r1 of session s1, file x/y.mp3"
        );
        assert!(d.outcome.unwrap().success);
    }

    #[test]
    fn virtual_numbers_are_counted_by_status() {
        let doc = json!({"payload": {"updateEventType": "SNAPSHOT", "totalNumbers": 3, "virtualNumbers": [
            {"msisdn": "+651", "operationalStatus": "Active"},
            {"msisdn": "+652", "operationalStatus": "Unhealthy"},
            {"msisdn": "+653", "operationalStatus": "Active"}]}});
        let d = decode_value(Kind::Vnu, &doc, None);
        assert_eq!(
            d.summary,
            "Virtual numbers SNAPSHOT: 3 numbers (2 Active, 1 Unhealthy)"
        );
        assert!(!d.outcome.unwrap().success);
        assert_eq!(d.codes.len(), 2);
        assert!(d.idempotency_key.unwrap().starts_with("fnv1a64:"));
    }

    #[test]
    fn a_call_action_says_what_to_answer() {
        let doc = json!({"payload": {"eventId": "e1", "callStatus": "ACTION_COMPLETED",
            "callDirection": "OUTBOUND", "source": "+6568888888", "destination": "+6598888888",
            "eventData": {"dtmf": "1"}, "clientActionId": "ivr1_level1", "sipCode": 200,
            "timestamp": "2024-05-16T04:12:11.217Z"}});
        let d = decode_value(Kind::Vca, &doc, None);
        assert_eq!(
            d.summary,
            "Call action ACTION_COMPLETED: outbound +6568888888 → +6598888888, caller pressed 1 after step ivr1_level1; answer with a callflow"
        );
        assert_eq!(d.idempotency_key.as_deref(), Some("e1"));
        assert!(
            d.facts
                .iter()
                .any(|f| f.label == "Answer with" && f.value.contains("-2003"))
        );
        assert!(
            d.codes
                .iter()
                .any(|c| c.table == CodeTable::Sip && c.name == "OK")
        );
        assert_eq!(d.timeline[0].offset_ms, Some(0));
    }
}
