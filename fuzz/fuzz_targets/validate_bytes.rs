//! Arbitrary bytes through every public entry point. The first byte picks the options
//! (kind, strict, mask); the whole input and the rest after it are both validated.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        common::exercise(data, &voicehook::Options::default());
        return;
    };
    let options = common::options_from(first);
    // The seed corpus holds plain JSON documents, whose first byte is `{` or whitespace: they
    // go in whole, so the seeds stay meaningful; an inserted leading byte picks the options
    // for the rest, so every kind and mode also meets valid documents.
    common::exercise(data, &options);
    if !rest.is_empty() {
        let report = voicehook::validate_with(rest, &options);
        common::check_report(&report, rest);
    }
});
