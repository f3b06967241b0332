//! `voicehook`: validate, decode and explain 8x8 CPaaS Voice webhooks and callflows from a terminal.
//!
//! This binary only converts: it reads files, calls the `voicehook` crate and prints.
//! Exit status: 0 when every input is valid, 1 when any is invalid, 2 on a usage or I/O error.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use voicehook::{Kind, Options};

mod render;

/// Validate, decode and explain 8x8 CPaaS Voice webhooks and callflows.
#[derive(Parser)]
#[command(name = "voicehook", version, about, long_about = None)]
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
    /// Explain a code: session error, API status or SIP response code.
    Code {
        /// The code, e.g. -2004, -1017, 486.
        #[arg(allow_hyphen_values = true)]
        code: String,
    },
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match run(cli, color) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("voicehook: {message}");
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

/// Writes rendered text, masking phone numbers in it (source lines included) when asked.
/// Masking keeps every character's width, so carets stay under their columns.
fn write_masked(out: &mut dyn Write, text: &[u8], mask: bool) -> std::io::Result<()> {
    if mask {
        out.write_all(voicehook::mask::mask_numbers(&String::from_utf8_lossy(text)).as_bytes())
    } else {
        out.write_all(text)
    }
}

/// Reads a named file, or standard input for `-`.
fn read(name: &str) -> Result<Vec<u8>, String> {
    if name == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(buf)
    } else {
        std::fs::read(name).map_err(|e| format!("cannot read {name}: {e}"))
    }
}

fn run(cli: Cli, color: bool) -> Result<ExitCode, String> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Validate {
            common,
            strict,
            files,
        } => {
            let files = if files.is_empty() {
                vec!["-".to_owned()]
            } else {
                files
            };
            let opts = options(&common, strict);
            let mut all_valid = true;
            for name in &files {
                let bytes = read(name)?;
                let report = voicehook::validate_with(&bytes, &opts);
                all_valid &= report.valid;
                if common.json {
                    let line = serde_json::to_string(&report).map_err(|e| e.to_string())?;
                    writeln!(out, "{line}").map_err(|e| e.to_string())?;
                } else {
                    let label = if name == "-" { "<stdin>" } else { name };
                    let mut text = Vec::new();
                    render::report(&mut text, label, &bytes, &report, color)
                        .map_err(|e| e.to_string())?;
                    write_masked(&mut out, &text, common.mask).map_err(|e| e.to_string())?;
                }
            }
            Ok(if all_valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Decode { common, file } => {
            let bytes = read(&file)?;
            let analysis = voicehook::analyze(&bytes, &options(&common, false));
            let label = if file == "-" { "<stdin>" } else { &file };
            let decoded = analysis.decode();
            let mut text = Vec::new();
            if common.json {
                let json = match &decoded {
                    Some(decoded) => serde_json::to_string_pretty(decoded),
                    None => serde_json::to_string_pretty(&analysis.report),
                }
                .map_err(|e| e.to_string())?;
                writeln!(text, "{json}").map_err(|e| e.to_string())?;
            } else {
                if let Some(decoded) = &decoded {
                    render::decoded(&mut text, decoded, color).map_err(|e| e.to_string())?;
                    if !analysis.report.valid {
                        writeln!(text).map_err(|e| e.to_string())?;
                    }
                }
                if decoded.is_none() || !analysis.report.valid {
                    render::report(&mut text, label, &bytes, &analysis.report, color)
                        .map_err(|e| e.to_string())?;
                }
            }
            write_masked(&mut out, &text, common.mask).map_err(|e| e.to_string())?;
            Ok(if decoded.is_some() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Schema { kind } => {
            write!(out, "{}", voicehook::schema::render(kind)).map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { json } => {
            if json {
                let list = serde_json::to_string_pretty(voicehook::catalog::RULES)
                    .map_err(|e| e.to_string())?;
                writeln!(out, "{list}").map_err(|e| e.to_string())?;
            } else {
                render::rules(&mut out, voicehook::catalog::RULES).map_err(|e| e.to_string())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Code { code } => {
            let found = voicehook::codes::explain_str(&code);
            if found.is_empty() {
                return Err(format!(
                    "{code:?} is not a known session error, API status or SIP response code"
                ));
            }
            render::codes(&mut out, &found, color).map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
