/**
 * Deterministic synthetic department data for the demo federation: for every province, a
 * population registry, social insurance enrolments, a business registry, taxpayer status and
 * minimum living allowance (dibao) recipients, as CSV files with valid citizen ID numbers and
 * unified social credit codes. Start at {@link sluice.nodes.synth.SyntheticData}.
 */
package sluice.nodes.synth;
