//! Lenient typed views of a normalized document: what the rules and decode both read, so that
//! each field is found, parsed and typed in one place.
//!
//! A view never fails. A field that is missing or of the wrong type reads as `None` (the schema
//! step reports it); an enum field holds `None` for a value the enum does not know, beside the
//! text as written for messages. Views borrow the tape and copy nothing: a session summary of a
//! million legs is read one leg at a time.

use crate::models::common::CallDirection;
use crate::models::vca::VcaCallStatus;
use crate::models::vcs::VcsCallStatus;
use crate::models::vnu::UpdateEventType;
use crate::models::vru::RecordingStatus;
use crate::models::vss::{LegStatus, SessionStatus};
use crate::parse::View;
use crate::time::Instant;

/// A timestamp field: the text as written and the instant it names.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Moment<'d> {
    /// The string as written (`None` when absent, null or not a string).
    pub written: Option<&'d str>,
    /// The instant, when the string is a timestamp.
    pub at: Option<Instant>,
}

impl<'d> Moment<'d> {
    fn of(value: Option<View<'d>>) -> Self {
        Moment::text(value.and_then(View::as_str))
    }

    /// The moment a timestamp string names (`None`: no moment).
    pub fn text(written: Option<&'d str>) -> Self {
        Moment {
            written,
            at: written.and_then(Instant::parse),
        }
    }

    /// Milliseconds since 1970 (UTC), when the instant is known.
    pub fn millis(&self) -> Option<i64> {
        self.at.map(Instant::millis)
    }
}

/// The payload object of a webhook, read member by member (nothing when it is not an object).
#[derive(Clone, Copy)]
struct Payload<'d>(Option<View<'d>>);

impl<'d> Payload<'d> {
    fn of(doc: View<'d>) -> Self {
        Payload(doc.get("payload").filter(|p| p.is_object()))
    }

    fn get(self, name: &str) -> Option<View<'d>> {
        self.0.and_then(|p| p.get(name))
    }

    fn text(self, name: &str) -> Option<&'d str> {
        self.get(name).and_then(View::as_str)
    }
}

/// A Voice Session Summary's payload.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Session<'d> {
    /// `sessionId`.
    pub session_id: Option<&'d str>,
    /// `sessionStatus` as written (the canonical spelling once normalized).
    pub status_text: Option<&'d str>,
    /// `sessionStatus`, when it is one of the documented values.
    pub status: Option<SessionStatus>,
    /// `startTime`.
    pub start: Moment<'d>,
    /// `endTime`.
    pub end: Moment<'d>,
    /// `callCount` as written.
    pub call_count: Option<View<'d>>,
    /// `errorDetails`, when present and not null.
    pub error_details: Option<View<'d>>,
    /// `details`, when it is an object.
    pub details: Option<View<'d>>,
}

/// Where the legs of a session summary are.
pub(crate) const DETAILS: &str = "/payload/details";

impl<'d> Session<'d> {
    /// The view of a (normalized) session summary.
    pub fn of(doc: View<'d>) -> Self {
        let p = Payload::of(doc);
        let status_text = p.text("sessionStatus");
        Session {
            session_id: p.text("sessionId"),
            status_text,
            status: status_text.and_then(SessionStatus::from_wire),
            start: Moment::of(p.get("startTime")),
            end: Moment::of(p.get("endTime")),
            call_count: p.get("callCount"),
            error_details: p.get("errorDetails").filter(|v| !v.is_null()),
            details: p.get("details").filter(|d| d.is_object()),
        }
    }

    /// Every member of `details`, objects or not, in document order.
    pub fn entries(&self) -> impl Iterator<Item = (&'d str, View<'d>)> + use<'d> {
        self.details.into_iter().flat_map(|d| d.members())
    }

    /// The call legs: the members of `details` that are objects, in document order.
    pub fn legs(&self) -> impl Iterator<Item = Leg<'d>> + use<'d> {
        self.entries()
            .filter(|(_, v)| v.is_object())
            .map(|(key, fields)| Leg::of(key, fields))
    }

    /// Every member of `details` read as a leg, objects or not (a member that is not an
    /// object reads as a leg with no fields), in document order: what a reader is shown.
    pub fn members(&self) -> impl Iterator<Item = Leg<'d>> + use<'d> {
        self.entries().map(|(key, fields)| Leg::of(key, fields))
    }

    /// The leg named `key` (`callA`…), when it is an object.
    pub fn leg(&self, key: &'d str) -> Option<Leg<'d>> {
        let fields = self.details?.get(key).filter(|v| v.is_object())?;
        Some(Leg::of(key, fields))
    }
}

/// One call leg of a session summary (a member of `details`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Leg<'d> {
    /// Its key in `details` (`callA`…).
    pub key: &'d str,
    /// The leg object itself, for the fields the view does not name.
    pub fields: View<'d>,
    /// `callStatus` as written (the canonical spelling once normalized).
    pub status_text: Option<&'d str>,
    /// `callStatus`, when it is one of the documented values.
    pub status: Option<LegStatus>,
    /// `callDirection`, when it is one of the documented values.
    pub direction: Option<CallDirection>,
    /// `connectedTimestamp` is there and not null (the leg connected, whatever the text).
    pub has_connected: bool,
    /// `callDuration` as written.
    pub call_duration: Option<View<'d>>,
}

