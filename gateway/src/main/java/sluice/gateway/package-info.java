/** Sluice gateway. */
package sluice.gateway;
