//! fs plugin (being built)
