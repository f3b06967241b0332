//! Wide documents: the hostile shapes of `crates/voicehook/tests/support/shapes.rs` (tiny legs,
//! wrong enum values, non-object actions, duplicate and unknown keys, wrong action names, bad
//! destinations, repair input) with up to 20,000 members, and the
//! fuzzer's bytes spliced in at a position it picks. Every entry point runs under a 10 s
//! libFuzzer timeout: a quadratic cost shows as a timeout.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "../../crates/voicehook/tests/support/shapes.rs"]
mod shapes;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    shape: u8,
    /// Members: at most 20,000 (up to about 0.8 MB: under ASan each entry point takes about a
    /// second per MB, and all seven run on every input, within the 10 s timeout).
    size: u32,
    /// Where the splice goes, as a fraction of the document.
    at: u16,
    splice: &'a [u8],
    options: u8,
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let shape = &shapes::SHAPES[usize::from(input.shape) % shapes::SHAPES.len()];
    let n = (input.size % 20_000) as usize;
    let mut doc = (shape.build)(n);
    let at = doc.len() * usize::from(input.at) / usize::from(u16::MAX).max(1);
    doc.splice(at..at, input.splice.iter().copied());
    if common::debug() {
        eprintln!("voicehook-fuzz: {} n={n}, {} bytes", shape.name, doc.len());
    }
    let mut options = common::options_from(input.options);
    if input.options & 0x80 != 0 {
        options.kind = shape.kind;
    }
    common::exercise(&doc, &options);
});
