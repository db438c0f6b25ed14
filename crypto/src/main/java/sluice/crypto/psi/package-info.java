/**
 * Primitives of ECDH private set intersection (Huberman-Franklin-Hogg / Meadows): suites,
 * per-session keys, masking and re-masking with point validation, and the tag table a receiver
 * joins in. The protocol itself (who sends what, through which gateways) is in the nodes.
 */
package sluice.crypto.psi;
