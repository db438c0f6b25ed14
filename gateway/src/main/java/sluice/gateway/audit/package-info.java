/**
 * The gateway's audit log (groundwork): a durable append-only record file with group commit and
 * crash recovery. Entries, the Merkle tree over them and signed checkpoints build on it.
 */
package sluice.gateway.audit;
