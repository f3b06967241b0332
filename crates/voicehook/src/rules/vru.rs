//! Rules for the Voice Recording Uploaded (VRU) webhook.
//!
//! - `vru.status`: 8x8 sends this event "each time a recording has been
//!   successfully uploaded", and its example carries `UPLOAD_COMPLETED`; any other recording
//!   status there (a failure, or a step before or after the upload) is unexpected.

use super::Ctx;
use crate::catalog;
use crate::models::vru::RecordingStatus;
use crate::view::Recording;

/// Runs every VRU rule, over one typed view of the recording.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    status(ctx, &Recording::of(ctx.doc));
}

/// `vru.status`.
fn status(ctx: &mut Ctx<'_>, recording: &Recording<'_>) {
    let pointer = "/payload/status";
    let Some(status) = recording.status_text else {
        return;
    };
    if recording.status == Some(RecordingStatus::UploadCompleted) || ctx.has_error_at(pointer) {
        return;
    }
    ctx.emit(
        pointer,
        &catalog::VRU_STATUS,
        format!(
            "status should be UPLOAD_COMPLETED: the recording-uploaded event is sent once a \
             recording reached your file server, found {status}"
        ),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::Kind;

    fn run(doc: &Value) -> Vec<(String, bool, String)> {
        crate::rules::testing::run(Kind::Vru, check, doc)
    }

    fn example() -> Value {
        json!({
          "namespace": "VOICE", "eventType": "CALL_RECORDING_STATUS",
          "description": "Call recording status updated",
          "payload": {
            "sessionId": "e35e3d0e-065a-11ec-b119-676cb2bc33ef",
            "recordingId": "eef54fc2-065a-11ec-bce9-ed1000154345",
            "durationSeconds": 25,
            "filePath": "yourRecordingsEndpoint/2021-08-21/e35e3d0e-065a-11ec-b119-676cb2bc33ef/eef54fc2-065a-11ec-bce9-ed1000154345_2021-08-20T16:51:01.703Z.mp3",
            "status": "UPLOAD_COMPLETED"
          }
        })
    }

    #[test]
    fn the_documented_example_is_clean() {
        assert_eq!(run(&example()), vec![]);
    }

    #[test]
    fn another_status_warns() {
        let mut doc = example();
        doc["payload"]["status"] = json!("UPLOAD_FAILED");
        assert_eq!(
            run(&doc),
            vec![("/payload/status".to_owned(), false, "vru.status".to_owned())]
        );
        doc["payload"]["status"] = json!(5);
        assert_eq!(run(&doc), vec![]);
    }
}
