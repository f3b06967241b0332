//! What statuses mean, the Number Masking leg-status table, MOS bands, webhook types and the
//! addresses 8x8 Voice sends webhooks from.

use std::net::IpAddr;

use serde::Serialize;

/// The meaning of one status value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusMeaning {
    /// The status as 8x8 writes it.
    pub status: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// True when it is a good outcome.
    pub success: bool,
}

const fn m(status: &'static str, meaning: &'static str, success: bool) -> StatusMeaning {
    StatusMeaning {
        status,
        meaning,
        success,
    }
}

/// Session statuses, leg statuses, VCS and VCA call statuses, VRU recording statuses and VNU
/// operational statuses.
pub static STATUSES: &[StatusMeaning] = &[
    m("COMPLETED", "connected and ended normally", true),
    m("NO_ANSWER", "rang but nobody answered", false),
    m("BUSY", "the destination was busy", false),
    m("CANCELED", "ended by the caller before it connected", false),
    m("FAILED", "could not be placed or completed", false),
    m("ERROR", "ended by an error; errorDetails says which", false),
    m(
        "COMPLETED_UNSUBSCRIBED",
        "the message played and the listener opted out",
        true,
    ),
    m(
        "COMPLETED_UNSUB_ERROR",
        "the listener asked to opt out but adding them to the block list failed",
        false,
    ),
    m(
        "UNSUBSCRIBED_CONTACT",
        "not called: the contact had already opted out",
        false,
    ),
    m(
        "CALL_INITIATED",
        "8x8 started placing an outbound leg",
        true,
    ),
    m(
        "CALL_RECEIVED",
        "an inbound call reached 8x8 and waits for your callflow",
        true,
    ),
    m("CALL_CONNECTED", "the leg was answered", true),
    m("CALL_DISCONNECTED", "the leg ended", true),
    m("CALL_UPDATED", "something about the leg changed", true),
    m("DTMF_RECEIVED", "the caller pressed keys", true),
    m(
        "ACTION_COMPLETED",
        "the last action of your callflow finished; answer with the next callflow",
        true,
    ),
    m("PROCESSING", "the recording is being prepared", true),
    m(
        "PROCESSING_FAILED",
        "the recording could not be prepared",
        false,
    ),
    m(
        "UPLOAD_COMPLETED",
        "the recording was uploaded to your storage",
        true,
    ),
    m(
        "UPLOAD_FAILED",
        "uploading the recording to your storage failed",
        false,
    ),
    m(
        "CALLBACK_COMPLETED",
        "8x8 delivered the recording notification",
        true,
    ),
    m(
        "CALLBACK_FAILED",
        "8x8 could not deliver the recording notification",
        false,
    ),
    m("UNKNOWN", "the recording's state is unknown", false),
    m("Active", "the virtual number works", true),
    m(
        "Unhealthy",
        "the virtual number has a problem and may not take calls",
        false,
    ),
    m(
        "Expiring",
        "the virtual number will soon stop working",
        false,
    ),
    m("Inactive", "the virtual number no longer works", false),
];

/// The meaning of a status value. Accepts the documented variants `NO ANSWER` and `CANCELLED`
/// (contradictions 7 and 11), which read as `NO_ANSWER` and `CANCELED`.
pub fn status_meaning(status: &str) -> Option<&'static StatusMeaning> {
    let canonical = match status {
        "NO ANSWER" => "NO_ANSWER",
        "CANCELLED" => "CANCELED",
        other => other,
    };
    STATUSES.iter().find(|s| s.status == canonical)
}

/// Number Masking: the session status that follows from callA's and callB's statuses
/// (`None` for callB when there was no outbound leg). `None` when the pair is not in the table.
pub fn nm_session_status(call_a: &str, call_b: Option<&str>) -> Option<&'static str> {
    let b = call_b.map(|s| if s == "NO ANSWER" { "NO_ANSWER" } else { s });
    Some(match (call_a, b) {
        ("COMPLETED", Some("COMPLETED")) => "COMPLETED",
        ("COMPLETED", Some("NO_ANSWER")) => "NO_ANSWER",
        ("COMPLETED", Some("BUSY")) => "BUSY",
        ("COMPLETED", Some("FAILED")) => "FAILED",
        ("CANCELED", Some("CANCELED")) => "CANCELED",
        ("COMPLETED", None) => "COMPLETED",
        ("ERROR", None) => "ERROR",
        ("COMPLETED", Some("ERROR")) => "ERROR",
        _ => return None,
    })
}

