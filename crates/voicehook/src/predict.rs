//! What 8x8 answers, worked out last from what the other steps found: a Send Callflow's API
//! status code (`predictedStatusCode`) and a VCA reply's session error (`predictedSessionErrorCode`).
//!
//! The steps only say which status code a finding stands for (its `answer`); the prediction is
//! a function of the error findings alone ([`answer`]): nothing here reads the document, and no
//! step reads the prediction. The ranking
//! is [`PRECEDENCE`] (see [`crate::callflow`] for the table and its sources).

use crate::{Finding, Kind};

/// The predicted codes, most specific first. Codes of rank 4 (the per-action ones) tie with
/// each other: among them the one on the earliest action wins, then the order here.
pub const PRECEDENCE: [i32; 12] = [
    -1001, -1015, -1013, -1007, -1017, -1003, -1008, -1005, -1006, -1010, -1012, -1009,
];

/// The API status code one finding stands for, and the action it is in (`None`: the request
/// as a whole).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    pub code: i32,
    pub action: Option<usize>,
}

/// How a counted code ranks: lower wins (rank, action, place in [`PRECEDENCE`]).
type Rank = (u8, Option<usize>, usize);

/// How `code` on action `action` ranks.
fn rank(code: i32, action: Option<usize>) -> Rank {
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
    (rank, action, order)
}

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
        self.consider(rank(code, action), code);
    }

    /// Keeps `code` when it ranks before the best so far.
    fn consider(&mut self, key: Rank, code: i32) {
        if self.best.is_none_or(|(best, _)| key < best) {
            self.best = Some((key, code));
        }
    }

    /// Counts an error finding: the code it stands for, else the generic -1009 in the action
    /// its pointer is in.
    pub(crate) fn count_finding(&mut self, f: &Finding) {
        match f.answer {
            Some(a) => self.count(a.code, a.action),
            None => self.count(-1009, action_index(&f.pointer)),
        }
    }

    /// Counts everything `other` counted.
    pub(crate) fn merge(&mut self, other: Prediction) {
        if let Some((key, code)) = other.best {
            self.consider(key, code);
        }
    }

    /// The status code that wins, 1 (accepted) when nothing was counted.
    pub(crate) fn status(&self) -> i32 {
        self.best.map_or(1, |(_, code)| code)
    }
}

/// The report's two predictions for a document of `kind` that parsed, from its `errors` and
/// the codes counted past the cap (`beyond`): the winning status code of a Send Callflow
/// request (an error that names no code of its own is the generic -1009), -2003 for a VCA
/// reply with any error.
pub(crate) fn answer<'f>(
    kind: Kind,
    errors: impl Iterator<Item = &'f Finding>,
    beyond: Prediction,
) -> (Option<i32>, Option<i32>) {
    let mut errors = errors;
    match kind {
        Kind::Callflow => {
            let mut counted = beyond;
            for f in errors {
                counted.count_finding(f);
            }
            (Some(counted.status()), None)
        }
        Kind::VcaReply => {
            let any = beyond.best.is_some() || errors.next().is_some();
            (None, any.then_some(-2003))
        }
        _ => (None, None),
    }
}

/// The better-ranked of two answers.
pub(crate) fn better(a: Option<Answer>, b: Option<Answer>) -> Option<Answer> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if rank(y.code, y.action) < rank(x.code, x.action) {
            y
        } else {
            x
        }),
        (x, y) => x.or(y),
    }
}

/// The index of the action a pointer points into (`/callflow/3/params` gives 3).
pub(crate) fn action_index(pointer: &str) -> Option<usize> {
    pointer
        .strip_prefix("/callflow/")?
        .split('/')
        .next()?
        .parse()
        .ok()
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
        assert_eq!(answer(Kind::Callflow, [].iter(), p), (Some(-1001), None));
        assert_eq!(answer(Kind::VcaReply, [].iter(), p), (None, Some(-2003)));
        let none = Prediction::default();
        assert_eq!(answer(Kind::VcaReply, [].iter(), none), (None, None));
        assert_eq!(answer(Kind::Vss, [].iter(), p), (None, None));
    }

    #[test]
    fn an_error_without_a_code_of_its_own_is_the_generic_one_in_its_action() {
        let rule = &crate::catalog::SCHEMA_TYPE;
        let errors = [
            Finding::new("/callflow/2/params/x", rule, "m"),
            Finding::new("/callflow/1/params/y", rule, "m").answering(-1017, Some(1)),
            Finding::new("/callflow/0/params/z", rule, "m"),
        ];
        let none = Prediction::default();
        assert_eq!(answer(Kind::Callflow, errors.iter(), none).0, Some(-1017));
        assert_eq!(
            answer(Kind::Callflow, errors[..1].iter(), none).0,
            Some(-1009)
        );
        assert_eq!(answer(Kind::Callflow, [].iter(), none).0, Some(1));
        let a = Some(Answer {
            code: -1009,
            action: Some(0),
        });
        let b = Some(Answer {
            code: -1017,
            action: Some(3),
        });
        assert_eq!(better(a, b), b);
        assert_eq!(better(None, a), a);
    }
}
