package sluice.nodes.department;

import java.math.BigDecimal;
import java.util.List;
import sluice.catalog.FieldSpec;
import sluice.catalog.grant.RowScopes;
import sluice.catalog.predicate.Record;
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
    List<FieldSpec> fields = resource.descriptor().fields();
    for (String name : rowScope.getSameProvinceFieldsList()) {
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).name().equals(name)) {
          Comparable<?> v = record.value(i);
          String text = v == null ? null : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
          if (rowScope.getConsumerProvince().equals(RowScopes.province(text))) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
