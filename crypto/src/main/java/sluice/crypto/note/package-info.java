/**
 * C2SP signed notes (c2sp.org/signed-note): text signed by one or more named keys, each signature
 * line carrying a 4-byte key ID. Ed25519 (signature type 0x01) for outside verifiers, SM2 with
 * SM3 (type 0xff followed by the identifier {@code sluice/sm2-sm3}) for the national algorithms.
 */
package sluice.crypto.note;
