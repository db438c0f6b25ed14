package sluice.nodes.synth;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import sluice.catalog.ResourceDescriptor;

/**
 * One generated resource file.
 *
 * @param descriptor the resource, as {@link DemoResources} describes it
 * @param csvFile where its rows are, {@code <out>/<resource code>.csv}
 * @param rows number of data rows (the header not counted)
 * @param sampleKeys up to 20 subject keys present in the file, spread evenly over it, in file
 *     order; the same for the same generator settings
 */
public record GeneratedResource(
    ResourceDescriptor descriptor, Path csvFile, int rows, List<String> sampleKeys) {

  public GeneratedResource {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(csvFile, "csvFile");
    sampleKeys = List.copyOf(sampleKeys);
  }
}
