//! `cargo xtask bench` (growth): each hostile shape at two sizes ten times apart, in one run.
//! Linear work reads about 10 in the ratio column (quadratic would read 100); the exponent is
//! log10 of the ratio (1.0 is linear). Timings are the best of three.

#[path = "../tests/support/shapes.rs"]
mod shapes;

fn main() {
    let n = 10_000;
    println!(
        "{:38} {:>10} {:>10} {:>10} {:>10} {:>6} {:>8}",
        "shape", "small", "time", "large", "time", "ratio", "exponent"
    );
    for shape in shapes::SHAPES {
        // The large document stays under the 10 MB limit (else it is refused at once).
        let per_member = (shape.build)(1000).len() / 1000 + 1;
        let n = n.min(voicehook::DEFAULT_MAX_SIZE / 12 / per_member);
        let small = (shape.build)(n);
        let large = (shape.build)(n * 10);
        let (a, b) = (shapes::best(shape, &small), shapes::best(shape, &large));
        let ratio = b.as_secs_f64() / a.as_secs_f64().max(1e-9);
        println!(
            "{:38} {:>9}K {:>8.1}ms {:>9}K {:>8.1}ms {:>6.1} {:>8.2}",
            shape.name,
            small.len() / 1024,
            a.as_secs_f64() * 1e3,
            large.len() / 1024,
            b.as_secs_f64() * 1e3,
            ratio,
            ratio.log10()
        );
    }
}
