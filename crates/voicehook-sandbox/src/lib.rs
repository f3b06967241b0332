//! An offline 8x8 CPaaS Voice API that calls your server back.
//!
//! The sandbox answers every path of 8x8's Voice and Number Masking OpenAPI files on loopback,
//! with responses of their documented shapes. Send Callflow, the Webhooks API, virtual numbers
//! and recording push configurations keep state. A created session is played by the core's
//! call engine ([`voicehook::call`]). Each webhook it produces (VCS, VSS, VRU) is POSTed to the
//! URL registered for its type, with the registered `httpAuthHeader` as the `Authorization`
//! header. 8x8's pages do not name the header that carries `httpAuthHeader`; `Authorization` is
//! the sandbox's choice. Each call action (VCA) is POSTed too, and the answer's body is the reply
//! callflow: it is checked, then played.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = voicehook_sandbox::Sandbox::bind(voicehook_sandbox::Config::default()).await?;
//! println!("8x8 Voice API sandbox on {}", sandbox.url());
//! sandbox.serve(async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! # Ok(()) }
//! ```
//!
//! What it does not do, and why:
//! - It speaks plain HTTP, both ways: it is a server on your machine for your code on your
//!   machine. It sends nothing anywhere but the URLs you register.
//! - 8x8 documents no retry policy, delivery order or duplicate rate for webhooks. The sandbox
//!   delivers each session's webhooks in order and retries a failed one twice (after 1 s, then
//!   2 s). A scenario can change this, and can add duplicates, delays, jitter and reordering
//!   ([`scenario::Delivery`]). A call action is never retried: 8x8 ends the session with -2003
//!   instead.
//! - It keeps the newest [`state::MAX_SESSIONS`] sessions and [`record::MAX_EXCHANGES`] exchanges
//!   in memory; a `--record` file keeps every exchange.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

pub mod api;
pub mod deliver;
pub mod record;
pub mod replay;
pub mod scenario;
pub mod session;
pub mod state;

pub use scenario::Scenario;

/// The time now, as a timestamp (`2026-01-13T08:00:00.000Z`).
pub(crate) fn now() -> String {
    voicehook::time::system_now()
        .and_then(voicehook::time::format_millis)
        .unwrap_or_default()
}

/// A serde_json error's message, without the position it ends with.
pub(crate) fn what(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rsplit_once(" at line ") {
        Some((m, _)) => m.to_owned(),
        None => message,
    }
}

/// A serde_json error as `LINE:COLUMN: what is wrong`.
pub(crate) fn at(e: &serde_json::Error) -> String {
    format!("{}:{}: {}", e.line(), e.column(), what(e))
}

/// The live view `/` serves: sessions as timelines, each webhook with its verdict.
pub const VIEW: &str = include_str!("view.html");

/// The speech profiles `GET .../speech-profiles` lists (code, locale, description, gender).
pub const SPEECH_PROFILES: &[(&str, &str, &str, &str)] = &[
    ("en-US-Standard-A", "en-US", "EnglishUS", "F"),
    ("en-US-ZiraRUS", "en-US", "EnglishUS", "F"),
    ("en-GB-Standard-B", "en-GB", "EnglishUK", "M"),
    ("da-DK-Naja", "da-DK", "Danish", "F"),
];

/// How fast calls play.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// As fast as the deliveries go: no waiting for speech, ringing or keys.
    Instant,
    /// This many times real time (1 is real time).
    Factor(f64),
}

impl std::str::FromStr for Speed {
    type Err = String;
    fn from_str(s: &str) -> Result<Speed, String> {
        if s == "instant" {
            return Ok(Speed::Instant);
        }
        match s.parse::<f64>() {
            Ok(f) if f.is_finite() && f > 0.0 => Ok(Speed::Factor(f)),
            _ => Err(format!(
                "the speed is `instant` or how many times real time (1, 10, 0.5), found {s:?}"
            )),
        }
    }
}

