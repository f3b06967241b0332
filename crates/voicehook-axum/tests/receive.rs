//! The axum receiver over real loopback HTTP: a server with connect info, and a plain HTTP/1.1
//! client on a TCP socket.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use voicehook::Kind;
use voicehook::receive::{Policy, Source};
use voicehook_axum::{Receiver, handle};

/// Serves `receiver` at /hook on 127.0.0.1; returns the address.
async fn serve(receiver: Receiver) -> SocketAddr {
    let app = Router::new()
        .route("/hook", post(handle))
        .with_state(Arc::new(receiver));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    addr
}

/// POSTs `body` with `headers`; returns the status and the body as JSON (null when it is not).
async fn post_to(addr: SocketAddr, headers: &[(&str, &str)], body: &[u8]) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!(
        "POST /hook HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    // A refused large body is answered before it is all sent; the server may close early.
    let _ = stream.write_all(body).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn loopback() -> Policy {
    Policy {
        allow: vec!["127.0.0.1".parse().unwrap()],
        authorization: Some("Bearer s3cret".to_owned()),
        ..Policy::default()
    }
}

fn documented(name: &str) -> Vec<u8> {
    serde_json::to_vec(&voicehook::fixtures::named(name).unwrap().document).unwrap()
}

const AUTH: (&str, &str) = ("Authorization", "Bearer s3cret");

/// Waits until `f` holds (the handlers run after the answer), for at most 5 s.
async fn eventually(f: impl Fn() -> bool) {
    for _ in 0..500 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the condition did not hold within 5 s");
}

#[tokio::test]
async fn a_summary_is_handled_once_and_its_duplicate_answered_200() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let receiver = Receiver::new(loopback()).on_event(move |event| {
        let log = log.clone();
        async move {
            let status = event.data["payload"]["sessionStatus"]
                .as_str()
                .unwrap_or("?")
                .to_owned();
            let leg = event.data["payload"]["details"]["callA"]["sourceRefId"].clone();
            log.lock()
                .unwrap()
                .push((event.kind, event.key, status, leg));
            Ok::<(), std::io::Error>(())
        }
    });
    let addr = serve(receiver).await;
    let vss = documented("voice-messaging--session-status.1");
    assert_eq!(
        post_to(addr, &[AUTH], &vss).await,
        (200, json!({"ok": true}))
    );
    eventually(|| seen.lock().unwrap().len() == 1).await;
    let (status, body) = post_to(addr, &[AUTH], &vss).await;
    assert_eq!((status, &body["duplicate"]), (200, &json!(true)));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let seen = seen.lock().unwrap();
    // CallA read as callA, "null" as null: the canonical document.
    assert_eq!(
        *seen,
        [(
            Kind::Vss,
            "1f048a84-ea6d-11ee-911b-078f7290bf52".to_owned(),
            "COMPLETED".to_owned(),
            Value::Null
        )]
    );
}

