//! The functions the wasm module exports (wasm32 only). Each converts and calls the core.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::convert;

thread_local! {
    /// The reused input buffer the glue writes each document into.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the input buffer at least `capacity` bytes long and returns its address in wasm memory.
/// The glue asks before writing each document: the address changes when the buffer grows, and
/// after a large document, which the core keeps ([`HAND_OVER`]), the buffer is a new one.
#[wasm_bindgen]
pub fn input_buffer(capacity: usize) -> usize {
    INPUT.with_borrow_mut(|buf| {
        if buf.len() < capacity {
            buf.resize(capacity.max(buf.len().saturating_mul(2)), 0);
        }
        buf.as_mut_ptr() as usize
    })
}

/// Documents larger than this are handed over to the core, which keeps the bytes as the
/// document's text instead of a copy (a 10 MB summary then takes 10 MB of wasm memory once, not
/// twice); smaller ones are read from the buffer, which the next document reuses.
const HAND_OVER: usize = 1 << 20;

/// Runs `f` on the first `len` bytes of the input buffer: borrowed for a small document, handed
/// over for a large one ([`HAND_OVER`]).
fn with_document<T>(
    len: usize,
    small: impl FnOnce(&[u8]) -> T,
    large: impl FnOnce(Vec<u8>) -> T,
) -> T {
    if len > HAND_OVER {
        large(take_input(len))
    } else {
        with_input(len, small)
    }
}

/// Runs `f` on the first `len` bytes of the input buffer.
///
/// The buffer is taken out of its cell for the call, so that should the core ever trap (a bug:
/// it must not panic), the cell is not left borrowed; the glue then asks for a new buffer.
fn with_input<T>(len: usize, f: impl FnOnce(&[u8]) -> T) -> T {
    let buf = INPUT.take();
    let out = f(buf.get(..len).unwrap_or(&buf));
    INPUT.set(buf);
    out
}

/// The first `len` bytes of the input buffer, handed over; the next [`input_buffer`] allocates
/// anew.
fn take_input(len: usize) -> Vec<u8> {
    let mut buf = INPUT.take();
    buf.truncate(len);
    buf
}

/// The size limit in force for `max_size` (`NaN`: the default), in bytes: the glue compares a
/// document's size with it before copying the document into wasm memory.
#[wasm_bindgen]
pub fn size_limit(max_size: f64) -> f64 {
    convert::size_limit(max_size) as f64
}

/// The Report, as JSON text, of every document of `size` bytes when that is over the size limit
/// (`json.size`); `None` when it fits. The glue asks this instead of copying such a document.
#[wasm_bindgen]
pub fn too_large_report(
    size: f64,
    kind: i32,
    flags: u32,
    now: f64,
    max_depth: f64,
    max_size: f64,
) -> Option<String> {
    let options = convert::options(kind, flags, now, max_depth, max_size);
    convert::too_large_report(size as usize, &options).map(|report| convert::report_json(&report))
}

/// [`analyze_input`]'s `{report, decoded}` for every document of `size` bytes over the size
/// limit; `None` when it fits.
#[wasm_bindgen]
pub fn too_large_analysis(
    size: f64,
    kind: i32,
    flags: u32,
    now: f64,
    max_depth: f64,
    max_size: f64,
) -> Option<String> {
    let options = convert::options(kind, flags, now, max_depth, max_size);
    voicehook::analyze_size(size as usize, &options)
        .map(|analysis| convert::to_json(&convert::Analyzed::of(analysis)))
}

/// [`detect_input`]'s Detection for every document of `size` bytes over the default size limit;
/// `None` when it fits.
#[wasm_bindgen]
pub fn too_large_detection(size: f64) -> Option<String> {
    convert::too_large_detection(size as usize).map(|d| convert::to_json(&d))
}

/// [`repair_text`]'s answer for every text of `size` bytes over the default size limit, with an
/// empty `text` (the glue puts the input back); `None` when it fits.
#[wasm_bindgen]
pub fn too_large_repair(size: f64) -> Option<String> {
    convert::too_large_repair(size as usize).map(|r| convert::to_json(&r))
}

/// Validates the first `len` bytes of the input buffer; returns the Report as JSON text.
#[wasm_bindgen]
pub fn validate_input(
    len: usize,
    kind: i32,
    flags: u32,
    now: f64,
    max_depth: f64,
    max_size: f64,
) -> String {
    let options = convert::options(kind, flags, now, max_depth, max_size);
    let report = with_document(
        len,
        |bytes| voicehook::validate_with(bytes, &options),
        |owned| voicehook::validate_owned(owned, &options),
    );
    convert::report_json(&report)
}

/// Validates and decodes the first `len` bytes of the input buffer in one pass; returns
/// `{report, decoded}` as JSON text (`decoded` is null when the document cannot be read as a kind).
#[wasm_bindgen]
pub fn analyze_input(
    len: usize,
    kind: i32,
    flags: u32,
    now: f64,
    max_depth: f64,
    max_size: f64,
) -> String {
    let options = convert::options(kind, flags, now, max_depth, max_size);
    convert::to_json(&convert::Analyzed::of(analysis_of(len, &options)))
}

/// The core's analysis of the first `len` bytes of the input buffer.
fn analysis_of(len: usize, options: &voicehook::Options) -> voicehook::Analysis {
    with_document(
        len,
        |bytes| voicehook::analyze(bytes, options),
        |owned| voicehook::analyze_owned(owned, options),
    )
}

/// Validates the first `len` bytes of the input buffer and, when they are a valid document,
/// reads it as voicehook normalized it; returns `{ok, kind, data, report}` as JSON text.
#[wasm_bindgen]
pub fn parse_input(
    len: usize,
    kind: i32,
    flags: u32,
    now: f64,
    max_depth: f64,
    max_size: f64,
) -> String {
    let options = convert::options(kind, flags, now, max_depth, max_size);
    convert::to_json(&convert::Parsed::of(&analysis_of(len, &options)))
}

/// [`parse_input`]'s answer for every document of `size` bytes over `maxSize`; `None` when it
/// fits.
#[wasm_bindgen]
pub fn too_large_parse(
    size: f64,
    kind: i32,
    flags: u32,
    now: f64,
    max_depth: f64,
    max_size: f64,
) -> Option<String> {
    let options = convert::options(kind, flags, now, max_depth, max_size);
    voicehook::analyze_size(size as usize, &options)
        .map(|analysis| convert::to_json(&convert::Parsed::of(&analysis)))
}

/// Detects the kind of the first `len` bytes of the input buffer without validating them;
/// returns the Detection (`{kind, reason, product?}`) as JSON text.
#[wasm_bindgen]
pub fn detect_input(len: usize) -> String {
    let detection = with_document(len, voicehook::detect, voicehook::detect_owned);
    convert::to_json(&detection)
}

/// A document for tests: `document` (JSON text) of the kind at index `kind` with `overrides` set
/// (JSON text), kept consistent and checked at `now`; `{ok, document} | {ok: false, error, report?}`.
#[wasm_bindgen]
pub fn fixture_from(kind: i32, document: &str, overrides: &str, now: f64) -> String {
    convert::to_json(&convert::fixture_from(kind, document, overrides, now))
}

/// The index of the kind named `id` in `kinds()`; throws the core's message for an unknown id.
#[wasm_bindgen]
pub fn kind_index(id: &str) -> Result<u8, JsError> {
    convert::kind_index(id).map_err(|e| JsError::new(&e.to_string()))
}

/// Every kind as a JSON array of `{id, title, webhook, eventType}`.
#[wasm_bindgen]
pub fn kinds_json() -> String {
    convert::kinds_json()
}

/// The rule catalog as a JSON array of `{id, lenient, strict, summary, repairable}`.
#[wasm_bindgen]
pub fn rules_json() -> String {
    convert::to_json(&voicehook::catalog::RULES)
}

/// The JSON Schema of the kind at `kind` (an index from [`kind_index`]) as JSON text.
#[wasm_bindgen]
pub fn schema_json(kind: u8) -> String {
    voicehook::Kind::ALL.get(usize::from(kind)).map_or_else(
        || String::from("null"),
        |k| voicehook::schema::committed(*k).to_owned(),
    )
}

/// Explains a code typed by a person (`"-2004"`, `"486"`, `"SIP 404"`, `"BUSY"`, `"4.2"`): every
/// table entry it matches, as a JSON array.
#[wasm_bindgen]
pub fn explain_code(text: &str) -> String {
    convert::to_json(&voicehook::codes::explain_str(text))
}

/// Looks up a code typed by a person: `{matches, suggestions}` as JSON text, the suggestions
/// (near misses such as `NO_ANSWR` → `NO_ANSWER`) only when nothing matches.
#[wasm_bindgen]
pub fn lookup_code(text: &str) -> String {
    convert::to_json(&voicehook::codes::lookup(text))
}

/// Repairs JSON as the 8x8 pages print it (comments, trailing and missing commas); returns
/// `{text, changes, placeholders, complete, json, remaining}` as JSON text.
#[wasm_bindgen]
pub fn repair_text(text: &str) -> String {
    convert::to_json(&voicehook::parse::repair(text))
}

/// `text` with every phone number masked (country code and last 3 digits kept).
#[wasm_bindgen]
pub fn mask_text(text: &str) -> String {
    voicehook::mask::mask_numbers(text)
}

/// `text` with every phone number redacted to a number of the same length (country code and last
/// 3 digits kept, the digits between them zeros), so the redacted document validates the same.
#[wasm_bindgen]
pub fn redact_text(text: &str) -> String {
    voicehook::mask::redact_numbers(text)
}

/// A webhook endpoint's receive policy, read once from the npm receiver's options (JSON text).
#[wasm_bindgen]
pub struct Receiver {
    policy: voicehook::receive::Policy,
}

#[wasm_bindgen]
impl Receiver {
    /// Reads the policy; throws what is wrong with it (an unknown option, a bad range...).
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str) -> Result<Receiver, JsError> {
        convert::receive_policy(policy)
            .map(|policy| Receiver { policy })
            .map_err(|e| JsError::new(&e))
    }

    /// The checks that need no body ([`voicehook::receive::check_head`]): `null` when they
    /// pass, otherwise the rejection as JSON text. `headers` is JSON text: `[[name, value]...]`.
    pub fn head(&self, peer: Option<String>, headers: &str, size: f64) -> Option<String> {
        let headers = convert::header_pairs(headers);
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        voicehook::receive::check_head(&self.policy, peer.as_deref(), &pairs, size as usize)
            .err()
            .map(|r| convert::to_json(&r))
    }

    /// The verdict on the first `len` bytes of the input buffer as the body, as JSON text.
    pub fn check(&self, len: usize, peer: Option<String>, headers: &str) -> String {
        let headers = convert::header_pairs(headers);
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let verdict = with_input(len, |body| {
            let request = voicehook::receive::Request {
                peer: peer.as_deref(),
                headers: &pairs,
                body,
            };
            voicehook::receive::check(&self.policy, &request)
        });
        convert::to_json(&verdict)
    }
}

