rtrace_fuzz::fuzz_family_test!(
    fs,
    rtrace_fs::DECODERS,
    at("fstat", 1),
    at("stat", 1),
    at("statfs", 1),
    array("readv", 1, 2),
    array("writev", 1, 2),
    at("cachestat", 1),
    at("open_by_handle_at", 1),
    array("vmsplice", 1, 2),
    at("utime", 1),
    at("utimes", 1)
);