/// The settings a sandbox runs with.
#[derive(Clone, Debug)]
pub struct Config {
    /// The address to listen on (default `127.0.0.1:8787`).
    pub addr: SocketAddr,
    /// How fast calls play (default real time).
    pub speed: Speed,
    /// The API key: requests carry `Authorization: Bearer <key>` (default `sandbox`).
    pub api_key: String,
    /// What the sandbox starts with and how it delivers.
    pub scenario: Scenario,
    /// Where every exchange is written as NDJSON.
    pub record: Option<std::path::PathBuf>,
    /// Log to standard error: each refused request with voicehook's reason, each failed
    /// delivery, each session's end (off by default; the CLI turns it on).
    pub log: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8787)),
            speed: Speed::Factor(1.0),
            api_key: "sandbox".into(),
            scenario: Scenario::default(),
            record: None,
            log: false,
        }
    }
}

/// Why a sandbox cannot start.
#[derive(Debug)]
pub enum StartError {
    /// The port is taken.
    PortInUse(SocketAddr),
    /// Another failure to listen.
    Listen(SocketAddr, std::io::Error),
    /// The record file cannot be written.
    Record(std::path::PathBuf, std::io::Error),
    /// A webhook of the scenario cannot be registered.
    Scenario(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::PortInUse(addr) => write!(
                f,
                "port {} is in use on {}: stop what listens there, or pass another --port (0 \
                 picks a free one)",
                addr.port(),
                addr.ip()
            ),
            StartError::Listen(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            StartError::Record(path, e) => write!(f, "cannot write {}: {e}", path.display()),
            StartError::Scenario(e) => write!(f, "scenario: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// A sandbox listening on its port, ready to serve.
pub struct Sandbox {
    listener: tokio::net::TcpListener,
    shared: Arc<state::Shared>,
    addr: SocketAddr,
}

impl state::Shared {
    /// A fresh id for a request: a version-4 UUID drawn from the run's seed and a counter.
    pub fn request_id(&self) -> String {
        let n = self
            .requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut rng = deliver::Rng::new(self.seed ^ n.wrapping_mul(0xA076_1D64_78BD_642F));
        let (a, b) = (rng.draw(), rng.draw());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

impl Sandbox {
    /// Listens on `config.addr` and registers the scenario's webhooks.
    pub async fn bind(config: Config) -> Result<Sandbox, StartError> {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AddrInUse => StartError::PortInUse(config.addr),
                _ => StartError::Listen(config.addr, e),
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| StartError::Listen(config.addr, e))?;
        let file = match &config.record {
            Some(path) => {
                Some(std::fs::File::create(path).map_err(|e| StartError::Record(path.clone(), e))?)
            }
            None => None,
        };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|e| StartError::Scenario(format!("the HTTP client: {e}")))?;
        let mut hooks = std::collections::BTreeMap::new();
        for hook in &config.scenario.webhooks {
            // Without a sub-account, the webhook serves every one (`*`).
            let sub = hook
                .sub_account_id
                .clone()
                .unwrap_or_else(|| "*".to_owned());
            hooks.insert(
                (sub, hook.kind.clone()),
                state::Hook {
                    url: hook.url.clone(),
                    auth: hook.http_auth_header.clone(),
                    enabled: true,
                },
            );
        }
        let seed = config.scenario.seed.unwrap_or_else(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            nanos ^ (u64::from(std::process::id()) << 32)
        });
        let shared = Arc::new(state::Shared {
            config,
            hooks: std::sync::Mutex::new(hooks),
            push: std::sync::Mutex::default(),
            sessions: std::sync::Mutex::default(),
            recorder: record::Recorder::new(file),
            client,
            started: std::sync::atomic::AtomicU64::new(0),
            seed,
            requests: std::sync::atomic::AtomicU64::new(0),
        });
        Ok(Sandbox {
            listener,
            shared,
            addr,
        })
    }

    /// The base URL of the API, such as `http://127.0.0.1:8787`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What the handlers and sessions share (for tests and embedding).
    pub fn shared(&self) -> Arc<state::Shared> {
        Arc::clone(&self.shared)
    }

    /// Places the scenario's inbound calls and serves until `shutdown` completes; then stops
    /// taking requests and finishes those under way (sessions still playing stop with the
    /// runtime).
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        for call in self.shared.config.scenario.calls.clone() {
            let shared = Arc::clone(&self.shared);
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(call.after)).await;
                let to = call.to.clone();
                let placed = api::place(&shared, call);
                if !placed.status().is_success() {
                    shared.log(&format!(
                        "the scenario's call to {to} could not be placed (HTTP {})",
                        placed.status().as_u16()
                    ));
                }
            });
        }
        let app = api::router(Arc::clone(&self.shared));
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }
}
