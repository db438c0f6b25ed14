package sluice.catalog.entry;

/** 开放类型: whether a resource is opened to the public (beyond government sharing). */
public enum OpenType {
  /** 无条件开放. */
  OPEN,
  /** 有条件开放. */
  CONDITIONAL_OPEN,
  /** 不予开放. */
  NOT_OPEN
}