#[tokio::test]
async fn each_refusal_has_its_status_and_reason() {
    let handled = Arc::new(Mutex::new(0));
    let count = handled.clone();
    let policy = Policy {
        kinds: vec![Kind::Vss],
        ..loopback()
    };
    let receiver = Receiver::new(policy).on_event(move |_| {
        *count.lock().unwrap() += 1;
        async { Ok::<(), std::io::Error>(()) }
    });
    let addr = serve(receiver).await;
    let vss = documented("ivr--session-summary-ivr.1");
    let vca = documented("number-masking--call-action-handling.1");
    let huge = vec![b' '; 20 << 20];
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [u8], u16, &'a str);
    let cases: Vec<Case> = vec![
        ("no authorization", vec![], &vss, 401, "authorization"),
        (
            "wrong authorization",
            vec![("Authorization", "Bearer s3creT")],
            &vss,
            401,
            "authorization",
        ),
        ("20 MB", vec![AUTH], &huge, 413, "size"),
        ("empty", vec![AUTH], b"", 400, "empty"),
        ("not JSON", vec![AUTH], b"{\"payload\": ", 400, "syntax"),
        (
            "a call action at a summary endpoint",
            vec![AUTH],
            &vca,
            422,
            "kind",
        ),
    ];
    for (name, headers, body, status, reason) in cases {
        let (got, answer) = post_to(addr, &headers, body).await;
        assert_eq!(
            (got, answer["reason"].as_str()),
            (status, Some(reason)),
            "{name}: {answer}"
        );
        assert!(
            !answer["message"].as_str().unwrap().contains("s3cret"),
            "{name}"
        );
    }
    // Not on the allowlist: the forwarded header is not trusted without a proxy.
    let elsewhere = Policy {
        allow: vec![Source::Published],
        ..loopback()
    };
    let addr2 = serve(Receiver::new(elsewhere)).await;
    let (status, answer) = post_to(addr2, &[AUTH, ("X-Forwarded-For", "18.140.80.2")], &vss).await;
    assert_eq!((status, answer["reason"].as_str()), (403, Some("source")));
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("no proxy is trusted"),
        "{answer}"
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        *handled.lock().unwrap(),
        0,
        "no refused request reached the handler"
    );
}

#[tokio::test]
async fn a_failed_handler_releases_the_key_so_a_redelivery_is_handled() {
    let attempts = Arc::new(Mutex::new(0));
    let count = attempts.clone();
    let receiver = Receiver::new(loopback())
        .on_error(|_, _| {})
        .on_event(move |_| {
            let n = {
                let mut a = count.lock().unwrap();
                *a += 1;
                *a
            };
            async move {
                if n == 1 {
                    Err(std::io::Error::other("database down"))
                } else {
                    Ok(())
                }
            }
        });
    let addr = serve(receiver).await;
    let vss = documented("ivr--session-summary-ivr.1");
    assert_eq!(post_to(addr, &[AUTH], &vss).await.0, 200);
    eventually(|| *attempts.lock().unwrap() == 1).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Released: handled again. Then done: a duplicate.
    assert_eq!(
        post_to(addr, &[AUTH], &vss).await,
        (200, json!({"ok": true}))
    );
    eventually(|| *attempts.lock().unwrap() == 2).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        post_to(addr, &[AUTH], &vss).await.1["duplicate"],
        json!(true)
    );
    assert_eq!(*attempts.lock().unwrap(), 2);

    // Answering after the handler: its failure is the sender's 500.
    let failed = Arc::new(Mutex::new(false));
    let once = failed.clone();
    let waiting = Receiver::new(loopback())
        .await_handler(true)
        .on_error(|_, _| {})
        .on_event(move |_| {
            let first = !std::mem::replace(&mut *once.lock().unwrap(), true);
            async move {
                if first {
                    Err(std::io::Error::other("once"))
                } else {
                    Ok(())
                }
            }
        });
    let addr = serve(waiting).await;
    let mut answers = Vec::new();
    for _ in 0..3 {
        answers.push(post_to(addr, &[AUTH], &vss).await);
    }
    let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
    assert_eq!(statuses, [500, 200, 200]);
    assert_eq!(answers[0].1["reason"], json!("handler"));
    assert_eq!(answers[2].1["duplicate"], json!(true));
}

