//! Voice Recording Uploaded (VRU): the webhook 8x8 posts when a call recording has been
//! delivered to the customer's S3 bucket or SFTP server.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{Namespace, Uuid, string_enum, whole};

string_enum! {
    /// The `eventType` of a recording notification.
    pub enum RecordingStatusEvent: "Marks the webhook as a call recording status update." {
        /// `CALL_RECORDING_STATUS`.
        CallRecordingStatus = "CALL_RECORDING_STATUS",
    }
}

/// The Voice Recording Uploaded webhook: a recording of a session has moved on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VruWebhook {
    /// Product family; always `VOICE`.
    pub namespace: Namespace,
    /// Always `CALL_RECORDING_STATUS` for this webhook.
    pub event_type: RecordingStatusEvent,
    /// Free text describing the event.
    pub description: String,
    /// The recording.
    pub payload: VruPayload,
}

string_enum! {
    /// Where a recording is in its journey from the call to the customer's storage.
    pub enum RecordingStatus: "Stage of the recording: processed, uploaded to the configured storage, and the notification delivered." {
        /// The recording is being prepared.
        Processing = "PROCESSING",
        /// Preparing the recording failed.
        ProcessingFailed = "PROCESSING_FAILED",
        /// The file has reached the configured storage.
        UploadCompleted = "UPLOAD_COMPLETED",
        /// The file could not be uploaded.
        UploadFailed = "UPLOAD_FAILED",
        /// The notification about the upload has been delivered.
        CallbackCompleted = "CALLBACK_COMPLETED",
        /// The notification about the upload could not be delivered.
        CallbackFailed = "CALLBACK_FAILED",
        /// An error of unknown cause.
        Unknown = "UNKNOWN",
    }
}

/// The body of a recording notification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VruPayload {
    /// The session that was recorded.
    pub session_id: Uuid,
    /// Identifies the recording.
    pub recording_id: Uuid,
    /// Length of the recording in seconds.
    #[serde(deserialize_with = "whole::int")]
    pub duration_seconds: u64,
    /// Where the file was stored, relative to the configured storage.
    pub file_path: String,
    /// Stage the recording has reached.
    pub status: RecordingStatus,
}
