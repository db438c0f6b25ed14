package sluice.catalog.entry;

/** 共享类型 of a resource. */
public enum SharingType {
  /** 无条件共享: any federation department may ask, no request needed. */
  UNCONDITIONAL,
  /** 有条件共享: only under a grant the provider approved. */
  CONDITIONAL,
  /** 不予共享: never shared. */
  NOT_SHARED
}
