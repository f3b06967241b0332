//! What a receiver does with a webhook body: read it typed, log what is wrong, explain it.
//!
//! ```text
//! cargo run -p voicehook --example receive -- webhook.json
//! cargo run -p voicehook --example receive -- - < webhook.json
//! ```
//!
//! Without input it reads Voice Messaging's documented session summary, which spells its leg
//! `CallA` and writes `"null"` for a missing reference id: the typed document has `callA` and a
//! real `None`.

use std::io::Read as _;

use voicehook::models::vss::VssWebhook;
use voicehook::{Document, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let body = match std::env::args_os().nth(1) {
        Some(path) if path == "-" => {
            let mut body = Vec::new();
            std::io::stdin().read_to_end(&mut body)?;
            body
        }
        Some(path) => std::fs::read(path)?,
        None => {
            let example = voicehook::fixtures::named("voice-messaging--session-status.1")
                .ok_or("the documented example is missing")?;
            serde_json::to_vec(&example.document)?
        }
    };

    // Any kind: the document typed by the kind it reads as, and the report beside it.
    let read = voicehook::read(&body, &Options::default());
    for finding in read.report.errors.iter().chain(&read.report.warnings) {
        println!(
            "{}: {} {}",
            finding.pointer,
            finding.rule.as_str(),
            finding.message
        );
    }
    match read.document {
        Some(Document::Vss(summary)) => print_summary(&summary),
        Some(other) => println!("a valid {}", other.kind()),
        // An unusable body is still answered 200 by a receiver: 8x8 would only send it again.
        None => println!("unusable: {} error(s)", read.report.errors.len()),
    }

    // What it means, in words.
    if let Ok(decoded) = voicehook::decode(&body) {
        println!("{}", decoded.summary);
    }
    Ok(())
}

fn print_summary(summary: &VssWebhook) {
    let payload = &summary.payload;
    println!(
        "session {} ended {}",
        payload.session_id, payload.session_status
    );
    for (key, leg) in &payload.details {
        let reference = leg.source_ref_id.as_deref().unwrap_or("no reference id");
        println!(
            "  {key}: {} → {} ({reference})",
            leg.source, leg.destination
        );
    }
}
