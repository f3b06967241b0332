//! Words for messages, shared by every step: document text quoted safely, and the
//! did-you-mean hint for a near miss.

/// Document text quoted in a message: at most 60 characters, escaped (`"CALL_STATUSES"`).
pub(crate) fn show_text(text: &str) -> String {
    let mut cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

/// The candidate closest to `word` when it is close enough to be a likely typo.
///
/// Candidates whose length in characters differs from `word`'s by more than the allowed
/// distance are skipped before the edit distance (which cannot be smaller than that
/// difference) is computed: the distance costs time in the product of the two lengths, and
/// `word` comes from the document (fuzzing found an 8 MB enum value spending 320 of its
/// 360 ms of validation here, in release).
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let chars = word.chars().count();
    let near = |c: &str| chars.abs_diff(c.chars().count()) <= 2.max(c.len() / 4);
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != word && near(c))
        .map(|c| {
            (
                c,
                strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()),
            )
        })
        .filter(|(c, d)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(_, d)| *d)
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn did_you_mean_finds_typos_only() {
        assert_eq!(
            did_you_mean("sesionId", ["sessionId", "subAccountId"]),
            Some("sessionId")
        );
        assert_eq!(
            did_you_mean("COMPLETE", ["COMPLETED", "BUSY"]),
            Some("COMPLETED")
        );
        assert_eq!(did_you_mean("zzz", ["sessionId"]), None);
        // Lengths far apart are not compared at all (the distance is quadratic).
        assert_eq!(did_you_mean(&"UPDATES".repeat(1 << 20), ["UPDATE"]), None);
        assert_eq!(did_you_mean("sessionIdd", ["sessionId"]), Some("sessionId"));
    }
}
