//! Host side of decoding (being built).
