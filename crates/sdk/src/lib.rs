//! SDK for rtrace decoder plugins (being built).
