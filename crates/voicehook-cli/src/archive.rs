//! Many documents: files, folders, NDJSON / JSON Lines and gzip streams, read in order on one
//! thread, checked on all cores, and handed back in input order in bounded memory.
//!
//! The reader cuts the inputs into batches of about [`BATCH_BYTES`]; a batch is checked in
//! parallel (rayon keeps the order), and the results go to the caller's sink on the calling
//! thread, which prints them. At most a few batches are held at once, whatever the size of the
//! inputs: a 2 GB archive takes the memory of a handful of batches.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use globset::{Glob, GlobSet, GlobSetBuilder};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::safe::Esc;

/// About how many bytes of documents one batch holds.
pub const BATCH_BYTES: usize = 2 << 20;
/// The most documents one batch holds.
const BATCH_DOCS: usize = 4096;
/// Batches waiting between two stages.
const QUEUE: usize = 2;

/// One input: a file (plain or gzip) or standard input.
pub struct Source {
    /// As shown in reports: the path as given or found, `<stdin>` for standard input.
    pub name: String,
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    /// One document per line (NDJSON / JSON Lines) rather than one per input.
    pub ndjson: bool,
}

impl Source {
    /// The file's name, `None` for standard input.
    pub fn file(&self) -> Option<&str> {
        self.path.as_ref().map(|_| self.name.as_str())
    }
}

/// The extensions a folder's files are taken with when no `--glob` is given (each also gzipped).
const DEFAULT_EXTENSIONS: &[&str] = &[".json", ".ndjson", ".jsonl"];

/// Whether a name says NDJSON: `.ndjson` or `.jsonl`, gzipped or not.
fn ndjson_name(name: &str) -> bool {
    let name = name.strip_suffix(".gz").unwrap_or(name);
    name.ends_with(".ndjson") || name.ends_with(".jsonl")
}

/// The inputs the arguments name: `-` (or nothing) is standard input, a file is taken as it
/// is, a folder for every file under it (sorted by name, recursively) that matches one of
/// `globs` (relative to the folder; `*` also crosses `/`), or by default ends in `.json`,
/// `.ndjson` or `.jsonl` (`.gz` too). Errors are the arguments that name nothing readable.
pub fn sources(args: &[String], globs: &[String], ndjson: bool) -> (Vec<Source>, Vec<String>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let set = match glob_set(globs) {
        Ok(set) => set,
        Err(e) => return (found, vec![e]),
    };
    let stdin = [String::from("-")];
    let args = if args.is_empty() { &stdin[..] } else { args };
    for arg in args {
        if arg == "-" {
            found.push(Source {
                name: "<stdin>".to_owned(),
                path: None,
                ndjson,
            });
            continue;
        }
        let path = Path::new(arg);
        if !path.is_dir() {
            // opened (and any error reported) when its turn comes, in order
            found.push(Source {
                name: arg.clone(),
                path: Some(path.to_owned()),
                ndjson: ndjson || ndjson_name(arg),
            });
            continue;
        }
        let before = found.len();
        let walk = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    errors.push(format!("cannot read {}: {e}", Esc(arg)));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry.path().strip_prefix(path).unwrap_or(entry.path());
            let wanted = match &set {
                Some(set) => set.is_match(relative),
                None => {
                    let name = entry.file_name().to_string_lossy();
                    let name = name.strip_suffix(".gz").unwrap_or(&name);
                    DEFAULT_EXTENSIONS.iter().any(|e| name.ends_with(e))
                }
            };
            if wanted {
                let name = entry.path().to_string_lossy().into_owned();
                found.push(Source {
                    ndjson: ndjson || ndjson_name(&name),
                    name,
                    path: Some(entry.into_path()),
                });
            }
        }
        if found.len() == before {
            let wanted = if globs.is_empty() {
                "*.json, *.ndjson, *.jsonl or their .gz".to_owned()
            } else {
                globs.join(", ")
            };
            errors.push(format!("{}: no file to check ({wanted})", Esc(arg)));
        }
    }
    (found, errors)
}

fn glob_set(globs: &[String]) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = GlobSetBuilder::new();
    for g in globs {
        set.add(Glob::new(g).map_err(|e| format!("--glob {}: {e}", Esc(g)))?);
    }
    set.build().map(Some).map_err(|e| e.to_string())
}

