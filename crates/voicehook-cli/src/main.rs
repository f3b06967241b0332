//! `voicehook`: validate, decode and explain 8x8 CPaaS Voice webhooks and callflows from a terminal.
//!
//! This binary only converts: it reads files, calls the `voicehook` crate and prints.
//! Exit status: 0 when every input is valid (`code`: when something matched), 1 when any is
//! invalid (`code`: when nothing matched), 2 on a usage error or when an input could not be
//! read (it is reported and skipped; the other inputs are still checked). When standard output
//! is closed early (`voicehook validate big.json | head -1`) it stops quietly, with the status
//! of what it checked so far.

use std::io::{self, BufWriter, ErrorKind, IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use voicehook::{Kind, Options};

mod render;
mod safe;
mod sandbox;
mod simulate;
mod snippet;

use safe::Esc;

const AFTER_HELP: &str = "\
Exit status: 0 when every input is valid; 1 when one is invalid (`code`: nothing matched);
2 on a usage error or when an input could not be read: it is reported on standard error and
skipped, and the other inputs are still checked. When the output is closed early (`| head`),
voicehook stops quietly with the status of what it checked so far.

Each input is read up to the size limit (10 MB) and one byte more; a larger one is reported as
json.size without reading the rest. Long lines are shown as a window of about 120 columns
around the column. Control characters (C0 but tab, DEL, C1) and bidirectional controls
(U+202A-U+202E, U+2066-U+2069) in document text and file names are printed as escapes:
\\u{1b} in text, \\u001b in JSON.";

/// Validate, decode and explain 8x8 CPaaS Voice webhooks and callflows.
#[derive(Parser)]
#[command(name = "voicehook", version, about, long_about = None, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check documents and report every error with its position.
    Validate {
        #[command(flatten)]
        common: Common,
        /// Report documented quirks (e.g. `CallA`, `"NO ANSWER"`) as errors instead of rewriting them.
        #[arg(long)]
        strict: bool,
        /// What to print on standard output: the report, or each valid document as voicehook
        /// read it (quirks rewritten to the canonical form), one JSON line per input, with the
        /// report on standard error.
        #[arg(long, value_enum, default_value_t = Emit::Report)]
        emit: Emit,
        /// Files to check; `-` (or nothing) reads standard input.
        files: Vec<String>,
    },
    /// Explain what a document means: outcome, legs, timeline, codes.
    Decode {
        #[command(flatten)]
        common: Common,
        /// The file to decode; `-` reads standard input.
        file: String,
    },
    /// Print a document for your tests: a kind's example or a documented one, with the fields
    /// you set; always one voicehook accepts (times, durations and counts kept in step).
    Example {
        /// A kind (vss, vca, callflow…) or the name of a documented example (see --list).
        #[arg(required_unless_present = "list")]
        of: Option<String>,
        /// A field to set, as path=value: `payload.sessionStatus=BUSY`,
        /// `payload.details.callA.callDuration=12`; the value is read as JSON when it is JSON.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
        /// List the documented examples: name, kind and page.
        #[arg(long)]
        list: bool,
    },
    /// Print the JSON Schema of a kind.
    Schema {
        /// One of: vss, vca, vcs, vru, vnu, callflow, vca-reply, callflow-result, webhook-create, webhook-list.
        kind: Kind,
    },
    /// List every rule with its severity in lenient and strict mode and what it checks.
    Rules {
        /// Print a JSON list of `{ id, lenient, strict, summary }`.
        #[arg(long)]
        json: bool,
    },
    /// Print the addresses 8x8 Voice delivers webhooks from, to allowlist them.
    Ips {
        /// plain: one address per line; nginx: allow lines and `deny all;`; iptables: ACCEPT
        /// rules for the port (ip6tables for IPv6); json: region and address of each.
        #[arg(long, value_enum, default_value_t = render::IpFormat::Plain)]
        format: render::IpFormat,
        /// The port the iptables rules open.
        #[arg(long, default_value_t = 443)]
        port: u16,
    },
    /// Play a call offline: what the caller hears, the keys pressed, and every webhook 8x8 would
    /// POST (VCA, VCS, VSS, VRU), each answered call action run as 8x8 would run it.
    #[command(after_help = SIMULATE_HELP)]
    Simulate {
        /// The Send Callflow body; `-` reads standard input. Leave it out with --inbound.
        #[arg(required_unless_present = "inbound")]
        callflow: Option<String>,
        /// Play a call arriving at a virtual number instead (inbound IVR, Number Masking): the
        /// caller's number and the virtual number.
        #[arg(long, num_args = 2, value_names = ["FROM", "TO"], conflicts_with = "callflow")]
        inbound: Option<Vec<String>>,
        /// What the people on the call do: a JSON file, or JSON itself (`'{"keys": ["1"]}'`).
        /// Without it the callee answers after 3 s and presses nothing.
        #[arg(long, value_name = "FILE|JSON")]
        script: Option<String>,
        /// Answer each call action with a file of this folder (see below).
        #[arg(long, value_name = "DIR", conflicts_with = "reply_url")]
        reply_with: Option<std::path::PathBuf>,
        /// POST each call action to your running server and play its answer.
        #[arg(long, value_name = "URL")]
        reply_url: Option<String>,
        /// The Authorization header sent with --reply-url (your webhook's httpAuthHeader).
        #[arg(long, value_name = "VALUE", requires = "reply_url")]
        auth: Option<String>,
        /// Print one JSON object per event (NDJSON): `{"t": ms, "event": type, ...}`; a
        /// webhook event carries the exact body as `webhook`.
        #[arg(long)]
        json: bool,
    },
    /// Run a local 8x8 Voice API on loopback: it plays the callflows you send and calls your
    /// webhooks back (VCA, VCS, VSS, VRU), as 8x8 would.
    #[command(after_help = SANDBOX_HELP)]
    Sandbox {
        #[command(flatten)]
        options: sandbox::Options,
        /// Check the scenario (and the flags) and exit: 0 when it is valid, 2 with the first
        /// error when not (file:line:column, or the field that is wrong).
        #[arg(long)]
        check: bool,
        /// Print the JSON Schema of scenario files and exit.
        #[arg(long)]
        schema: bool,
    },
    /// Re-send the webhooks of a sandbox record (`sandbox --record FILE`) to your server, in order.
    Replay {
        /// The record file (NDJSON).
        file: std::path::PathBuf,
        /// Where to POST the webhooks: a server (`http://localhost:3000`) gets each at its
        /// recorded path (`/8x8/vca`…); an address with a path gets them all.
        #[arg(long, value_name = "URL")]
        to: String,
        /// The Authorization header to send instead of the recorded one.
        #[arg(long, value_name = "VALUE")]
        auth: Option<String>,
        /// One JSON line per webhook sent.
        #[arg(long)]
        json: bool,
    },
    /// Explain a code, a status value or a MOS score; suggest near ones when nothing matches.
    Code {
        /// A session error, API status, Webhooks API or SIP code (-2004, -1017, 0, 486, SIP 404),
        /// a status value (BUSY, "NO ANSWER") or a MOS score (4.2, "MOS 3.1").
        #[arg(allow_hyphen_values = true)]
        code: String,
    },
}

