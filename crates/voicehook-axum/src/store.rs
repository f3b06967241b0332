//! Where idempotency keys are kept: [`MemoryStore`] (the core's, one instance) or, with the
//! `redis` feature, [`redis::RedisStore`] (several instances).

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use voicehook::receive::Claim;

/// Why a store could not answer.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// What a store's operations return.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The three operations of deduplication: [`claim`](Store::claim) before the handler,
/// [`done`](Store::done) after it succeeded, [`release`](Store::release) when it failed.
pub trait Store: Send + Sync {
    /// Claims `key` for `lease`: [`Claim::New`] when no delivery of it was handled or is being
    /// handled.
    fn claim<'a>(&'a self, key: &'a str, lease: Duration) -> StoreFuture<'a, Claim>;
    /// Marks `key` handled for `ttl`.
    fn done<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, ()>;
    /// Forgets this instance's claim of `key`.
    fn release<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()>;
}

/// The core's bounded in-memory store ([`voicehook::receive::MemoryStore`]) with the clock.
pub struct MemoryStore(Mutex<voicehook::receive::MemoryStore>);

impl MemoryStore {
    /// A store of at most `capacity` keys.
    pub fn new(capacity: usize) -> Self {
        MemoryStore(Mutex::new(voicehook::receive::MemoryStore::new(capacity)))
    }

    fn with<T>(&self, f: impl FnOnce(&mut voicehook::receive::MemoryStore, i64) -> T) -> T {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let mut store = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut store, now)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl Store for MemoryStore {
    fn claim<'a>(&'a self, key: &'a str, lease: Duration) -> StoreFuture<'a, Claim> {
        let claim = self.with(|s, now| s.claim(key, now, millis(lease)));
        Box::pin(async move { Ok(claim) })
    }

    fn done<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, ()> {
        self.with(|s, now| s.done(key, now, millis(ttl)));
        Box::pin(async { Ok(()) })
    }

    fn release<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        self.with(|s, _| s.release(key));
        Box::pin(async { Ok(()) })
    }
}

#[cfg(feature = "redis")]
pub mod redis {
    //! Deduplication shared through Redis.

    use std::collections::HashMap;
    use std::sync::Mutex;
    use std::time::Duration;

    use redis::AsyncCommands;
    use redis::aio::ConnectionManager;
    use voicehook::receive::Claim;

    use super::{Store, StoreError, StoreFuture, millis};

    const RELEASE: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    /// Keys in Redis, shared by every instance: a claim is `SET key pending:<token> NX PX lease`,
    /// done is `SET key done PX ttl`, and a release deletes the key only while it holds this
    /// instance's token (an instance whose lease ran out never frees another's claim).
    pub struct RedisStore {
        connection: ConnectionManager,
        prefix: String,
        tokens: Mutex<HashMap<String, String>>,
    }

    impl RedisStore {
        /// A store over `connection`, its keys named `prefix` + key.
        pub fn new(connection: ConnectionManager, prefix: impl Into<String>) -> Self {
            RedisStore {
                connection,
                prefix: prefix.into(),
                tokens: Mutex::new(HashMap::new()),
            }
        }

        fn tokens(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
            self.tokens.lock().unwrap_or_else(|p| p.into_inner())
        }
    }

    fn failed(e: redis::RedisError) -> StoreError {
        StoreError(format!("redis: {e}"))
    }

    fn token() -> String {
        use std::time::{SystemTime, UNIX_EPOCH};
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("pending:{}:{t:x}:{n:x}", std::process::id())
    }

    impl Store for RedisStore {
        fn claim<'a>(&'a self, key: &'a str, lease: Duration) -> StoreFuture<'a, Claim> {
            Box::pin(async move {
                let mut c = self.connection.clone();
                let k = format!("{}{key}", self.prefix);
                let token = token();
                for _ in 0..3 {
                    let set: Option<String> = redis::cmd("SET")
                        .arg(&k)
                        .arg(&token)
                        .arg("NX")
                        .arg("PX")
                        .arg(millis(lease))
                        .query_async(&mut c)
                        .await
                        .map_err(failed)?;
                    if set.is_some() {
                        self.tokens().insert(key.to_owned(), token);
                        return Ok(Claim::New);
                    }
                    let state: Option<String> = c.get(&k).await.map_err(failed)?;
                    match state.as_deref() {
                        Some("done") => return Ok(Claim::Duplicate),
                        Some(_) => return Ok(Claim::InProgress),
                        // Gone between the two commands: claim again.
                        None => {}
                    }
                }
                Ok(Claim::InProgress)
            })
        }

        fn done<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, ()> {
            Box::pin(async move {
                self.tokens().remove(key);
                let mut c = self.connection.clone();
                let k = format!("{}{key}", self.prefix);
                redis::cmd("SET")
                    .arg(&k)
                    .arg("done")
                    .arg("PX")
                    .arg(millis(ttl))
                    .query_async::<()>(&mut c)
                    .await
                    .map_err(failed)
            })
        }

        fn release<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
            Box::pin(async move {
                let Some(token) = self.tokens().remove(key) else {
                    return Ok(());
                };
                let mut c = self.connection.clone();
                let k = format!("{}{key}", self.prefix);
                redis::cmd("EVAL")
                    .arg(RELEASE)
                    .arg(1)
                    .arg(&k)
                    .arg(token)
                    .query_async::<i64>(&mut c)
                    .await
                    .map(|_| ())
                    .map_err(failed)
            })
        }
    }
}