#[tokio::test]
async fn a_call_action_gets_the_reply_or_the_fallback() {
    let vca = documented("number-masking--call-action-handling.1");
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let good = json!({"clientActionId": "menu", "callflow": [{"action": "sayAndCapture",
        "params": {"promptMessage": "Press 1", "voiceProfile": "en-US-ZiraRUS", "maxDigits": 1}}]});
    let invalid = json!({"callflow": [{"action": "say", "params": {"text": "no voice"}}]});
    for (name, reply, delay, fallback) in [
        ("good", good.clone(), 0, false),
        ("invalid", invalid, 0, true),
        ("slow", good.clone(), 500, true),
    ] {
        let log = errors.clone();
        let receiver = Receiver::new(loopback())
            .timings(
                Duration::from_secs(60),
                Duration::from_secs(60),
                Duration::from_millis(200),
            )
            .on_error(move |m, _| log.lock().unwrap().push(format!("{name}: {m}")))
            .on_call_action(move |event| {
                let reply = reply.clone();
                async move {
                    assert_eq!(event.kind, Kind::Vca);
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                    Ok::<_, std::io::Error>(reply)
                }
            });
        let addr = serve(receiver).await;
        let (status, answer) = post_to(addr, &[AUTH], &vca).await;
        assert_eq!(status, 200, "{name}");
        let want = if fallback {
            voicehook_axum::fallback_reply()
        } else {
            good.clone()
        };
        assert_eq!(answer, want, "{name}");
    }
    let errors = errors.lock().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("invalid: call action ")
            && errors[0].contains("schema.required at /callflow/0/params/voiceProfile"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains("took longer than 200 ms"),
        "{}",
        errors[1]
    );
    assert!(
        Receiver::new(loopback())
            .fallback(json!({"callflow": "no"}))
            .is_err()
    );
}

#[cfg(feature = "redis")]
mod redis_store {
    use super::*;
    use voicehook_axum::RedisStore;

    /// A Redis server on a free loopback port (killed when the child is dropped), and its URL.
    struct Server {
        _child: tokio::process::Child,
        url: String,
    }

    async fn start() -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let exe =
            std::env::var("VOICEHOOK_REDIS_SERVER").unwrap_or_else(|_| "redis-server".to_owned());
        let child = tokio::process::Command::new(&exe)
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{exe} does not start ({e}): cargo xtask test installs Debian's redis-server"
                )
            });
        let url = format!("redis://127.0.0.1:{port}");
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Server { _child: child, url };
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("redis-server did not listen on {port}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_instances_sharing_redis_handle_each_event_once() {
        let server = start().await;
        let handled = Arc::new(Mutex::new(Vec::<String>::new()));
        let mut addrs = Vec::new();
        for _ in 0..2 {
            let client = redis::Client::open(server.url.as_str()).unwrap();
            let connection = redis::aio::ConnectionManager::new(client).await.unwrap();
            let log = handled.clone();
            let receiver = Receiver::new(loopback())
                .store(RedisStore::new(connection, "axum-test:"))
                .on_event(move |event| {
                    let log = log.clone();
                    async move {
                        tokio::time::sleep(Duration::from_millis(2)).await;
                        log.lock().unwrap().push(event.key);
                        Ok::<(), std::io::Error>(())
                    }
                });
            addrs.push(serve(receiver).await);
        }
        // 700 events, 1,000 deliveries: every event once, then 300 duplicates, interleaved.
        let bodies: Vec<Vec<u8>> = (0..700)
            .map(|i| {
                let id = format!("1f048a84-ea6d-11ee-911b-{i:012x}");
                let set =
                    voicehook::fixtures::Override::new("payload.sessionId", json!(id)).unwrap();
                serde_json::to_vec(&voicehook::fixtures::example(Kind::Vss, &[set]).unwrap())
                    .unwrap()
            })
            .collect();
        let mut order: Vec<usize> = (0..700).chain((0..300).map(|i| (i * 7) % 700)).collect();
        order.sort_by_key(|&i| (i * 2654435761usize) % 1000);
        // 32 deliveries in flight at a time.
        let permits = Arc::new(tokio::sync::Semaphore::new(32));
        let tasks: Vec<_> = order
            .into_iter()
            .enumerate()
            .map(|(n, i)| {
                let body = bodies[i].clone();
                let addr = addrs[n % 2];
                let permits = permits.clone();
                tokio::spawn(async move {
                    let _permit = permits.acquire().await.unwrap();
                    post_to(addr, &[AUTH], &body).await.0
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), 200);
        }
        eventually(|| handled.lock().unwrap().len() >= 700).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        let handled = handled.lock().unwrap();
        let unique: std::collections::HashSet<_> = handled.iter().collect();
        assert_eq!((handled.len(), unique.len()), (700, 700));
    }
}
