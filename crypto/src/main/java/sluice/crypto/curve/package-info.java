/**
 * Hashing to elliptic curves (RFC 9380) for the private set intersection protocols: the
 * expand_message_xmd construction and the simplified SWU map, on BouncyCastle's curves.
 */
package sluice.crypto.curve;
