package sluice.nodes.department;

import sluice.catalog.grant.RowScopes;
import sluice.catalog.predicate.Record;
import sluice.catalog.predicate.TypedValues;
import sluice.v1.RowScope;

/**
 * Which records a consumer's grants reach, as the provider's gateway said: all of them, or those
 * whose value in one of the row scope's fields belongs to the consumer's province. A record out
 * of reach is answered as if it did not exist.
 */
record Scope(RowScope rowScope) {
  static final Scope ALL = new Scope(null);

  boolean reaches(ServedResource resource, Record record) {
    if (rowScope == null || rowScope.getSameProvinceFieldsCount() == 0) {
      return true;
    }
    for (String name : rowScope.getSameProvinceFieldsList()) {
      int index = resource.descriptor().indexOf(name);
      if (index >= 0
          && rowScope.getConsumerProvince().equals(RowScopes.province(TypedValues.text(record.value(index))))) {
        return true;
      }
    }
    return false;
  }
}
