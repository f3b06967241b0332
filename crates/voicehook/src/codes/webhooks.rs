//! The five webhook types (Webhooks API `type` ↔ payload `eventType`) and the addresses 8x8
//! Voice sends webhooks from.

use std::net::IpAddr;

use serde::Serialize;

/// One of the five webhooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookType {
    /// The Webhooks API type: VSS, VCA, VCS, VRU, VNU.
    pub code: &'static str,
    /// The full name.
    pub name: &'static str,
    /// The `eventType` its payloads carry.
    pub event_type: &'static str,
    /// What it is for.
    pub purpose: &'static str,
    /// In the `type` enum of the OpenAPI create body.
    pub creatable: bool,
    /// In the `webhook-type` enum of the OpenAPI delete path (contradiction 9: VNU is missing there).
    pub deletable: bool,
}

const fn w(
    code: &'static str,
    name: &'static str,
    event_type: &'static str,
    purpose: &'static str,
    deletable: bool,
) -> WebhookType {
    WebhookType {
        code,
        name,
        event_type,
        purpose,
        creatable: true,
        deletable,
    }
}

/// The five webhook types.
pub static WEBHOOK_TYPES: &[WebhookType] = &[
    w(
        "VSS",
        "Voice Session Summary",
        "SESSION_SUMMARY",
        "a summary of every call session when it ends",
        true,
    ),
    w(
        "VCA",
        "Voice Call Action",
        "CALL_ACTION",
        "asks your server for the next callflow during a call",
        true,
    ),
    w(
        "VCS",
        "Voice Call Status",
        "CALL_STATUS",
        "each state change of a call leg",
        true,
    ),
    w(
        "VRU",
        "Voice Recording Uploaded",
        "CALL_RECORDING_STATUS",
        "progress of a call recording on its way to your storage",
        true,
    ),
    w(
        "VNU",
        "Virtual Number Updated",
        "VIRTUAL_NUMBER_UPDATE",
        "changes to the state of your virtual numbers",
        false,
    ),
];

/// The webhook type with Webhooks API type `code` (`"VSS"`…, case-insensitive).
pub fn webhook_type(code: &str) -> Option<&'static WebhookType> {
    WEBHOOK_TYPES
        .iter()
        .find(|t| t.code.eq_ignore_ascii_case(code.trim()))
}

/// The webhook type whose payloads carry `eventType` `event_type`.
pub fn webhook_type_for_event(event_type: &str) -> Option<&'static WebhookType> {
    WEBHOOK_TYPES.iter().find(|t| t.event_type == event_type)
}

/// One address (or CIDR range) 8x8 Voice sends webhooks from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceIp {
    /// The platform region.
    pub region: &'static str,
    /// An IPv4 or IPv6 address, or a range as `address/prefix`.
    pub address: &'static str,
}

const fn ip(region: &'static str, address: &'static str) -> SourceIp {
    SourceIp { region, address }
}

/// When 8x8 last updated [`SOURCE_IPS`], as its page says.
pub const SOURCE_IPS_UPDATED: &str = "January 1st, 2026";

/// The addresses 8x8 Voice sends webhooks from (the page lists single IPv4 addresses, list dated
/// January 1st, 2026).
pub static SOURCE_IPS: &[SourceIp] = &[
    ip("Asia Pacific (Singapore)", "18.140.80.2"),
    ip("Asia Pacific (Singapore)", "52.220.253.234"),
    ip("Asia Pacific (Singapore)", "54.255.116.8"),
    ip("Asia Pacific (Singapore)", "52.74.232.241"),
];

/// True when `addr` (IPv4 or IPv6 text, surrounding spaces ignored; an IPv4-mapped IPv6 address
/// counts as its IPv4 address) is one of [`SOURCE_IPS`] or inside one of its ranges.
pub fn is_8x8_source_ip(addr: &str) -> bool {
    source_ip(addr).is_some()
}

/// The [`SOURCE_IPS`] entry `addr` matches, if any (see [`is_8x8_source_ip`]).
pub fn source_ip(addr: &str) -> Option<&'static SourceIp> {
    let ip = unmap(addr.trim().parse::<IpAddr>().ok()?);
    SOURCE_IPS.iter().find(|s| contains(s.address, ip))
}

fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// True when `entry` (an address, or `address/prefix`) covers `ip`. A malformed entry covers nothing.
fn contains(entry: &str, ip: IpAddr) -> bool {
    let (base, prefix) = match entry.split_once('/') {
        Some((base, prefix)) => match prefix.parse::<u32>() {
            Ok(p) => (base, Some(p)),
            Err(_) => return false,
        },
        None => (entry, None),
    };
    let Ok(base) = base.parse::<IpAddr>() else {
        return false;
    };
    match (unmap(base), ip) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => {
            same_prefix(&net.octets(), &ip.octets(), prefix.unwrap_or(32))
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) => {
            same_prefix(&net.octets(), &ip.octets(), prefix.unwrap_or(128))
        }
        _ => false,
    }
}

