rtrace_fuzz::fuzz_family_test!(
    security,
    rtrace_security::DECODERS,
    at("landlock_create_ruleset", 0),
    at("landlock_add_rule", 2),
    at("lsm_set_self_attr", 1),
    at("lsm_get_self_attr", 1),
    array_of_returned_count("lsm_list_modules", 0)
);
