package sluice.catalog.entry;

/** Whether a field holds personal information, per PIPL / GB/T 35273. */
public enum PersonalInfoKind {
  NONE,
  /** 个人信息. */
  PERSONAL,
  /** 敏感个人信息. */
  SENSITIVE_PERSONAL
}