/// Deduplication for one instance ([`voicehook::receive::MemoryStore`]).
#[wasm_bindgen]
pub struct DedupStore {
    store: voicehook::receive::MemoryStore,
}

#[wasm_bindgen]
impl DedupStore {
    /// A store of at most `capacity` keys.
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: f64) -> DedupStore {
        DedupStore {
            store: voicehook::receive::MemoryStore::new(capacity as usize),
        }
    }

    /// `new`, `duplicate` or `in-progress`.
    pub fn claim(&mut self, key: &str, now: f64, lease_ms: f64) -> String {
        let claim = self.store.claim(key, now as i64, lease_ms as u64);
        convert::claim_id(claim).to_owned()
    }

    /// Marks `key` handled at `now` for `ttl_ms`.
    pub fn done(&mut self, key: &str, now: f64, ttl_ms: f64) {
        self.store.done(key, now as i64, ttl_ms as u64);
    }

    /// Forgets `key`.
    pub fn release(&mut self, key: &str) {
        self.store.release(key);
    }

    /// How many keys it holds.
    pub fn size(&self) -> f64 {
        self.store.len() as f64
    }
}

/// A simulated call ([`voicehook::call::Call`]): the npm package's `simulate`.
#[wasm_bindgen]
pub struct Simulation {
    call: voicehook::call::Call,
}

