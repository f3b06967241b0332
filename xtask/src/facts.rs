//! The facts of the 8x8 reference that the code tables of `crates/voicehook/src/codes/` must agree
//! with, extracted into `tests/fixtures/reference/facts.json` by `cargo xtask fixtures`.
//!
//! Only facts are kept: code numbers, 8x8's messages and reason phrases, status values, MOS bands,
//! thresholds, webhook types, source addresses, each with the page (or OpenAPI file) it comes
//! from. The pages' prose stays out. The core's unit tests compare their tables with this file;
//! `cargo xtask fixtures --check` compares this file with a fresh extraction.
//!
//! Every extractor fails, naming the page and what it looked for, when a page no longer has the
//! shape it reads: a changed page is a drift to look at, never an empty list.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

const SESSION_ERROR_PAGES: [&str; 2] = [
    "error-codes--voice-error-codes-reference.md",
    "error-codes--voice-error-codes.md",
];
const STATUS_REFERENCE: &str = "error-codes--voice-status-codes-reference.md";
const STATUS_DETAILED: &str = "error-codes--voice-status-codes.md";
const NUMBER_MASKING_ERRORS: &str = "error-codes--number-masking-error-codes.md";
const SIP: &str = "sip-response-codes--sip-response-codes.md";
const VOICE_MESSAGING: &str = "voice-messaging--session-status.md";
const NM_SUMMARY: &str = "number-masking--session-summary-number-masking.md";
const VCA_GUIDE: &str = "webhook-guides--voice-call-action-webhook-guide.md";
const VCS: &str = "number-masking--number-masking-call-status.md";
const VRU: &str = "number-masking--number-masking-call-recordings.md";
const VNU: &str = "number-masking--virtual-number-updated.md";
const IVR_SUMMARY: &str = "ivr--session-summary-ivr.md";
const IPS: &str = "voice-ip-addresses.md";
const OPENAPI: [&str; 2] = ["voice_v1_api.json", "number_masking_api.json"];
const WEBHOOKS: &str = "/api/v1/subaccounts/{subAccountId}/webhooks";
const WEBHOOK_BY_TYPE: &str = "/api/v1/subaccounts/{subAccountId}/webhooks/{webhook-type}";

/// The facts document (key order fixed, for a stable file).
pub fn extract(reference: &Path) -> Result<Value> {
    let pages = Pages(reference.join("8x8-voice-docs"));
    let mut session_errors = Vec::new();
    for page in SESSION_ERROR_PAGES {
        session_errors.push(json!({"page": page, "rows": code_rows(&pages.read(page)?, page)?}));
    }
    let detailed = code_rows(&pages.read(STATUS_DETAILED)?, STATUS_DETAILED)?;
    let sip = pages.read(SIP)?;
    let vm = pages.read(VOICE_MESSAGING)?;
    let nm = pages.read(NM_SUMMARY)?;
    let sip_session = section_statuses(&sip, "### Session Status Values", SIP)?;
    let sip_leg = section_statuses(&sip, "### Call Leg Status Values", SIP)?;
    let list = |page: &str, values: BTreeSet<String>| json!({"page": page, "values": values});
    let mut call_action = upper_words(field_row(&pages.read(VCA_GUIDE)?, "callStatus", VCA_GUIDE)?);
    // "(applicable to Inbound IVR and Number Masking)": a product name, not a status.
    call_action.remove("IVR");
    let statuses = json!({
        "session": [
            list(SIP, sip_session),
            list(VOICE_MESSAGING, upper_words(field_row(&vm, "sessionStatus", VOICE_MESSAGING)?)),
            list(NM_SUMMARY, upper_words(field_row(&nm, "sessionStatus", NM_SUMMARY)?)),
        ],
        "leg": [
            list(SIP, sip_leg),
            list(VOICE_MESSAGING, upper_words(field_row(&vm, "callStatus", VOICE_MESSAGING)?)),
            list(NM_SUMMARY, upper_words(field_row(&nm, "callStatus", NM_SUMMARY)?)),
        ],
        "call-action": [list(VCA_GUIDE, call_action)],
        "call-status": [list(VCS, upper_words(field_row(&pages.read(VCS)?, "callStatus", VCS)?))],
        "recording": [list(VRU, upper_words(field_row(&pages.read(VRU)?, "status", VRU)?))],
        "virtual-number": [list(VNU, bold_words(field_row(&pages.read(VNU)?, "operationalStatus", VNU)?))],
    });
    let ivr = pages.read(IVR_SUMMARY)?;
    let ips = pages.read(IPS)?;
    Ok(json!({
        "about": "Facts of the 8x8 reference pages the code tables must agree with. Written by `cargo xtask fixtures`; do not edit.",
        "sessionErrors": session_errors,
        "apiStatus": {"page": STATUS_REFERENCE, "rows": code_rows(&pages.read(STATUS_REFERENCE)?, STATUS_REFERENCE)?},
        "apiStatusDetailedCodes": {
            "page": STATUS_DETAILED,
            "codes": detailed.iter().map(|r| r["code"].clone()).collect::<Vec<_>>(),
        },
        "numberMaskingErrors": {
            "page": NUMBER_MASKING_ERRORS,
            "rows": code_rows(&pages.read(NUMBER_MASKING_ERRORS)?, NUMBER_MASKING_ERRORS)?,
        },
        "sipCodes": {"page": SIP, "rows": sip_rows(&sip)?},
        "statuses": statuses,
        "errorOnlyInSessionStatus": {
            "page": SIP,
            "stated": sip.contains("`ERROR` status only applies to `sessionStatus`"),
        },
        "numberMaskingLegTable": {"page": NM_SUMMARY, "rows": nm_leg_rows(&nm)?},
        "mosBands": {"page": IVR_SUMMARY, "bands": mos_bands(&ivr)?},
        "networkGuidance": network_guidance(&ivr)?,
        "webhookTypes": webhook_types(reference)?,
        "webhooksApiStatus": webhooks_api_status(reference)?,
        "sourceIps": source_ips(&ips)?,
    }))
}