/// A band of Mean Opinion Score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MosBand {
    /// Excellent, Good, Fair, Poor or Bad.
    pub name: &'static str,
    /// Lowest score of the band.
    pub min: f64,
    /// What callers hear.
    pub meaning: &'static str,
}

/// MOS bands, best first.
pub static MOS_BANDS: &[MosBand] = &[
    MosBand {
        name: "Excellent",
        min: 4.3,
        meaning: "clear audio, as good as a phone call gets",
    },
    MosBand {
        name: "Good",
        min: 4.0,
        meaning: "clear audio with rare imperfections",
    },
    MosBand {
        name: "Fair",
        min: 3.6,
        meaning: "noticeable imperfections, still easy to follow",
    },
    MosBand {
        name: "Poor",
        min: 3.1,
        meaning: "degraded audio that takes effort to follow",
    },
    MosBand {
        name: "Bad",
        min: 1.0,
        meaning: "audio too degraded for a normal conversation",
    },
];

/// The band a MOS falls in; `None` outside 1.0–5.0.
pub fn mos_band(mos: f64) -> Option<&'static MosBand> {
    if !(1.0..=5.0).contains(&mos) {
        return None;
    }
    MOS_BANDS.iter().find(|b| mos >= b.min)
}

/// Packet loss above this rate (a fraction) starts to hurt audio.
pub const PACKET_LOSS_WARN: f64 = 0.01;
/// Jitter above this many milliseconds starts to hurt audio.
pub const JITTER_WARN_MS: f64 = 30.0;

/// One of the five webhooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookType {
    /// The Webhooks API type: VSS, VCA, VCS, VRU, VNU.
    pub code: &'static str,
    /// The `eventType` its payloads carry.
    pub event_type: &'static str,
    /// What it is for.
    pub purpose: &'static str,
    /// Accepted by the Webhooks API create call.
    pub creatable: bool,
    /// Listed in the OpenAPI's delete path (contradiction 9: VNU is missing there).
    pub deletable: bool,
}

/// The five webhook types.
pub static WEBHOOK_TYPES: &[WebhookType] = &[
    WebhookType {
        code: "VSS",
        event_type: "SESSION_SUMMARY",
        purpose: "a summary of every call session when it ends",
        creatable: true,
        deletable: true,
    },
    WebhookType {
        code: "VCA",
        event_type: "CALL_ACTION",
        purpose: "asks your server for the next callflow during a call",
        creatable: true,
        deletable: true,
    },
    WebhookType {
        code: "VCS",
        event_type: "CALL_STATUS",
        purpose: "each state change of a call leg",
        creatable: true,
        deletable: true,
    },
    WebhookType {
        code: "VRU",
        event_type: "CALL_RECORDING_STATUS",
        purpose: "a call recording is ready in your storage",
        creatable: true,
        deletable: true,
    },
    WebhookType {
        code: "VNU",
        event_type: "VIRTUAL_NUMBER_UPDATE",
        purpose: "changes to your virtual numbers",
        creatable: true,
        deletable: false,
    },
];

/// The addresses 8x8 Voice sends webhooks from, by region.
pub static SOURCE_IPS: &[(&str, &str)] = &[
    ("Asia Pacific (Singapore)", "18.140.80.2"),
    ("Asia Pacific (Singapore)", "52.220.253.234"),
    ("Asia Pacific (Singapore)", "54.255.116.8"),
    ("Asia Pacific (Singapore)", "52.74.232.241"),
];

