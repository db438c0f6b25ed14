/**
 * Symmetric primitives for masking, all from BouncyCastle: HMAC-SM3, HKDF over SM3, SM4-GCM
 * and FF1 format-preserving encryption over SM4 or AES. Keys are {@link javax.crypto.SecretKey}
 * objects; nothing here keeps state between calls.
 */
package sluice.crypto.sym;