/// The pages folder.
struct Pages(std::path::PathBuf);

impl Pages {
    fn read(&self, name: &str) -> Result<String> {
        let path = self.0.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    }
}

/// The cells of a Markdown table row (`| a | b |` → `["a", "b"]`), or `None` for another line.
fn cells(line: &str) -> Option<Vec<&str>> {
    let inner = line.trim().strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(inner.split('|').map(str::trim).collect())
}

/// `{code, message}` of every table row whose first cell is an integer, in page order (a code
/// listed twice keeps its first row).
fn code_rows(text: &str, page: &str) -> Result<Vec<Value>> {
    let mut rows: Vec<(i64, String)> = Vec::new();
    for c in text.lines().filter_map(cells) {
        let (Some(code), Some(message)) = (
            c.first().and_then(|c| c.trim_matches('`').parse().ok()),
            c.get(1),
        ) else {
            continue;
        };
        if !rows.iter().any(|(seen, _)| *seen == code) {
            rows.push((code, message.to_string()));
        }
    }
    if rows.is_empty() {
        bail!("{page}: no table row starts with a code");
    }
    Ok(rows
        .into_iter()
        .map(|(code, message)| json!({"code": code, "message": message}))
        .collect())
}

/// `{code, reason, commonCause}` of every SIP code row, in page order; `commonCause` says whether
/// the row names one (a `Common Cause` cell other than `-`), not what it says.
fn sip_rows(text: &str) -> Result<Vec<Value>> {
    let mut rows = Vec::new();
    for c in text.lines().filter_map(cells) {
        let Some(code) = c.first().and_then(|c| c.parse::<u16>().ok()) else {
            continue;
        };
        let reason = c.get(1).copied().unwrap_or_default();
        let cause = c.get(3).is_some_and(|c| !c.is_empty() && *c != "-");
        rows.push(json!({"code": code, "reason": reason, "commonCause": cause}));
    }
    if rows.is_empty() {
        bail!("{SIP}: no SIP code rows");
    }
    Ok(rows)
}

/// The row of the field table whose first cell is `name`.
fn field_row<'a>(text: &'a str, name: &str, page: &str) -> Result<&'a str> {
    let prefix = format!("| {name} |");
    text.lines()
        .find(|l| l.starts_with(&prefix))
        .with_context(|| format!("{page}: no `{name}` row in a field table"))
}

