//! A stable hash: the demo draws reproducible numbers from it, the snapshot names files with it;
//! SHA-256 where it must not collide (the journal's chain, idempotency tokens).

/// The SHA-256 of `bytes` in lower-case hex (64 digits).
pub fn hex_digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A small stable hash (FNV-1a) so each tenant gets its own but reproducible numbers.
pub fn hash(text: &str, salt: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
