//! Every operation of 8x8's OpenAPI files answers, with a status the file documents and a body
//! of the documented shape. The list of operations is the sandbox's own
//! (`api::OPERATIONS`); when the reference is beside the repository (`$VOICEHOOK_REFERENCE`, or
//! `../shared/reference`), the list is checked against both files and each answer against the
//! operation's response schema, with the jsonschema crate.

mod common;

use std::path::PathBuf;

use common::{Running, menu};
use serde_json::{Value, json};
use voicehook_sandbox::Scenario;
use voicehook_sandbox::api::OPERATIONS;

/// Every callee answers and presses nothing.
fn scenario() -> Scenario {
    Scenario::read(br#"{"callees": {"*": {}}}"#).unwrap()
}

fn reference() -> Option<PathBuf> {
    let dir = std::env::var_os("VOICEHOOK_REFERENCE").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"),
        PathBuf::from,
    );
    dir.join("openapi").is_dir().then_some(dir)
}

/// The operations of an OpenAPI file: (method, path under the sub-account, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if ["get", "post", "delete", "put", "patch"].contains(&method.as_str()) {
                let tail = path
                    .strip_prefix("/api/v1/subaccounts/{subAccountId}")
                    .unwrap_or(path);
                out.push((method.to_uppercase(), tail.to_owned(), op.clone()));
            }
        }
    }
    out
}

/// Answers every operation with concrete values, in an order that makes each meaningful (a
/// session before its recordings, a job before its result): (method, path, status, body).
async fn answers(sandbox: &Running) -> Vec<(String, String, u16, Value)> {
    let (_, created) = sandbox
        .api("POST", "/callflows", Some(menu("+6591110001")))
        .await;
    let session = created["sessionId"].as_str().unwrap().to_owned();
    sandbox.finished(&session).await;
    let (_, job) = sandbox
        .api(
            "POST",
            "/messages/exports",
            Some(json!({"from": "2026-01-01"})),
        )
        .await;
    let job = job["jobId"].as_str().unwrap().to_owned();
    let push = json!({"protocol": "sftp", "host": "files.example.com", "port": 22, "username": "u", "password": "p", "path": "/rec"});
    sandbox
        .api("POST", "/recording-push-config", Some(push.clone()))
        .await;
    let mut out = Vec::new();
    for (method, template) in OPERATIONS {
        let path = template
            .replace("{webhook-type}", "VSS")
            .replace("{sessionId}", &session)
            .replace("{number}", "6531570000")
            .replace("{jobId}", &job);
        let body = match (*method, *template) {
            ("POST", "/callflows") => Some(menu("+6591110001")),
            ("POST", "/webhooks") => Some(
                json!({"type": "VSS", "url": "http://127.0.0.1:9/vss", "httpAuthHeader": "Basic x"}),
            ),
            ("POST", "/recording-push-config") => Some(
                json!({"protocol": "sftp", "host": "files.example.com", "port": 22, "username": "u", "password": "p", "path": "/rec"}),
            ),
            ("POST", "/messages/exports") => Some(json!({"from": "2026-01-01"})),
            _ => None,
        };
        let (status, answer) = sandbox.api(method, &path, body).await;
        out.push((method.to_string(), template.to_string(), status, answer));
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_answers_with_a_documented_status() {
    let sandbox = Running::start(scenario()).await;
    for (method, path, status, body) in answers(&sandbox).await {
        assert!(
            (200..300).contains(&status),
            "{method} {path} answered {status}: {body}"
        );
        assert!(
            body.get("error").is_none(),
            "{method} {path} fell through: {body}"
        );
    }
    // An unknown path says so.
    let (status, body) = sandbox.api("GET", "/nothing-here", None).await;
    assert_eq!(status, 404);
    assert!(
        body["error"].as_str().unwrap().contains("no such path"),
        "{body}"
    );
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operations_and_answers_match_the_reference_openapi_files() {
    let Some(dir) = reference() else {
        eprintln!(
            "OpenAPI drift check skipped: the reference is not beside the repository (set VOICEHOOK_REFERENCE)"
        );
        return;
    };
    let sandbox = Running::start(scenario()).await;
    let got = answers(&sandbox).await;
    let mut checked = 0;
    for file in ["voice_v1_api.json", "number_masking_api.json"] {
        let text = std::fs::read_to_string(dir.join("openapi").join(file)).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        for (method, path, op) in operations(&doc) {
            assert!(
                OPERATIONS.contains(&(method.as_str(), path.as_str())),
                "{file}: {method} {path} is not served by the sandbox"
            );
            let (_, _, status, body) = got
                .iter()
                .find(|(m, p, _, _)| *m == method && *p == path)
                .unwrap();
            let documented = &op["responses"][status.to_string()];
            assert!(
                documented.is_object(),
                "{file}: {method} {path}: {status} is not a documented answer"
            );
            let schema = &documented["content"]["application/json"]["schema"];
            if !schema.is_object() {
                continue;
            }
            // The file itself is the root, so that its internal $refs resolve.
            let mut root = doc.clone();
            let fullpath = format!("/api/v1/subaccounts/{{subAccountId}}{path}");
            let pointer = format!(
                "#/paths/{}/{}/responses/{status}/content/application~1json/schema",
                fullpath
                    .replace('~', "~0")
                    .replace('/', "~1")
                    .replace('{', "%7B")
                    .replace('}', "%7D"),
                method.to_lowercase()
            );
            root["$ref"] = json!(pointer);
            let validator = jsonschema::draft202012::new(&root).unwrap_or_else(|e| {
                panic!("{file}: {method} {path}: the schema does not compile: {e}")
            });
            let errors: Vec<String> = validator
                .iter_errors(body)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{file}: {method} {path} {status}: {errors:?}\n{body}"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 15,
        "only {checked} answers had a schema to check"
    );
    eprintln!("OpenAPI: {checked} answers match their documented schema");
    sandbox.stop().await;
}
