//! `voicehook sandbox` and `voicehook replay`: start the sandbox, re-send a record. Only I/O:
//! the sandbox is the voicehook-sandbox crate.

use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use voicehook_sandbox::{Config, Sandbox, Scenario, Speed};

use crate::safe::Esc;

/// What `voicehook sandbox` was given.
#[derive(clap::Args)]
pub struct Options {
    /// The port; 0 picks a free one (the first line printed is the base URL).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// The interface to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// How fast calls play: `instant`, or how many times real time (1, 10).
    #[arg(long, default_value = "1", allow_negative_numbers = true)]
    pub speed: Speed,
    /// The API key your requests carry as `Authorization: Bearer <key>`.
    #[arg(long, default_value = "sandbox")]
    pub api_key: String,
    /// A scenario file: webhooks, numbers, callee scripts, inbound calls, delivery faults.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Write every exchange (API calls, webhooks, answers, voicehook's reports) as NDJSON
    /// (the file is created, or emptied first).
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// The share of VCS, VSS and VRU webhooks delivered twice (0 to 1); call actions are
    /// answered, never duplicated.
    #[arg(long, value_name = "RATE")]
    pub duplicates: Option<f64>,
    /// The share of VCS and VSS webhooks delivered after the next one (0 to 1).
    #[arg(long, value_name = "RATE")]
    pub reorder: Option<f64>,
    /// Milliseconds before each delivery.
    #[arg(long, value_name = "MS")]
    pub delay: Option<u64>,
    /// Up to this many milliseconds more, at random.
    #[arg(long, value_name = "MS")]
    pub jitter: Option<u64>,
    /// Tries after a failed delivery (not 2xx, timeout, refused); call actions are never retried.
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,
}

fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// Reads the scenario file and applies the flags over it.
pub fn scenario(options: &Options) -> Result<Scenario, String> {
    let mut scenario = match &options.scenario {
        Some(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Scenario::read(&bytes).map_err(|e| format!("{}:{e}", path.display()))?
        }
        None => Scenario::default(),
    };
    let d = &mut scenario.delivery;
    if let Some(v) = options.duplicates {
        d.duplicates = v;
    }
    if let Some(v) = options.reorder {
        d.reorder = v;
    }
    if let Some(v) = options.delay {
        d.delay_ms = v;
    }
    if let Some(v) = options.jitter {
        d.jitter_ms = v;
    }
    if let Some(v) = options.retries {
        d.retries = v;
    }
    scenario.check()?;
    Ok(scenario)
}

/// Serves until Ctrl-C (or SIGTERM); the first line printed is the base URL.
pub fn serve(out: &mut dyn Write, options: Options) -> io::Result<Result<(), String>> {
    let scenario = match scenario(&options) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let config = Config {
        addr: SocketAddr::new(options.host, options.port),
        speed: options.speed,
        api_key: options.api_key.clone(),
        scenario,
        record: options.record.clone(),
        log: true,
    };
    let rt = runtime()?;
    rt.block_on(async {
        let sandbox = match Sandbox::bind(config).await {
            Ok(s) => s,
            Err(e) => return Ok(Err(e.to_string())),
        };
        let url = sandbox.url();
        writeln!(out, "{url}")?;
        writeln!(
            out,
            "voicehook sandbox: the 8x8 Voice API on {url} (Authorization: Bearer {}); live view \
             on {url}/, sessions on {url}/sandbox/sessions; Ctrl-C stops it",
            Esc(&options.api_key)
        )?;
        if let Some(path) = &options.record {
            writeln!(out, "recording every exchange to {}", path.display())?;
        }
        if !options.host.is_loopback() {
            writeln!(
                out,
                "warning: listening on {}: anyone who reaches this machine can use the API with \
                 the key {:?}",
                options.host,
                Esc(&options.api_key).to_string()
            )?;
        }
        out.flush()?;
        let shared = sandbox.shared();
        sandbox.serve(stopped()).await?;
        if let Some(e) = shared.recorder.failure() {
            return Ok(Err(format!("writing the record stopped: {e}")));
        }
        Ok(Ok(()))
    })
}

/// The first Ctrl-C or SIGTERM: stop taking requests and finish those under way. A second one,
/// or 10 s with a connection still open, stops at once.
async fn stopped() {
    signal().await;
    tokio::spawn(async {
        tokio::select! {
            () = signal() => eprintln!("voicehook sandbox: stopped at once"),
            () = tokio::time::sleep(Duration::from_secs(10)) => {
                eprintln!("voicehook sandbox: connections still open after 10 s: stopped");
            }
        }
        std::process::exit(130);
    });
}

async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Re-sends the webhooks of a record file to `to`; Ok(true) when each was answered 2xx.
pub fn replay(
    out: &mut dyn Write,
    file: &std::path::Path,
    to: &str,
    auth: Option<&str>,
    json: bool,
) -> io::Result<Result<bool, String>> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return Ok(Err(format!("cannot read {}: {e}", file.display()))),
    };
    let exchanges = match voicehook_sandbox::replay::read(&text) {
        Ok(x) => x,
        Err(e) => return Ok(Err(format!("{}:{e}", file.display()))),
    };
    if exchanges.is_empty() {
        return Ok(Err(format!(
            "{} holds no webhook delivery (a record of `voicehook sandbox --record FILE`)",
            file.display()
        )));
    }
    if let Err(e) = voicehook_sandbox::scenario::check_url(to) {
        return Ok(Err(format!("--to {e}")));
    }
    let rt = runtime()?;
    let mut failed = io::Result::Ok(());
    let sent = rt.block_on(voicehook_sandbox::replay::send(
        &exchanges,
        to,
        auth,
        Duration::from_secs(10),
        |r| {
            let line = if json {
                serde_json::to_string(r).unwrap_or_default()
            } else {
                let got = match (r.status, &r.error) {
                    (Some(s), _) => format!("HTTP {s}"),
                    (None, Some(e)) => format!("no answer: {e}"),
                    (None, None) => "no answer".into(),
                };
                let was = r
                    .recorded_status
                    .map_or_else(String::new, |s| format!(" (recorded: {s})"));
                format!(
                    "#{:<5} {:<22} {got}{was} in {} ms",
                    r.seq, r.event_type, r.ms
                )
            };
            if failed.is_ok() {
                failed = writeln!(out, "{}", Esc(&line));
            }
        },
    ));
    failed?;
    if !json {
        let ok = sent
            .iter()
            .filter(|r| r.status.is_some_and(|s| (200..300).contains(&s)))
            .count();
        writeln!(
            out,
            "{} webhooks sent to {to}: {ok} answered 2xx",
            sent.len()
        )?;
    }
    Ok(Ok(sent.iter().all(|r| {
        r.status.is_some_and(|s| (200..300).contains(&s))
    })))
}