/// True when `addr` (IPv4 or IPv6 text) is one of [`SOURCE_IPS`].
pub fn is_8x8_source_ip(addr: &str) -> bool {
    let Ok(ip) = addr.trim().parse::<IpAddr>() else {
        return false;
    };
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    SOURCE_IPS
        .iter()
        .any(|(_, s)| s.parse::<IpAddr>().is_ok_and(|known| known == ip))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::page;

    #[test]
    fn every_documented_status_has_a_meaning() {
        let text = [
            page("sip-response-codes--sip-response-codes.md"),
            page("voice-messaging--session-status.md"),
            page("number-masking--session-summary-number-masking.md"),
        ]
        .join("\n");
        for word in [
            "COMPLETED_UNSUBSCRIBED",
            "COMPLETED_UNSUB_ERROR",
            "UNSUBSCRIBED_CONTACT",
            "NO_ANSWER",
            "CANCELED",
        ] {
            assert!(text.contains(word), "{word} is not on the pages");
            assert!(status_meaning(word).is_some(), "{word}");
        }
        assert_eq!(status_meaning("NO ANSWER").unwrap().status, "NO_ANSWER");
        assert_eq!(status_meaning("CANCELLED").unwrap().status, "CANCELED");
    }

    #[test]
    fn the_number_masking_table_is_complete() {
        let text = page("number-masking--session-summary-number-masking.md");
        let rows: Vec<Vec<String>> = text
            .lines()
            .filter(|l| {
                l.starts_with("| COMPLETED")
                    || l.starts_with("| CANCELED")
                    || l.starts_with("| ERROR")
            })
            .map(|l| l.split('|').map(|c| c.trim().to_owned()).collect())
            .filter(|c: &Vec<String>| c.len() > 4)
            .collect();
        assert_eq!(rows.len(), 8, "{rows:?}");
        for r in rows {
            let b = if r[2] == "NULL" {
                None
            } else {
                Some(r[2].as_str())
            };
            let expected = r[3].replace("NO ANSWER", "NO_ANSWER");
            assert_eq!(
                nm_session_status(&r[1], b),
                Some(expected.as_str()),
                "{r:?}"
            );
        }
        assert_eq!(nm_session_status("BUSY", Some("BUSY")), None);
    }

    #[test]
    fn mos_bands_follow_the_guide() {
        assert_eq!(mos_band(4.5).unwrap().name, "Excellent");
        assert_eq!(mos_band(4.1).unwrap().name, "Good");
        assert_eq!(mos_band(3.0).unwrap().name, "Bad");
        assert!(mos_band(0.5).is_none());
        let text = page("ivr--session-summary-ivr.md");
        for b in MOS_BANDS {
            assert!(text.contains(b.name), "{}", b.name);
        }
    }

    #[test]
    fn source_ips_match_the_page() {
        let text = page("voice-ip-addresses.md");
        for (_, ip) in SOURCE_IPS {
            assert!(text.contains(ip), "{ip}");
            assert!(is_8x8_source_ip(ip));
        }
        let mut listed: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit() && c != '.')
            .filter(|t| t.parse::<std::net::Ipv4Addr>().is_ok())
            .collect();
        listed.sort_unstable();
        listed.dedup();
        let mut ours: Vec<&str> = SOURCE_IPS.iter().map(|(_, ip)| *ip).collect();
        ours.sort_unstable();
        assert_eq!(ours, listed);
        assert!(is_8x8_source_ip("::ffff:18.140.80.2"));
        assert!(!is_8x8_source_ip("10.0.0.1"));
        assert!(!is_8x8_source_ip("nonsense"));
    }

    /// Contradiction 9: create accepts VNU, the OpenAPI delete path does not list it.
    #[test]
    fn contradiction_09_vnu_can_be_created_but_not_deleted() {
        let vnu = WEBHOOK_TYPES.iter().find(|w| w.code == "VNU").unwrap();
        assert!(vnu.creatable && !vnu.deletable);
        assert_eq!(WEBHOOK_TYPES.len(), 5);
        for w in WEBHOOK_TYPES {
            assert_eq!(
                crate::Kind::from_event_type(w.event_type).map(|k| k.id()),
                Some(w.code.to_ascii_lowercase().as_str())
            );
        }
    }
}
