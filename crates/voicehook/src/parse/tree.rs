//! Byte spans of every value and member name, in a tree shaped like the document, and the
//! lookup of an RFC 6901 JSON pointer in it.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::outline::key_text;

/// A byte range in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
}

/// The spans of one value.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// A string, number, boolean or null.
    Leaf(Span),
    /// An array and its elements.
    Array(Span, Vec<Node>),
    /// An object and its members in source order, duplicates included.
    Object(Span, Members),
}

/// The members of an object in source order, with an index by name built on the first lookup
/// in a large object, so that placing many findings in a `details` of a million legs costs one
/// pass, not one per finding.
#[derive(Clone, Debug, Default)]
pub(crate) struct Members {
    list: Vec<Member>,
    /// `(hash of the decoded name, position)`, sorted; only for objects above [`INDEXED`].
    index: OnceLock<Box<[(u64, u32)]>>,
}

/// Objects with more members than this are looked up through an index.
const INDEXED: usize = 16;

impl Members {
    pub(crate) fn new(list: Vec<Member>) -> Self {
        Members {
            list,
            index: OnceLock::new(),
        }
    }

    /// The last member named `key` (the one whose value the parsed document holds).
    pub(crate) fn find(&self, src: &str, key: &str) -> Option<&Member> {
        if self.list.len() <= INDEXED {
            return self.list.iter().rev().find(|m| m.key_is(src, key));
        }
        let index = self.index.get_or_init(|| {
            let mut index: Vec<(u64, u32)> = self
                .list
                .iter()
                .enumerate()
                .map(|(i, m)| (hash(&m.name(src)), u32::try_from(i).unwrap_or(u32::MAX)))
                .collect();
            index.sort_unstable();
            index.into_boxed_slice()
        });
        let h = hash(key);
        let start = index.partition_point(|&(x, _)| x < h);
        let end = index.partition_point(|&(x, _)| x <= h);
        index[start..end]
            .iter()
            .rev()
            .map(|&(_, i)| &self.list[i as usize])
            .find(|m| m.key_is(src, key))
    }
}

/// FNV-1a, 64 bits: enough to spread member names; equal hashes are checked by name.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// One object member as written.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    /// The name, quotes included.
    pub key: Span,
    /// The name holds a backslash escape (compare decoded).
    pub escaped: bool,
    pub value: Node,
}

impl Member {
    /// The decoded name.
    pub(crate) fn name<'s>(&self, src: &'s str) -> Cow<'s, str> {
        if self.escaped {
            return Cow::Owned(key_text(src.as_bytes(), self.key.start, self.key.end).into_owned());
        }
        Cow::Borrowed(
            src.get(self.key.start + 1..self.key.end.saturating_sub(1))
                .unwrap_or_default(),
        )
    }

    /// Whether this member's name is `key`.
    pub(crate) fn key_is(&self, src: &str, key: &str) -> bool {
        if self.escaped {
            return key_text(src.as_bytes(), self.key.start, self.key.end) == key;
        }
        src.get(self.key.start + 1..self.key.end.saturating_sub(1)) == Some(key)
    }
}

impl Node {
    /// The span of the value itself.
    pub(crate) fn span(&self) -> Span {
        match self {
            Node::Leaf(span) | Node::Array(span, _) | Node::Object(span, _) => *span,
        }
    }
}

/// One pointer segment, unescaped (`~1` is `/`, `~0` is `~`); `None` for a bad escape.
fn unescape(segment: &str) -> Option<Cow<'_, str>> {
    if !segment.contains('~') {
        return Some(Cow::Borrowed(segment));
    }
    let mut out = String::with_capacity(segment.len());
    let mut chars = segment.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(Cow::Owned(out))
}

/// An array index as RFC 6901 spells it: `0` or digits without a leading zero.
fn index(segment: &str) -> Option<usize> {
    if segment.is_empty() || (segment.len() > 1 && segment.starts_with('0')) {
        return None;
    }
    if !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok()
}

/// Where a pointer lookup ended.
pub(crate) struct Found<'t> {
    /// The deepest node reached.
    pub node: &'t Node,
    /// The member holding `node`, when the last segment reached named an object member.
    pub member: Option<&'t Member>,
    /// Whether the whole pointer was resolved.
    pub complete: bool,
}

/// Follows `pointer` from `root` as far as it goes. `None` for a malformed pointer.
/// For duplicate names the last member wins, as in the parsed value.
pub(crate) fn walk<'t>(root: &'t Node, src: &str, pointer: &str) -> Option<Found<'t>> {
    if pointer.is_empty() {
        return Some(Found {
            node: root,
            member: None,
            complete: true,
        });
    }
    let rest = pointer.strip_prefix('/')?;
    let mut node = root;
    let mut member = None;
    for raw in rest.split('/') {
        let segment = unescape(raw)?;
        let (next, next_member) = match node {
            Node::Object(_, members) => match members.find(src, &segment) {
                Some(m) => (Some(&m.value), Some(m)),
                None => (None, None),
            },
            Node::Array(_, items) => (index(&segment).and_then(|i| items.get(i)), None),
            Node::Leaf(_) => (None, None),
        };
        match next {
            Some(next) => {
                node = next;
                member = next_member;
            }
            None => {
                return Some(Found {
                    node,
                    member,
                    complete: false,
                });
            }
        }
    }
    Some(Found {
        node,
        member,
        complete: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_pointer_segments() {
        assert_eq!(unescape("a~1b~0c").as_deref(), Some("a/b~c"));
        assert_eq!(unescape("~01").as_deref(), Some("~1"));
        assert_eq!(unescape("a~2"), None);
        assert_eq!(unescape("a~"), None);
    }

    #[test]
    fn array_indices_follow_rfc_6901() {
        assert_eq!(index("0"), Some(0));
        assert_eq!(index("12"), Some(12));
        assert_eq!(index("01"), None);
        assert_eq!(index("-"), None);
        assert_eq!(index("1e2"), None);
        assert_eq!(index("99999999999999999999999"), None);
    }
}