/// True when the first `bits` bits of `a` and `b` agree (false when `bits` is too long).
fn same_prefix(a: &[u8], b: &[u8], bits: u32) -> bool {
    let Ok(bits) = usize::try_from(bits) else {
        return false;
    };
    if bits > a.len() * 8 {
        return false;
    }
    let (whole, rest) = (bits / 8, bits % 8);
    if a.get(..whole) != b.get(..whole) {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    match (a.get(whole), b.get(whole)) {
        (Some(x), Some(y)) => x & mask == y & mask,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::{fact, items, text};

    fn strings<'a>(v: &'a serde_json::Value, pointer: &str) -> Vec<&'a str> {
        items(v, pointer)
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect()
    }

    /// Contradiction 9: create accepts VNU, the OpenAPI delete path does not list it. Both
    /// OpenAPI files say so, and the table records both facts.
    #[test]
    fn contradiction_09_vnu_can_be_created_but_not_deleted() {
        let files = items(fact("/webhookTypes"), "");
        assert_eq!(files.len(), 2);
        for f in files {
            let file = text(f, "/file");
            let (create, delete) = (strings(f, "/create"), strings(f, "/delete"));
            assert_eq!(create.len(), 5, "{file}");
            for t in WEBHOOK_TYPES {
                assert_eq!(
                    create.contains(&t.code),
                    t.creatable,
                    "{file} create {}",
                    t.code
                );
                assert_eq!(
                    delete.contains(&t.code),
                    t.deletable,
                    "{file} delete {}",
                    t.code
                );
            }
        }
        let vnu = webhook_type("vnu").unwrap();
        assert!(vnu.creatable && !vnu.deletable);
    }

    #[test]
    fn event_types_match_the_kinds() {
        assert_eq!(WEBHOOK_TYPES.len(), 5);
        for t in WEBHOOK_TYPES {
            assert_eq!(
                crate::Kind::from_event_type(t.event_type).map(|k| k.id()),
                Some(t.code.to_ascii_lowercase().as_str())
            );
            assert_eq!(webhook_type_for_event(t.event_type), Some(t));
        }
        assert!(webhook_type("XYZ").is_none());
    }

    #[test]
    fn source_ips_match_the_page() {
        let page = fact("/sourceIps");
        let mut listed: Vec<(&str, &str)> = items(page, "/rows")
            .iter()
            .map(|r| (text(r, "/region"), text(r, "/address")))
            .collect();
        listed.sort_unstable();
        let mut ours: Vec<(&str, &str)> =
            SOURCE_IPS.iter().map(|s| (s.region, s.address)).collect();
        ours.sort_unstable();
        assert_eq!(ours, listed, "{}", text(page, "/page"));
        assert_eq!(SOURCE_IPS_UPDATED, text(page, "/updated"));
        for (_, address) in &listed {
            assert!(
                !address.contains('/'),
                "the page now lists a range: {address}"
            );
        }
        for s in SOURCE_IPS {
            assert!(is_8x8_source_ip(s.address), "{}", s.address);
        }
    }

    #[test]
    fn source_ip_matching() {
        assert!(is_8x8_source_ip(" 18.140.80.2 "));
        assert!(is_8x8_source_ip("::ffff:18.140.80.2"));
        assert_eq!(
            source_ip("52.74.232.241").map(|s| s.region),
            Some("Asia Pacific (Singapore)")
        );
        for no in [
            "10.0.0.1",
            "18.140.80.3",
            "::1",
            "nonsense",
            "",
            "18.140.80.2/32",
        ] {
            assert!(!is_8x8_source_ip(no), "{no}");
        }
    }

    #[test]
    fn ranges_are_understood() {
        let v4 = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(contains("10.1.0.0/16", v4("10.1.255.7")));
        assert!(!contains("10.1.0.0/16", v4("10.2.0.1")));
        assert!(contains("10.1.2.128/25", v4("10.1.2.200")));
        assert!(!contains("10.1.2.128/25", v4("10.1.2.127")));
        assert!(contains("0.0.0.0/0", v4("192.0.2.1")));
        assert!(contains("2001:db8::/32", v4("2001:db8:1::5")));
        assert!(!contains("2001:db8::/32", v4("2001:db9::5")));
        assert!(!contains("10.0.0.0/33", v4("10.0.0.1")));
        assert!(!contains("10.0.0.0/x", v4("10.0.0.1")));
        assert!(!contains("10.0.0.0/8", v4("2001:db8::1")));
    }
}
