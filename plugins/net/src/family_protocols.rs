//! socket's protocol for the address families beyond AF_INET, AF_INET6, AF_NETLINK and
//! AF_PACKET, each with the default strace writes for a protocol it does not know
//! (`0x63 /* BTPROTO_??? */`). Values of the kernel's headers, as strace 7.2 lists them.

use rtrace_sdk::ConstTable;

const AX25: &[(u64, &str)] = &[
    (0x01, "AX25_P_ROSE"),
    (0x06, "AX25_P_VJCOMP"),
    (0x07, "AX25_P_VJUNCOMP"),
    (0x08, "AX25_P_SEGMENT"),
    (0xc3, "AX25_P_TEXNET"),
    (0xc4, "AX25_P_LQ"),
    (0xca, "AX25_P_ATALK"),
    (0xcb, "AX25_P_ATALK_ARP"),
    (0xcc, "AX25_P_IP"),
    (0xcd, "AX25_P_ARP"),
    (0xce, "AX25_P_FLEXNET"),
    (0xcf, "AX25_P_NETROM"),
    (0xf0, "AX25_P_TEXT"),
];

/// AF_CAN's protocols, which strace also shows for AF_IRDA.
const CAN: &[(u64, &str)] = &[
    (1, "CAN_RAW"),
    (2, "CAN_BCM"),
    (3, "CAN_TP16"),
    (4, "CAN_TP20"),
    (5, "CAN_MCNET"),
    (6, "CAN_ISOTP"),
    (7, "CAN_J1939"),
];

const BLUETOOTH: &[(u64, &str)] = &[
    (0, "BTPROTO_L2CAP"),
    (1, "BTPROTO_HCI"),
    (2, "BTPROTO_SCO"),
    (3, "BTPROTO_RFCOMM"),
    (4, "BTPROTO_BNEP"),
    (5, "BTPROTO_CMTP"),
    (6, "BTPROTO_HIDP"),
    (7, "BTPROTO_AVDTP"),
];

const ISDN: &[(u64, &str)] = &[
    (0, "ISDN_P_BASE"),
    (1, "ISDN_P_TE_S0"),
    (2, "ISDN_P_NT_S0"),
    (3, "ISDN_P_TE_E1"),
    (4, "ISDN_P_NT_E1"),
    (0x10, "ISDN_P_LAPD_TE"),
    (0x11, "ISDN_P_LAPD_NT"),
    (0x21, "ISDN_P_B_RAW"),
    (0x22, "ISDN_P_B_HDLC"),
    (0x23, "ISDN_P_B_X75SLP"),
    (0x24, "ISDN_P_B_L2DTMF"),
    (0x25, "ISDN_P_B_L2DSP"),
    (0x26, "ISDN_P_B_L2DSPHDLC"),
];

const PHONET: &[(u64, &str)] = &[
    (0, "PN_PROTO_TRANSPORT"),
    (1, "PN_PROTO_PHONET"),
    (2, "PN_PROTO_PIPE"),
];

const CAIF: &[(u64, &str)] = &[
    (0, "CAIFPROTO_AT"),
    (1, "CAIFPROTO_DATAGRAM"),
    (2, "CAIFPROTO_DATAGRAM_LOOP"),
    (3, "CAIFPROTO_UTIL"),
    (4, "CAIFPROTO_RFM"),
    (5, "CAIFPROTO_DEBUG"),
];

const NFC: &[(u64, &str)] = &[(0, "NFC_SOCKPROTO_RAW"), (1, "NFC_SOCKPROTO_LLCP")];

const KCM: &[(u64, &str)] = &[(0, "KCMPROTO_CONNECTED")];

const SMC: &[(u64, &str)] = &[(0, "SMCPROTO_SMC"), (1, "SMCPROTO_SMC6")];

/// AF_AX25: its protocols are shown with their value (`0xcc /* AX25_P_IP */`).
pub const AF_AX25: u64 = 3;

/// By family: the protocols' names and strace's default for an unknown one.
pub const FAMILY_PROTOCOLS: &[(u64, &ConstTable)] = &[
    (AF_AX25, &protocols(AX25, "AX25_P_???")),
    (23, &protocols(CAN, "IRDAPROTO_???")), // AF_IRDA
    (29, &protocols(CAN, "CAN_???")),       // AF_CAN
    (31, &protocols(BLUETOOTH, "BTPROTO_???")),
    (34, &protocols(ISDN, "ISDN_P_???")),
    (35, &protocols(PHONET, "PN_PROTO_???")),
    (37, &protocols(CAIF, "CAIFPROTO_???")),
    (39, &protocols(NFC, "NFC_SOCKPROTO_???")),
    (41, &protocols(KCM, "KCMPROTO_???")),
    (43, &protocols(SMC, "SMCPROTO_???")),
];

const fn protocols(names: &'static [(u64, &'static str)], unknown: &'static str) -> ConstTable {
    ConstTable { names, unknown }
}
