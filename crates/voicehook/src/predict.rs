//! What 8x8 answers, worked out last from what the other steps found: a Send Callflow's API
//! status code (`predictedStatusCode`) and a VCA reply's session error (`predictedSessionErrorCode`).
//!
//! The steps only say which status code each finding stands for ([`Prediction::count`], through
//! `rules::Ctx`); nothing here reads the document, and no step reads the prediction. The ranking
//! is [`PRECEDENCE`] (see [`crate::callflow`] for the table and its sources).

use crate::Kind;

/// The predicted codes, most specific first. Codes of rank 4 (the per-action ones) tie with
/// each other: among them the one on the earliest action wins, then the order here.
pub const PRECEDENCE: [i32; 12] = [
    -1001, -1015, -1013, -1007, -1017, -1003, -1008, -1005, -1006, -1010, -1012, -1009,
];

/// How a counted code ranks: lower wins (rank, action, place in [`PRECEDENCE`]).
type Rank = (u8, Option<usize>, usize);

/// The status codes the findings stand for, reduced as they are counted to the one that wins
/// (a callflow of a million broken entries holds one code, not a million).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Prediction {
    best: Option<(Rank, i32)>,
}

impl Prediction {
    /// Counts one finding that 8x8 answers with `code`, in action `action` (`None`: the request
    /// as a whole).
    pub(crate) fn count(&mut self, code: i32, action: Option<usize>) {
        let order = PRECEDENCE
            .iter()
            .position(|&c| c == code)
            .unwrap_or(PRECEDENCE.len());
        // Ranks 1–3 are about the request as a whole; ranks 4 and 5 go to the earliest action.
        let (rank, action) = match code {
            -1001 => (1, None),
            -1015 => (2, None),
            -1013 => (3, None),
            -1009 => (5, action),
            _ => (4, action),
        };
        let key = (rank, action, order);
        if self.best.is_none_or(|(best, _)| key < best) {
            self.best = Some((key, code));
        }
    }

    /// The status code that wins, 1 (accepted) when nothing was counted.
    pub(crate) fn status(&self) -> i32 {
        self.best.map_or(1, |(_, code)| code)
    }
}

/// The report's two predictions for a document of `kind` that parsed: the winning status code
/// of a Send Callflow request, -2003 for a VCA reply with any error.
pub(crate) fn answer(
    kind: Kind,
    counted: &Prediction,
    has_errors: bool,
) -> (Option<i32>, Option<i32>) {
    match kind {
        Kind::Callflow => (Some(counted.status()), None),
        Kind::VcaReply => (None, has_errors.then_some(-2003)),
        _ => (None, None),
    }
}

/// What 8x8 answers to a body that is not JSON: -1001 to a Send Callflow request; a VCA reply
/// that is not JSON ends the call with -2003.
pub(crate) fn not_json(kind: Option<Kind>) -> (Option<i32>, Option<i32>) {
    match kind {
        Some(Kind::Callflow) => (Some(-1001), None),
        Some(Kind::VcaReply) => (None, Some(-2003)),
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_code_on_the_earliest_action_wins() {
        let mut p = Prediction::default();
        assert_eq!(p.status(), 1);
        p.count(-1009, Some(0));
        p.count(-1017, Some(2));
        p.count(-1007, Some(1));
        assert_eq!(p.status(), -1007);
        p.count(-1013, Some(0));
        assert_eq!(p.status(), -1013);
        p.count(-1001, None);
        assert_eq!(p.status(), -1001);
        assert_eq!(answer(Kind::Callflow, &p, true), (Some(-1001), None));
        assert_eq!(answer(Kind::VcaReply, &p, true), (None, Some(-2003)));
        assert_eq!(answer(Kind::VcaReply, &p, false), (None, None));
        assert_eq!(answer(Kind::Vss, &p, true), (None, None));
    }
}
