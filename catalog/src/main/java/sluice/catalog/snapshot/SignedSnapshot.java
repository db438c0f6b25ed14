package sluice.catalog.snapshot;

import java.util.List;

/**
 * A snapshot as it travels: its canonical bytes, the hub's SM2 signature over them, and the
 * hub's signing certificate chain (DER, leaf first, without the root).
 */
public record SignedSnapshot(byte[] body, byte[] signature, List<byte[]> signerChain) {
  public SignedSnapshot {
    body = body.clone();
    signature = signature.clone();
    signerChain = signerChain.stream().map(byte[]::clone).toList();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
