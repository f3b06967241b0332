//! `voicehook`: validate, decode and explain 8x8 CPaaS Voice webhooks and callflows from a terminal.
//!
//! This binary only converts: it reads files, calls the `voicehook` crate and prints.
//! Exit status: 0 when every input is valid (`code`: when something matched), 1 when any is
//! invalid (`code`: when nothing matched), 2 on a usage error or when an input could not be
//! read (it is reported and skipped; the other inputs are still checked). When standard output
//! is closed early (`voicehook validate big.json | head -1`) it stops quietly, with the status
//! of what it checked so far.

use std::io::{self, BufWriter, ErrorKind, IsTerminal, Read, Write};

/// mimalloc: archives allocate and free millions of small values on every thread, which
/// glibc's allocator does markedly slower (see `cargo xtask bench-archive`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use voicehook::{Kind, Options};

use many::Emit;

mod archive;
mod many;
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
    /// Check documents and report every error with its position: files, folders, NDJSON
    /// archives and gzip streams, on all cores.
    #[command(after_help = VALIDATE_HELP)]
    Validate {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        many: Many,
        /// Report documented quirks (e.g. `CallA`, `"NO ANSWER"`) as errors instead of rewriting them.
        #[arg(long)]
        strict: bool,
        /// What to print on standard output: the report, or each valid document as voicehook
        /// read it (quirks rewritten to the canonical form), one JSON line per input, with the
        /// report on standard error.
        #[arg(long, value_enum, default_value_t = Emit::Report)]
        emit: Emit,
        /// How to print the reports (`--json` is `--format json`).
        #[arg(long, value_enum, conflicts_with = "json")]
        format: Option<many::Format>,
        /// What makes a document fail (exit status 1): an error, or a warning too.
        #[arg(long, value_enum, default_value_t = many::FailOn::Error)]
        fail_on: many::FailOn,
        /// Print only the summary (as JSON with --format json).
        #[arg(long)]
        summary_only: bool,
        /// For `cargo xtask bench`: only parse each document (serde_json, syntax only), the
        /// reference the speed of validation is measured against.
        #[arg(long, hide = true)]
        syntax_only: bool,
        /// Files or folders to check; `-` (or nothing) reads standard input.
        files: Vec<String>,
    },
    /// Explain what a document means: outcome, legs, timeline, codes; or, with --format
    /// ndjson, one flat row per document for DuckDB, Spark or pandas.
    Decode {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        many: Many,
        /// How to print (`--json` is `--format json`); `ndjson`: one row per document, the
        /// columns of --columns.
        #[arg(long, value_enum, conflicts_with = "json")]
        format: Option<many::DecodeFormat>,
        /// List the columns of --format ndjson (name, type, meaning) and exit.
        #[arg(long)]
        columns: bool,
        /// Files or folders to decode; `-` (or nothing) reads standard input.
        files: Vec<String>,
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

/// How many inputs are read: folders, NDJSON, threads.
#[derive(Args)]
struct Many {
    /// Check on this many threads (0: one per core; at most 256).
    #[arg(long, default_value_t = 0, value_name = "N", value_parser = clap::value_parser!(u16).range(0..=256))]
    threads: u16,
    /// In folders, take the files whose path (under the folder) matches this pattern (`*`
    /// crosses `/`); repeatable. Default: *.json, *.ndjson, *.jsonl, each also .gz.
    #[arg(long, value_name = "PATTERN")]
    glob: Vec<String>,
    /// Read every input, standard input too, as NDJSON / JSON Lines: one document per line
    /// (the default for names ending in .ndjson or .jsonl, gzipped or not).
    #[arg(long)]
    ndjson: bool,
}

const VALIDATE_HELP: &str = "\
Inputs: files, folders (every file under them, sorted by name, that --glob matches), NDJSON /
JSON Lines (one document per line; blank lines are skipped), gzip (recognized by its first bytes,
whatever the name) and standard input as a stream. An NDJSON line's report names its file and
line; the human format prints a line only when it has an error or a warning.

Formats: human (reports with their source line), json (one line per document: file, line, and
the Report, whose lines and columns count within the document), junit (a test suite per input,
a test case per document), sarif (SARIF 2.1.0, a result per error or warning), github
(workflow annotations). A summary follows when more than one document may come (for the other
formats and --emit normalized: on standard error, when it is a terminal): counts by kind and verdict, the most frequent rules and
places, and the sessions (VSS) by outcome and error code. On a terminal a progress bar shows
documents/s, MB/s and the time left.

Documents are checked on all cores (--threads) and printed in input order; memory stays
bounded whatever the size of the archive.";

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

/// Says on standard error why some arguments name nothing to read.
fn report_errors(out: &mut dyn Write, errors: &[String], status: &mut Status) -> io::Result<()> {
    if !errors.is_empty() {
        out.flush()?;
        for e in errors {
            eprintln!("voicehook: {e}");
        }
        status.unreadable = true;
    }
    Ok(())
}

/// Reads the sources, runs `check` on each document on the threads asked for, and writes what
/// it gives in input order, framed by `writer`.
fn run_many(
    out: &mut dyn Write,
    sources: &[archive::Source],
    many: &Many,
    writer: &mut many::Writer,
    check: impl Fn(&archive::Input) -> many::Done + Sync,
) -> io::Result<()> {
    let threads = if many.threads == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        usize::from(many.threads)
    };
    let several = sources.len() > 1 || sources.iter().any(|s| s.ndjson);
    let mut progress = archive::Progress::new(sources, several);
    writer.begin(out)?;
    archive::run(
        sources,
        voicehook::DEFAULT_MAX_SIZE,
        threads,
        &mut progress,
        check,
        |batch| {
            writer.write(out, sources, batch)?;
            out.flush()
        },
    )?;
    writer.end(out, sources)
}

