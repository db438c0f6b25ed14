/** Department data files: RFC 4180 CSV tables with a header row, read and written as UTF-8. */
package sluice.nodes.data;
