/** Secure aggregation primitives: per-session key pairs and pairwise masks that cancel in a sum. */
package sluice.crypto.agg;
