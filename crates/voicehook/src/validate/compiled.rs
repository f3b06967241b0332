//! Each kind's schema compiled once for the interpreter ([`super::compact`]) and for the walks
//! that follow a document through its schema (unknown fields, impossible dates, normalization):
//! a node per subschema, each keyword read once, `$ref`s resolved, tagged unions and patterns
//! prepared at load.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::walk;
use crate::models::common::Pattern;
use crate::parse::View;
use crate::parse::doc::name_key;

/// A schema compiled for the interpreter: one node per subschema, each keyword read once, `$ref`s
/// resolved and patterns built. Each kind's committed schema is compiled once per process
/// ([`for_kind`]); the nodes keep the schema values they came from, for the messages.
pub(crate) struct Compiled<'s> {
    pub(crate) root: &'s Value,
    pub(crate) nodes: Vec<Node<'s>>,
    /// Node of each subschema, by the address of its value (for the branches messages ask for).
    by_addr: HashMap<usize, usize>,
}

/// One subschema.
#[derive(Default)]
pub(crate) struct Node<'s> {
    /// The schema value itself.
    pub(crate) source: Option<&'s Value>,
    /// The schema is an object (`true`, `false` and anything else hold no keywords).
    pub(crate) object: bool,
    /// `false`: nothing is allowed.
    pub(crate) never: bool,
    pub(crate) reference: Option<usize>,
    pub(crate) types: Option<Vec<&'s str>>,
    /// `types` as one bit per JSON type ([`type_bit`]), for the check itself.
    pub(crate) type_mask: u8,
    pub(crate) enumeration: Option<&'s Value>,
    /// How messages name the values of `enumeration`.
    pub(crate) enum_words: super::messages::EnumWords,
    pub(crate) constant: Option<&'s Value>,
    pub(crate) required: Vec<&'s str>,
    /// `properties`, sorted by [`name_key`], then the name.
    pub(crate) properties: Vec<(&'s str, usize)>,
    /// The [`name_key`] of each of `properties`.
    pub(crate) property_keys: Vec<u64>,
    /// The names `properties` declares, in the schema's order (as messages list them).
    pub(crate) declared: Vec<&'s str>,
    /// For each of `properties`, whether `required` names it.
    pub(crate) property_required: Vec<bool>,
    pub(crate) additional: Option<usize>,
    pub(crate) items: Option<usize>,
    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) pattern: Option<(&'s str, Matcher)>,
    pub(crate) minimum: Option<(&'s Value, f64)>,
    pub(crate) maximum: Option<(&'s Value, f64)>,
    pub(crate) exclusive_minimum: Option<(&'s Value, f64)>,
    pub(crate) exclusive_maximum: Option<(&'s Value, f64)>,
    pub(crate) all_of: Vec<usize>,
    pub(crate) any_of: Option<Vec<usize>>,
    pub(crate) one_of: Option<Vec<usize>>,
    pub(crate) condition: Option<(usize, Option<usize>, Option<usize>)>,
    /// For a `oneOf`/`anyOf` whose branches all fix one property to a constant (a tagged union
    /// such as a callflow action): that property and each branch's value.
    pub(crate) tag: Option<(&'s str, Vec<(&'s Value, usize)>)>,
    /// The same tagged union over the branches' schema values, for messages.
    pub(crate) tagged: Option<Tagged<'s>>,
}

impl Node<'_> {
    /// The node of the property named `key`, when `properties` declares it.
    pub(crate) fn property(&self, key: &str) -> Option<usize> {
        self.property_index(key).map(|i| self.properties[i].1)
    }

    /// Where `properties` declares `key`: a search over the names' [`name_key`]s, and one
    /// comparison of text among names that share theirs (only long names can).
    pub(crate) fn property_index(&self, key: &str) -> Option<usize> {
        let k = name_key(key);
        let first = self.property_keys.partition_point(|&x| x < k);
        (first..self.property_keys.len())
            .take_while(|&i| self.property_keys[i] == k)
            .find(|&i| self.properties[i].0 == key)
    }
}

/// The bit of a JSON Schema type name in [`Node::type_mask`] (0 for a name JSON Schema lacks,
/// which then admits nothing).
pub(crate) fn type_bit(name: &str) -> u8 {
    match name {
        "object" => 1,
        "array" => 1 << 1,
        "string" => 1 << 2,
        "boolean" => 1 << 3,
        "null" => 1 << 4,
        "number" => 1 << 5,
        "integer" => 1 << 6,
        _ => 0,
    }
}

/// A tagged union: the tag property and each branch's tag value with the branch's schema.
pub(crate) type Tagged<'s> = (&'s str, Vec<(&'s Value, &'s Value)>);

/// How a node checks its `pattern`.
pub(crate) enum Matcher {
    /// One of the schemas' own patterns, checked by hand.
    Known(Pattern),
    /// Any other expression (natively; the WebAssembly module carries no regular-expression
    /// engine, since every pattern of the committed schemas is a known one: a test says so).
    #[cfg(not(target_arch = "wasm32"))]
    Regex(regex_lite::Regex),
    /// An expression that does not compile (or, in WebAssembly, any other expression): it
    /// accepts everything, as it cannot be judged.
    Unreadable,
}

impl Matcher {
    /// The matcher of an expression that is none of the known patterns.
    fn expression(p: &str) -> Matcher {
        #[cfg(not(target_arch = "wasm32"))]
        {
            regex_lite::Regex::new(p).map_or(Matcher::Unreadable, Matcher::Regex)
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = p;
            Matcher::Unreadable
        }
    }

    pub(crate) fn is_match(&self, s: &str) -> bool {
        match self {
            Matcher::Known(p) => p.is_match(s),
            #[cfg(not(target_arch = "wasm32"))]
            Matcher::Regex(r) => r.is_match(s),
            Matcher::Unreadable => true,
        }
    }
}

/// The compiled committed schema of `kind`.
pub(crate) fn for_kind(kind: crate::Kind) -> &'static Compiled<'static> {
    static COMPILED: [OnceLock<Compiled<'static>>; 10] = [const { OnceLock::new() }; 10];
    let index = crate::Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0);
    COMPILED[index].get_or_init(|| Compiled::new(crate::schema::schema(kind)))
}

impl<'s> Compiled<'s> {
    /// Compiles `root` and every subschema it holds (under keywords and `$defs`).
    pub(crate) fn new(root: &'s Value) -> Self {
        let mut c = Compiled {
            root,
            nodes: Vec::new(),
            by_addr: HashMap::new(),
        };
        c.node(root);
        // `$ref`s point at nodes compiled by now (everything under the root is).
        for i in 0..c.nodes.len() {
            let target = c.nodes[i].source.and_then(|schema| {
                schema
                    .get("$ref")
                    .map(|_| walk::resolve(root, schema))
                    .filter(|t| !std::ptr::eq(*t, schema))
            });
            if let Some(target) = target {
                c.nodes[i].reference = Some(c.node(target));
            }
        }
        for i in 0..c.nodes.len() {
            let tagged = c.nodes[i]
                .source
                .and_then(|schema| walk::tagged_union(root, schema));
            c.nodes[i].tag = tagged.as_ref().map(|(name, list)| {
                let branches = list
                    .iter()
                    .filter_map(|&(value, branch)| Some((value, c.find(branch)?)))
                    .collect();
                (*name, branches)
            });
            c.nodes[i].tagged = tagged;
        }
        c
    }

    /// The node `$ref` leads to (the node itself when it has none).
    fn resolved(&self, at: usize) -> usize {
        self.nodes.get(at).and_then(|n| n.reference).unwrap_or(at)
    }

    /// The root node, resolved.
    pub(crate) fn root_node(&self) -> usize {
        self.resolved(0)
    }

    /// The branch of a tagged union that `instance` selects by its tag.
    fn select_branch(&self, at: usize, instance: View<'_>) -> Option<usize> {
        let (tag, list) = self.nodes.get(at)?.tag.as_ref()?;
        let have = instance.get(tag)?;
        list.iter()
            .find(|(v, _)| have.eq_value(v))
            .map(|&(_, b)| self.resolved(b))
    }

    /// The branches a schema combines (`oneOf`, `anyOf`, `allOf`), resolved.
    fn branches(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        let n = &self.nodes[at];
        n.one_of
            .iter()
            .flatten()
            .chain(n.any_of.iter().flatten())
            .chain(&n.all_of)
            .map(|&b| self.resolved(b))
    }

    fn is_object_schema(&self, at: usize) -> bool {
        self.nodes[at].source.is_some_and(Value::is_object)
    }

    /// The node governing member `key` (an object property or an array index) of `instance`,
    /// which node `at` governs.
    pub(crate) fn child(&self, at: usize, instance: View<'_>, key: &str) -> Option<usize> {
        self.child_of(self.effective(at, instance), instance, key)
    }

    /// The node that governs `instance` in the end: node `at` after its `$ref` and the branches
    /// of tagged unions that `instance` selects by its tag.
    pub(crate) fn effective(&self, at: usize, instance: View<'_>) -> usize {
        let mut at = self.resolved(at);
        for _ in 0..self.nodes.len() {
            match self.select_branch(at, instance) {
                Some(b) if b != at => at = b,
                _ => break,
            }
        }
        at
    }

    /// [`child`](Self::child) of the [`effective`](Self::effective) node `at`.
    fn child_of(&self, at: usize, instance: View<'_>, key: &str) -> Option<usize> {
        let node = self.nodes.get(at)?;
        // An unknown tag (a `record` action): no branch governs the members but the tag itself,
        // so none may be used to judge them.
        if let Some((tag, _)) = &node.tag
            && instance.is_object()
            && key != *tag
        {
            return None;
        }
        if instance.is_array() {
            if let Some(items) = node.items.filter(|&i| self.is_object_schema(i)) {
                return Some(self.resolved(items));
            }
        } else {
            if let Some(sub) = node.property(key) {
                return Some(self.resolved(sub));
            }
            if let Some(a) = node.additional.filter(|&a| self.is_object_schema(a)) {
                return Some(self.resolved(a));
            }
        }
        self.branches(at).find_map(|b| self.child(b, instance, key))
    }

    /// Calls `f` with every value of `doc` the schema governs, in document order: the node that
    /// governs it, the value and its pointer. The one schema-guided walk of a document.
    pub(crate) fn governed<'d>(&self, doc: View<'d>, f: &mut dyn FnMut(usize, View<'d>, &str)) {
        self.governed_at(self.root_node(), doc, &mut String::new(), f);
    }

    fn governed_at<'d>(
        &self,
        at: usize,
        value: View<'d>,
        pointer: &mut String,
        f: &mut dyn FnMut(usize, View<'d>, &str),
    ) {
        // An object is passed with the node that governs it in the end (its tag's branch).
        let at = match value.is_object() {
            true => self.effective(at, value),
            false => at,
        };
        f(at, value, pointer);
        let len = pointer.len();
        if value.is_object() {
            for (key, member) in value.members() {
                if let Some(sub) = self.child_of(at, value, key) {
                    pointer.push('/');
                    crate::parse::push_escaped(pointer, key);
                    self.governed_at(sub, member, pointer, f);
                    pointer.truncate(len);
                }
            }
        } else if value.is_array() {
            for (i, item) in value.items().enumerate() {
                use std::fmt::Write;
                let _ = write!(pointer, "/{i}");
                if let Some(sub) = self.child(at, value, &pointer[len + 1..]) {
                    self.governed_at(sub, item, pointer, f);
                }
                pointer.truncate(len);
            }
        }
    }

    /// The property names an object governed by node `at` may have, or `None` when it takes
    /// any (a map such as `details`, or a schema without `properties`).
    pub(crate) fn known_properties(&self, at: usize, instance: View<'_>) -> Option<Vec<&'s str>> {
        let at = self.effective(at, instance);
        let node = self.nodes.get(at)?;
        if node.additional.is_some_and(|a| self.is_object_schema(a)) {
            return None;
        }
        let mut names: Vec<&'s str> = node.declared.clone();
        for b in self.branches(at) {
            if let Some(more) = self.known_properties(b, instance) {
                names.extend(more);
            }
        }
        if names.is_empty() { None } else { Some(names) }
    }

    /// Whether node `at` (after `$ref`s) admits `null`.
    pub(crate) fn allows_null(&self, at: usize) -> bool {
        let at = self.resolved(at);
        match &self.nodes[at].types {
            Some(types) => types.contains(&"null"),
            None => self.branches(at).any(|b| self.allows_null(b)),
        }
    }

    /// Whether node `at` (after `$ref`s) is exactly of type `string`.
    pub(crate) fn is_string_type(&self, at: usize) -> bool {
        let at = self.resolved(at);
        self.nodes[at]
            .source
            .and_then(|s| s.get("type"))
            .is_some_and(|t| t == "string")
    }

    /// The properties node `at` (after `$ref`s) requires.
    pub(crate) fn required(&self, at: usize) -> &[&'s str] {
        &self.nodes[self.resolved(at)].required
    }

    /// Whether node `at` (or one of its branches, as in a nullable timestamp) has `pattern`.
    pub(crate) fn has_pattern(&self, at: usize, pattern: &str) -> bool {
        let at = self.resolved(at);
        let n = &self.nodes[at];
        n.pattern.as_ref().is_some_and(|(p, _)| *p == pattern)
            || n.one_of
                .iter()
                .chain(n.any_of.iter())
                .flatten()
                .any(|&b| self.has_pattern(b, pattern))
    }

    /// The node of `schema`, compiling it (and what it holds) the first time.
    fn node(&mut self, schema: &'s Value) -> usize {
        let addr = std::ptr::from_ref(schema) as usize;
        if let Some(&i) = self.by_addr.get(&addr) {
            return i;
        }
        let i = self.nodes.len();
        self.nodes.push(Node::default());
        self.by_addr.insert(addr, i);
        let mut n = Node {
            source: Some(schema),
            object: schema.is_object(),
            never: schema == &Value::Bool(false),
            ..Node::default()
        };
        let Some(obj) = schema.as_object() else {
            self.nodes[i] = n;
            return i;
        };
        let number = |k: &str| obj.get(k).and_then(|l| l.as_f64().map(|f| (l, f)));
        n.types = obj.get("type").map(|t| match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        });
        n.type_mask = n.types.iter().flatten().fold(0, |m, t| m | type_bit(t));
        n.enumeration = obj.get("enum");
        if let Some(options) = n.enumeration {
            n.enum_words = super::messages::EnumWords::of(options);
        }
        n.constant = obj.get("const");
        n.required = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        n.min_items = obj.get("minItems").and_then(Value::as_u64);
        n.max_items = obj.get("maxItems").and_then(Value::as_u64);
        n.min_length = obj.get("minLength").and_then(Value::as_u64);
        n.max_length = obj.get("maxLength").and_then(Value::as_u64);
        n.pattern = obj.get("pattern").and_then(Value::as_str).map(|p| {
            let matcher = match Pattern::of(p) {
                Some(known) => Matcher::Known(known),
                None => Matcher::expression(p),
            };
            (p, matcher)
        });
        n.minimum = number("minimum");
        n.maximum = number("maximum");
        n.exclusive_minimum = number("exclusiveMinimum");
        n.exclusive_maximum = number("exclusiveMaximum");
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            n.declared = props.keys().map(String::as_str).collect();
            let mut list: Vec<(&'s str, usize)> = props
                .iter()
                .map(|(k, v)| (k.as_str(), self.node(v)))
                .collect();
            list.sort_unstable_by_key(|&(k, _)| (name_key(k), k));
            n.property_keys = list.iter().map(|&(k, _)| name_key(k)).collect();
            n.property_required = list.iter().map(|(k, _)| n.required.contains(k)).collect();
            n.properties = list;
        }
        n.additional = obj.get("additionalProperties").map(|a| self.node(a));
        n.items = obj.get("items").map(|a| self.node(a));
        let list = |k: &str, this: &mut Self| {
            obj.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|b| this.node(b)).collect::<Vec<_>>())
        };
        n.all_of = list("allOf", self).unwrap_or_default();
        n.any_of = list("anyOf", self);
        n.one_of = list("oneOf", self);
        if let Some(c) = obj.get("if") {
            let c = self.node(c);
            let then = obj.get("then").map(|t| self.node(t));
            let otherwise = obj.get("else").map(|e| self.node(e));
            n.condition = Some((c, then, otherwise));
        }
        if let Some(defs) = obj.get("$defs").and_then(Value::as_object) {
            for d in defs.values() {
                self.node(d);
            }
        }
        self.nodes[i] = n;
        i
    }

    /// The node compiled for `schema`, a part of this schema.
    pub(crate) fn find(&self, schema: &Value) -> Option<usize> {
        self.by_addr
            .get(&(std::ptr::from_ref(schema) as usize))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_pattern_of_the_committed_schemas_is_a_known_one() {
        // The WebAssembly module has no regular-expression engine: it relies on this.
        for kind in crate::Kind::ALL {
            for node in &for_kind(kind).nodes {
                if let Some((pattern, matcher)) = &node.pattern {
                    assert!(matches!(matcher, Matcher::Known(_)), "{kind}: {pattern}");
                }
            }
        }
    }

    #[test]
    fn properties_are_found_by_name_and_only_by_name() {
        // Names sharing a length and their first seven bytes, names that differ only there,
        // the empty name and one beyond 255 bytes.
        let long = "x".repeat(300);
        let names = [
            "callId",
            "callID",
            "sourceFormat",
            "sourceFormaX",
            "a",
            "",
            "callDuration",
            "callDurations",
            long.as_str(),
        ];
        let props: serde_json::Map<String, Value> =
            names.iter().map(|n| (n.to_string(), json!({}))).collect();
        let schema = json!({"properties": props});
        let c = Compiled::new(&schema);
        let node = &c.nodes[0];
        for n in names {
            let i = node.property_index(n).unwrap_or_else(|| panic!("{n:?}"));
            assert_eq!(node.properties[i].0, n);
        }
        let longer = "x".repeat(301);
        for absent in ["callid", "sourceFormaY", "b", "callDurat", longer.as_str()] {
            assert_eq!(node.property_index(absent), None, "{absent}");
        }
    }
}