/// What the reader hands over: a document, or why (the rest of) an input cannot be read.
pub enum Input {
    /// One document.
    Doc {
        /// Index into the sources.
        source: usize,
        /// The line it starts on (1 for a whole file).
        line: u64,
        /// Its bytes: at most the size limit and one byte more (the core then says `json.size`).
        bytes: Vec<u8>,
    },
    /// The source, or what is left of it, cannot be read (missing, not gzip after all…).
    Unreadable {
        /// Index into the sources.
        source: usize,
        /// Why, for a person.
        error: String,
    },
}

impl Input {
    /// A document's source, line and bytes; or the source that cannot be read, and why.
    pub fn doc(&self) -> Result<(usize, u64, &[u8]), (usize, &str)> {
        match self {
            Input::Doc {
                source,
                line,
                bytes,
            } => Ok((*source, *line, bytes)),
            Input::Unreadable { source, error } => Err((*source, error)),
        }
    }
}

/// Counts the bytes read from the files themselves (compressed, for gzip), for the progress bar.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens a source; gzip is recognized by its first two bytes, whatever the name.
fn open(source: &Source, read: &Arc<AtomicU64>) -> io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = match &source.path {
        Some(path) => Box::new(File::open(path)?),
        None => Box::new(io::stdin()),
    };
    let mut buffered = BufReader::with_capacity(
        64 << 10,
        Counted {
            inner: raw,
            read: Arc::clone(read),
        },
    );
    let head = buffered.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::bufread::MultiGzDecoder::new(buffered);
        Ok(Box::new(BufReader::with_capacity(64 << 10, gz)))
    } else {
        Ok(Box::new(buffered))
    }
}

/// Reads every source in order and sends its documents in batches; stops when `send` fails
/// (the consumer has gone).
fn read_all(
    sources: &[Source],
    max_size: usize,
    read: &Arc<AtomicU64>,
    mut send: impl FnMut(Vec<Input>) -> bool,
) {
    let limit = max_size.saturating_add(1);
    let mut batch = Vec::new();
    let mut held = 0usize;
    let mut push = |input: Input, batch: &mut Vec<Input>, held: &mut usize| -> bool {
        if let Input::Doc { bytes, .. } = &input {
            *held += bytes.len() + 64;
        }
        batch.push(input);
        if *held >= BATCH_BYTES || batch.len() >= BATCH_DOCS {
            *held = 0;
            return send(std::mem::take(batch));
        }
        true
    };
    for (index, source) in sources.iter().enumerate() {
        let unreadable = |e: io::Error| Input::Unreadable {
            source: index,
            error: e.to_string(),
        };
        let mut reader = match open(source, read) {
            Ok(reader) => reader,
            Err(e) => {
                if !push(unreadable(e), &mut batch, &mut held) {
                    return;
                }
                continue;
            }
        };
        if !source.ndjson {
            let mut bytes = Vec::new();
            let input = match reader.take(limit as u64).read_to_end(&mut bytes) {
                Ok(_) => Input::Doc {
                    source: index,
                    line: 1,
                    bytes,
                },
                Err(e) => unreadable(e),
            };
            if !push(input, &mut batch, &mut held) {
                return;
            }
            continue;
        }
        let mut line_no = 0u64;
        loop {
            line_no += 1;
            let mut bytes = Vec::new();
            match read_line(&mut reader, limit, &mut bytes) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let _ = push(unreadable(e), &mut batch, &mut held);
                    break;
                }
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let input = Input::Doc {
                source: index,
                line: line_no,
                bytes,
            };
            if !push(input, &mut batch, &mut held) {
                return;
            }
        }
    }
    if !batch.is_empty() {
        send(batch);
    }
}

/// Reads one line into `line` without its end (`\n` or `\r\n`), keeping at most `limit` bytes
/// of it (the rest is skipped); false at the end of the input.
fn read_line(reader: &mut dyn BufRead, limit: usize, line: &mut Vec<u8>) -> io::Result<bool> {
    let mut any = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        any = true;
        let (chunk, used, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        let room = limit.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        reader.consume(used);
        if done {
            break;
        }
    }
    if line.last() == Some(&b'\r') && line.len() < limit {
        line.pop();
    }
    Ok(any)
}

/// The progress bar: on a terminal (standard error) only, for more than one document.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    docs: u64,
}

