package sluice.catalog.entry;

/** Kinds of organisation a conditional resource may be shared with. */
public enum ConsumerKind {
  /** 政府部门. */
  GOVERNMENT_DEPARTMENT,
  /** 事业单位. */
  PUBLIC_INSTITUTION,
  /** 公共服务企业 (utilities and the like acting for government). */
  PUBLIC_SERVICE_ENTERPRISE
}