/// The upper-case words of at least four letters in `line` (`NO\_ANSWER` unescaped).
fn upper_words(line: &str) -> BTreeSet<String> {
    line.replace('\\', "")
        .split(|c: char| !(c.is_ascii_uppercase() || c == '_'))
        .filter(|w| w.len() >= 4 && w.chars().any(|c| c.is_ascii_uppercase()))
        .map(str::to_owned)
        .collect()
}

/// The `**bold**` words of `line` (the VNU page writes its statuses so: `**Active**`).
fn bold_words(line: &str) -> BTreeSet<String> {
    line.split("**")
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The back-ticked first cells of the table under the heading `heading`.
fn section_statuses(text: &str, heading: &str, page: &str) -> Result<BTreeSet<String>> {
    let found: BTreeSet<String> = text
        .lines()
        .skip_while(|l| !l.starts_with(heading))
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect();
    if found.is_empty() {
        bail!("{page}: no status table under {heading:?}");
    }
    Ok(found)
}

/// Number Masking's leg table as printed: `{callA, callB, session}`, `callB` null for `NULL`.
fn nm_leg_rows(text: &str) -> Result<Vec<Value>> {
    let rows: Vec<Value> = text
        .lines()
        .skip_while(|l| !l.starts_with("| CallA Status |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(cells)
        .map(|c| {
            let b = c.get(1).copied().filter(|b| *b != "NULL");
            json!({"callA": c[0], "callB": b, "session": c.get(2).copied()})
        })
        .collect();
    if rows.is_empty() {
        bail!("{NM_SUMMARY}: no `| CallA Status |` table");
    }
    Ok(rows)
}

/// The `- a-b: Name` lines of the quality section, best first.
fn mos_bands(text: &str) -> Result<Vec<Value>> {
    let bands: Vec<Value> = quality_section(text)
        .filter_map(|l| l.trim().strip_prefix("- "))
        .filter_map(|l| l.split_once(": "))
        .filter_map(|(range, name)| {
            let (lo, hi) = range.split_once('-')?;
            let (lo, hi): (f64, f64) = (lo.parse().ok()?, hi.parse().ok()?);
            Some(json!({"min": lo, "max": hi, "name": name.trim()}))
        })
        .collect();
    if bands.is_empty() {
        bail!("{IVR_SUMMARY}: no MOS bands under \"## Understanding Call Quality Metrics\"");
    }
    Ok(bands)
}

fn quality_section(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .skip_while(|l| !l.starts_with("## Understanding Call Quality Metrics"))
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
}

/// The thresholds of the quality section: packet loss "above a-b%", jitter "above Nms".
fn network_guidance(text: &str) -> Result<Value> {
    let after_above = |label: &str, unit: &str| -> Result<String> {
        quality_section(text)
            .find(|l| l.contains(label))
            .and_then(|l| l.split_once("above ").map(|(_, rest)| rest))
            .and_then(|rest| rest.split_once(unit).map(|(n, _)| n.to_owned()))
            .with_context(|| format!("{IVR_SUMMARY}: no \"{label} ... above N{unit}\" line"))
    };
    let loss = after_above("**Packet Loss Rate**", "%")?;
    let percent: Vec<f64> = loss
        .split('-')
        .map(|n| n.trim().parse().context("a packet loss percentage"))
        .collect::<Result<_>>()?;
    let jitter: f64 = after_above("**Jitter**", "ms")?
        .trim()
        .parse()
        .context("the jitter threshold")?;
    Ok(json!({"page": IVR_SUMMARY, "packetLossPercent": percent, "jitterMs": jitter}))
}

fn openapi(reference: &Path, file: &str) -> Result<Value> {
    let path = reference.join("openapi").join(file);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{file} is not JSON"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Each OpenAPI file's create-body `type` enum and delete-path `webhook-type` enum.
fn webhook_types(reference: &Path) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for file in OPENAPI {
        let api = openapi(reference, file)?;
        let paths = &api["paths"];
        let create = strings(
            &paths[WEBHOOKS]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
                ["type"]["enum"],
        );
        let delete = paths[WEBHOOK_BY_TYPE]["delete"]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "webhook-type"))
            .map(|p| strings(&p["schema"]["enum"]))
            .unwrap_or_default();
        if create.is_empty() || delete.is_empty() {
            bail!("{file}: no webhook type enum on the create body or the delete path");
        }
        out.push(json!({"file": file, "create": create, "delete": delete}));
    }
    Ok(out)
}

/// The `statusCode` and `statusMessage` of each Webhooks API success example.
fn webhooks_api_status(reference: &Path) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for file in OPENAPI {
        let api = openapi(reference, file)?;
        for (path, method) in [
            (WEBHOOKS, "post"),
            (WEBHOOKS, "get"),
            (WEBHOOK_BY_TYPE, "delete"),
        ] {
            let example = &api["paths"][path][method]["responses"]["200"]["content"]["application/json"]
                ["schema"]["example"];
            let (Some(code), Some(message)) = (
                example["statusCode"].as_i64(),
                example["statusMessage"].as_str(),
            ) else {
                bail!(
                    "{file}: {method} {path} has no 200 example with statusCode and statusMessage"
                );
            };
            out.push(json!({
                "file": file,
                "operation": format!("{} {path}", method.to_uppercase()),
                "statusCode": code,
                "statusMessage": message,
            }));
        }
    }
    Ok(out)
}

