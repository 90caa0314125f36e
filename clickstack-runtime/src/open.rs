//! [`Open`]: the types that keep what this client does not know.

/// A string enum or a union with a catch-all `Unknown` variant for values
/// or shapes a newer server sends. Every open enum and union of the
/// generated clients and of the facade implements it, so generic code can
/// ask without matching on each type.
///
/// ```
/// use clickstack_runtime::Open;
/// fn report<T: Open + std::fmt::Debug>(value: &T) -> Option<String> {
///     value.is_unknown().then(|| format!("not a value this client knows: {value:?}"))
/// }
/// # struct Never;
/// # impl Open for Never { fn is_unknown(&self) -> bool { false } }
/// # impl std::fmt::Debug for Never { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("Never") } }
/// assert_eq!(report(&Never), None);
/// ```
pub trait Open {
    /// Whether the value is one this client does not know (held in the
    /// `Unknown` variant, verbatim).
    fn is_unknown(&self) -> bool;
}
