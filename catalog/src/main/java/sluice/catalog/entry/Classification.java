package sluice.catalog.entry;

/**
 * Classification level of a field (and, by its highest field, of a resource): L1 public, L2
 * internal, L3 sensitive, L4 highly sensitive, then important and core data per GB/T 43697.
 * Declared from least to most protected, so {@link #compareTo} orders by protection.
 */
public enum Classification {
  /** 公开: may be published. */
  L1,
  /** 内部: for use within government. */
  L2,
  /** 敏感: personal information and the like. */
  L3,
  /** 高度敏感: sensitive personal information and the like. */
  L4,
  /** 重要数据 (GB/T 43697). */
  IMPORTANT,
  /** 核心数据 (GB/T 43697): may be registered, never served. */
  CORE;

  /** At least as protected as {@code other}. */
  public boolean atLeast(Classification other) {
    return compareTo(other) >= 0;
  }
}