#[wasm_bindgen]
impl Simulation {
    /// Starts a call. `callflow` is a Send Callflow body; without it, `from` calls the virtual
    /// number `to`. `script` is JSON text. Throws what is wrong with the script or the numbers.
    #[wasm_bindgen(constructor)]
    pub fn new(
        callflow: Option<String>,
        from: Option<String>,
        to: Option<String>,
        script: &str,
        interactive: bool,
    ) -> Result<Simulation, JsError> {
        let script = convert::call_script(script).map_err(|e| JsError::new(&e))?;
        let start = match (&callflow, &from, &to) {
            (Some(body), _, _) => voicehook::call::Start::Callflow(body.as_bytes()),
            (None, Some(from), Some(to)) => voicehook::call::Start::Inbound { from, to },
            _ => {
                return Err(JsError::new(
                    "voicehook: simulate: expected { callflow } or { inbound: { from, to } }",
                ));
            }
        };
        let call = voicehook::call::Call::new(start, &script)
            .map_err(|e| JsError::new(&format!("voicehook: simulate: {e}")))?;
        Ok(Simulation {
            call: if interactive {
                call.interactive()
            } else {
                call
            },
        })
    }

    /// Plays on until the call waits; JSON text `{"events": [...], "waiting": ...}` with the
    /// events since the last call.
    pub fn run(&mut self) -> String {
        let waiting = self.call.run();
        convert::to_json(&serde_json::json!({
            "events": self.call.take_events(),
            "state": waiting,
        }))
    }

    /// Your answer to the call action: a 200 with `body`, another `status`, or (neither) none.
    pub fn reply(&mut self, body: Option<String>, status: u16) {
        let reply = match (body, status) {
            (Some(body), 200) => voicehook::call::Reply::Body(body.into_bytes()),
            (_, 0) => voicehook::call::Reply::Timeout,
            (_, status) => voicehook::call::Reply::Status(status),
        };
        self.call.reply(reply);
    }

    /// The caller's keys (JSON text: `"12#"` or `{"digits": "12#", "after": ms, "gap": ms}`).
    pub fn press(&mut self, keys: &str) -> Result<(), JsError> {
        let keys = serde_json::from_str(keys)
            .map_err(|e| JsError::new(&format!("voicehook: press: {e}")))?;
        self.call.press(keys);
        Ok(())
    }
}
