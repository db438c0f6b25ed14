/**
 * Chinese identifiers with check characters: the citizen ID number (GB 11643-1999), the unified
 * social credit code (GB 32100-2015, embedding a GB 11714 organisation code) and Luhn-checked bank
 * card numbers. Each class validates with messages that say which rule failed, computes check
 * characters, and (for structured identifiers) parses into an immutable value.
 *
 * <p>Validation messages never repeat the full identifier, so they are safe to log.
 */
package sluice.catalog.ident;
