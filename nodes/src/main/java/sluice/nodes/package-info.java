/** Sluice nodes. */
package sluice.nodes;