/// The names of a leg's three timestamps, in the order they happen.
pub(crate) const LEG_TIMES: [&str; 3] = [
    "initiatedTimestamp",
    "connectedTimestamp",
    "disconnectedTimestamp",
];

impl<'d> Leg<'d> {
    fn of(key: &'d str, fields: View<'d>) -> Self {
        let status_text = fields.get("callStatus").and_then(View::as_str);
        Leg {
            key,
            fields,
            status_text,
            status: status_text.and_then(LegStatus::from_wire),
            direction: fields
                .get("callDirection")
                .and_then(View::as_str)
                .and_then(CallDirection::from_wire),
            has_connected: fields.get(LEG_TIMES[1]).is_some_and(|v| !v.is_null()),
            call_duration: fields.get("callDuration"),
        }
    }

    /// The three timestamps (`initiatedTimestamp`, `connectedTimestamp`,
    /// `disconnectedTimestamp`), read when asked for: a walk over the legs that needs only their
    /// keys or statuses parses no timestamp.
    pub fn times(&self) -> [Moment<'d>; 3] {
        LEG_TIMES.map(|name| Moment::of(self.fields.get(name)))
    }

    /// [`times`](Self::times) with their field names, in the order they happen.
    pub fn moments(&self) -> [(&'static str, Moment<'d>); 3] {
        let [i, c, d] = self.times();
        [(LEG_TIMES[0], i), (LEG_TIMES[1], c), (LEG_TIMES[2], d)]
    }

    /// Its pointer in the (normalized) document.
    pub fn pointer(&self) -> String {
        let mut pointer = String::from(DETAILS);
        pointer.push('/');
        crate::parse::push_escaped(&mut pointer, self.key);
        pointer
    }
}

/// A Voice Call Action or Voice Call Status: one event of one call leg, in the payload.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallEvent<'d> {
    /// `eventId`.
    pub event_id: Option<&'d str>,
    /// `callStatus` as written (the canonical spelling once normalized).
    pub status_text: Option<&'d str>,
    /// `timestamp`.
    pub timestamp: Moment<'d>,
    /// `eventData.dtmf`, when present and not null.
    pub dtmf: Option<View<'d>>,
    /// `clientActionId`, when present and not null.
    pub client_action_id: Option<View<'d>>,
    /// `sipCode` as written.
    pub sip_code: Option<View<'d>>,
}

impl<'d> CallEvent<'d> {
    /// The view of a (normalized) call action or call status webhook.
    pub fn of(doc: View<'d>) -> Self {
        let p = Payload::of(doc);
        let present = |v: Option<View<'d>>| v.filter(|v| !v.is_null());
        CallEvent {
            event_id: p.text("eventId"),
            status_text: p.text("callStatus"),
            timestamp: Moment::of(p.get("timestamp")),
            dtmf: present(p.get("eventData").and_then(|e| e.get("dtmf"))),
            client_action_id: present(p.get("clientActionId")),
            sip_code: p.get("sipCode"),
        }
    }

    /// `callStatus` read as a call action's (`DTMF_RECEIVED` is `ACTION_COMPLETED`).
    pub fn action_status(&self) -> Option<VcaCallStatus> {
        self.status_text.and_then(VcaCallStatus::from_wire)
    }

    /// `callStatus` read as a call status event's.
    pub fn event_status(&self) -> Option<VcsCallStatus> {
        self.status_text.and_then(VcsCallStatus::from_wire)
    }
}

/// A Voice Recording Uploaded webhook's payload.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Recording<'d> {
    /// `recordingId`.
    pub recording_id: Option<&'d str>,
    /// `sessionId`.
    pub session_id: Option<&'d str>,
    /// `status` as written.
    pub status_text: Option<&'d str>,
    /// `status`, when it is one of the documented values.
    pub status: Option<RecordingStatus>,
    /// `durationSeconds` as written.
    pub duration: Option<View<'d>>,
    /// `filePath`.
    pub file_path: Option<&'d str>,
}

impl<'d> Recording<'d> {
    /// The view of a (normalized) recording webhook.
    pub fn of(doc: View<'d>) -> Self {
        let p = Payload::of(doc);
        let status_text = p.text("status");
        Recording {
            recording_id: p.text("recordingId"),
            session_id: p.text("sessionId"),
            status_text,
            status: status_text.and_then(RecordingStatus::from_wire),
            duration: p.get("durationSeconds"),
            file_path: p.text("filePath"),
        }
    }
}

/// A Virtual Number Updated webhook's payload.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NumberUpdate<'d> {
    /// `subAccountId`.
    pub sub_account_id: Option<&'d str>,
    /// `totalNumbers` as written.
    pub total: Option<View<'d>>,
    /// `updateEventType` as written.
    pub event_type_text: Option<&'d str>,
    /// `updateEventType`, when it is one of the documented values.
    pub event_type: Option<UpdateEventType>,
    /// `virtualNumbers`, when it is an array.
    pub numbers: Option<View<'d>>,
}

