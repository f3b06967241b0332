//! `voicehook simulate`: plays a call with the core's call engine and prints what happens.
//!
//! The answers to call actions come from files (`--reply-with DIR`), from the integrator's
//! running server (`--reply-url URL`, each VCA POSTed as 8x8 would), or from nowhere (the call
//! action gets no answer, and the session ends as it would).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use voicehook::call::{self, Event, Reply, Script, Start, What};

use crate::safe::Esc;

/// Where the answers to call actions come from.
pub enum Replies {
    /// Nothing answers.
    None,
    /// Files in a folder (see [`reply_files`]).
    Dir(PathBuf),
    /// A running server.
    Url {
        /// Where to POST each VCA.
        url: String,
        /// An `Authorization` header value, as the webhook's `httpAuthHeader` would send.
        auth: Option<String>,
    },
}

/// How the session went: the exit status.
pub enum Ended {
    /// The session ended without a session error.
    Clean,
    /// The callflow was refused or the session ended with ERROR.
    Failed,
}

/// The answer files tried for a call action, in order: `<step>.<dtmf>.json`, `<step>.json`,
/// `default.json`, where `<step>` is the VCA's `clientActionId` (`start` when it has none, or
/// `received` for a call that just arrived) and `<dtmf>` the digits (`none` when nothing was
/// captured).
pub fn reply_files(vca: &Value) -> Vec<String> {
    let p = &vca["payload"];
    let step = match (p["callStatus"].as_str(), p["clientActionId"].as_str()) {
        (Some("CALL_RECEIVED"), _) => "received".to_owned(),
        (_, Some(id)) => id.to_owned(),
        _ => "start".to_owned(),
    };
    let mut files = Vec::new();
    if p["callStatus"] == "ACTION_COMPLETED" {
        let dtmf = p["eventData"]["dtmf"].as_str().unwrap_or("none");
        files.push(format!("{step}.{dtmf}.json"));
    }
    files.push(format!("{step}.json"));
    files.push("default.json".to_owned());
    files
}

fn from_dir(dir: &Path, vca: &Value, notes: &mut Vec<String>) -> Reply {
    let tried = reply_files(vca);
    for name in &tried {
        let path = dir.join(name);
        if let Ok(bytes) = std::fs::read(&path) {
            notes.push(format!("answered with {}", path.display()));
            return Reply::Body(bytes);
        }
    }
    notes.push(format!(
        "no answer file in {} (tried {}): the call action gets no answer",
        dir.display(),
        tried.join(", ")
    ));
    Reply::Timeout
}

fn from_url(
    agent: &ureq::Agent,
    timeout: Duration,
    url: &str,
    auth: Option<&str>,
    vca: &Value,
    notes: &mut Vec<String>,
) -> Reply {
    let body = serde_json::to_vec(vca).unwrap_or_default();
    let mut request = agent
        .post(url)
        .header("Content-Type", "application/json")
        .header("User-Agent", "voicehook-simulate");
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    match request.send(&body[..]) {
        Ok(mut response) => {
            let status = response.status().as_u16();
            if status != 200 {
                notes.push(format!("{url} answered HTTP {status}"));
                return Reply::Status(status);
            }
            match response
                .body_mut()
                .with_config()
                .limit(1 << 20)
                .read_to_vec()
            {
                Ok(bytes) => Reply::Body(bytes),
                Err(e) => {
                    notes.push(format!("reading the answer of {url} failed: {e}"));
                    Reply::Timeout
                }
            }
        }
        Err(ureq::Error::Timeout(_)) => {
            notes.push(format!(
                "{url} did not answer within the reply timeout ({} ms)",
                timeout.as_millis()
            ));
            Reply::Timeout
        }
        Err(e) => {
            notes.push(format!("cannot reach {url}: {e} (is your server running?)"));
            Reply::Timeout
        }
    }
}

/// What cannot work before the call starts: a reply folder that is not one, an address that is
/// not http(s). Said as a usage error rather than as call actions that go unanswered.
pub fn check(replies: &Replies) -> Result<(), String> {
    match replies {
        Replies::None => Ok(()),
        Replies::Dir(dir) => match std::fs::read_dir(dir) {
            Ok(_) => Ok(()),
            Err(e) => Err(format!(
                "cannot read the reply folder {}: {e}",
                dir.display()
            )),
        },
        Replies::Url { url, .. } => {
            let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
            match scheme.as_deref() {
                Some("http" | "https") if url.parse::<ureq::http::Uri>().is_ok() => Ok(()),
                _ => Err(format!(
                    "--reply-url should be an http:// or https:// address such as \
                     http://localhost:3000/vca, found {url:?}"
                )),
            }
        }
    }
}

/// Plays the call, printing each event as it happens: a transcript line, or (`json`) one
/// NDJSON line per event.
pub fn run(
    out: &mut dyn Write,
    start: Start<'_>,
    script: &Script,
    replies: &Replies,
    json: bool,
) -> io::Result<Result<Ended, String>> {
    let timeout = Duration::from_millis(script.reply_timeout.unwrap_or(5_000));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let mut call = match call::Call::new(start, script) {
        Ok(call) => call,
        Err(e) => return Ok(Err(e.to_string())),
    };
    if matches!(replies, Replies::None) && !json {
        writeln!(
            out,
            "(no --reply-with or --reply-url: call actions get no answer)"
        )?;
    }
    let mut failed = false;
    loop {
        let waiting = call.run();
        for event in call.take_events() {
            failed |= matches!(
                &event.what,
                What::Refused { .. }
                    | What::Ended {
                        error_code: Some(_),
                        ..
                    }
            );
            print(out, &event, json)?;
        }
        let vca = match waiting {
            call::Waiting::Done => break,
            call::Waiting::Reply { webhook } => webhook,
            // Not interactive: never asked.
            call::Waiting::Keys { .. } => {
                call.press(call::Keys::Digits(String::new()));
                continue;
            }
        };
        let mut notes = Vec::new();
        let reply = match replies {
            Replies::None => Reply::Timeout,
            Replies::Dir(dir) => from_dir(dir, &vca, &mut notes),
            Replies::Url { url, auth } => {
                from_url(&agent, timeout, url, auth.as_deref(), &vca, &mut notes)
            }
        };
        for note in notes {
            if json {
                let line = serde_json::json!({"t": call.elapsed(), "event": "note", "text": note});
                writeln!(out, "{line}")?;
            } else {
                writeln!(out, "{:>9}  ({})", "", Esc(&note))?;
            }
        }
        call.reply(reply);
    }
    Ok(Ok(if failed { Ended::Failed } else { Ended::Clean }))
}

fn print(out: &mut dyn Write, event: &Event, json: bool) -> io::Result<()> {
    if json {
        return writeln!(out, "{}", serde_json::to_string(event).unwrap_or_default());
    }
    writeln!(out, "{}", Esc(&event.line()))
}