fn run(cli: Cli, color: bool, out: &mut dyn Write, status: &mut Status) -> io::Result<()> {
    match cli.command {
        Command::Validate {
            common,
            many,
            strict,
            emit,
            format,
            fail_on,
            summary_only,
            syntax_only,
            files,
        } => {
            let format = format.unwrap_or(if common.json {
                many::Format::Json
            } else {
                many::Format::Human
            });
            let (sources, errors) = archive::sources(&files, &many.glob, many.ndjson);
            report_errors(out, &errors, status)?;
            let job = many::Job {
                sources: &sources,
                options: options(&common, strict),
                format,
                emit,
                fail_on,
                color: color && format == many::Format::Human,
                summary_only,
                syntax_only,
            };
            let framed = (!summary_only).then_some(format);
            let mut writer = many::Writer::new(framed);
            let several = sources.len() > 1 || sources.iter().any(|s| s.ndjson);
            let written = run_many(out, &sources, &many, &mut writer, |input| job.check(input));
            // the status of what was checked, even when the output was closed early
            status.invalid |= writer.failed;
            status.unreadable |= writer.unreadable;
            written?;
            if summary_only && format == many::Format::Json {
                safe::json_pretty(out, &writer.totals())?;
            } else if summary_only
                || (several && format == many::Format::Human && emit == Emit::Report)
            {
                if !summary_only && writer.documents() > 0 {
                    writeln!(out)?;
                }
                many::summary(out, &writer.totals())?;
            } else if several && io::stderr().is_terminal() {
                out.flush()?;
                many::summary(&mut io::stderr().lock(), &writer.totals())?;
            }
            Ok(())
        }
        Command::Decode {
            common,
            many,
            format,
            columns,
            files,
        } => {
            if columns {
                return if common.json {
                    safe::json_pretty(out, voicehook::bulk::COLUMNS)
                } else {
                    voicehook::bulk::COLUMNS
                        .iter()
                        .try_for_each(|c| writeln!(out, "{:<18} {:<8} {}", c.name, c.ty, c.meaning))
                };
            }
            let format = format.unwrap_or(if common.json {
                many::DecodeFormat::Json
            } else {
                many::DecodeFormat::Human
            });
            let (sources, errors) = archive::sources(&files, &many.glob, many.ndjson);
            report_errors(out, &errors, status)?;
            let job = many::Decode {
                sources: &sources,
                options: options(&common, false),
                format,
                color: color && format == many::DecodeFormat::Human,
                headers: sources.len() > 1 || sources.iter().any(|s| s.ndjson),
            };
            let mut writer = many::Writer::new(None);
            let written = run_many(out, &sources, &many, &mut writer, |input| job.decode(input));
            // the status of what was checked, even when the output was closed early
            status.invalid |= writer.failed;
            status.unreadable |= writer.unreadable;
            written?;
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
