//! `voicehook replay`: re-sends the webhooks of a `--record` file, in their order.

use std::time::{Duration, Instant};

use crate::record::{Direction, Exchange};

/// One webhook sent again, and what came back.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Replayed {
    /// Its `seq` in the record.
    pub seq: u64,
    /// The event type of the body (`CALL_STATUS`…).
    pub event_type: String,
    /// Where it was sent.
    pub url: String,
    /// The status your server answered, when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The status it answered when it was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_status: Option<u16>,
    /// Why there was no answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How long the answer took, in milliseconds.
    pub ms: u64,
}

/// The webhook deliveries of a record file (every try and duplicate, as your server saw
/// them), or the first line that is not an exchange: `LINE:COLUMN: what is wrong`.
pub fn read(text: &str) -> Result<Vec<Exchange>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // One document a line: the line is the file's, the column the document's.
        let x: Exchange = serde_json::from_str(line).map_err(|e| {
            let what = crate::what(&e);
            format!("{}:{}: not a sandbox exchange: {what}", i + 1, e.column())
        })?;
        if x.direction == Direction::Webhook {
            out.push(x);
        }
    }
    Ok(out)
}

/// Where a webhook recorded as sent to `recorded` goes again: `to` itself when it has a path
/// (`http://localhost:3000/8x8/all`, one endpoint for all), else the recorded path and query on
/// `to`'s scheme, host and port (`http://localhost:3000` sends `/8x8/vca` to
/// `http://localhost:3000/8x8/vca`).
pub fn target(recorded: &str, to: &str) -> String {
    let (Ok(base), Ok(was)) = (to.parse::<reqwest::Url>(), recorded.parse::<reqwest::Url>()) else {
        return to.to_owned();
    };
    if base.path() != "/" || base.query().is_some() {
        return to.to_owned();
    }
    let mut out = base;
    out.set_path(was.path());
    out.set_query(was.query());
    out.to_string()
}

/// POSTs each recorded webhook body to `to` (see [`target`]), one after another, with the
/// recorded `Authorization` header unless `auth` replaces it.
pub async fn send(
    exchanges: &[Exchange],
    to: &str,
    auth: Option<&str>,
    timeout: Duration,
    mut each: impl FnMut(&Replayed),
) -> Vec<Replayed> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap_or_default();
    let mut done = Vec::new();
    for x in exchanges {
        let body = serde_json::to_vec(&x.request).unwrap_or_default();
        let url = target(&x.url, to);
        let mut request = client
            .post(&url)
            .timeout(timeout)
            .header("content-type", "application/json")
            .body(body);
        if let Some(a) = auth.or(x.authorization.as_deref()) {
            request = request.header("authorization", a);
        }
        let started = Instant::now();
        let (status, error) = match request.send().await {
            Ok(r) => (Some(r.status().as_u16()), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let r = Replayed {
            seq: x.seq,
            event_type: x.request["eventType"].as_str().unwrap_or("?").to_owned(),
            url,
            status,
            recorded_status: x.status,
            error,
            ms: started.elapsed().as_millis() as u64,
        };
        each(&r);
        done.push(r);
    }
    done
}

#[cfg(test)]
mod tests {
    use super::target;

    #[test]
    fn an_origin_keeps_the_recorded_paths_and_a_path_takes_them_all() {
        let was = "http://127.0.0.1:41234/8x8/vca?x=1";
        assert_eq!(
            target(was, "http://localhost:3000"),
            "http://localhost:3000/8x8/vca?x=1"
        );
        assert_eq!(
            target(was, "http://localhost:3000/"),
            "http://localhost:3000/8x8/vca?x=1"
        );
        assert_eq!(
            target(was, "http://localhost:3000/all"),
            "http://localhost:3000/all"
        );
    }
}
