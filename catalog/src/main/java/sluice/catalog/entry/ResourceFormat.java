package sluice.catalog.entry;

/** 信息资源格式: how the provider holds the resource. */
public enum ResourceFormat {
  DATABASE,
  SPREADSHEET,
  DOCUMENT,
  API,
  IMAGE,
  OTHER
}
