package sluice.catalog.grant;

import sluice.catalog.entry.Mask;
import sluice.catalog.entry.SemanticType;

/** How one field must leave under a Query: the mask, and the field's semantic type it is applied as. */
public record MaskOrder(Mask mask, SemanticType semanticType) {}
