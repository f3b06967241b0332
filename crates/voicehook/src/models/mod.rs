//! Typed models of every 8x8 Voice document.
