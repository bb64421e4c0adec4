rtrace_fuzz::fuzz_family_test!(
    sched,
    rtrace_sched::DECODERS,
    at("sched_getparam", 1),
    at("sched_setparam", 1),
    at("sched_setscheduler", 2),
    at("sched_setattr", 1),
    at("sched_getattr", 1),
    at("sched_rr_get_interval", 1)
);
