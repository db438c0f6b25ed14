/**
 * Merkle trees as RFC 9162 (Certificate Transparency 2.0, section 2.1) defines them, over SM3 or
 * SHA-256: tree heads, inclusion proofs and consistency proofs, and their verification. The
 * audit log builds on these.
 */
package sluice.crypto.merkle;
