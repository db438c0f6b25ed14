/**
 * Masking: what a field looks like when it leaves a provider department under a grant. Display
 * masks hide part of a value ({@link CharacterMasks}, {@link ChineseNames}, {@link Addresses});
 * {@link IdGeneralisation} keeps only region, birth year and gender; keyed masks replace it
 * under a per-consumer key ({@link KeyedPseudonym}, {@link ChecksumPseudonym},
 * {@link FormatPreservingMask}, {@link FieldEncryption}); {@link Masker} applies any
 * {@link sluice.catalog.entry.Mask}. Invalid input is an {@link InvalidMaskInputException},
 * never a half-masked value.
 */
package sluice.catalog.mask;