/// Where the numbers of a virtual number update are.
pub(crate) const NUMBERS: &str = "/payload/virtualNumbers";

impl<'d> NumberUpdate<'d> {
    /// The view of a (normalized) virtual number update.
    pub fn of(doc: View<'d>) -> Self {
        let p = Payload::of(doc);
        let event_type_text = p.text("updateEventType");
        NumberUpdate {
            sub_account_id: p.text("subAccountId"),
            total: p.get("totalNumbers"),
            event_type_text,
            event_type: event_type_text.and_then(UpdateEventType::from_wire),
            numbers: p.get("virtualNumbers").filter(|v| v.is_array()),
        }
    }

    /// How many entries `virtualNumbers` has (0 when it is not an array).
    pub fn count(&self) -> usize {
        self.numbers.map_or(0, View::len)
    }

    /// The entries of `virtualNumbers` with their index, objects or not, in order.
    pub fn entries(&self) -> impl Iterator<Item = (usize, View<'d>)> + use<'d> {
        self.numbers.into_iter().flat_map(|n| n.items()).enumerate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Doc;

    #[test]
    fn a_session_reads_leniently() {
        let doc = Doc::parse_str(
            r#"{"payload": {"sessionStatus": "BUSY", "startTime": "2024-05-16T04:12:11Z",
              "endTime": 7, "errorDetails": null, "details": {
                "callA": {"callStatus": "NO_ANSWER", "callDirection": "INBOUND",
                          "initiatedTimestamp": "2024-05-16T04:12:12Z", "connectedTimestamp": null},
                "a/b": {"callStatus": "LOST", "callDirection": 1},
                "x": 5}}}"#,
        )
        .unwrap();
        let s = Session::of(doc.root());
        assert_eq!(s.status, Some(SessionStatus::Busy));
        assert!(s.start.at.is_some() && s.end.written.is_none() && s.end.at.is_none());
        assert!(s.error_details.is_none() && s.session_id.is_none());
        assert_eq!(s.entries().count(), 3);
        let legs: Vec<Leg<'_>> = s.legs().collect();
        assert_eq!(legs.len(), 2);
        assert_eq!(legs[0].status, Some(LegStatus::NoAnswer));
        assert_eq!(legs[0].direction, Some(CallDirection::Inbound));
        assert!(!legs[0].has_connected && legs[0].times()[0].millis().is_some());
        assert!(legs[0].times()[1].written.is_none());
        assert_eq!((legs[1].status, legs[1].status_text), (None, Some("LOST")));
        assert_eq!(legs[1].direction, None);
        assert_eq!(legs[1].pointer(), "/payload/details/a~1b");
        assert_eq!(s.leg("callA").map(|l| l.key), Some("callA"));
        assert!(s.leg("x").is_none());
    }

    #[test]
    fn a_call_event_reads_leniently() {
        let doc = Doc::parse_str(
            r#"{"payload": {"callStatus": "DTMF_RECEIVED", "eventData": {"dtmf": null},
              "clientActionId": "menu", "timestamp": "2024-05-16T04:12:11.5Z", "sipCode": 200}}"#,
        )
        .unwrap();
        let e = CallEvent::of(doc.root());
        assert_eq!(e.action_status(), Some(VcaCallStatus::ActionCompleted));
        assert_eq!(e.event_status(), Some(VcsCallStatus::DtmfReceived));
        assert!(e.dtmf.is_none() && e.client_action_id.is_some() && e.timestamp.at.is_some());
        assert_eq!(e.sip_code.and_then(View::as_i64), Some(200));
        let array = Doc::parse_str("[1]").unwrap();
        let none = CallEvent::of(array.root());
        assert!(none.status_text.is_none() && none.sip_code.is_none());
    }

    #[test]
    fn a_recording_and_a_number_update_read_leniently() {
        let doc = Doc::parse_str(
            r#"{"payload": {"recordingId": "r1", "status": "UPLOAD_COMPLETED", "durationSeconds": "7"}}"#,
        )
        .unwrap();
        let r = Recording::of(doc.root());
        assert_eq!(r.status, Some(RecordingStatus::UploadCompleted));
        assert_eq!((r.recording_id, r.session_id), (Some("r1"), None));
        assert_eq!(r.duration.and_then(View::as_str), Some("7"));
        let doc = Doc::parse_str(
            r#"{"payload": {"totalNumbers": 3, "updateEventType": "SNAPSHOT",
              "virtualNumbers": [{"msisdn": "+6512345678"}, 5]}}"#,
        )
        .unwrap();
        let u = NumberUpdate::of(doc.root());
        assert_eq!(u.event_type, Some(UpdateEventType::Snapshot));
        assert_eq!((u.count(), u.entries().count()), (2, 2));
        assert_eq!(u.total.and_then(View::as_i64), Some(3));
        let odd = Doc::parse_str(r#"{"payload": {"virtualNumbers": {}}}"#).unwrap();
        assert_eq!(NumberUpdate::of(odd.root()).count(), 0);
    }
}