impl Progress {
    /// A bar for these sources, hidden when standard error is not a terminal or `show` is false.
    pub fn new(sources: &[Source], show: bool) -> Progress {
        use std::io::IsTerminal;
        let total: Option<u64> = sources
            .iter()
            .map(|s| {
                s.path
                    .as_ref()
                    .and_then(|p| p.metadata().ok())
                    .map(|m| m.len())
            })
            .sum();
        let target = if show && io::stderr().is_terminal() {
            ProgressDrawTarget::stderr_with_hz(5)
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(total, target);
        let template = if total.is_some() {
            "{msg} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {wide_bar}"
        } else {
            "{spinner} {msg} {bytes} {bytes_per_sec}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Progress {
            bar,
            started: Instant::now(),
            docs: 0,
        }
    }

    fn update(&mut self, docs: usize, read: u64) {
        self.docs += docs as u64;
        self.bar.set_position(read);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} docs {:.0}/s",
            self.docs,
            self.docs as f64 / secs
        ));
    }
}

/// Reads `sources`, runs `check` on each input on `threads` threads and hands the results to
/// `sink` in input order, a batch at a time. Stops at the first error of `sink` (the output
/// was closed) and returns it.
pub fn run<T: Send>(
    sources: &[Source],
    max_size: usize,
    threads: usize,
    progress: &mut Progress,
    check: impl Fn(&Input) -> T + Sync,
    mut sink: impl FnMut(Vec<T>) -> io::Result<()>,
) -> io::Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("voicehook-{i}"))
        .build()
        .map_err(io::Error::other)?;
    let read = Arc::new(AtomicU64::new(0));
    let (to_check, batches) = sync_channel::<Vec<Input>>(QUEUE);
    let (to_print, checked) = sync_channel::<Vec<T>>(QUEUE);
    std::thread::scope(|scope| {
        let reading = Arc::clone(&read);
        scope.spawn(move || read_all(sources, max_size, &reading, |b| to_check.send(b).is_ok()));
        let check = &check;
        scope.spawn(move || {
            for batch in batches {
                let done: Vec<T> = pool.install(|| batch.par_iter().map(check).collect());
                if to_print.send(done).is_err() {
                    break;
                }
            }
        });
        for done in checked {
            let n = done.len();
            progress.bar.suspend(|| sink(done))?;
            progress.update(n, read.load(Ordering::Relaxed));
        }
        progress.bar.finish_and_clear();
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[u8], limit: usize) -> Vec<Vec<u8>> {
        let mut reader = io::Cursor::new(text.to_vec());
        let mut out = Vec::new();
        loop {
            let mut line = Vec::new();
            if !read_line(&mut reader, limit, &mut line).unwrap() {
                return out;
            }
            out.push(line);
        }
    }

    #[test]
    fn lines_end_in_lf_or_crlf_and_long_ones_are_cut_past_the_limit() {
        assert_eq!(
            lines(b"ab\r\ncd\n\nef", 10),
            [&b"ab"[..], b"cd", b"", b"ef"]
        );
        assert_eq!(lines(b"abcdefgh\nxy\n", 4), [&b"abcd"[..], b"xy"]);
    }

    /// Lines come out the same whatever the reader's buffer size (a line across many refills,
    /// a CR and its LF in two of them), and bytes that are not text are lines like any other.
    #[test]
    fn lines_do_not_depend_on_the_buffer_size() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200 {
            let len = (next() % 300) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| match next() % 6 {
                    0 => b'\n',
                    1 => b'\r',
                    2 => 0xff,
                    _ => b'a' + (next() % 26) as u8,
                })
                .collect();
            let limit = 1 + (next() % 40) as usize;
            let expected = lines(&text, limit);
            for capacity in [1, 2, 3, 7, 64] {
                let mut reader = BufReader::with_capacity(capacity, io::Cursor::new(text.clone()));
                let mut got = Vec::new();
                loop {
                    let mut line = Vec::new();
                    if !read_line(&mut reader, limit, &mut line).unwrap() {
                        break;
                    }
                    got.push(line);
                }
                assert_eq!(got, expected, "capacity {capacity}, limit {limit}");
                assert!(got.iter().all(|l| l.len() <= limit));
            }
        }
    }

    #[test]
    fn names_say_ndjson() {
        assert!(ndjson_name("a.ndjson.gz") && ndjson_name("b.jsonl"));
        assert!(!ndjson_name("c.json.gz") && !ndjson_name("ndjson"));
    }
}
