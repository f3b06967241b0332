//! Call quality: the MOS bands of a leg's `callQuality.mos`, and guidance for its
//! `packetLossRate` (a fraction, 0.01 = 1 %) and `jitter` (milliseconds).
//!
//! The page gives touching ranges (4.3–5.0 Excellent, 4.0–4.3 Good, …); a score on a boundary
//! belongs to the better band, so 4.3 is Excellent and 4.0 is Good.

use serde::Serialize;

/// A band of Mean Opinion Score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MosBand {
    /// Excellent, Good, Fair, Poor or Bad.
    pub name: &'static str,
    /// Lowest score of the band (inclusive).
    pub min: f64,
    /// Highest score of the band (exclusive, except 5.0 for Excellent).
    pub max: f64,
    /// What callers hear.
    pub meaning: &'static str,
}

const fn band(name: &'static str, min: f64, max: f64, meaning: &'static str) -> MosBand {
    MosBand {
        name,
        min,
        max,
        meaning,
    }
}

/// MOS bands, best first.
pub static MOS_BANDS: &[MosBand] = &[
    band(
        "Excellent",
        4.3,
        5.0,
        "clear audio, as good as a phone call gets",
    ),
    band("Good", 4.0, 4.3, "clear audio with rare imperfections"),
    band(
        "Fair",
        3.6,
        4.0,
        "noticeable imperfections, still easy to follow",
    ),
    band(
        "Poor",
        3.1,
        3.6,
        "degraded audio that takes effort to follow",
    ),
    band(
        "Bad",
        1.0,
        3.1,
        "audio too degraded for a normal conversation",
    ),
];

/// The band a MOS falls in; `None` outside 1.0–5.0 (and for NaN), which is not a MOS at all.
pub fn mos_band(mos: f64) -> Option<&'static MosBand> {
    if !(1.0..=5.0).contains(&mos) {
        return None;
    }
    MOS_BANDS.iter().find(|b| mos >= b.min)
}

/// Packet loss above this rate (a fraction) may start to hurt audio.
pub const PACKET_LOSS_WARN: f64 = 0.01;
/// Packet loss above this rate (a fraction) is likely to hurt audio.
pub const PACKET_LOSS_BAD: f64 = 0.02;
/// Jitter above this many milliseconds may cause audible problems.
pub const JITTER_WARN_MS: f64 = 30.0;

/// How a network metric compares with the guidance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Within the guidance.
    Ok,
    /// Near or past the threshold: callers may notice.
    Borderline,
    /// Past the guidance: callers likely notice.
    Poor,
}

/// A metric's level with a sentence saying why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Guidance {
    /// The level.
    pub level: Level,
    /// Why, in plain words.
    pub message: &'static str,
}

/// Guidance for `packetLossRate` (a fraction). `None` for a negative, above-1 or NaN rate.
pub fn packet_loss_guidance(rate: f64) -> Option<Guidance> {
    if !(0.0..=1.0).contains(&rate) {
        return None;
    }
    Some(if rate > PACKET_LOSS_BAD {
        Guidance {
            level: Level::Poor,
            message: "more than 2 % of packets lost: gaps in the audio are likely",
        }
    } else if rate > PACKET_LOSS_WARN {
        Guidance {
            level: Level::Borderline,
            message: "between 1 % and 2 % of packets lost: callers may hear gaps",
        }
    } else {
        Guidance {
            level: Level::Ok,
            message: "at most 1 % of packets lost: no audible effect expected",
        }
    })
}

/// Guidance for `jitter` in milliseconds. `None` for a negative or NaN value.
pub fn jitter_guidance(ms: f64) -> Option<Guidance> {
    if ms.is_nan() || ms < 0.0 {
        return None;
    }
    Some(if ms > JITTER_WARN_MS {
        Guidance {
            level: Level::Poor,
            message: "jitter above 30 ms: choppy or delayed audio is likely",
        }
    } else {
        Guidance {
            level: Level::Ok,
            message: "jitter of 30 ms or less: no audible effect expected",
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::{fact, items, text};

    #[test]
    fn mos_bands_match_the_ivr_page() {
        let page = fact("/mosBands");
        let listed: Vec<(f64, f64, &str)> = items(page, "/bands")
            .iter()
            .map(|b| {
                let n = |k: &str| b[k].as_f64().unwrap();
                (n("min"), n("max"), text(b, "/name"))
            })
            .collect();
        let ours: Vec<(f64, f64, &str)> =
            MOS_BANDS.iter().map(|b| (b.min, b.max, b.name)).collect();
        assert_eq!(ours, listed, "{}", text(page, "/page"));
    }

    #[test]
    fn mos_band_boundaries_go_to_the_better_band() {
        assert_eq!(mos_band(4.5).unwrap().name, "Excellent");
        assert_eq!(mos_band(5.0).unwrap().name, "Excellent");
        assert_eq!(mos_band(4.3).unwrap().name, "Excellent");
        assert_eq!(mos_band(4.299).unwrap().name, "Good");
        assert_eq!(mos_band(4.0).unwrap().name, "Good");
        assert_eq!(mos_band(3.7).unwrap().name, "Fair");
        assert_eq!(mos_band(3.1).unwrap().name, "Poor");
        assert_eq!(mos_band(3.0).unwrap().name, "Bad");
        assert_eq!(mos_band(1.0).unwrap().name, "Bad");
        for odd in [0.5, 5.01, -1.0, f64::NAN, f64::INFINITY] {
            assert!(mos_band(odd).is_none(), "{odd}");
        }
    }

    #[test]
    fn network_guidance_follows_the_ivr_page() {
        let page = fact("/networkGuidance");
        let percent: Vec<f64> = items(page, "/packetLossPercent")
            .iter()
            .map(|p| p.as_f64().unwrap() / 100.0)
            .collect();
        assert_eq!(
            percent,
            [PACKET_LOSS_WARN, PACKET_LOSS_BAD],
            "packet loss thresholds"
        );
        assert_eq!(
            page["jitterMs"].as_f64(),
            Some(JITTER_WARN_MS),
            "jitter threshold"
        );
        assert_eq!(packet_loss_guidance(0.0).unwrap().level, Level::Ok);
        assert_eq!(packet_loss_guidance(0.01).unwrap().level, Level::Ok);
        assert_eq!(
            packet_loss_guidance(0.015).unwrap().level,
            Level::Borderline
        );
        assert_eq!(packet_loss_guidance(0.05).unwrap().level, Level::Poor);
        assert!(packet_loss_guidance(1.5).is_none());
        assert!(packet_loss_guidance(f64::NAN).is_none());
        assert_eq!(jitter_guidance(20.0).unwrap().level, Level::Ok);
        assert_eq!(jitter_guidance(31.0).unwrap().level, Level::Poor);
        assert!(jitter_guidance(-1.0).is_none());
    }
}