/// The address table: `{region, address}` per listed address, and the list's date.
fn source_ips(text: &str) -> Result<Value> {
    let mut rows = Vec::new();
    for c in text
        .lines()
        .skip_while(|l| !l.starts_with("| Platform Region |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(cells)
    {
        let region = c.first().copied().unwrap_or_default();
        for address in c.get(1).copied().unwrap_or_default().split(',') {
            rows.push(json!({"region": region, "address": address.trim()}));
        }
    }
    if rows.is_empty() {
        bail!("{IPS}: no `| Platform Region |` table");
    }
    let updated = text
        .lines()
        .find_map(|l| l.split_once("updated on:"))
        .map(|(_, date)| date.trim().trim_end_matches(['*', '.']).trim().to_owned());
    Ok(json!({"page": IPS, "updated": updated, "rows": rows}))
}

/// Where two facts documents differ: one line per differing value (at most `limit`), each with
/// its JSON Pointer and both values.
pub fn diff(committed: &Value, fresh: &Value, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    walk_diff(committed, fresh, String::new(), &mut out);
    if out.len() > limit {
        let more = out.len() - limit;
        out.truncate(limit);
        out.push(format!("... and {more} more"));
    }
    out
}

fn walk_diff(a: &Value, b: &Value, pointer: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                match (x.get(k), y.get(k)) {
                    (Some(a), Some(b)) => walk_diff(a, b, p, out),
                    (Some(a), None) => {
                        out.push(format!("{p}: committed {a}, gone from the reference"))
                    }
                    (None, Some(b)) => {
                        out.push(format!("{p}: not committed, the reference has {b}"))
                    }
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (a, b)) in x.iter().zip(y).enumerate() {
                walk_diff(a, b, format!("{pointer}/{i}"), out);
            }
        }
        _ if a != b => out.push(format!("{pointer}: committed {a}, the reference has {b}")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_split_a_row() {
        assert_eq!(
            cells("| -2004 | No coverage |"),
            Some(vec!["-2004", "No coverage"])
        );
        assert_eq!(cells("text"), None);
    }

    #[test]
    fn code_rows_need_a_code_column() {
        let rows = code_rows(
            "| Code | Message |\n| --- | --- |\n| -1 | a |\n| 2 | b |\n",
            "p",
        )
        .unwrap();
        assert_eq!(
            rows,
            vec![
                json!({"code": -1, "message": "a"}),
                json!({"code": 2, "message": "b"})
            ]
        );
        assert!(code_rows("no table", "p").is_err());
    }

    #[test]
    fn diff_names_each_differing_value() {
        let a = json!({"x": [1, 2], "y": "a", "z": 1});
        let b = json!({"x": [1, 3], "y": "a", "w": 2});
        assert_eq!(
            diff(&a, &b, 10),
            vec![
                "/w: not committed, the reference has 2",
                "/x/1: committed 2, the reference has 3",
                "/z: committed 1, gone from the reference",
            ]
        );
        assert_eq!(diff(&a, &a, 10), Vec::<String>::new());
        assert_eq!(diff(&a, &b, 1).len(), 2);
    }
}
