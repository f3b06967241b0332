//! SIP response codes as 8x8 reports them in `sipCode` (VCA and VCS webhooks).

use serde::Serialize;

/// One SIP response code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SipCode {
    /// The code, 100–699.
    pub code: u16,
    /// The standard reason phrase.
    pub reason: &'static str,
    /// What it means for a call.
    pub meaning: &'static str,
    /// The usual cause, where the 8x8 page names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<&'static str>,
}

impl SipCode {
    /// `"1xx provisional"` … `"6xx global failure"`.
    pub fn class(&self) -> &'static str {
        match self.code / 100 {
            1 => "1xx provisional",
            2 => "2xx success",
            3 => "3xx redirection",
            4 => "4xx client error",
            5 => "5xx server error",
            _ => "6xx global failure",
        }
    }

    /// What to do about it: the page's troubleshooting advice for the codes it names, otherwise
    /// the advice for the class (do not retry a 4xx unchanged, retry a 5xx with backoff, do not
    /// retry a 6xx).
    pub fn hint(&self) -> &'static str {
        match self.code {
            100..=199 => "Nothing to do: the call is still being set up.",
            200 | 202 => "Nothing to do: the call connected or the request was taken.",
            300..=399 => "The destination is elsewhere; 8x8 normally follows redirects itself.",
            403 | 603 => {
                "Check that the caller ID is a verified 8x8 number allowed for the destination \
                 country, and whether the destination blocks you; do not retry unchanged."
            }
            404 | 484 | 604 => {
                "Check the number: E.164 with the + and the right country code; do not retry unchanged."
            }
            408 | 480 => {
                "The destination could not be reached: check it is valid and reachable, and retry later."
            }
            487 => "Usually normal: the caller hung up while it was ringing. Nothing to fix.",
            415 | 488 | 606 => {
                "A codec or media mismatch; 8x8 offers G.711 (PCMU/PCMA) and G.722 \
                 - check what your SIP endpoint accepts."
            }
            486 | 600 => "The callee was busy; retry later.",
            400..=499 => {
                "Correct the request before retrying; the same request fails the same way."
            }
            500..=599 => {
                "Retry with exponential backoff; contact 8x8 CPaaS support if it persists."
            }
            _ => "Do not retry: the call cannot complete anywhere.",
        }
    }
}

const fn s(
    code: u16,
    reason: &'static str,
    meaning: &'static str,
    cause: Option<&'static str>,
) -> SipCode {
    SipCode {
        code,
        reason,
        meaning,
        cause,
    }
}

