//! What the sandbox reads from users (scenario files, record files, request bodies) never makes
//! it panic: every documented example and a recorded line, mutated byte by byte thousands of
//! times, is read or refused with an error.

use std::path::Path;

use voicehook_sandbox::deliver::Rng;
use voicehook_sandbox::{Scenario, replay};

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.draw() % 4 {
        if out.is_empty() {
            break;
        }
        let at = (rng.draw() as usize) % out.len();
        match rng.draw() % 4 {
            0 => out[at] = b"{}[]\",:0-e.9\\ntu"[(rng.draw() % 16) as usize],
            1 => {
                out.remove(at);
            }
            2 => out.insert(at, (rng.draw() % 256) as u8),
            _ => {
                let end = (at + 1 + (rng.draw() as usize) % 16).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
        }
    }
    out
}

#[test]
fn mutated_scenarios_and_records_are_refused_not_panicked_on() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    seeds.push(
        br#"{"seq":3,"direction":"webhook","at":"2026-01-13T08:00:00.000Z","ms":1,"sessionId":"s","method":"POST","url":"http://127.0.0.1:9/vss","attempt":1,"request":{"eventType":"SESSION_SUMMARY"},"status":200}"#
            .to_vec(),
    );
    let mut rng = Rng::new(0x2545_F491_4F6C_DD1D);
    let (mut read, mut refused) = (0, 0);
    for round in 0..6000 {
        let seed = &seeds[round % seeds.len()];
        let input = mutate(&mut rng, seed);
        match Scenario::read(&input) {
            Ok(_) => read += 1,
            Err(e) => {
                assert!(!e.is_empty());
                refused += 1;
            }
        }
        let text = String::from_utf8_lossy(&input);
        if let Err(e) = replay::read(&text) {
            assert!(e.contains(':'), "{e}");
        }
    }
    assert!(read > 0 && refused > 0, "{read} read, {refused} refused");
}