const SIMULATE_HELP: &str = "\
Script: {\"legs\": [callA, callB], \"keys\": [...], \"defaults\": \"ivr\"|\"openapi\", \"files\": {url: ms},
  \"fail\": [\"tts\"|\"file\"], \"refIds\": {number: ref}, \"subAccountId\": id, \"start\": timestamp,
  \"seed\": n, \"replyTimeout\": ms (default 5000)}
  a leg: {\"outcome\": \"answers\"|\"busy\"|\"no-answer\"|\"fails\"|\"no-coverage\", \"answerAfter\": ms,
          \"sipCode\": 400-699, \"hangUpAfter\": ms after it answered (an inbound caller: after it called)}
  keys, one entry per capture attempt: \"12#\", or {\"digits\": \"12#\", \"after\": ms, \"gap\": ms}
  (after: from the end of the prompt, default 1000; gap: between two keys, default 300)

--reply-with DIR answers a call action with the first file found of <step>.<dtmf>.json,
<step>.json, default.json: <step> is the clientActionId of the reply that asked (start for the
Send Callflow, received for an inbound call), <dtmf> the digits, none when nothing was captured
(start.1.json, menu-2.none.json). --reply-url accepts http:// and https:// addresses.

Exit status: 0 when the session ends without an error, 1 when the callflow is refused or the
session ends with ERROR, 2 on a usage error or an input that cannot be read.";

const SANDBOX_HELP: &str = "\
The API: every path of 8x8's Voice and Number Masking OpenAPI files under
/api/v1/subaccounts/{id}/ (callflows, webhooks, numbers, speech-profiles, recording-push-config,
recordings, messages/exports). The sandbox's own: GET /sandbox/sessions, GET
/sandbox/sessions/{id}, POST /sandbox/sessions/{id}/keys {\"digits\": \"1#\"}, POST /sandbox/calls
{\"from\", \"to\", \"script\"?} (an inbound call), GET /sandbox/exchanges, and the live view at /.

Webhooks go to the URLs registered with the Webhooks API (or the scenario), with their
httpAuthHeader as the Authorization header. 8x8 documents no retry policy: the sandbox retries
twice, after 1 s then 2 s, unless told otherwise. Deliveries are plain HTTP. Each refused
request, failed delivery and finished session is logged on standard error with voicehook's
reason (also in the voicehook-error header of a refusal, and in GET /sandbox/exchanges with
the full report of each body). Ids are new for each run unless the scenario sets a seed.

Scenario: {\"webhooks\": [{\"type\", \"url\", \"httpAuthHeader\"?}], \"numbers\": [...],
  \"callees\": {number (with or without +) or \"*\": script (see simulate --help)},
  \"calls\": [{\"from\", \"to\", \"after\"?}],
  \"delivery\": {\"duplicates\", \"reorder\", \"delayMs\", \"jitterMs\", \"retries\", \"retryAfterMs\",
  \"timeoutMs\"}, \"keypadTimeout\": ms, \"seed\": n, \"subAccountId\": id}
A call no script covers waits for keys from the keypad (the live view, or POST .../keys).";

/// What `validate` prints on standard output.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Emit {
    /// The report of each input.
    Report,
    /// Each valid input's document, normalized (the report goes to standard error).
    Normalized,
}

#[derive(Args)]
struct Common {
    /// Check as this kind instead of detecting it.
    #[arg(long)]
    kind: Option<Kind>,
    /// Print JSON (one document per input) instead of text.
    #[arg(long)]
    json: bool,
    /// Mask phone numbers in the output (keeps the country code and the last 3 digits).
    #[arg(long)]
    mask: bool,
}

/// What the inputs gave so far; the exit status.
#[derive(Default)]
struct Status {
    invalid: bool,
    unreadable: bool,
}

impl Status {
    fn code(&self) -> ExitCode {
        if self.unreadable {
            ExitCode::from(2)
        } else if self.invalid {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// One line of `validate --json`: the input's name and its Report.
#[derive(serde::Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    #[serde(flatten)]
    report: &'a voicehook::Report,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut status = Status::default();
    let mut out = BufWriter::new(io::stdout().lock());
    match run(cli, color, &mut out, &mut status).and_then(|()| out.flush()) {
        Ok(()) => status.code(),
        // the reader has gone (`| head`): nothing more to say, and no one to say it to
        Err(e) if e.kind() == ErrorKind::BrokenPipe => status.code(),
        Err(e) => {
            eprintln!("voicehook: cannot write the output: {e}");
            ExitCode::from(2)
        }
    }
}

fn options(common: &Common, strict: bool) -> Options {
    Options {
        kind: common.kind,
        strict,
        mask: common.mask,
        ..Options::default()
    }
}

/// `voicehook example`: the document, or why there is none (usage errors exit 2, a document
/// the values make invalid exits 1).
fn example(
    out: &mut dyn Write,
    of: Option<&str>,
    set: &[String],
    list: bool,
    status: &mut Status,
) -> io::Result<()> {
    use voicehook::fixtures;
    if list {
        for e in fixtures::documented() {
            writeln!(out, "{:<44} {:<16} {}", e.name, e.kind.id(), Esc(&e.page))?;
        }
        return Ok(());
    }
    let of = of.unwrap_or_default();
    let overrides: Result<Vec<fixtures::Override>, _> =
        set.iter().map(|s| fixtures::Override::parse(s)).collect();
    let built = overrides.and_then(|overrides| match of.parse::<Kind>() {
        Ok(kind) => fixtures::example(kind, &overrides),
        Err(_) => match fixtures::named(of) {
            Some(e) => fixtures::from(
                e.document.clone(),
                e.kind,
                &overrides,
                voicehook::time::system_now(),
            ),
            None => Err(fixtures::ExampleError::Override(format!(
                "{of:?} is neither a kind ({}) nor a documented example (voicehook example --list)",
                Kind::ALL
                    .iter()
                    .map(|k| k.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    });
    match built {
        Ok(doc) => safe::json_pretty(out, &doc),
        Err(e) => {
            out.flush()?;
            let text = e.to_string();
            let mut lines = text.lines();
            eprintln!("voicehook: {}", Esc(lines.next().unwrap_or_default()));
            for line in lines {
                eprintln!("{}", Esc(line));
            }
            match e {
                fixtures::ExampleError::Invalid(_) => status.invalid = true,
                _ => status.unreadable = true,
            }
            Ok(())
        }
    }
}

/// A script given as JSON itself (it starts with `{`) or as the name of a JSON file.
fn read_script(text: &str) -> Result<voicehook::call::Script, String> {
    let (json, what) = if text.trim_start().starts_with('{') {
        (text.to_owned(), "--script".to_owned())
    } else {
        let json = std::fs::read_to_string(text).map_err(|e| format!("cannot read {text}: {e}"))?;
        (json, text.to_owned())
    };
    serde_json::from_str(&json).map_err(|e| format!("{what}: {e}"))
}

/// Reads a named file, or standard input for `-`: at most `max_size + 1` bytes, enough for the
/// core to report `json.size` without the rest being read (`/dev/zero`, an endless stream).
fn read(name: &str, max_size: usize) -> io::Result<Vec<u8>> {
    let limit = u64::try_from(max_size)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut buf = Vec::new();
    if name == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    } else {
        let file = std::fs::File::open(name)?;
        if let Ok(meta) = file.metadata()
            && meta.is_file()
        {
            buf.reserve(usize::try_from(meta.len().min(limit)).unwrap_or(0));
        }
        file.take(limit).read_to_end(&mut buf)?;
    }
    Ok(buf)
}

/// Reads an input, or says on standard error why it cannot be read and marks the status.
fn read_or_report(
    out: &mut dyn Write,
    name: &str,
    max_size: usize,
    status: &mut Status,
) -> io::Result<Option<Vec<u8>>> {
    match read(name, max_size) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) => {
            // what was printed so far comes first
            out.flush()?;
            let what = if name == "-" {
                "standard input".to_owned()
            } else {
                Esc(name).to_string()
            };
            eprintln!("voicehook: cannot read {what}: {}", Esc(&e.to_string()));
            status.unreadable = true;
            Ok(None)
        }
    }
}

fn run(cli: Cli, color: bool, out: &mut dyn Write, status: &mut Status) -> io::Result<()> {
    match cli.command {
        Command::Validate {
            common,
            strict,
            emit,
            files,
        } => {
            let files = if files.is_empty() {
                vec!["-".to_owned()]
            } else {
                files
            };
            let opts = options(&common, strict);
            for name in &files {
                let Some(bytes) = read_or_report(out, name, opts.max_size, status)? else {
                    continue;
                };
                let label = if name == "-" { "<stdin>" } else { name };
                if emit == Emit::Normalized {
                    let read = voicehook::analyze(&bytes, &opts);
                    status.invalid |= !read.report.valid;
                    if let Some(document) = &read.document() {
                        if common.mask {
                            let mut masked = safe::MaskLines::new(&mut *out);
                            safe::json_line(&mut masked, document)?;
                            masked.flush()?;
                        } else {
                            safe::json_line(out, document)?;
                        }
                    }
                    out.flush()?;
                    // The report, as it would be printed, on standard error.
                    let mut err = io::stderr().lock();
                    if common.json {
                        let line = JsonLine {
                            file: label,
                            report: &read.report,
                        };
                        safe::json_line(&mut err, &line)?;
                    } else if !read.report.valid || !read.report.warnings.is_empty() {
                        render::report(&mut err, label, &bytes, &read.report, false, common.mask)?;
                    }
                    continue;
                }
                let report = voicehook::validate_with(&bytes, &opts);
                status.invalid |= !report.valid;
                if common.json {
                    // one line per input, named, so a batch's lines can be told apart
                    safe::json_line(
                        out,
                        &JsonLine {
                            file: label,
                            report: &report,
                        },
                    )?;
                } else {
                    render::report(out, label, &bytes, &report, color, common.mask)?;
                }
                out.flush()?;
            }
            Ok(())
        }
        Command::Decode { common, file } => {
            let opts = options(&common, false);
            let Some(bytes) = read_or_report(out, &file, opts.max_size, status)? else {
                return Ok(());
            };
            let analysis = voicehook::analyze(&bytes, &opts);
            let label = if file == "-" { "<stdin>" } else { &file };
            let decoded = analysis.decode();
            // Like validate: 1 when the document is invalid, though its meaning is still shown.
            status.invalid = decoded.is_none() || !analysis.report.valid;
            let mut masked;
            let view: &mut dyn Write = if common.mask {
                masked = safe::MaskLines::new(&mut *out);
                &mut masked
            } else {
                &mut *out
            };
            if common.json {
                match &decoded {
                    Some(decoded) => safe::json_pretty(view, decoded)?,
                    None => safe::json_pretty(view, &analysis.report)?,
                }
                return view.flush();
            }
            if let Some(decoded) = &decoded {
                render::decoded(view, decoded, color)?;
                if !analysis.report.valid {
                    writeln!(view)?;
                }
            }
            view.flush()?;
            if decoded.is_none() || !analysis.report.valid {
                render::report(out, label, &bytes, &analysis.report, color, common.mask)?;
            }
            Ok(())
        }
        Command::Example { of, set, list } => example(out, of.as_deref(), &set, list, status),
        Command::Schema { kind } => write!(out, "{}", voicehook::schema::render(kind)),
        Command::Rules { json } => {
            if json {
                safe::json_pretty(out, voicehook::catalog::RULES)
            } else {
                render::rules(out, voicehook::catalog::RULES)
            }
        }
        Command::Ips { format, port } => render::ips(out, format, port),
        Command::Simulate {
            callflow,
            inbound,
            script,
            reply_with,
            reply_url,
            auth,
            json,
        } => {
            let script = match script.as_deref().map(read_script).transpose() {
                Ok(script) => script.unwrap_or_default(),
                Err(e) => {
                    eprintln!("voicehook: {}", Esc(&e));
                    status.unreadable = true;
                    return Ok(());
                }
            };
            let body = match &callflow {
                Some(name) => match read_or_report(out, name, voicehook::DEFAULT_MAX_SIZE, status)?
                {
                    Some(bytes) => bytes,
                    None => return Ok(()),
                },
                None => Vec::new(),
            };
            let start = match inbound.as_deref() {
                Some([from, to]) => voicehook::call::Start::Inbound { from, to },
                _ => voicehook::call::Start::Callflow(&body),
            };
            let replies = match (reply_with, reply_url) {
                (Some(dir), _) => simulate::Replies::Dir(dir),
                (None, Some(url)) => simulate::Replies::Url { url, auth },
                (None, None) => simulate::Replies::None,
            };
            if let Err(e) = simulate::check(&replies) {
                eprintln!("voicehook: {}", Esc(&e));
                status.unreadable = true;
                return Ok(());
            }
            match simulate::run(out, start, &script, &replies, json)? {
                Ok(simulate::Ended::Clean) => {}
                Ok(simulate::Ended::Failed) => status.invalid = true,
                Err(e) => {
                    out.flush()?;
                    eprintln!("voicehook: {}", Esc(&e));
                    status.unreadable = true;
                }
            }
            Ok(())
        }
        Command::Sandbox {
            options,
            check,
            schema,
        } => {
            if schema {
                return writeln!(out, "{}", voicehook_sandbox::scenario::schema());
            }
            if check {
                match sandbox::scenario(&options) {
                    Ok(_) => {
                        let name = options.scenario.as_ref().map_or_else(
                            || "the default scenario".to_owned(),
                            |p| p.display().to_string(),
                        );
                        writeln!(out, "{}: a valid scenario", Esc(&name))?;
                    }
                    Err(e) => {
                        eprintln!("voicehook: {}", Esc(&e));
                        status.unreadable = true;
                    }
                }
                return Ok(());
            }
            if let Err(e) = sandbox::serve(out, options)? {
                out.flush()?;
                eprintln!("voicehook: {}", Esc(&e));
                status.unreadable = true;
            }
            Ok(())
        }
        Command::Replay {
            file,
            to,
            auth,
            json,
        } => {
            match sandbox::replay(out, &file, &to, auth.as_deref(), json)? {
                Ok(all) => status.invalid = !all,
                Err(e) => {
                    out.flush()?;
                    eprintln!("voicehook: {}", Esc(&e));
                    status.unreadable = true;
                }
            }
            Ok(())
        }
        Command::Code { code } => {
            let found = voicehook::codes::lookup(&code);
            status.invalid = found.matches.is_empty();
            render::lookup(out, &code, &found, color)
        }
    }
}
