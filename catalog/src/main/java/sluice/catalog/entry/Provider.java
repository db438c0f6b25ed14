package sluice.catalog.entry;

import sluice.crypto.NodeId;

/**
 * The agency that provides a resource.
 *
 * @param name the agency's name, e.g. 广东省人力资源和社会保障厅
 * @param code the agency's unified social credit code (GB 32100)
 * @param node the department node that holds the data
 */
public record Provider(String name, String code, NodeId node) {}