/// Every SIP response code on 8x8's SIP page.
pub static SIP_CODES: &[SipCode] = &[
    s(
        100,
        "Trying",
        "The request arrived and is being worked on.",
        None,
    ),
    s(180, "Ringing", "The called phone is ringing.", None),
    s(
        181,
        "Call Is Being Forwarded",
        "The call is being passed on to another destination.",
        None,
    ),
    s(
        182,
        "Queued",
        "The destination is busy for now and the call waits in a queue.",
        None,
    ),
    s(
        183,
        "Session Progress",
        "Early progress information about the call (e.g. early media).",
        None,
    ),
    s(200, "OK", "The call was answered.", None),
    s(
        202,
        "Accepted",
        "The request was taken but is not finished yet.",
        None,
    ),
    s(
        300,
        "Multiple Choices",
        "The destination can be reached at several addresses.",
        None,
    ),
    s(
        301,
        "Moved Permanently",
        "The destination no longer answers at this address.",
        None,
    ),
    s(
        302,
        "Moved Temporarily",
        "The destination answers at another address for now.",
        None,
    ),
    s(
        305,
        "Use Proxy",
        "The destination must be reached through a proxy.",
        None,
    ),
    s(
        380,
        "Alternative Service",
        "The call failed, but other services could reach the destination.",
        None,
    ),
    s(
        400,
        "Bad Request",
        "The request was malformed.",
        Some("A malformed number or SIP header"),
    ),
    s(
        401,
        "Unauthorized",
        "The request needs authentication.",
        Some("Wrong credentials"),
    ),
    s(
        402,
        "Payment Required",
        "Reserved; used in some prepaid or billing setups.",
        None,
    ),
    s(
        403,
        "Forbidden",
        "The network refuses to place this call.",
        Some("A caller ID not allowed, or a barred destination"),
    ),
    s(
        404,
        "Not Found",
        "The number does not exist where it was sent.",
        Some("An invalid phone number"),
    ),
    s(
        405,
        "Method Not Allowed",
        "The request type is not supported by the target.",
        None,
    ),
    s(
        406,
        "Not Acceptable",
        "The answer cannot match what the request accepts.",
        None,
    ),
    s(
        407,
        "Proxy Authentication Required",
        "A proxy on the way needs authentication.",
        None,
    ),
    s(
        408,
        "Request Timeout",
        "No complete answer came in time.",
        Some("Network trouble or an unreachable destination"),
    ),
    s(
        410,
        "Gone",
        "The number existed but is no longer in service.",
        Some("A disconnected number"),
    ),
    s(
        413,
        "Request Entity Too Large",
        "The request body is too large for the server.",
        None,
    ),
    s(
        414,
        "Request-URI Too Long",
        "The destination address is too long to handle.",
        None,
    ),
    s(
        415,
        "Unsupported Media Type",
        "The body's format is not supported.",
        Some("Incompatible codecs"),
    ),
    s(
        416,
        "Unsupported URI Scheme",
        "The address scheme is unknown to the server.",
        None,
    ),
    s(
        420,
        "Bad Extension",
        "A required protocol extension was not understood.",
        None,
    ),
    s(
        421,
        "Extension Required",
        "The server needs an extension the request did not offer.",
        None,
    ),
    s(
        423,
        "Interval Too Brief",
        "An expiry time in the request is too short.",
        None,
    ),
    s(
        480,
        "Temporarily Unavailable",
        "The called device cannot take calls right now.",
        Some("The phone is off or out of coverage"),
    ),
    s(
        481,
        "Call/Transaction Does Not Exist",
        "The request matches no known call.",
        None,
    ),
    s(
        482,
        "Loop Detected",
        "The request came back to a server it had passed.",
        None,
    ),
    s(
        483,
        "Too Many Hops",
        "The request passed through too many servers.",
        None,
    ),
    s(484, "Address Incomplete", "The number is incomplete.", None),
    s(
        485,
        "Ambiguous",
        "The number matches more than one destination.",
        None,
    ),
    s(
        486,
        "Busy Here",
        "The called party is busy or declined (do-not-disturb included).",
        Some("The line is in use"),
    ),
    s(
        487,
        "Request Terminated",
        "The call was cancelled before it was answered.",
        Some("The caller hung up while it rang"),
    ),
    s(
        488,
        "Not Acceptable Here",
        "Part of the media description was refused.",
        Some("An SDP or codec mismatch"),
    ),
    s(
        491,
        "Request Pending",
        "Another request of the same call is still pending.",
        None,
    ),
    s(
        493,
        "Undecipherable",
        "An encrypted body could not be decrypted.",
        None,
    ),
    s(
        500,
        "Server Internal Error",
        "A server on the way failed unexpectedly.",
        Some("A passing platform problem"),
    ),
    s(
        501,
        "Not Implemented",
        "A server does not support what was asked.",
        None,
    ),
    s(
        502,
        "Bad Gateway",
        "An upstream network gave an invalid answer.",
        Some("A carrier connectivity problem"),
    ),
    s(
        503,
        "Service Unavailable",
        "The service is unavailable for now.",
        Some("Maintenance or lack of capacity"),
    ),
    s(
        504,
        "Server Timeout",
        "An upstream network did not answer in time.",
        Some("A slow carrier"),
    ),
    s(
        505,
        "Version Not Supported",
        "The SIP version is not supported.",
        None,
    ),
    s(
        513,
        "Message Too Large",
        "The message is longer than the server accepts.",
        None,
    ),
    s(
        600,
        "Busy Everywhere",
        "Every device of the called party is busy.",
        Some("No endpoint free"),
    ),
    s(
        603,
        "Decline",
        "The called party rejected the call.",
        Some("The recipient declined"),
    ),
    s(
        604,
        "Does Not Exist Anywhere",
        "The number exists nowhere.",
        Some("A non-existent number"),
    ),
    s(
        606,
        "Not Acceptable",
        "The call's parameters were refused everywhere.",
        Some("Incompatible session requirements"),
    ),
];

/// The SIP code `code`, if the 8x8 page lists it.
pub fn sip(code: i64) -> Option<&'static SipCode> {
    SIP_CODES.iter().find(|s| i64::from(s.code) == code)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::codes::tests::{assert_same, fact, items, text};

    #[test]
    fn every_code_on_the_sip_page_is_here() {
        let page = fact("/sipCodes");
        let listed: BTreeSet<i64> = items(page, "/rows")
            .iter()
            .map(|r| r["code"].as_i64().unwrap())
            .collect();
        let ours: BTreeSet<i64> = SIP_CODES.iter().map(|s| i64::from(s.code)).collect();
        assert_same("SIP codes", text(page, "/page"), ours, listed);
    }

    /// Reason phrases are the page's, and a code has a cause exactly when the page names one.
    #[test]
    fn reason_phrases_and_causes_follow_the_page() {
        for r in items(fact("/sipCodes"), "/rows") {
            let code = r["code"].as_i64().unwrap();
            let ours = sip(code).unwrap_or_else(|| panic!("SIP {code} missing"));
            assert_eq!(ours.reason, text(r, "/reason"), "SIP {code} reason phrase");
            assert_eq!(
                Some(ours.cause.is_some()),
                r["commonCause"].as_bool(),
                "SIP {code}: the page {} a common cause",
                if r["commonCause"] == true {
                    "names"
                } else {
                    "names no"
                }
            );
        }
    }

    #[test]
    fn hints_follow_the_troubleshooting_table() {
        assert!(sip(404).unwrap().hint().contains("E.164"));
        assert!(sip(603).unwrap().hint().contains("caller ID"));
        assert!(sip(503).unwrap().hint().contains("backoff"));
        assert!(sip(420).unwrap().hint().contains("Correct the request"));
        assert!(sip(487).unwrap().hint().contains("hung up"));
        for s in SIP_CODES {
            assert!(!s.hint().is_empty());
        }
    }

    #[test]
    fn classes_follow_the_first_digit() {
        assert_eq!(sip(487).unwrap().class(), "4xx client error");
        assert_eq!(sip(603).unwrap().class(), "6xx global failure");
        assert!(sip(299).is_none());
    }
}
