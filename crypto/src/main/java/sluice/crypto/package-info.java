/** Cryptographic primitives of Sluice: national algorithms, PKI and TLS contexts. */
package sluice.crypto;
