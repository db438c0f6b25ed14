package sluice.nodes.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import sluice.crypto.NodeId;
import sluice.nodes.run.FederationSetup;

/**
 * The federation descriptor {@code sluice demo --serve} writes for outside tools: every node's
 * address, the CA bundle, and one consumer department's certificate and key, with the TLS
 * server name to expect from its gateway.
 */
final class Descriptor {
  static final NodeId CONSUMER = NodeId.parse("prov-11/dept-ca");

  private Descriptor() {}

  static Path write(FederationSetup.Layout layout, Path file) throws IOException {
    Map<String, Object> d = new LinkedHashMap<>();
    Map<String, String> nodes = new LinkedHashMap<>();
    layout.addresses().forEach((id, a) -> nodes.put(id.toString(), a.getHostString() + ":" + a.getPort()));
    Path creds = layout.credentials(CONSUMER).toAbsolutePath();
    d.put("federation", layout.federationFile().toAbsolutePath().toString());
    d.put("caBundle", creds.resolve("ca.crt").toString());
    Map<String, String> consumer = new LinkedHashMap<>();
    consumer.put("id", CONSUMER.toString());
    consumer.put("gateway", CONSUMER.gateway().orElseThrow().toString());
    consumer.put("gatewayAddress", nodes.get(CONSUMER.gateway().orElseThrow().toString()));
    // A gateway's certificate carries its node id as a DNS name (beside the URI SAN
    // sluice://<gateway> that is its identity): standard TLS clients should expect this name
    // (e.g. grpc.ssl_target_name_override) and, to be strict, also check the URI SAN.
    consumer.put("tlsServerName", CONSUMER.gateway().orElseThrow().toString());
    consumer.put("certificateChain", creds.resolve("tls.crt").toString());
    consumer.put("privateKey", creds.resolve("tls.key").toString());
    d.put("consumer", consumer);
    d.put("nodes", nodes);
    new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), d);
    return file;
  }
}
