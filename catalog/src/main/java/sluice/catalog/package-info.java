/** Sluice catalog. */
package sluice.catalog;
