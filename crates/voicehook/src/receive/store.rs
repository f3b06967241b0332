//! Deduplication for one instance: a bounded map of idempotency keys with expiry.
//!
//! The three operations are those a shared store offers too (Redis: `SET key pending NX PX
//! lease`, `SET key done PX ttl`, `DEL key`), so the adapters drive either the same way:
//! [`MemoryStore::claim`] before the handler, [`MemoryStore::done`] after it succeeded,
//! [`MemoryStore::release`] when it failed, so that a redelivery is handled again instead of
//! being lost.

use std::collections::{HashMap, VecDeque};

/// What [`MemoryStore::claim`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Claim {
    /// First delivery (or the first after a failed one): handle it.
    New,
    /// Handled already: acknowledge it and do not hand it to the user's code again.
    Duplicate,
    /// Another delivery of it is being handled right now: acknowledge it too; if that handler
    /// fails, the key is released and a later redelivery is handled.
    InProgress,
}

#[derive(Debug)]
struct Entry {
    done: bool,
    /// Unix milliseconds after which the entry is forgotten.
    expires: i64,
    /// Which of the key's places in `order` is current.
    stamp: u64,
}

/// Idempotency keys seen recently, at most `capacity` of them: the oldest is forgotten first
/// when a new one would not fit, and each is forgotten at its expiry.
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    entries: HashMap<String, Entry>,
    pub(super) order: VecDeque<(String, u64)>,
    next: u64,
}

impl MemoryStore {
    /// A store of at most `capacity` keys (at least 1).
    pub fn new(capacity: usize) -> Self {
        MemoryStore {
            capacity: capacity.max(1),
            entries: HashMap::new(),
            order: VecDeque::new(),
            next: 0,
        }
    }

    /// How many keys it holds (expired ones not yet forgotten included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when it holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Claims `key` at `now` (Unix ms) for `lease_ms`: [`Claim::New`] marks it in progress until
    /// [`done`](Self::done), [`release`](Self::release) or the lease ends (a handler that never
    /// finishes does not hold the key for ever).
    pub fn claim(&mut self, key: &str, now: i64, lease_ms: u64) -> Claim {
        if let Some(entry) = self.entries.get(key)
            && entry.expires > now
        {
            return if entry.done {
                Claim::Duplicate
            } else {
                Claim::InProgress
            };
        }
        self.put(key, false, now.saturating_add_unsigned(lease_ms));
        Claim::New
    }

    /// Marks `key` handled at `now`; deliveries within `ttl_ms` are duplicates.
    pub fn done(&mut self, key: &str, now: i64, ttl_ms: u64) {
        self.put(key, true, now.saturating_add_unsigned(ttl_ms));
    }

    /// Forgets `key` (its handler failed): the next delivery is [`Claim::New`].
    pub fn release(&mut self, key: &str) {
        self.entries.remove(key);
    }

    fn put(&mut self, key: &str, done: bool, expires: i64) {
        let stamp = self.next;
        self.next += 1;
        if let Some(entry) = self.entries.get_mut(key) {
            *entry = Entry {
                done,
                expires,
                stamp,
            };
        } else {
            while self.entries.len() >= self.capacity {
                self.forget_oldest();
            }
            self.entries.insert(
                key.to_owned(),
                Entry {
                    done,
                    expires,
                    stamp,
                },
            );
        }
        self.order.push_back((key.to_owned(), stamp));
        // Places left by keys written again or released: drop them before they outnumber the keys.
        if self.order.len() > 2 * self.capacity + 16 {
            let entries = &self.entries;
            self.order
                .retain(|(k, s)| entries.get(k).is_some_and(|e| e.stamp == *s));
        }
    }

    fn forget_oldest(&mut self) {
        while let Some((key, stamp)) = self.order.pop_front() {
            if self.entries.get(&key).is_some_and(|e| e.stamp == stamp) {
                self.entries.remove(&key);
                return;
            }
        }
        // Unreachable while every entry has its place; never loop for ever.
        self.entries.clear();
    }
}
