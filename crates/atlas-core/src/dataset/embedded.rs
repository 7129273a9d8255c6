//! The embedded copies of `data/*.json` and the dataset's version stamp.

/// Bump when the shipped dataset changes in a way a person should see ("dataset 2026.11 r1").
pub const DATASET_VERSION: &str = "2026.11-r3";

/// Every shipped file, by name.
pub const EMBEDDED_FILES: [(&str, &str); 12] = [
    ("checklist.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/checklist.json"))),
    ("cities.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/cities.json"))),
    ("institutions.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/institutions.json"))),
    ("challenges.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/challenges.json"))),
    ("practices.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/practices.json"))),
    ("survey.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/survey.json"))),
    (
        "coordination_tools.json",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/coordination_tools.json")),
    ),
    ("regions.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/regions.json"))),
    ("region_shapes.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/region_shapes.json"))),
    ("findings.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/findings.json"))),
    ("governance.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/governance.json"))),
    ("glossary.json", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/glossary.json"))),
];

/// A content hash of every shipped file (FNV-1a, 64 bit, over names and bytes), as 16 hex digits: a database whose
/// stamp differs gets its reference tables refreshed.
pub fn dataset_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for (name, text) in EMBEDDED_FILES {
            for byte in name.bytes().chain(text.bytes()) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    })
}
