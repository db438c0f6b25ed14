package sluice.catalog.entry;

/** 更新周期 of a resource. */
public enum UpdateCycle {
  REAL_TIME,
  DAILY,
  WEEKLY,
  MONTHLY,
  QUARTERLY,
  YEARLY,
  IRREGULAR
}
